// The backend as a plain Node object: the station database, the gateway and the handler table.
// Electron's utility process and the browser-mode HTTP server both host one of these.
import path from 'node:path';
import { openDatabase, type Db } from '../db/open';
import { createStation, getStation, listOperators, syncOperatorsFromProfile } from '../db/station';
import type { Fen } from '../shared/money';
import type { ApiReply } from '../shared/errors';
import type { Ctx } from './context';
import { PlatformClient, PlatformGateway } from './gateway/platform-gateway';
import { ProfileSync } from './services/profile-sync';
import type { BillGateway } from './gateway/types';
import { loadOrCreateStationKey } from './services/station-key';
import { dispatch, handlers, type Client } from './handlers';
import { PrintQueue } from './printing/print-queue';
import { recoverPendingPayments } from './services/bill';
import { recoverPendingReversals } from './services/reversal';
import { backupIfStale, reportBackupFailure } from './services/backup';
import { markTrainingLedger } from './services/txn-dto';
import { verifyAndReport } from './services/day-guard';
import { MonitorUploader } from './services/monitor-upload';
import { TRAINING_DIR, TrainingHost, type TrainingCentralFactory } from './training';

export const STATION_DB = 'station.sqlite';
/** How often reservations left pending (timeouts) are settled with the central system. */
export const RECOVERY_INTERVAL_MS = 30_000;

export interface BackendOptions {
  dataDir: string;
  /** A gateway object (tests: the platform gateway behind a fault-injecting wrapper); else the
   *  platform at `platformUrl`. One of the two is required: the station has no central system
   *  of its own (`npm start` runs the platform embedded beside it, scripts/station-runtime.ts). */
  gateway?: BillGateway;
  /** The postal platform's URL: the station talks to it, signed with the station key. */
  platformUrl?: string;
  /** The platform runs simulated billers (the embedded demo): screens and receipts say 演示. */
  platformDemo?: boolean;
  /** `platformUrl` came from --platform (YIZHAN_PLATFORM), not the station's stored setting. */
  platformOverridden?: boolean;
  /** The voucher the demo station's opening float is confirmed with (issued for it at the
   *  platform's demo branch on its first registration); none: no opening float. */
  demoOpeningVoucher?: { voucherNo: string; branchCode: string; clerk: string; amount: Fen };
  now?: () => Date;
  gatewayTimeoutMs?: number;
  /** On a fresh data directory, set up the demo station (default true). */
  demoStation?: boolean;
  /** Confirm `demoOpeningVoucher` on a demo station so a newcomer can pay a bill at once (default true). */
  demoOpeningFloat?: boolean;
  /** A fixed printer transport (tests); default: built from the printer settings. */
  printerTransport?: import('./printing/transport').PrinterTransport | null;
  /** Take a backup at start when the newest is more than a day old (default true). */
  backups?: boolean;
  /** Settle pending payments periodically (default true; tests turn it off). */
  recoveryTimer?: boolean;
  /** Upload counts to the monitor periodically and retry on a timer (default true; tests drive it). */
  monitorTimer?: boolean;
  /** The HTTP client the monitor uploader uses (tests: a reply lost on the way back). */
  monitorFetch?: typeof fetch;
  /** Training mode (练习模式, PPL-2): how the training ledger's simulated central system is run
   *  (scripts/training-central.ts). Without it, `training.enter` is TRAINING_UNAVAILABLE. */
  training?: TrainingCentralFactory;
  /** This backend IS a training ledger (backend/training.ts): its station is `station`, its
   *  opening voucher is confirmed, its slips say 练习 and its monitor never uploads. */
  trainingLedger?: boolean;
  /** The station to set up on a fresh data directory instead of the demo station. */
  station?: {
    institutionNo: string;
    name: string;
    demo: boolean;
    greenCardMasked: string | null;
    holder: { id: string; name: string };
  };
}

