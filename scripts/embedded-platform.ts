// The postal platform run embedded beside the demo station (`npm start`, `npm run web` without
// --platform): SQLite in <data>/platform, simulated billers (演示), on a free loopback port.
// The demo station is registered with its own public key, and on the first start a branch
// deposit of 2,000.00 is made for it at the demo branch: the station's opening float is then
// confirmed with that voucher, as any station's is (PAY-2).
import crypto from 'node:crypto';
import path from 'node:path';
import { buildPlatform, type Platform } from '../platform/app';
import { fen, type Fen } from '../shared/money';
import { randomToken } from '../platform/auth';
import { ensureFirstAdmin } from '../platform/office/routes';
import { openSqlitePlatformStore, type SqlitePlatformStore } from '../platform/store/sqlite';

export const DEMO_BRANCH = { branchCode: '350100', clerk: '演示网点' } as const;
export const DEMO_OPENING_FEN = 200_000;

export interface EmbeddedPlatform extends Platform {
  url: string;
  store: SqlitePlatformStore;
  adminToken: string;
  /** The first office admin, made on an empty store (printed once). */
  firstAdmin: { username: string; password: string } | undefined;
  close(): Promise<void>;
}

export async function startEmbeddedPlatform(dataDir: string, port = 0): Promise<EmbeddedPlatform> {
  const store = openSqlitePlatformStore(path.join(dataDir, 'platform'));
  const adminToken = randomToken();
  const p = buildPlatform({ store, tokens: { admin: adminToken } });
  const firstAdmin = await ensureFirstAdmin(store, new Date());
  const url = await p.app.listen({ host: '127.0.0.1', port });
  return {
    ...p,
    url,
    store,
    adminToken,
    firstAdmin,
    async close() {
      await p.app.close();
      await store.close();
    },
  };
}

/** Registers the station (once) and, on its first registration, deposits its opening float at
 *  the demo branch. Returns that voucher, or undefined when the station was registered before. */
export async function provisionDemoStation(
  p: EmbeddedPlatform,
  station: { institutionNo: string; name: string; holder?: string; publicKeyPem: string },
): Promise<{ voucherNo: string; branchCode: string; clerk: string; amount: Fen } | undefined> {
  if (await p.store.stations.getStation(station.institutionNo)) return undefined;
  const res = await fetch(`${p.url}/v1/stations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${p.adminToken}` },
    body: JSON.stringify({
      institutionNo: station.institutionNo,
      name: station.name.slice(0, 60),
      ...(station.holder ? { holder: station.holder } : {}),
      openingDate: new Date().toISOString().slice(0, 10),
      publicKey: station.publicKeyPem,
    }),
  });
  if (res.status !== 201)
    throw new Error(`embedded platform: registration refused (${res.status} ${await res.text()})`);
  const requestKey = `demo-opening-${station.institutionNo}`;
  const { voucher } = await p.store.accounts.deposit({
    institutionNo: station.institutionNo,
    amountFen: DEMO_OPENING_FEN,
    depositor: '演示站主',
    branchId: DEMO_BRANCH.branchCode,
    clerk: DEMO_BRANCH.clerk,
    requestKey,
    requestSha256: crypto.createHash('sha256').update(requestKey).digest('hex'),
    at: new Date().toISOString(),
  });
  return { voucherNo: voucher.voucherNo, ...DEMO_BRANCH, amount: fen(DEMO_OPENING_FEN) };
}
