// Test helpers: a backend on a fresh temporary data directory, with a clock the test controls.
import type { ServiceId } from '../../shared/catalogue';
import type { Permission } from '../../shared/station-profile';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBackend, type Backend, type BackendOptions } from '../../backend/backend';
import type { ApiReply } from '../../shared/errors';
import type { Db } from '../../db/open';
import { SIM_TIMEOUT_MS, startDemoPlatform, type DemoPlatform } from './demo-platform';
import { embeddedTrainingCentral } from '../../scripts/training-central';
import { FakePrinter } from './fake-printer';
import { confirmPayeeArgs, type LookedUpBill } from './payee';

export function tempDir(prefix = 'yizhan-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface TestClock {
  now: () => Date;
  set(iso: string): void;
  advance(ms: number): void;
}

export function testClock(startIso = '2026-11-28T02:00:00.000Z'): TestClock {
  let t = Date.parse(startIso);
  return {
    now: () => new Date(t),
    set: (iso) => void (t = Date.parse(iso)),
    advance: (ms) => void (t += ms),
  };
}

export type TestBackend = Backend & {
  dataDir: string;
  /** The platform beside the station (none when the test gave its own gateway or platformUrl). */
  platform?: DemoPlatform;
};

/** The demo station on a fresh (or the given) data directory, on the real platform started beside
 *  it (tests/helpers/demo-platform.ts) unless the test gives a gateway or a platformUrl. `close()`
 *  stops that platform too; reopening the data directory reopens the platform's store with it.
 *  `b.gateway` is then a FaultyGateway (`offline`, methods a test may replace to lose a reply). */
export async function testBackend(opts: Partial<BackendOptions> = {}): Promise<TestBackend> {
  const dataDir = opts.dataDir ?? tempDir();
  const own = !opts.gateway && !opts.platformUrl;
  const platform = own
    ? await startDemoPlatform(dataDir, {
        ...(opts.now ? { now: opts.now } : {}),
        openingFloat: opts.demoOpeningFloat ?? false,
      })
    : undefined;
  let b: Backend;
  try {
    b = await createBackend({
      dataDir,
      recoveryTimer: false,
      backups: false,
      demoOpeningFloat: false,
      // Generous, so that a busy machine does not turn an ordinary answer into a timeout (the
      // simulated billers' timeout accounts hang at the platform, which then answers at once).
      gatewayTimeoutMs: 10_000,
      // 练习模式 (PPL-2): the training ledger's simulated central system, as `npm start` runs it.
      training: embeddedTrainingCentral({ simTimeoutMs: SIM_TIMEOUT_MS }),
      ...(platform
        ? {
            gateway: platform.gateway,
            ...(platform.openingVoucher ? { demoOpeningVoucher: platform.openingVoucher } : {}),
          }
        : {}),
      ...opts,
    });
  } catch (e) {
    await platform?.stop();
    throw e;
  }
  const close = b.close.bind(b);
  return Object.assign(b, {
    dataDir,
    ...(platform ? { platform } : {}),
    close() {
      close();
      // The platform's server and store close in the background; nothing waits on the station.
      void platform?.stop().catch(() => undefined);
    },
  });
}

/** The instant most tests start at: 10:00 in Shanghai on 2026-11-28. */
export const TEST_START = '2026-11-28T02:00:00.000Z';

/** A fresh backend with `clock` set to `startIso` first, the backend's clock (the usual
 *  `beforeEach` of a test file: `b = await backendAt(clock)`). */
export async function backendAt(
  clock: TestClock,
  startIso = TEST_START,
  opts: Partial<BackendOptions> = {},
): Promise<TestBackend> {
  clock.set(startIso);
  return testBackend({ now: clock.now, ...opts });
}

/** `at(day, hh)`: sets `clock` to hh:00 in Shanghai (UTC+8) on `day` (YYYY-MM-DD). */
export function shanghaiHour(clock: TestClock): (day: string, hh?: string | number) => void {
  return (day, hh = 10) => clock.set(`${day}T${String(Number(hh) - 8).padStart(2, '0')}:00:00.000Z`);
}

