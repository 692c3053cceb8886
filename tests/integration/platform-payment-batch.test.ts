// Concurrent bill payments on both stores. On PostgreSQL the payments' begins (and settles)
// that arrive while one is in flight go to the database together, as one call (group commit);
// each payment still gets its own answer and its own idempotency decision, and zero credit is
// still the database's: a member that would overdraw fails alone, the others are paid.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PgPlatformStore } from '../../platform/store/pg';
import {
  IdempotencyConflictError,
  InsufficientBalanceError,
  type PaymentRecord,
} from '../../platform/store/types';
import {
  accountCalls,
  ENGINES,
  key,
  rawSql,
  sha,
  pgServerForFile,
  storeForEachTest,
  withStations,
} from '../helpers/stores';

const server = pgServerForFile();

const A = '110100000001';
const B = '110100000002';
const at = (): string => new Date().toISOString();

describe.each(ENGINES)('concurrent bill payments on %s', (engine) => {
  /** The number of payments in each batched call the store sent (PostgreSQL only). */
  let batches: { begin: number[]; settle: number[] };
  const store = storeForEachTest(engine, server, async (store) => {
    await withStations([A, B])(store);
    batches = { begin: [], settle: [] };
    if (engine === 'pg') {
      const pool = (store as PgPlatformStore).pool;
      const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
      vi.spyOn(pool, 'query').mockImplementation(((...args: unknown[]) => {
        const q = args[0] as { name?: string; values?: unknown[][] };
        if (q?.name === 'yz_begin_payments') batches.begin.push(q.values![0]!.length);
        if (q?.name === 'yz_settle_payments') batches.settle.push(q.values![0]!.length);
        return query(...args);
      }) as typeof pool.query);
    }
  });
  afterEach(() => vi.restoreAllMocks());

  /** How many payments of the station `no` the database holds (as `[{ n }]`). */
  const paymentRows = (no: string) =>
    rawSql(store(), `SELECT count(*) AS n FROM payments WHERE institution_no = $1`, [no]);

  const { deposit, begin } = accountCalls(store);
  const settled = (r: PromiseSettledResult<unknown>) =>
    r.status === 'fulfilled' ? 'ok' : (r.reason as Error).constructor.name;

  it('a batch with one overdrawing member: that member alone is refused, the others are paid from the same account', async () => {
    await deposit(A, 10_000); // 100.00
    await deposit(B, 1_000);
    // A payment in flight first: what follows queues behind it and goes as one batch.
    const blocker = begin(B, 100);
    // 30 + 50 + 40 (would leave −20.00) + 20 = 100.00 without the third.
    const results = await Promise.allSettled([
      begin(A, 3_000),
      begin(A, 5_000),
      begin(A, 4_000),
      begin(A, 2_000),
    ]);
    await blocker;
    expect(results.map(settled)).toEqual(['ok', 'ok', 'InsufficientBalanceError', 'ok']);
    const refusal = (results[2] as PromiseRejectedResult).reason as InsufficientBalanceError;
    expect(refusal.balanceFen).toBe(2_000); // what was left when its turn came
    expect((await store().accounts.balance(A))!.balanceFen).toBe(0);
    // Nothing written for the refused one: three debits in the journal, three payments.
    const journal = await store().accounts.statement(A);
    expect(journal.filter((e) => e.kind === 'bill_payment').map((e) => e.amountFen)).toEqual([
      -3_000, -5_000, -2_000,
    ]);
    expect(await paymentRows(A)).toEqual([{ n: 3 }]);
    if (engine === 'pg') expect(Math.max(...batches.begin)).toBe(4);
  });

  it('the same key twice in one batch: one debit; the second is a replay of the first, another body under it a conflict', async () => {
    await deposit(A, 10_000);
    await deposit(B, 1_000);
    const k = key();
    const blocker = begin(B, 100);
    const results = await Promise.allSettled([
      begin(A, 1_000, k),
      begin(A, 1_000, k),
      begin(A, 1_000, k, sha('another body')),
      begin(B, 100),
    ]);
    await blocker;
    expect(results.map(settled)).toEqual(['ok', 'ok', 'IdempotencyConflictError', 'ok']);
    const [first, second] = results.map((r) =>
      r.status === 'fulfilled' ? (r.value as { payment: PaymentRecord; replay: boolean }) : undefined,
    );
    expect(first!.replay).toBe(false);
    expect(second!.replay).toBe(true);
    expect(second!.payment).toEqual(first!.payment);
    expect((results[2] as PromiseRejectedResult).reason).toBeInstanceOf(IdempotencyConflictError);
    expect((await store().accounts.balance(A))!.balanceFen).toBe(9_000);
    if (engine === 'pg') expect(Math.max(...batches.begin)).toBe(4);
  });

  it('a batched payment replayed later, settled in a batch, then replayed again: the same payment, debited once', async () => {
    await deposit(A, 10_000);
    await deposit(B, 10_000);
    const keys = [key(), key(), key(), key()];
    const blocker = begin(B, 100);
    const first = await Promise.all(keys.map((k, n) => begin(n % 2 ? B : A, 1_000 + n, k)));
    await blocker;
    expect(first.map((r) => r.replay)).toEqual([false, false, false, false]);
    const replays = await Promise.all(keys.map((k, n) => begin(n % 2 ? B : A, 1_000 + n, k)));
    expect(replays.map((r) => [r.replay, r.payment])).toEqual(first.map((r) => [true, r.payment]));

    // Settled together: two paid, one declined (credited back), one paid twice (the same answer).
    const blockerSettle = store().accounts.settlePayment(
      B,
      first[1]!.payment.paymentKey,
      {
        state: 'paid',
        billerRef: 'WB',
      },
      at(),
    );
    const settledNow = await Promise.all([
      store().accounts.settlePayment(A, keys[0]!, { state: 'paid', billerRef: 'WA0' }, at()),
      store().accounts.settlePayment(A, keys[2]!, { state: 'declined', reason: '拒收' }, at()),
      store().accounts.settlePayment(B, keys[3]!, { state: 'paid', billerRef: 'WA3' }, at()),
      store().accounts.settlePayment(B, keys[3]!, { state: 'paid', billerRef: 'WA3' }, at()),
    ]);
    await blockerSettle;
    expect(settledNow.map((p) => p.state)).toEqual(['paid', 'declined', 'paid', 'paid']);
    expect(settledNow[3]).toEqual(settledNow[2]);
    const again = await Promise.all(keys.map((k, n) => begin(n % 2 ? B : A, 1_000 + n, k)));
    expect(again.map((r) => [r.replay, r.payment.state])).toEqual([
      [true, 'paid'],
      [true, 'paid'],
      [true, 'declined'],
      [true, 'paid'],
    ]);
    // A: 100.00 − 10.00 (paid) − 10.02 + 10.02 (declined, credited back); B: 100.00 − 1.00 − 10.01 − 10.03.
    expect((await store().accounts.balance(A))!.balanceFen).toBe(10_000 - 1_000);
    expect((await store().accounts.balance(B))!.balanceFen).toBe(10_000 - 100 - 1_001 - 1_003);
    if (engine === 'pg') {
      expect(Math.max(...batches.begin)).toBe(4);
      expect(Math.max(...batches.settle)).toBe(4);
    }
  });

  it('a member the database itself refuses (an amount of 0.00) fails alone: the batch is retried member by member, nothing of it written', async () => {
    await deposit(A, 10_000);
    await deposit(B, 1_000);
    const blocker = begin(B, 100);
    const results = await Promise.allSettled([begin(A, 1_000), begin(A, 0), begin(A, 2_000)]);
    await blocker;
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await store().accounts.balance(A))!.balanceFen).toBe(7_000);
    expect(await paymentRows(A)).toEqual([{ n: 2 }]);
    if (engine === 'pg') expect(Math.max(...batches.begin)).toBe(3);
  });

  it('two hundred payments from two stations at once: every one paid, balances and journal agree', async () => {
    await deposit(A, 100_000);
    await deposit(B, 100_000);
    const all = await Promise.all(Array.from({ length: 200 }, (_, n) => begin(n % 2 ? B : A, 500 + (n % 7))));
    expect(new Set(all.map((r) => r.payment.paymentKey)).size).toBe(200);
    for (const no of [A, B]) {
      const paid = all
        .filter((r) => r.payment.institutionNo === no)
        .reduce((s, r) => s + r.payment.amountFen, 0);
      expect((await store().accounts.balance(no))!.balanceFen).toBe(100_000 - paid);
      const journal = await store().accounts.statement(no);
      // An unbroken chain: entry n's balance = entry n−1's + its amount.
      for (let n = 1; n < journal.length; n++)
        expect(journal[n]!.balanceAfterFen).toBe(journal[n - 1]!.balanceAfterFen + journal[n]!.amountFen);
    }
    if (engine === 'pg') expect(batches.begin.length).toBeGreaterThan(0);
  });
});

