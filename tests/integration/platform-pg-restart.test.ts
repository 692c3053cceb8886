// Issue 10, reliability: PostgreSQL restarted (an immediate stop — what a crash of the server
// looks like — then a start) while a station pays bills through the platform without pause. The
// server runs durable here (fsync, synchronous commit), as an office would run it. Afterwards:
// every payment the station was told was paid is debited once in the central journal, the
// payments cut off by the outage are settled by their status, and the two sides agree.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { key, ok, testBackend, topUp } from '../helpers/backend';
import { startPg, type PgServer } from '../helpers/pg';
import { registerBackend, startTestPlatform, type TestPlatform } from '../helpers/platform';
import {
  pendingPayments,
  recoverPendingPayments,
  UNKNOWN_PAYMENT_GRACE_MS,
} from '../../backend/services/bill';
import { formatFen, toFen } from '../../shared/money';

const WORKERS = 4;
/** Payments acknowledged before the restart, and again after it (the station recovered). */
const ACKED_EACH_SIDE = 20;

let server: PgServer | undefined;
let p: TestPlatform | undefined;
beforeAll(async () => {
  server = await startPg({ durable: true });
});
afterAll(async () => {
  await p?.stop();
  await server?.stop();
});

describe('PostgreSQL restarted under load', () => {
  it('PAY-1: no acknowledged payment is lost, none is debited twice, and the station recovers', async (t) => {
    if (!server) return t.skip();
    p = await startTestPlatform('pg', server);
    let aheadMs = 0;
    const b = await testBackend({
      platformUrl: p.url,
      platformDemo: true,
      gatewayTimeoutMs: 60_000,
      now: () => new Date(Date.now() + aheadMs),
    });
    const institutionNo = await registerBackend(p.url, b, p.admin);
    await topUp(b, '50000.00', await p.deposit(institutionNo, 5_000_000));

    // Workers pay bills one after another until told to stop; each acknowledged key is kept.
    const acked = new Map<string, number>();
    let failed = 0;
    let phase: 'before' | 'restarting' | 'after' = 'before';
    const ackedAfter = () => [...acked.values()].filter((v) => v === 2).length;
    let stop = false;
    let n = 0;
    let wake: () => void = () => undefined;
    const worker = async (w: number) => {
      while (!stop) {
        const account = `8${String(w).padStart(2, '0')}${String(++n).padStart(5, '0')}`;
        const bill = await b.call('bill.inquire', { service: 'water', account });
        if (!bill.ok) {
          failed++;
          continue;
        }
        const shown = bill.data as { billId: string; total: string; payeeMasked: string; amountDue: string };
        const confirmed = await b.call('bill.confirmPayee', {
          billId: shown.billId,
          payeeMasked: shown.payeeMasked,
          amount: shown.amountDue,
        });
        if (!confirmed.ok) {
          failed++;
          continue;
        }
        const { confirmedPayee } = confirmed.data as { confirmedPayee: string };
        const k = key(`pg${w}`);
        const r = await b.call('bill.pay', {
          billId: shown.billId,
          cashReceived: shown.total,
          confirmedPayee,
          idempotencyKey: k,
        });
        if (r.ok) acked.set(k, phase === 'after' ? 2 : phase === 'before' ? 0 : 1);
        else failed++;
        wake();
      }
    };
    const reached = (test: () => boolean) =>
      new Promise<void>((resolve) => {
        const check = () => (test() ? resolve() : (wake = check));
        check();
      });
    const workers = Array.from({ length: WORKERS }, (_, w) => worker(w));

    await reached(() => acked.size >= ACKED_EACH_SIDE);
    phase = 'restarting';
    const ackedBefore = acked.size;
    await server.restart();
    phase = 'after';
    await reached(() => ackedAfter() >= ACKED_EACH_SIDE);
    stop = true;
    await Promise.all(workers);

    // The station settles what the outage cut off, by status (after the grace for payments the
    // platform never took in).
    await recoverPendingPayments(b.ctx);
    const unknown = pendingPayments(b.ctx).length;
    if (unknown > 0) {
      aheadMs += UNKNOWN_PAYMENT_GRACE_MS + 1_000;
      await recoverPendingPayments(b.ctx);
    }
    expect(pendingPayments(b.ctx)).toEqual([]);

    const statement = await b.gateway.centralStatement!('1970-01-01T00:00:00.000Z');
    const debits = statement.entries.filter((e) => e.kind === 'bill_payment');
    // Debited once per key …
    expect(new Set(debits.map((e) => e.ref)).size).toBe(debits.length);
    // … and every acknowledged payment is there and still paid.
    const net = new Map<string, number>();
    for (const e of statement.entries) net.set(e.ref, (net.get(e.ref) ?? 0) + e.amountFen);
    for (const k of acked.keys()) expect([k, (net.get(k) ?? 0) < 0]).toEqual([k, true]);
    // The station's float is the central balance (its one deposit was confirmed).
    const floatFen = toFen((ok(await b.call('float.balance', undefined)) as { balance: string }).balance);
    expect(await b.gateway.centralBalance(institutionNo)).toBe(floatFen);
    b.close();
    console.log(
      `PostgreSQL restart under load: ${WORKERS} workers, ${ackedBefore} payments acknowledged before the restart, ` +
        `${acked.size - ackedBefore} during and after it, ${failed} refused or cut off, ${unknown} left for the grace — ` +
        `0 acknowledged lost, 0 debited twice (float ${formatFen(floatFen)} 元 = central)`,
    );
  }, 600_000);
});
