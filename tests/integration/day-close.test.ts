// 日终轧账 (PAY-4), takings settlement (PAY-5), through the API and against the database itself.
// Long on purpose (about 530 lines): a catalogue of independent cases of the close and the takings,
// over the one station set-up its helpers make.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  billPayArgs,
  branchVoucher,
  closeDayExactly,
  key,
  ok,
  payBill,
  refused,
  shanghaiHour,
  testBackend,
  testClock,
  topUp,
} from '../helpers/backend';
import type { Backend } from '../../backend/backend';
import { DEMO_ACCOUNTS, type FaultyGateway } from '../helpers/demo-platform';
import type { DayReportDto } from '../../shared/contract';
import { FakePrinter } from '../helpers/fake-printer';
import { decodeEscPos } from '../helpers/escpos-decoder';

let b: Backend & { dataDir: string };
const clock = testClock();
/** 10:00 Shanghai on the given day. */
const at = shanghaiHour(clock);
const cents = (s: string) => BigInt(s.replace('.', ''));

beforeEach(async () => {
  at('2026-11-27');
  b = await testBackend({ now: clock.now });
});
afterEach(() => b.close());

/** day.close on the count `countId` against the gateway's central balance, with `extra`. */
const closeWith = (countId: number, extra: Record<string, unknown> = {}) =>
  b.call('day.close', { countId, central: { source: 'gateway' }, idempotencyKey: key(), ...extra });

async function count(total: string, day?: string): Promise<DayReportDto> {
  return ok(await b.call('day.count', { method: 'total', total, ...(day ? { day } : {}) }));
}

/** Counts the drawer at exactly the expected figure (read after a blind count) and closes. */
const closeExact = (): Promise<DayReportDto> => closeDayExactly(b);