export interface Backend {
  readonly ctx: Ctx;
  readonly db: Db;
  readonly gateway: BillGateway;
  readonly monitor: MonitorUploader;
  /** The training ledger's door (练习模式, PPL-2), when this station has one. */
  readonly training: TrainingHost | undefined;
  /** The process's own call (tests, scripts): no login gate. */
  call(channel: string, args: unknown): Promise<ApiReply<unknown>>;
  /** A call from a transport (HTTP, IPC): the client's session is checked first (issue 12). */
  callAs(client: Client, channel: string, args: unknown): Promise<ApiReply<unknown>>;
  recover(): Promise<{ posted: number; voided: number; pending: number }>;
  close(): void;
}

export const DEMO_STATION = {
  institutionNo: '35010099001',
  name: '演示站点（驿站便民服务站）',
  greenCardMasked: '6221 **** **** 0088',
  holder: { id: 'op-holder', name: '店主（演示）' },
} as const;

export async function createBackend(opts: BackendOptions): Promise<Backend> {
  if (!opts.gateway && !opts.platformUrl)
    throw new Error('createBackend: no central system (give a platformUrl or a gateway)');
  const db = openDatabase(path.join(opts.dataDir, STATION_DB));
  const now = opts.now ?? (() => new Date());
  let station = getStation(db);
  if (!station && opts.station) {
    createStation(db, { ...opts.station, nowIso: now().toISOString() });
    station = getStation(db);
  }
  if (!station && (opts.demoStation ?? true)) {
    createStation(db, {
      institutionNo: DEMO_STATION.institutionNo,
      name: DEMO_STATION.name,
      demo: true,
      greenCardMasked: DEMO_STATION.greenCardMasked,
      holder: DEMO_STATION.holder,
      nowIso: now().toISOString(),
    });
    station = getStation(db);
  }
  if (!station) throw new Error(`no station in ${opts.dataDir} and demo set-up is off`);
  const gateway =
    opts.gateway ??
    new PlatformGateway({
      url: opts.platformUrl ?? '', // checked above
      institutionNo: station.institution_no,
      privateKeyPem: loadOrCreateStationKey(opts.dataDir)
        .privateKey.export({ format: 'pem', type: 'pkcs8' })
        .toString(),
      timeoutMs: opts.gatewayTimeoutMs ?? 10_000,
      demo: opts.platformDemo ?? false,
    });
  // Ledger v2: the chain and the running balances since the last verified point, at every start.
  // A failure closes the money channels (LEDGER_TAMPERED) and is reported upward as a fault.
  const verified = verifyAndReport(db, 'start', now().toISOString());
  if (!verified.ok) console.error(`[yizhan] LEDGER_TAMPERED: ${verified.problem}`);
  const holder = listOperators(db).find((o) => o.role === 'holder');
  if (!holder) throw new Error('station has no contract holder');
  // 练习模式: this ledger's serials say LX, so that no slip of it opens a real transaction.
  if (opts.trainingLedger) markTrainingLedger(db);
  const ctx: Ctx = {
    db,
    gateway,
    now,
    operatorId: holder.id,
    inflight: new Map(),
    sessions: new Map(),
    print: new PrintQueue(db, opts.printerTransport, { now, training: opts.trainingLedger ?? false }),
    trainingMode: opts.trainingLedger ?? false,
    backups: opts.backups ?? true,
    gatewayTimeoutMs: opts.gatewayTimeoutMs ?? 10_000,
    platform: { inUse: opts.platformUrl ?? '', overridden: opts.platformOverridden ?? false },
  };
  const v = opts.demoOpeningVoucher;
  if ((station.demo === 1 || opts.trainingLedger) && v && (opts.demoOpeningFloat ?? true)) {
    // Idempotent by its fixed key: runs once per data directory.
    const args = { ...v, idempotencyKey: 'demo-opening-float' };
    await Promise.resolve()
      .then(() => handlers['topup.voucher'](ctx, args, 'topup.voucher'))
      .catch(() => undefined);
  }
  // MON-2/MON-3: the station key is made here on first start; uploads wait for a monitor address.
  const monitor = new MonitorUploader({
    db,
    dataDir: opts.dataDir,
    now,
    // The training ledger never uploads (MON-2 counts real business only): no timers, and a
    // client that sends nothing even if an address were somehow set.
    fetch: opts.trainingLedger ? refuseTrainingUpload : opts.monitorFetch,
    timers: opts.trainingLedger ? false : (opts.monitorTimer ?? true),
  });
  ctx.monitor = monitor;
  monitor.start();
  // The signed profile (issue 11): fetched at start, hourly and on demand, once activated.
  const profile = new ProfileSync({
    dataDir: opts.dataDir,
    institutionNo: station.institution_no,
    // The platform adapter's signed client (a test's wrapper around it exposes the same).
    client: platformClientOf(gateway),
    now,
    onProfile: (p) => syncOperatorsFromProfile(db, p, now().toISOString()),
  });
  ctx.profile = profile;
  profile.start(opts.monitorTimer ?? true);
  // A daily copy of the ledger, taken in the background (the app is usable meanwhile).
  if (opts.backups ?? true) void backupIfStale(db, now()).catch((e) => reportBackupFailure(db, e));
  const recover = async () => {
    const payments = await recoverPendingPayments(ctx);
    await recoverPendingReversals(ctx);
    return payments;
  };
  await recover();
  const timer =
    (opts.recoveryTimer ?? true)
      ? setInterval(() => void recover(), RECOVERY_INTERVAL_MS).unref()
      : undefined;
  // 练习模式: the training ledger in <data>/training, opened at the first training.enter.
  const factory = opts.training;
  const st = station;
  const training = factory
    ? new TrainingHost(async () => {
        const dataDir = path.join(opts.dataDir, TRAINING_DIR);
        const holderRow = listOperators(db).find((o) => o.role === 'holder')!;
        const trainingStation = {
          institutionNo: st.institution_no,
          name: st.name,
          demo: st.demo === 1,
          greenCardMasked: st.green_card_masked,
          holder: { id: holderRow.id, name: holderRow.name },
          fees: ctx.profile?.keeper.profile?.fees ?? null,
        };
        const central = await factory({ dataDir, station: trainingStation, now });
        try {
          const backend = await createBackend({
            dataDir,
            gateway: central.gateway,
            trainingLedger: true,
            station: trainingStation,
            ...(central.openingVoucher ? { demoOpeningVoucher: central.openingVoucher } : {}),
            now,
            ...(opts.printerTransport !== undefined ? { printerTransport: opts.printerTransport } : {}),
            backups: false,
            recoveryTimer: opts.recoveryTimer ?? true,
            monitorTimer: false,
            gatewayTimeoutMs: opts.gatewayTimeoutMs ?? 10_000,
          });
          return { backend, central };
        } catch (e) {
          await central.close();
          throw e;
        }
      })
    : undefined;
  ctx.training = training;
  return {
    ctx,
    db,
    gateway,
    monitor,
    training,
    call: (channel, args) => dispatch(ctx, channel, args),
    callAs: (client, channel, args) => dispatch(ctx, channel, args, client),
    recover,
    close() {
      if (timer) clearInterval(timer);
      training?.close();
      monitor.stop();
      profile.stop();
      gateway.close();
      db.close();
    },
  };
}

const refuseTrainingUpload: typeof fetch = () =>
  Promise.reject(new Error('练习模式不向监测平台上报 (training mode never uploads)'));

function platformClientOf(gateway: unknown): PlatformClient | undefined {
  if (gateway instanceof PlatformGateway) return gateway.client;
  const c = (gateway as { client?: unknown } | null)?.client;
  return c instanceof PlatformClient ? c : undefined;
}
