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
import { activate, ProfileKeeper } from '../backend/services/station-profile';
import { addDays } from '../shared/business-day';
import { SERVICE_IDS } from '../shared/catalogue';
import type { TrainingSubject } from '../shared/station-profile';
import type { ProvisioningStore } from '../platform/provisioning/types';

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
  // One station, paying one bill after another: no concurrent writes to group, so no window to
  // wait out (about 2 ms of each payment, the counter bench's confirm → committed).
  const store = openSqlitePlatformStore(path.join(dataDir, 'platform'), { groupCommitWindowMs: 0 });
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

/** The demo's fee schedule (SRV-4), set by the embedded platform as an office would: gas 1.00
 *  per payment from the demo's first day; the other services 0.00 (no entry). */
export const DEMO_FEES = [{ service: 'gas' as const, feeFen: 100, effectiveFrom: '2020-01-01' }];
/** The demo holder's training, recorded by the embedded platform (PPL-1, PPL-2). */
const DEMO_TRAINING = ['operation', 'water', 'electricity', 'gas', 'telephone'] as const;
/** The demo holder was trained before the demo began (tests move the clock back and forth). */
const DEMO_TRAINED_ON = '2020-01-01';

/** Records, as an office would, that the person was trained in each subject (PPL-1, PPL-2). */
export async function recordTrainings(
  prov: ProvisioningStore,
  personId: number,
  subjects: readonly TrainingSubject[],
  course: { trainedOn: string; trainer: string },
  at: string,
  by: string,
): Promise<void> {
  for (const subject of subjects) await prov.recordTraining(personId, { subject, ...course }, at, by);
}

/** Provisions the demo station in the embedded platform as an office admin would — station,
 *  agreement, services, a labelled demo holder trained on everything, the demo fee schedule —
 *  and activates it as a real station does: an activation code, then the station binds its own
 *  key with it and keeps the signed profile (in `dataDir`). Once per data directory; binds the
 *  Green Card and, unless `openingFloat` is false, deposits the opening float at the demo
 *  branch. Returns that voucher, or undefined when there is none to confirm. */
export async function provisionDemoStation(
  p: EmbeddedPlatform,
  station: {
    institutionNo: string;
    name: string;
    holder?: string;
    dataDir: string;
    privateKeyPem: string;
    greenCardMasked?: string;
  },
  opts: { openingFloat?: boolean } = {},
): Promise<{ voucherNo: string; branchCode: string; clerk: string; amount: Fen } | undefined> {
  const keeper = new ProfileKeeper(station.dataDir, station.institutionNo);
  const prov = p.store.provisioning;
  const first = !(await p.store.stations.getStation(station.institutionNo));
  const at = p.now().toISOString();
  if (!(await prov.station(station.institutionNo))) {
    const day = at.slice(0, 10);
    await prov.createStation({
      institutionNo: station.institutionNo,
      name: station.name.slice(0, 60),
      type: 'newsstand',
      address: '演示地址（模拟）',
      branchCode: DEMO_BRANCH.branchCode,
      openingDate: day,
      holderName: (station.holder ?? '店主（演示）').slice(0, 32),
      holderIdMasked: '0000**********0000',
      agreement: {
        startDay: day,
        endDay: addDays(addDays(day, 365), -1),
        depositFen: 0,
        depositReceiptNo: '演示',
      },
      services: [...SERVICE_IDS],
      sealedPublicKey: Buffer.from(
        crypto.generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x as string,
        'base64url',
      ),
      at,
      by: 'demo',
      adopt: !first,
    });
    const holder = (await prov.stationFile(station.institutionNo))!.people[0]!;
    await recordTrainings(
      prov,
      holder.id,
      DEMO_TRAINING,
      { trainedOn: DEMO_TRAINED_ON, trainer: '演示培训' },
      at,
      'demo',
    );
    const fees = await prov.fees();
    for (const f of DEMO_FEES)
      if (!fees.some((x) => x.service === f.service))
        await prov.setFee(f.service, f.feeFen, f.effectiveFrom, at, 'demo');
  }
  if (!keeper.profile) {
    const { code } = await p.provisioning.issueCode(station.institutionNo, 'demo');
    await activate({
      url: p.url,
      institutionNo: station.institutionNo,
      activationCode: code,
      privateKeyPem: station.privateKeyPem,
      keeper,
      now: p.now(),
    });
  }
  if (!first) return undefined;
  // The card the station shows (站点状态) is the one the platform credits Green Card top-ups from.
  if (station.greenCardMasked)
    await p.store.accounts.bindGreenCard({
      institutionNo: station.institutionNo,
      cardMasked: station.greenCardMasked,
      boundAt: at,
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
