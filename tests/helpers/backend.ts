// Test helpers: a backend on a fresh temporary data directory, with a clock the test controls.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBackend, type Backend, type BackendOptions } from '../../backend/backend';
import type { ApiReply } from '../../shared/errors';

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

export async function testBackend(
  opts: Partial<BackendOptions> = {},
): Promise<Backend & { dataDir: string }> {
  const dataDir = opts.dataDir ?? tempDir();
  const b = await createBackend({
    dataDir,
    recoveryTimer: false,
    backups: false,
    demoOpeningFloat: false,
    // Generous, so that a busy machine does not turn an ordinary answer into a timeout; shorter than
    // the demo gateway's simulated hang (1.5 s), so the timeout accounts still time out.
    gatewayTimeoutMs: 1_200,
    ...opts,
  });
  return Object.assign(b, { dataDir });
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

export async function topUp(
  b: Backend,
  amount: string,
  voucherNo = `V${key('')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(-20)}`,
) {
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

export async function payBill(b: Backend, service: string, account: string, cash?: string) {
  const bill = ok(await b.call('bill.inquire', { service, account }));
  return ok(
    await b.call('bill.pay', {
      billId: bill.billId,
      cashReceived: cash ?? bill.total,
      idempotencyKey: key('pay'),
    }),
  );
}

/** Closes the open day the way an operator would: a blind count, then a count at exactly the
 *  expected cash, then the Z close against the gateway's central balance. */
export async function closeDayExactly(b: Backend, extra: Record<string, unknown> = {}) {
  const first = ok(await b.call('day.count', { method: 'total', total: '0.00' }));
  const c = ok(await b.call('day.count', { method: 'total', total: first.cash.expected }));
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
