// Test helper: a station database opened straight at the ledger layer (db/), no backend.
import { openDatabase, type Db } from '../../db/open';
import { createStation } from '../../db/station';

/** Opens (creating) the station database at `file` and creates a demo station in it, held by
 *  店主 (op1), at `nowIso`. */
export function openTestStation(
  file: string,
  nowIso: string,
  station: { institutionNo?: string; name?: string } = {},
): Db {
  const db = openDatabase(file);
  createStation(db, {
    institutionNo: station.institutionNo ?? '35010000001',
    name: station.name ?? '测试站',
    demo: true,
    greenCardMasked: null,
    holder: { id: 'op1', name: '店主' },
    nowIso,
  });
  return db;
}

/** The legs of a bill payment of `amountFen` with a `feeFen` fee (none: no fees leg). */
export function paymentLegs(amountFen: number, feeFen: number): [string, number][] {
  return feeFen
    ? [
        ['float', -amountFen],
        ['cash', amountFen + feeFen],
        ['fees', -feeFen],
      ]
    : [
        ['float', -amountFen],
        ['cash', amountFen],
      ];
}
