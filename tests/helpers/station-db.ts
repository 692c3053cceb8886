// Test helper: a station database opened straight at the ledger layer (db/), no backend.
import { expect } from 'vitest';
import { openDatabase, type Db } from '../../db/open';
import { sqlAttacker } from './backend';
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

/** What guards print_jobs after a migration, attacked with hand-written SQL: the job `ref` is
 *  neither deleted nor replaced (by a copy with `status`); a new job of the kind `accepted` is
 *  written; a job of an unknown kind is not. */
export function expectPrintJobsGuarded(
  db: Db,
  ref: string,
  status: string,
  accepted: { kind: string; ref: string; serial: string },
): void {
  const attack = sqlAttacker(db);
  expect(attack(`DELETE FROM print_jobs WHERE ref = '${ref}'`)).toBe('APPEND_ONLY');
  expect(
    attack(
      `INSERT OR REPLACE INTO print_jobs (id, kind, ref, serial, document, status, created_at) SELECT id, kind, ref, serial, document, '${status}', created_at FROM print_jobs WHERE ref = '${ref}'`,
    ),
  ).toBe('APPEND_ONLY');
  expect(
    attack(
      `INSERT INTO print_jobs (kind, ref, serial, document, status, created_at) VALUES ('${accepted.kind}', '${accepted.ref}', '${accepted.serial}', '{}', 'queued', 'now')`,
    ),
  ).toBe('accepted');
  expect(
    attack(
      `INSERT INTO print_jobs (kind, ref, serial, document, status, created_at) VALUES ('nonsense', 'n-1', 'N1', '{}', 'queued', 'now')`,
    ),
  ).toMatch(/CHECK/);
}