describe('X report and Z close', () => {
  it('PAY-4: the X report and the Z close agree, figure for figure', async () => {
    await topUp(b, '3000');
    const p1 = await payBill(b, 'gas', '10000001', '500');
    await payBill(b, 'water', '10000002');
    ok(await b.call('txn.reverse', { txnId: p1.txnId, reason: '户号输错', idempotencyKey: key() }));
    const counted = await count('300.00');
    const x = ok<DayReportDto>(await b.call('day.xReport', {}));
    expect(x.closable).toBe(true);
    const z = ok<DayReportDto>(await closeWith(counted.count!.countId, { cashRemark: '多了备用金' }));
    // Everything but what only a Z has (its number, time, closer) or only an X (blockers).
    const strip = (r: DayReportDto) => ({
      ...r,
      kind: null,
      zNo: null,
      closedAt: null,
      closedBy: null,
      generatedAt: null,
      blockers: null,
      closable: null,
      status: null,
      float: { ...r.float, remark: null },
      cash: { ...r.cash!, remark: null },
    });
    expect(z.kind).toBe('Z');
    expect(z.zNo).toBe(1);
    expect(strip(z)).toEqual(strip(x));
    // The stored Z is what later reads return, and the X report of a closed day is its Z.
    expect(ok(await b.call('day.zReport', { zNo: 1 }))).toEqual(z);
    expect(ok(await b.call('day.xReport', { day: '2026-11-27' }))).toEqual(z);
    // Figures: opening 0, +3000 top-up, − two payments, + the reversed one back.
    const f = z.float;
    expect(cents(f.expectedClosing)).toBe(
      cents(f.opening) + cents(f.topups) - cents(f.payments) + cents(f.reversals),
    );
    expect(f.expectedClosing).toBe(f.ledgerClosing);
    expect(f.difference).toBe('0.00');
    const c = z.cash!;
    expect(cents(c.expected)).toBe(
      cents(c.opening) + cents(c.cashReceived) - cents(c.changeGiven) + cents(c.reversals) - cents(c.settled),
    );
    expect(cents(c.variance)).toBe(cents('300.00') - cents(c.expected));
  });

  it('PAY-4: blind count — no expected cash in any reply before the drawer is counted', async () => {
    await topUp(b, '1000');
    await payBill(b, 'water', '10000003', '400');
    const x = ok<DayReportDto>(await b.call('day.xReport', {}));
    expect(x.cash).toBeNull();
    expect(x.count).toBeNull();
    expect(x.closable).toBe(false);
    expect(x.blockers.map((bl) => bl.code)).toContain('NOT_COUNTED');
    expect(JSON.stringify(x)).not.toMatch(/expected"|takingsDue|cashReceived/);
    // Closing without a count is refused; a count by denomination reveals the cash section.
    refused(
      await b.call('day.close', { countId: 1, central: { source: 'gateway' }, idempotencyKey: key() }),
      'COUNT_REQUIRED',
    );
    const c = ok<DayReportDto>(
      await b.call('day.count', { method: 'denominations', denominations: { y100: 2, y50: 1, j5: 3 } }),
    );
    expect(c.count!.total).toBe('251.50');
    expect(c.count!.denominations).toEqual({ y100: 2, y50: 1, j5: 3 });
    expect(c.cash).not.toBeNull();
    // A close must use the latest count: a recount replaces the earlier one.
    const again = await count(c.cash!.expected);
    refused(await closeWith(c.count!.countId, { cashRemark: 'x' }), 'COUNT_REQUIRED');
    const z = ok<DayReportDto>(await closeWith(again.count!.countId));
    expect(z.count!.countsSoFar).toBe(2);
    expect(z.cash!.variance).toBe('0.00');
  });

  it('PAY-4: a float difference and a cash variance each demand a remark', async () => {
    await topUp(b, '1000');
    await payBill(b, 'electricity', '10000004', '300');
    const first = await count('0');
    const c = await count(first.cash!.expected); // cash exact
    const central = { source: 'operator', balance: '999.99' } as const; // differs from the ledger
    const e1 = refused(
      await b.call('day.close', { countId: c.count!.countId, central, idempotencyKey: key() }),
      'REMARK_REQUIRED',
    );
    expect(e1.details).toMatchObject({ float: true, cash: false });
    expect(e1.message).toContain('差额');
    const short = await count(
      String(Number(first.cash!.expected.replace('.', '')) - 1).replace(/(\d\d)$/, '.$1'),
    );
    expect(short.cash!.variance).toBe('-0.01');
    expect(short.cash!.remarkRequired).toBe(true);
    const e2 = refused(
      await closeWith(short.count!.countId, { central, floatRemark: '中心未入账' }),
      'REMARK_REQUIRED',
    );
    expect(e2.details).toMatchObject({ float: false, cash: true, cashVariance: '-0.01' });
    const e3 = refused(
      await closeWith(short.count!.countId, { central, floatRemark: '  ', cashRemark: '' }),
      'REMARK_REQUIRED',
    );
    expect(e3.details).toMatchObject({ float: true, cash: true });
    const z = ok<DayReportDto>(
      await closeWith(short.count!.countId, { central, floatRemark: '中心未入账', cashRemark: '少一角' }),
    );
    expect(z.float.central).toMatchObject({ source: 'operator', balance: '999.99' });
    expect(z.float.difference).not.toBe('0.00');
    expect(z.float.remark).toBe('中心未入账');
    expect(z.cash!.remark).toBe('少一角');
    // The database itself refuses an unexplained difference.
    const row = b.db.prepare(`SELECT * FROM day_closes WHERE z_no = 1`).get() as Record<string, unknown>;
    expect(() => b.db.prepare(`UPDATE day_closes SET float_remark = NULL WHERE z_no = 1`).run()).toThrow(
      'APPEND_ONLY',
    );
    expect(row['float_difference_fen']).not.toBe(0);
  });

  it('PAY-4: the gateway unreachable — the operator types the central balance in', async () => {
    await topUp(b, '500');
    const c = await closeExactCount();
    (b.gateway as FaultyGateway).offline = true;
    const x = ok<DayReportDto>(await b.call('day.xReport', {}));
    expect(x.float.central).toBeNull();
    expect(x.float.centralMissing).toContain('手工录入');
    refused(
      await b.call('day.close', { countId: c, central: { source: 'gateway' }, idempotencyKey: key() }),
      'GATEWAY_UNAVAILABLE',
    );
    const z = ok<DayReportDto>(
      await b.call('day.close', {
        countId: c,
        central: { source: 'operator', balance: '500' },
        idempotencyKey: key(),
      }),
    );
    expect(z.float.difference).toBe('0.00');
  });

  it('PAY-4: the close is idempotent by its key, and a day closes once', async () => {
    await topUp(b, '100');
    const c = await closeExactCount();
    const args = { countId: c, central: { source: 'gateway' }, idempotencyKey: key() };
    const z = ok(await b.call('day.close', args));
    expect(ok(await b.call('day.close', args))).toEqual(z);
    refused(await b.call('day.close', { ...args, idempotencyKey: key() }), 'DAY_CLOSED');
  });
});

async function closeExactCount(day?: string): Promise<number> {
  const first = await count('0', day);
  return (await count(first.cash!.expected, day)).count!.countId;
}

describe('the close locks the day', () => {
  it('PAY-4: after the close, a posting dated that day is refused by the database — through the API and by raw SQL', async () => {
    await topUp(b, '800');
    const t = await payBill(b, 'water', '10000004');
    await closeExact();
    refused(
      await b.call('topup.greenCard', { amount: '10', bankRef: 'BR-AFTER-CLOSE', idempotencyKey: key() }),
      'DAY_CLOSED',
    );
    refused(
      await b.call('takings.settle', { mode: 'owner', amount: '1', idempotencyKey: key() }),
      'DAY_CLOSED',
    );
    // A bill payment is refused before the central system is asked (nothing reserved).
    const bill = ok(await b.call('bill.inquire', { service: 'water', account: '10000005' }));
    const reservations = () => b.db.prepare(`SELECT count(*) FROM reservations`).pluck().get();
    const before = reservations(); // the day's own payment
    refused(await b.call('bill.pay', await billPayArgs(b, bill, { cash: bill.total })), 'DAY_CLOSED');
    expect(reservations()).toBe(before);
    // Raw SQL: a transaction dated the closed day, a reservation made on it, an earlier business day.
    const raw = (legs: string, day = '2026-11-27') =>
      b.db
        .prepare(
          `INSERT INTO txns (kind, business_day, created_at, operator_id, amount_fen, idempotency_key, request_hash, legs)
           VALUES ('topup_voucher', ?, ?, 'op-holder', 100, ?, 'h', ?)`,
        )
        .run(day, clock.now().toISOString(), key('raw'), legs);
    expect(() => raw('[["float",100],["owner",-100]]')).toThrow('DAY_CLOSED');
    expect(() =>
      b.db
        .prepare(
          `INSERT INTO reservations (idempotency_key, amount_fen, status, request, created_at) VALUES ('r-raw', 1, 'pending', '{}', ?)`,
        )
        .run(clock.now().toISOString()),
    ).toThrow('DAY_CLOSED');
    expect(() =>
      b.db
        .prepare(`INSERT INTO business_days (day, status, opened_at) VALUES ('2026-11-20', 'open', 'x')`)
        .run(),
    ).toThrow('DAY_CLOSED');
    expect(() =>
      b.db
        .prepare(`UPDATE business_days SET status = 'open', closed_at = NULL WHERE day = '2026-11-27'`)
        .run(),
    ).toThrow('DAY_CLOSED');
    expect(() => b.db.prepare(`DELETE FROM day_closes`).run()).toThrow('APPEND_ONLY');
    // A reversal of that day's payment is dated today, not the closed day — after midnight it goes through.
    at('2026-11-28', '09');
    const r = ok(await b.call('txn.reverse', { txnId: t.txnId, reason: '凭证录错', idempotencyKey: key() }));
    expect(r.businessDay).toBe('2026-11-28');
    expect(() => raw('[["float",100],["owner",-100]]', '2026-11-28')).not.toThrow();
  });

  it('PAY-4: Z numbers have no gaps — and a raw insert of a gapped Z number fails', async () => {
    for (const d of ['2026-11-27', '2026-11-28', '2026-11-29']) {
      at(d);
      await topUp(b, '100');
      await closeExact();
    }
    expect(b.db.prepare(`SELECT z_no FROM day_closes ORDER BY z_no`).pluck().all()).toEqual([1, 2, 3]);
    const z3 = b.db.prepare(`SELECT * FROM day_closes WHERE z_no = 3`).get() as Record<string, unknown>;
    at('2026-11-30');
    await topUp(b, '100');
    await count('0');
    const countId = b.db.prepare(`SELECT max(id) FROM day_counts`).pluck().get();
    const insert = (zNo: number) =>
      b.db
        .prepare(
          `INSERT INTO day_closes SELECT ${zNo}, '2026-11-30', closed_at, operator_id, 1, closing_float_fen, 10000, 0, 0, 0,
             closing_float_fen + 10000, closing_float_fen + 10000, 0, closing_float_fen + 10000, 'gateway', 0, NULL,
             ${countId}, counted_cash_fen, 0, 0, 0, 0, counted_cash_fen, counted_cash_fen, 0, NULL, 0, 0, '{}'
           FROM day_closes WHERE z_no = 3`,
        )
        .run();
    expect(() => insert(5)).toThrow('Z_SEQUENCE');
    expect(() => insert(3)).toThrow(); // taken
    expect(z3['z_no']).toBe(3);
    // With the right number, the same row passes every database check (ties out, carries over).
    expect(() => insert(4)).not.toThrow();
    expect(b.db.prepare(`SELECT status FROM business_days WHERE day = '2026-11-30'`).pluck().get()).toBe(
      'closed',
    );
  });

  it('PAY-4: the database refuses a close that does not tie out or does not carry over', async () => {
    at('2026-11-27');
    await topUp(b, '100');
    await closeExact();
    at('2026-11-28');
    await topUp(b, '50');
    await count('0');
    const countId = b.db.prepare(`SELECT max(id) FROM day_counts`).pluck().get();
    const insert = (opening: number, topups: number) =>
      b.db
        .prepare(
          `INSERT INTO day_closes (z_no, day, closed_at, operator_id, txn_count, opening_float_fen, topups_fen, payments_fen,
             reversals_float_fen, settled_to_float_fen, closing_float_fen, central_read_fen, later_float_fen, central_float_fen,
             central_source, float_difference_fen, count_id, opening_cash_fen, cash_received_fen, change_given_fen,
             reversals_cash_fen, settled_fen, expected_cash_fen, counted_cash_fen, cash_variance_fen, fees_fen, takings_due_fen, report)
           VALUES (2, '2026-11-28', 'x', 'op-holder', 1, ?, ?, 0, 0, 0, ?, ?, 0, ?, 'gateway', 0, ?, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '{}')`,
        )
        .run(opening, topups, opening + topups, opening + topups, opening + topups, countId);
    expect(() => insert(10000, 6000)).toThrow('CLOSE_MISMATCH'); // the day's top-up was 50.00
    expect(() => insert(9000, 5000)).toThrow('OPENING_MISMATCH'); // yesterday closed at 100.00
    expect(() => insert(10000, 5000)).not.toThrow();
  });
});

describe('days left open', () => {
  it('PAY-4: a day left open is closed late; the next day is not blocked; days close in order', async () => {
    at('2026-11-27');
    await topUp(b, '2000');
    const p27 = await payBill(b, 'gas', '10000006', '300');
    // Forgot to close. The 28th works normally.
    at('2026-11-28', '09');
    const st = ok(await b.call('day.status', {}));
    expect(st).toMatchObject({
      today: '2026-11-28',
      unclosedBeforeToday: ['2026-11-27'],
      nextToClose: '2026-11-27',
    });
    const p28 = await payBill(b, 'water', '10000007', '200');
    expect(p28.businessDay).toBe('2026-11-28');
    // The 28th cannot be closed before the 27th.
    const c28 = await count('0');
    expect(c28.blockers.map((x) => x.code)).toContain('EARLIER_DAYS_OPEN');
    refused(await closeWith(c28.count!.countId, { cashRemark: 'x' }), 'DAY_NOT_CLOSABLE');
    // Late close of the 27th: the drawer is counted now (it holds the 28th's takings too); the
    // 28th's cash and float are subtracted to give the 27th's end.
    const late = await count('0', '2026-11-27');
    expect(late.count!.later).toBe(p28.total);
    const drawerNow = cents(late.cash!.expected) + cents(p28.total);
    const exact = await count((Number(drawerNow) / 100).toFixed(2), '2026-11-27');
    expect(exact.cash!.variance).toBe('0.00');
    const z27 = ok<DayReportDto>(
      await b.call('day.close', {
        day: '2026-11-27',
        countId: exact.count!.countId,
        central: { source: 'gateway' },
        idempotencyKey: key(),
      }),
    );
    expect(z27.float.central!.later).toBe(`-${p28.amountDue ?? p28.amount}`);
    expect(z27.float.difference).toBe('0.00');
    expect(cents(z27.float.expectedClosing)).toBe(cents('2000.00') - cents(p27.amount));
    // Then the 28th, opening where the 27th closed.
    const z28 = await closeExact();
    expect(z28.zNo).toBe(2);
    expect(z28.float.opening).toBe(z27.float.expectedClosing);
    expect(z28.cash!.opening).toBe(z27.cash!.counted);
    expect(cents(z28.float.expectedClosing)).toBe(cents(z27.float.expectedClosing) - cents(p28.amount));
  });

  it('PAY-4: no close while a payment of that day is pending; the close asks the central system first', async () => {
    await topUp(b, '1000');
    const bill = ok(
      await b.call('bill.inquire', { service: 'water', account: DEMO_ACCOUNTS.payTimeoutButPaid }),
    );
    refused(
      await b.call('bill.pay', await billPayArgs(b, bill, { cash: bill.total })),
      'GATEWAY_UNAVAILABLE',
    );
    expect(b.db.prepare(`SELECT count(*) FROM reservations WHERE status = 'pending'`).pluck().get()).toBe(1);
    const c = await count('0');
    expect(c.blockers.map((x) => x.code)).toContain('PENDING_PAYMENTS');
    (b.gateway as FaultyGateway).offline = true;
    refused(
      await b.call('day.close', {
        countId: c.count!.countId,
        central: { source: 'operator', balance: '0' },
        floatRemark: 'x',
        cashRemark: 'x',
        idempotencyKey: key(),
      }),
      'PENDING_PAYMENTS',
    );
    // Raw SQL cannot close over it either.
    expect(b.db.prepare(`SELECT count(*) FROM day_closes`).pluck().get()).toBe(0);
    (b.gateway as FaultyGateway).offline = false;
    // The close settles the pending payment with the central system (it was paid): its cash is in
    // the drawer, so the count of 0.00 now shows a variance that needs a remark.
    const e = refused(await closeWith(c.count!.countId), 'REMARK_REQUIRED');
    expect(e.details).toMatchObject({ float: false, cash: true, cashVariance: `-${bill.total}` });
    const z = await closeExact();
    expect(z.float.paymentCount).toBe(1);
    expect(z.float.difference).toBe('0.00');
  });

  it("PAY-4: a day with a reversal of a previous day's payment", async () => {
    at('2026-11-27');
    await topUp(b, '1000');
    const p = await payBill(b, 'gas', '10000008', '500');
    const z27 = await closeExact();
    at('2026-11-28');
    const r = ok(await b.call('txn.reverse', { txnId: p.txnId, reason: '重复缴费', idempotencyKey: key() }));
    expect(r.businessDay).toBe('2026-11-28');
    const z28 = await closeExact();
    expect(z28.float).toMatchObject({
      reversalCount: 1,
      reversals: p.amount,
      payments: '0.00',
      paymentCount: 0,
      difference: '0.00',
    });
    expect(cents(z28.float.expectedClosing)).toBe(cents(z27.float.expectedClosing) + cents(p.amount));
    expect(cents(z28.cash!.reversals)).toBe(-cents(p.total)); // the customer got amount + fee back
    expect(z28.byService).toEqual([
      expect.objectContaining({ service: 'gas', count: 0, reversedCount: 1, reversed: p.amount }),
    ]);
    // The 27th's Z is as it was.
    expect(ok(await b.call('day.zReport', { day: '2026-11-27' }))).toEqual(z27);
  });
});

describe('takings settlement (PAY-5)', () => {
  it('PAY-5: takings handed to the owner or deposited as a top-up, keyed, never more than the takings', async () => {
    await topUp(b, '2000');
    const p1 = await payBill(b, 'gas', '10000009', '500');
    const p2 = await payBill(b, 'electricity', '10000010', '500');
    const due = cents(p1.total) + cents(p2.total);
    const toOwner = { mode: 'owner', amount: '20.00', note: '交店主', idempotencyKey: key() };
    const s1 = ok(await b.call('takings.settle', toOwner));
    expect(s1).toMatchObject({ kind: 'takings_settlement', amount: '20.00' });
    expect(ok(await b.call('takings.settle', toOwner))).toEqual(s1); // replay
    refused(await b.call('takings.settle', { ...toOwner, amount: '21.00' }), 'IDEMPOTENCY_CONFLICT');
    const e = refused(
      await b.call('takings.settle', { mode: 'owner', amount: '99999.00', idempotencyKey: key() }),
      'TAKINGS_EXCEEDED',
    );
    expect(e.details['takingsDue']).toBe((Number(due - 2000n) / 100).toFixed(2));
    const floatBefore = ok(await b.call('float.balance', {})).balance;
    const voucherNo = await branchVoucher(b, '30.00');
    const dep = {
      mode: 'deposit',
      amount: '30.00',
      voucherNo,
      branchCode: '350100',
      clerk: '李四',
      idempotencyKey: key(),
    };
    const s2 = ok(await b.call('takings.settle', dep));
    expect(s2.voucherNo).toBe(voucherNo);
    expect(cents(ok(await b.call('float.balance', {})).balance)).toBe(cents(floatBefore) + 3000n);
    // PAY-2: the voucher is listed for audit and cannot be credited again (as a top-up or a settlement).
    expect(ok(await b.call('voucher.list', { search: voucherNo.slice(-6) })).items).toHaveLength(1);
    refused(await b.call('takings.settle', { ...dep, idempotencyKey: key() }), 'DUPLICATE_VOUCHER');
    refused(
      await b.call('topup.voucher', {
        voucherNo,
        branchCode: '350100',
        clerk: '李四',
        amount: '30',
        idempotencyKey: key(),
      }),
      'DUPLICATE_VOUCHER',
    );
    const z = await closeExact();
    expect(z.cash).toMatchObject({
      settled: '50.00',
      settlementCount: 2,
      settledToFloat: '30.00',
      settledToOwner: '20.00',
    });
    expect(z.float.settledToFloat).toBe('30.00');
    expect(z.float.difference).toBe('0.00'); // the central system saw the deposit
    expect(cents(z.cash!.takingsDue)).toBe(due - 5000n);
  });
});

describe('Z slip', () => {
  it('PAY-4: the Z slip previews as SVG and prints, then reprints marked 重印', async () => {
    await topUp(b, '500');
    const z = await closeExact();
    const prev = ok(await b.call('day.zSlip', { zNo: z.zNo, columns: 48 }));
    expect(prev).toMatchObject({ zNo: 1, businessDay: '2026-11-27', columns: 48, prints: 0 });
    expect(prev.svg).toMatch(/^<svg/);
    const np = ok(await b.call('day.printZ', { zNo: 1 }));
    expect(np.outcome).toBe('no_printer');
    const printer = await FakePrinter.start();
    try {
      ok(await b.call('printer.set', { interface: printer.iface, columns: 32 }));
      expect(ok(await b.call('day.printZ', { zNo: 1 }))).toMatchObject({ outcome: 'sent', reprintNo: 0 });
      expect(ok(await b.call('day.printZ', { zNo: 1 }))).toMatchObject({ outcome: 'sent', reprintNo: 1 });
      const jobs = await printer.waitForJobs(2);
      const [first, second] = jobs.map((j) => decodeEscPos(j));
      expect(first!.text).toContain('日终轧账单');
      expect(first!.text).toContain('Z000001');
      expect(first!.text).not.toContain('重印');
      expect(second!.text).toContain('第1次重印');
      expect(first!.unknown).toEqual([]);
      expect(Math.max(...first!.lines.map((l) => l.widthColumns))).toBeLessThanOrEqual(32);
      expect(ok(await b.call('day.zList', {})).items[0]).toMatchObject({ zNo: 1, prints: 2 });
    } finally {
      await printer.stop();
    }
  });

  it('PAY-4: a Z slip printed while the printer is off waits in the print queue and prints once when it is back', async () => {
    await topUp(b, '500');
    await closeExact();
    const printer = await FakePrinter.start();
    try {
      ok(await b.call('printer.set', { interface: printer.iface, columns: 32 }));
      await printer.goDown();
      const first = ok(await b.call('day.printZ', { zNo: 1 }));
      expect(first).toMatchObject({ outcome: 'failed', reprintNo: 0 });
      // Pressing print again while the printer is off does not pile up copies.
      expect(ok(await b.call('day.printZ', { zNo: 1 }))).toMatchObject({ outcome: 'failed', reprintNo: 0 });
      const waiting = ok(await b.call('print.queue', undefined)).jobs.filter(
        (j: { serial: string }) => j.serial === 'Z000001',
      );
      expect(waiting).toHaveLength(1);
      expect(waiting[0]).toMatchObject({ status: 'queued', reprintNo: 0 });
      expect(ok(await b.call('day.zList', {})).items[0]).toMatchObject({ zNo: 1, prints: 0 });

      await printer.comeBack();
      expect(ok(await b.call('print.retry', undefined))).toMatchObject({ printed: 1, failed: 0 });
      expect(ok(await b.call('print.retry', undefined))).toMatchObject({ printed: 0 });
      expect(await printer.settle()).toBe(1);
      const slip = decodeEscPos(printer.jobs[0]!);
      expect(slip.text).toContain('日终轧账单');
      expect(slip.text).toContain('Z000001');
      expect(slip.text).not.toContain('重印');
      expect(ok(await b.call('day.zList', {})).items[0]).toMatchObject({ zNo: 1, prints: 1 });
      // The next print is a reprint, marked 重印.
      expect(ok(await b.call('day.printZ', { zNo: 1 }))).toMatchObject({ outcome: 'sent', reprintNo: 1 });
      expect(decodeEscPos((await printer.waitForJobs(2))[1]!).text).toContain('第1次重印');
    } finally {
      await printer.stop();
    }
  });
});