/** Hand-written SQL on the database `db()` returns now: `one` row, or a single `value`. */
export function sqlReaders(db: () => Db) {
  return {
    one: (sql: string, ...params: unknown[]) =>
      db()
        .prepare(sql)
        .get(...params) as Record<string, unknown>,
    value: (sql: string, ...params: unknown[]) =>
      db()
        .prepare(sql)
        .pluck()
        .get(...params),
  };
}

/** A fake ESC/POS printer, started and set (32 columns) as the station's printer. */
export async function stationPrinter(b: Backend): Promise<FakePrinter> {
  const printer = await FakePrinter.start();
  ok(await b.call('printer.set', { interface: printer.iface, columns: 32 }));
  return printer;
}

/** A channel call as one client of the backend. */
export type SessionCall = (channel: string, args?: unknown) => Promise<ApiReply<any>>;

/** `as(session)(channel, args)`: calls as the client holding `session` (undefined: not logged
 *  in), on the backend `backend()` returns now (a test may reopen it). */
export function sessionCaller(backend: () => Backend): (session: string | undefined) => SessionCall {
  return (session) => (channel, args) =>
    backend().callAs({ session }, channel, args) as Promise<ApiReply<any>>;
}

/** Logs `operatorId` in with `pin`, setting it as the new PIN at a first login; the session. */
export async function loginWith(
  as: (session: undefined) => SessionCall,
  operatorId: string,
  pin: string,
  first = true,
): Promise<string> {
  return ok(await as(undefined)('auth.login', first ? { operatorId, pin, newPin: pin } : { operatorId, pin }))
    .session as string;
}

/** Look-up, 已与客户核对 (SRV-2) and payment of a bill at its total, as the client `call` is:
 *  the looked-up bill `q` and the payment `t`. */
export async function payAs(call: SessionCall, service: string, account: string, cash?: string) {
  const q = ok(await call('bill.inquire', { service, account }));
  const c = ok(
    await call('bill.confirmPayee', { billId: q.billId, payeeMasked: q.payeeMasked, amount: q.amountDue }),
  );
  const t = ok(
    await call('bill.pay', {
      billId: q.billId,
      cashReceived: cash ?? q.total,
      confirmedPayee: c.confirmedPayee,
      idempotencyKey: key('pay'),
    }),
  );
  return { q, t };
}

/** The station's platform (the test's backend was started by testBackend without a gateway). */
function platformOf(b: Backend): DemoPlatform | undefined {
  return (b as TestBackend).platform;
}

/** A branch deposit for the station at its platform: the voucher number to confirm. */
export async function branchVoucher(b: Backend, amount: string | number): Promise<string> {
  const p = platformOf(b);
  if (!p) throw new Error('branchVoucher: this backend has no test platform');
  return p.deposit(amount);
}

/** Unwraps an ok reply; fails the test with the error otherwise. */
export function ok<T = any>(r: ApiReply<unknown>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.data as T;
}

/** Asserts a refusal and returns its error. */
export function refused(r: ApiReply<unknown>, code: string) {
  if (r.ok) throw new Error(`expected ${code}, got ok: ${JSON.stringify(r.data).slice(0, 200)}`);
  if (r.error.code !== code) throw new Error(`expected ${code}, got ${r.error.code}: ${r.error.message}`);
  return r.error;
}

