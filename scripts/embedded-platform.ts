// The postal platform run embedded beside the demo station (`npm start`, `npm run web` without
// --platform): SQLite in <data>/platform, simulated billers (演示), on a free loopback port.
// The demo station is registered with its own public key and its Green Card bound, and on the
// first start a branch deposit of 2,000.00 is made for it at the demo branch: the station's
// opening float is then confirmed with that voucher, as any station's is (PAY-2). The tests run
// the same platform beside each test station (tests/helpers/demo-platform.ts).
import crypto from 'node:crypto';
import path from 'node:path';
import { buildPlatform, type Platform } from '../platform/app';
import { fen, type Fen } from '../shared/money';
import { randomToken } from '../platform/auth';
import { ensureFirstAdmin } from '../platform/office/routes';
import { openSqlitePlatformStore, type SqlitePlatformStore } from '../platform/store/sqlite';

export const DEMO_BRANCH = { branchCode: '350100', clerk: '演示网点' } as const;
export const DEMO_OPENING_FEN = 200_000;

export interface EmbeddedPlatformOptions {
  /** Default: a free port. */
  port?: number;
  /** The platform's clock (tests: the station's test clock). */
  now?: () => Date;
  /** How long the simulated billers' timeout accounts hang (ms); default 1,500. */
  simTimeoutMs?: number;
}

export interface EmbeddedPlatform extends Platform {
  url: string;
  now: () => Date;
  store: SqlitePlatformStore;
  adminToken: string;
  /** The first office admin, made on an empty store (printed once). */
  firstAdmin: { username: string; password: string } | undefined;
  close(): Promise<void>;
}

export async function startEmbeddedPlatform(
  dataDir: string,
  opts: EmbeddedPlatformOptions = {},
): Promise<EmbeddedPlatform> {
  const store = openSqlitePlatformStore(path.join(dataDir, 'platform'));
  const adminToken = randomToken();
  const now = opts.now ?? (() => new Date());
  const p = buildPlatform({
    store,
    tokens: { admin: adminToken },
    now,
    ...(opts.simTimeoutMs !== undefined ? { simTimeoutMs: opts.simTimeoutMs } : {}),
  });
  const firstAdmin = await ensureFirstAdmin(store, now());
  const url = await p.app.listen({ host: '127.0.0.1', port: opts.port ?? 0 });
  return {
    ...p,
    url,
    now,
    store,
    adminToken,
    firstAdmin,
    async close() {
      await p.app.close();
      await store.close();
    },
  };
}

/** A branch deposit at the demo branch, as the console makes it; idempotent by `requestKey`.
 *  Returns the voucher the branch hands over. */
export async function demoBranchDeposit(
  p: Pick<EmbeddedPlatform, 'store' | 'now'>,
  institutionNo: string,
  amountFen: number,
  requestKey: string,
): Promise<{ voucherNo: string; branchCode: string; clerk: string; amount: Fen }> {
  const { voucher } = await p.store.accounts.deposit({
    institutionNo,
    amountFen,
    depositor: '演示站主',
    branchId: DEMO_BRANCH.branchCode,
    clerk: DEMO_BRANCH.clerk,
    requestKey,
    requestSha256: crypto.createHash('sha256').update(requestKey).digest('hex'),
    at: p.now().toISOString(),
  });
  return { voucherNo: voucher.voucherNo, ...DEMO_BRANCH, amount: fen(amountFen) };
}

/** Registers the station (once), binds its Green Card and, on its first registration, deposits
 *  its opening float at the demo branch (unless `openingFloat` is false). Returns that voucher,
 *  or undefined when there is none to confirm (registered before, or no opening float). */
export async function provisionDemoStation(
  p: EmbeddedPlatform,
  station: {
    institutionNo: string;
    name: string;
    holder?: string;
    publicKeyPem: string;
    greenCardMasked?: string;
  },
  opts: { openingFloat?: boolean } = {},
): Promise<{ voucherNo: string; branchCode: string; clerk: string; amount: Fen } | undefined> {
  if (await p.store.stations.getStation(station.institutionNo)) return undefined;
  const res = await fetch(`${p.url}/v1/stations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${p.adminToken}` },
    body: JSON.stringify({
      institutionNo: station.institutionNo,
      name: station.name.slice(0, 60),
      ...(station.holder ? { holder: station.holder } : {}),
      openingDate: p.now().toISOString().slice(0, 10),
      publicKey: station.publicKeyPem,
    }),
  });
  if (res.status !== 201)
    throw new Error(`embedded platform: registration refused (${res.status} ${await res.text()})`);
  // The card the station shows (站点状态) is the one the platform credits Green Card top-ups from.
  if (station.greenCardMasked)
    await p.store.accounts.bindGreenCard({
      institutionNo: station.institutionNo,
      cardMasked: station.greenCardMasked,
      boundAt: p.now().toISOString(),
      boundBy: DEMO_BRANCH.clerk,
    });
  if (opts.openingFloat === false) return undefined;
  return demoBranchDeposit(
    p,
    station.institutionNo,
    DEMO_OPENING_FEN,
    `demo-opening-${station.institutionNo}`,
  );
}