describe.each(ENGINES)('the simulated billers taking payments at once on %s', (engine) => {
  const store = storeForEachTest(engine, server);

  it('a bill is paid once: the same key again gets the same reference, another key for the paid bill gets nothing', async () => {
    const pay = (switchKey: string, billId: string) =>
      store().billers.simPay('water', switchKey, billId, 1_000, at());
    const first = pay('S:k0', 'WA1-2026-12');
    const [a, again, other, b, c] = await Promise.all([
      pay('S:k1', 'WA2-2026-12'),
      pay('S:k1', 'WA2-2026-12'),
      pay('S:k2', 'WA2-2026-12'),
      pay('S:k3', 'WA3-2026-12'),
      pay('S:k0', 'WA1-2026-12'),
    ]);
    expect(a).toMatch(/^WA[0-9A-F]{14}$/);
    expect(again).toBe(a);
    expect(other).toBeUndefined();
    expect(b).toMatch(/^WA[0-9A-F]{14}$/);
    expect(b).not.toBe(a);
    expect(c).toBe(await first);
    expect(await store().billers.simBillPaid('water', 'WA2-2026-12')).toBe(true);
    expect(await rawSql(store(), `SELECT switch_key FROM sim_biller_payments ORDER BY switch_key`)).toEqual([
      { switch_key: 'S:k0' },
      { switch_key: 'S:k1' },
      { switch_key: 'S:k3' },
    ]);
  });
});
