// Central station accounts, on both stores: zero credit enforced by the database itself,
// an append-only journal, idempotency by request key, vouchers once per number, Green Card
// transfers, bill payment debits, declines and reversals.
import { describe, expect, it } from 'vitest';
import {
  AccountRefusal,
  IdempotencyConflictError,
  InsufficientBalanceError,
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

const NO = '110100000001';
const OTHER = '110100000002';
const at = (): string => new Date().toISOString();

describe.each(ENGINES)('central accounts on %s', (engine) => {
  const store = storeForEachTest(engine, server, withStations([NO, OTHER]));

  const calls = accountCalls(store);
  const deposit = (amountFen: number, k = key(), institutionNo = NO) =>
    calls.deposit(institutionNo, amountFen, k);
  const begin = (amountFen: number, k = key(), institutionNo = NO) =>
    calls.begin(institutionNo, amountFen, k);

  it('a registered station has an account at 0.00 with credit limit 0', async () => {
    expect(await store().accounts.balance(NO)).toEqual({
      institutionNo: NO,
      balanceFen: 0,
      creditLimitFen: 0,
      lastEntryNo: 0,
    });
  });

  it('PAY-2: a branch deposit credits at once and issues the next voucher number; the same key replays it', async () => {
    const k = key();
    const a = await deposit(50_000, k);
    expect(a.replay).toBe(false);
    expect(a.voucher.voucherNo).toMatch(/^CK\d{10}$/);
    const b = await deposit(50_000, k);
    expect(b).toEqual({ voucher: a.voucher, replay: true });
    const c = await deposit(20_000);
    expect(c.voucher.voucherNo > a.voucher.voucherNo).toBe(true);
    expect((await store().accounts.balance(NO))!.balanceFen).toBe(70_000);
    const st = await store().accounts.statement(NO);
    expect(st.map((e) => [e.entryNo, e.kind, e.amountFen, e.balanceAfterFen, e.ref])).toEqual([
      [1, 'deposit', 50_000, 50_000, a.voucher.voucherNo],
      [2, 'deposit', 20_000, 70_000, c.voucher.voucherNo],
    ]);
  });

  it('the same request key with another request is IDEMPOTENCY_CONFLICT, and nothing is written', async () => {
    const k = key();
    await deposit(50_000, k);
    await expect(deposit(60_000, k)).rejects.toBeInstanceOf(IdempotencyConflictError);
    expect((await store().accounts.balance(NO))!.balanceFen).toBe(50_000);
  });

  it('PAY-2: the station confirms a voucher once; a second confirmation under another key is refused', async () => {
    const { voucher } = await deposit(50_000);
    const k = key();
    const req = {
      institutionNo: NO,
      voucherNo: voucher.voucherNo,
      amountFen: 50_000,
      requestKey: k,
      requestSha256: sha(k),
      at: at(),
    };
    const first = await store().accounts.confirmVoucher(req);
    expect(first.replay).toBe(false);
    expect(first.voucher.confirmKey).toBe(k);
    expect((await store().accounts.confirmVoucher(req)).replay).toBe(true);
    const k2 = key();
    await expect(
      store().accounts.confirmVoucher({ ...req, requestKey: k2, requestSha256: sha(k2) }),
    ).rejects.toMatchObject({ code: 'VOUCHER_ALREADY_CONFIRMED' });
    // Confirming moves no money: the deposit credited the account already.
    expect((await store().accounts.balance(NO))!.balanceFen).toBe(50_000);
  });

  it('a voucher of another station, an unknown number or a wrong amount is refused', async () => {
    const { voucher } = await deposit(50_000);
    const confirm = (institutionNo: string, voucherNo: string, amountFen: number) => {
      const k = key();
      return store().accounts.confirmVoucher({
        institutionNo,
        voucherNo,
        amountFen,
        requestKey: k,
        requestSha256: sha(k),
        at: at(),
      });
    };
    await expect(confirm(OTHER, voucher.voucherNo, 50_000)).rejects.toMatchObject({
      code: 'VOUCHER_NOT_FOUND',
    });
    await expect(confirm(NO, 'CK9999999999', 50_000)).rejects.toMatchObject({ code: 'VOUCHER_NOT_FOUND' });
    await expect(confirm(NO, voucher.voucherNo, 50_001)).rejects.toMatchObject({
      code: 'VOUCHER_AMOUNT_MISMATCH',
    });
    expect((await store().accounts.voucher(voucher.voucherNo))!.confirmedAt).toBeNull();
  });

  it('PAY-1: a bill payment beyond the central balance is refused and nothing is debited or recorded', async () => {
    await deposit(10_000);
    const k = key();
    await expect(begin(10_001, k)).rejects.toBeInstanceOf(InsufficientBalanceError);
    expect((await store().accounts.balance(NO))!.balanceFen).toBe(10_000);
    expect(await store().accounts.payment(NO, k)).toBeUndefined();
    expect(await rawSql(store(), `SELECT * FROM requests WHERE request_key = $1`, [k])).toEqual([]);
    // Exactly the balance is fine (zero credit, not negative).
    await begin(10_000);
    expect((await store().accounts.balance(NO))!.balanceFen).toBe(0);
  });

  it('a payment is debited pending, then paid; a decline credits it back; a paid one can be reversed once', async () => {
    await deposit(100_000);
    const p1 = key();
    const a = await begin(30_000, p1);
    expect(a.payment.state).toBe('pending');
    expect((await begin(30_000, p1)).replay).toBe(true);
    await expect(
      store().accounts.beginPayment({ ...a.payment, paymentKey: p1, requestSha256: sha('other'), at: at() }),
    ).rejects.toBeInstanceOf(IdempotencyConflictError);
    const paid = await store().accounts.settlePayment(NO, p1, { state: 'paid', billerRef: 'WA1' }, at());
    expect(paid.state).toBe('paid');
    expect(
      (await store().accounts.settlePayment(NO, p1, { state: 'paid', billerRef: 'WA1' }, at())).state,
    ).toBe('paid');

    const p2 = key();
    await begin(20_000, p2);
    expect((await store().accounts.balance(NO))!.balanceFen).toBe(50_000);
    const declined = await store().accounts.settlePayment(
      NO,
      p2,
      { state: 'declined', reason: '户号异常' },
      at(),
    );
    expect(declined.state).toBe('declined');
    expect((await store().accounts.balance(NO))!.balanceFen).toBe(70_000);

    const rev = await store().accounts.reversePayment(NO, p1, '客户要求', at());
    expect(rev.state).toBe('reversed');
    expect((await store().accounts.reversePayment(NO, p1, '客户要求', at())).state).toBe('reversed');
    expect((await store().accounts.balance(NO))!.balanceFen).toBe(100_000);
    await expect(store().accounts.reversePayment(NO, p2, 'x', at())).rejects.toMatchObject({
      code: 'PAYMENT_NOT_REVERSIBLE',
    });
    const kinds = (await store().accounts.statement(NO)).map((e) => `${e.kind}:${e.amountFen}`);
    expect(kinds).toEqual([
      'deposit:100000',
      'bill_payment:-30000',
      'bill_payment:-20000',
      'decline:20000',
      'reversal:30000',
    ]);
  });

  it('PAY-1: concurrent debits never overdraw: exactly as many succeed as the balance covers', async () => {
    await deposit(100_000);
    const results = await Promise.allSettled(Array.from({ length: 25 }, () => begin(7_000)));
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    expect(ok).toBe(14); // 14 × 70.00 = 980.00 ≤ 1,000.00 < 15 × 70.00
    for (const r of results)
      if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(InsufficientBalanceError);
    expect((await store().accounts.balance(NO))!.balanceFen).toBe(2_000);
  });

  it('PAY-3: a Green Card transfer needs a bound card and credits once per bank reference', async () => {
    const transfer = (bankRef: string, amountFen: number) => {
      const k = key();
      return store().accounts.greenCardTransfer({
        institutionNo: NO,
        amountFen,
        bankRef,
        requestKey: k,
        requestSha256: sha(k),
        at: at(),
      });
    };
    await expect(transfer('BANK0001', 30_000)).rejects.toMatchObject({ code: 'NO_GREEN_CARD' });
    await store().accounts.bindGreenCard({
      institutionNo: NO,
      cardMasked: '6221 **** **** 1234',
      boundAt: at(),
      boundBy: 'admin',
    });
    const t = await transfer('BANK0001', 30_000);
    expect(t.transfer.cardMasked).toBe('6221 **** **** 1234');
    await expect(transfer('BANK0001', 30_000)).rejects.toMatchObject({ code: 'REFERENCE_USED' });
    expect((await store().accounts.balance(NO))!.balanceFen).toBe(30_000);
    expect(await store().accounts.unbindGreenCard(NO, at(), 'admin')).toBe(true);
    await expect(transfer('BANK0002', 1_000)).rejects.toBeInstanceOf(AccountRefusal);
  });

  describe('the database itself refuses (attacked directly with SQL)', () => {
    const refused = async (sql: string, params: unknown[] = []) => {
      await expect(rawSql(store(), sql, params)).rejects.toThrow();
    };

    it('PAY-1: a direct debit that would overdraw: through the journal, or on the balance', async () => {
      await deposit(10_000);
      // A journal row that continues the chain correctly but takes the balance below zero.
      await refused(
        `INSERT INTO journal (institution_no, entry_no, kind, amount_fen, balance_after_fen, ref, at) VALUES ($1, 2, 'bill_payment', -10001, -1, 'x', 'now')`,
        [NO],
      );
      await refused(`UPDATE accounts SET balance_fen = -1 WHERE institution_no = $1`, [NO]);
      await refused(`UPDATE accounts SET credit_limit_fen = 100000 WHERE institution_no = $1`, [NO]);
      // Nor can money appear without a journal row.
      await refused(`UPDATE accounts SET balance_fen = 99999999 WHERE institution_no = $1`, [NO]);
      expect((await store().accounts.balance(NO))!.balanceFen).toBe(10_000);
    });

    it('the journal is append-only: UPDATE, DELETE, REPLACE are refused', async () => {
      await deposit(10_000);
      await refused(`UPDATE journal SET amount_fen = 1 WHERE institution_no = $1`, [NO]);
      await refused(`DELETE FROM journal WHERE institution_no = $1`, [NO]);
      if (engine === 'sqlite') {
        await refused(
          `INSERT OR REPLACE INTO journal (institution_no, entry_no, kind, amount_fen, balance_after_fen, ref, at) VALUES ($1, 1, 'deposit', 99, 99, 'x', 'now')`,
          [NO],
        );
        await refused(
          `REPLACE INTO requests (institution_no, request_key, op, request_sha256, ref, at) SELECT institution_no, request_key, 'x', request_sha256, ref, at FROM requests`,
        );
        await refused(`INSERT OR REPLACE INTO accounts (institution_no) VALUES ($1)`, [NO]);
      } else {
        await refused(
          `INSERT INTO journal (institution_no, entry_no, kind, amount_fen, balance_after_fen, ref, at) VALUES ($1, 1, 'deposit', 99, 99, 'x', 'now')
           ON CONFLICT (institution_no, entry_no) DO UPDATE SET amount_fen = 99`,
          [NO],
        );
        await refused(`TRUNCATE journal CASCADE`);
        await refused(
          `INSERT INTO accounts (institution_no) VALUES ($1) ON CONFLICT (institution_no) DO UPDATE SET balance_fen = 0`,
          [NO],
        );
      }
      await refused(`DELETE FROM requests`);
      expect((await store().accounts.statement(NO)).length).toBe(1);
      expect((await store().accounts.balance(NO))!.balanceFen).toBe(10_000);
    });

    it('PAY-2: a confirmed voucher cannot be confirmed again, nor its amount changed', async () => {
      const { voucher } = await deposit(10_000);
      const k = key();
      await store().accounts.confirmVoucher({
        institutionNo: NO,
        voucherNo: voucher.voucherNo,
        amountFen: 10_000,
        requestKey: k,
        requestSha256: sha(k),
        at: at(),
      });
      await refused(
        `UPDATE vouchers SET confirmed_at = 'later', confirm_key = 'kkkkkkkk' WHERE voucher_no = $1`,
        [voucher.voucherNo],
      );
      await refused(`UPDATE vouchers SET amount_fen = 1 WHERE voucher_no = $1`, [voucher.voucherNo]);
      await refused(`DELETE FROM vouchers`);
    });

    it('a payment changes only pending → paid/declined, paid → reversed', async () => {
      await deposit(10_000);
      const k = key();
      await begin(5_000, k);
      await refused(`UPDATE payments SET amount_fen = 1 WHERE payment_key = $1`, [k]);
      await refused(`UPDATE payments SET state = 'reversed', settled_at = 'x' WHERE payment_key = $1`, [k]);
      await refused(`DELETE FROM payments`);
    });
  });
});
