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
import { backupIfStale } from './services/backup';
import { verifyAndReport } from './services/day-guard';
import { MonitorUploader } from './services/monitor-upload';

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
}

export interface Backend {
  readonly ctx: Ctx;
  readonly db: Db;
  readonly gateway: BillGateway;
  readonly monitor: MonitorUploader;
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
  const ctx: Ctx = {
    db,
    gateway,
    now,
    operatorId: holder.id,
    inflight: new Map(),
    sessions: new Map(),
    print: new PrintQueue(db, opts.printerTransport, { now }),
    backups: opts.backups ?? true,
    gatewayTimeoutMs: opts.gatewayTimeoutMs ?? 10_000,
    platform: { inUse: opts.platformUrl ?? '', overridden: opts.platformOverridden ?? false },
  };
  const v = opts.demoOpeningVoucher;
  if (station.demo === 1 && v && (opts.demoOpeningFloat ?? true)) {
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
    fetch: opts.monitorFetch,
    timers: opts.monitorTimer ?? true,
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
  if (opts.backups ?? true)
    void backupIfStale(db, now()).catch((e) => console.error('[yizhan] backup failed:', e));
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
  return {
    ctx,
    db,
    gateway,
    monitor,
    call: (channel, args) => dispatch(ctx, channel, args),
    callAs: (client, channel, args) => dispatch(ctx, channel, args, client),
    recover,
    close() {
      if (timer) clearInterval(timer);
      monitor.stop();
      profile.stop();
      gateway.close();
      db.close();
    },
  };
}

function platformClientOf(gateway: unknown): PlatformClient | undefined {
  if (gateway instanceof PlatformGateway) return gateway.client;
  const c = (gateway as { client?: unknown } | null)?.client;
  return c instanceof PlatformClient ? c : undefined;
}