let seq = 0;
export function key(prefix = 'k'): string {
  seq += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${seq}`;
}

/** Tops the float up by a voucher the branch issued for `amount` (deposited at the platform
 *  first, as the station holder would), or by the voucher given. */
export async function topUp(b: Backend, amount: string, voucherNo?: string) {
  voucherNo ??= await branchVoucher(b, amount);
  return ok(
    await b.call('topup.voucher', {
      voucherNo,
      branchCode: '350100',
      clerk: '王五',
      amount,
      idempotencyKey: key('top'),
    }),
  );
}

/** SRV-2, what the operator does at 已与客户核对: confirms the looked-up bill with the customer,
 *  at its amount due or at the customer's chosen `amount` (bill.confirmPayee). Returns the token
 *  bill.pay requires (`confirmedPayee`). */
export async function confirmPayee(b: Backend, bill: LookedUpBill, amount?: string): Promise<string> {
  return ok(await b.call('bill.confirmPayee', confirmPayeeArgs(bill, amount))).confirmedPayee;
}

export async function payBill(b: Backend, service: string, account: string, cash?: string) {
  const bill = ok(await b.call('bill.inquire', { service, account }));
  return ok(
    await b.call('bill.pay', {
      billId: bill.billId,
      cashReceived: cash ?? bill.total,
      confirmedPayee: await confirmPayee(b, bill),
      idempotencyKey: key('pay'),
    }),
  );
}

/** Closes the open day the way an operator would: a blind count, then a count at exactly the
 *  expected cash, then the Z close against the gateway's central balance. */
export async function closeDayExactly(b: Backend, extra: Record<string, unknown> = {}) {
  // The day named in `extra` (an earlier one still open) is the one counted, too.
  const day = extra['day'] === undefined ? {} : { day: extra['day'] };
  const first = ok(await b.call('day.count', { method: 'total', total: '0.00', ...day }));
  const c = ok(await b.call('day.count', { method: 'total', total: first.cash.expected, ...day }));
  return ok(
    await b.call('day.close', {
      countId: c.count.countId,
      central: { source: 'gateway' },
      idempotencyKey: key('close'),
      ...extra,
    }),
  );
}

/** Runs SQL on a database the way someone with the data folder would: 'accepted', or what the
 *  database said when it refused. */
export function sqlAttacker(db: { exec(sql: string): unknown }): (sql: string) => string {
  return (sql) => {
    try {
      db.exec(sql);
      return 'accepted';
    } catch (e) {
      return (e as Error).message;
    }
  };
}

/** An authorised person recorded by the office in the station's platform (PPL-3), trained there
 *  on operation and `services` (PPL-1, PPL-2); the station takes them from its next profile.
 *  Returns their operator id at the station (P…). */
export async function platformDelegate(
  b: Backend,
  d: {
    name: string;
    services: ServiceId[];
    documentNo?: string;
    scope?: Permission[];
    /** Trained on the operation (PPL-1) too (default true). */
    operation?: boolean;
  },
): Promise<string> {
  const platform = platformOf(b);
  if (!platform) throw new Error('platformDelegate: this backend has no test platform');
  const prov = platform.platform.store.provisioning;
  const at = platform.platform.now().toISOString();
  const person = await prov.addDelegate(
    platform.institutionNo,
    { name: d.name, idMasked: '3501**********0000' },
    {
      documentNo: d.documentNo ?? 'SQ-TEST',
      scope: d.scope ?? ['pay', 'topup', 'reverse', 'close', 'takings', 'settings'],
      validFrom: '2020-01-01',
      validTo: '2099-12-31',
    },
    at,
    'admin',
  );
  for (const subject of [...(d.operation === false ? [] : (['operation'] as const)), ...d.services])
    await prov.recordTraining(person.id, { subject, trainedOn: '2020-01-01', trainer: '培训' }, at, 'admin');
  // A newer profile: the platform's version rose with each record.
  const r = ok<{ lastOutcome: string; profile: { operators: Array<{ id: string }> } | null }>(
    await b.call('profile.refresh', undefined),
  );
  if (!r.profile?.operators.some((o) => o.id === `P${person.id}`))
    throw new Error(`platformDelegate: the profile did not bring P${person.id} (${r.lastOutcome})`);
  return `P${person.id}`;
}

/** The arguments of bill.pay for the looked-up `bill` under a new key (or `idempotencyKey`), with
 *  `cash` received (500 by default), on the confirmation `token` — by default one made just
 *  before, at the bill's amount due (SRV-2, confirmPayee). */
export async function billPayArgs(
  b: Backend,
  bill: { billId: string; payeeMasked: string; amountDue: string | null },
  {
    cash = '500',
    token,
    idempotencyKey = key(),
  }: { cash?: string; token?: string; idempotencyKey?: string } = {},
) {
  return {
    billId: bill.billId,
    cashReceived: cash,
    confirmedPayee: token ?? (await confirmPayee(b, bill)),
    idempotencyKey,
  };
}
