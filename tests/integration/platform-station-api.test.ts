// The station API over HTTP, on both stores, through the station's own adapter
// (backend/gateway/platform.ts): signed requests, idempotency keys, vouchers once per canonical
// number, the bill switch with zero credit, recovery by status, reversal, chosen amounts, and
// a coded 4xx with nothing written for bad input on every endpoint.
import crypto from 'node:crypto';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlatformRefusal } from '../../backend/gateway/platform-gateway';
import { GatewayUnavailable, type InquiryResult, type PayRequest } from '../../backend/gateway/types';
import type { ServiceId } from '../../shared/catalogue';
import { SIM_ACCOUNTS } from '../../platform/billers/simulated';
import type { SimulatedBiller } from '../../platform/billers/simulated';
import { fen } from '../../shared/money';
import { SIGNATURE_HEADER, stationOpPath, type StationOp } from '../../shared/platform-protocol';
import { startPg } from '../helpers/pg';
import { startTestPlatform, type TestPlatform, type TestStation } from '../helpers/platform';
import { ENGINES, rawSql } from '../helpers/stores';

const pgServer = await startPg();
afterAll(() => pgServer?.stop());

const NO = '110100000001';

/** The station NO's payment request for the bill `found` (service `service`, account
 *  `accountNo`), under `paymentRef` (a new one by default). */
const payRequest = (
  found: InquiryResult,
  service: ServiceId,
  accountNo: string,
  paymentRef: string = crypto.randomUUID(),
): PayRequest => {
  if (found.kind !== 'bill') throw new Error('no bill');
  return {
    paymentRef,
    billId: found.bill.billId,
    amountFen: found.bill.amountFen!,
    institutionNo: NO,
    service,
    accountNo,
  };
};
const OTHER = '110100000002';

describe.each(ENGINES)('station API on %s', (engine) => {
  let p: TestPlatform;
  let st: TestStation;
  let other: TestStation;
  beforeEach(async (ctx) => {
    if (engine === 'pg' && !pgServer) ctx.skip();
    p = await startTestPlatform(engine, pgServer);
    st = await p.addStation(NO);
    other = await p.addStation(OTHER);
  });
  afterEach(async () => p?.stop());

  const balance = async (no = NO) => (await p.store.accounts.balance(no))!.balanceFen;
  const written = async () =>
    JSON.stringify([
      await rawSql(p.store, `SELECT count(*) AS n FROM journal`),
      await rawSql(p.store, `SELECT count(*) AS n FROM requests`),
      await rawSql(p.store, `SELECT count(*) AS n FROM payments`),
      await rawSql(p.store, `SELECT count(*) AS n FROM vouchers WHERE confirmed_at IS NOT NULL`),
    ]);
  /** The station `from` confirms a branch voucher `ref` of `amountFen` through its gateway. */
  const confirmVoucher = (from: TestStation, ref: string, amountFen: number) =>
    from.gateway.confirmTopUp({
      kind: 'voucher',
      ref,
      amountFen: fen(amountFen),
      institutionNo: from.institutionNo,
    });
  const post = async (op: StationOp, body: string, signWith = st.privateKeyPem, no = NO) => {
    const signature = crypto.sign(null, Buffer.from(body), signWith).toString('base64');
    const res = await fetch(`${p.url}${stationOpPath(no, op)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature },
      body,
    });
    return {
      status: res.status,
      json: (await res.json()) as { ok: boolean; error?: { code: string; message: string } },
    };
  };
  const body = (op: StationOp, fields: Record<string, unknown>, no = NO) =>
    JSON.stringify({
      institutionNo: no,
      op,
      requestKey: crypto.randomUUID(),
      sentAt: new Date().toISOString(),
      ...fields,
    });

  it('answers the central balance to a signed request, and refuses an unsigned or foreign one', async () => {
    await p.deposit(NO, 12_345);
    expect(await st.gateway.centralBalance(NO)).toBe(12_345);
    const b = body('balance', {});
    const res = await fetch(`${p.url}${stationOpPath(NO, 'balance')}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: b,
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('BAD_SIGNATURE');
    // Another station's key, or a body signed for another op.
    expect((await post('balance', b, other.privateKeyPem)).json.error?.code).toBe('BAD_SIGNATURE');
    expect((await post('statement', b)).json.error?.code).toBe('OP_MISMATCH');
    // A station's signed body sent to another station's path: that station's key does not verify it.
    expect((await post('balance', body('balance', {}, OTHER), other.privateKeyPem)).json.error?.code).toBe(
      'BAD_SIGNATURE',
    );
    // Signed by this station but naming another in the body.
    expect((await post('balance', body('balance', {}, OTHER))).json.error?.code).toBe('INSTITUTION_MISMATCH');
  });

  it('PAY-2: a voucher issued at the branch is confirmed once, in any case or separators; a second confirmation is refused', async () => {
    const voucherNo = await p.deposit(NO, 50_000);
    const typed = ` ${voucherNo.slice(0, 2).toLowerCase()}-${voucherNo.slice(2, 6)} ${voucherNo.slice(6)} `;
    expect(await confirmVoucher(st, typed, 50_000)).toEqual({ confirmed: true });
    // The adapter's retry of the same entry after a lost answer replays (same key, same request)…
    expect(await confirmVoucher(st, typed, 50_000)).toEqual({ confirmed: true });
    // …the same voucher typed another way is a new request: refused, never credited twice.
    const retyped = await confirmVoucher(st, voucherNo, 50_000);
    expect(retyped.confirmed).toBe(false);
    // Under another key: refused, nothing written.
    const before = await written();
    const again = await post('confirm_voucher', body('confirm_voucher', { voucherNo, amount: '500.00' }));
    expect(again.status).toBe(409);
    expect(again.json.error?.code).toBe('VOUCHER_ALREADY_CONFIRMED');
    expect(await written()).toBe(before);
    // Another station cannot confirm it; an unknown number is not confirmed.
    const foreign = await confirmVoucher(other, voucherNo, 50_000);
    expect(foreign.confirmed).toBe(false);
    expect((await confirmVoucher(st, 'CK9999999999', 100)).confirmed).toBe(false);
    expect(await balance()).toBe(50_000);
  });

  it('PAY-1: a payment beyond the central balance is refused by the platform and nothing is debited', async () => {
    await p.deposit(NO, 1_000);
    const bill = await st.gateway.inquire('water', '12345678');
    expect(bill.kind).toBe('bill');
    if (bill.kind !== 'bill') return;
    const before = await written();
    const r = await st.gateway.pay(payRequest(bill, 'water', '12345678'));
    expect(r.status).toBe('declined');
    expect(r.status === 'declined' && r.reason).toContain('余额不足');
    expect(await written()).toBe(before);
    expect(await balance()).toBe(1_000);
  });

  it('pays through the bill switch once per key: replay returns the same payment, another request under the key conflicts', async () => {
    await p.deposit(NO, 100_000);
    const bill = await st.gateway.inquire('gas', '22334455');
    if (bill.kind !== 'bill') throw new Error('no bill');
    const key = crypto.randomUUID();
    const req = payRequest(bill, 'gas', '22334455', key);
    const a = await st.gateway.pay(req);
    expect(a.status).toBe('paid');
    expect(await st.gateway.pay(req)).toEqual(a);
    expect(await balance()).toBe(100_000 - bill.bill.amountFen!);
    expect(await st.gateway.paymentStatus(key)).toEqual(a);
    // Paid: the account has no bill due any more.
    expect((await st.gateway.inquire('gas', '22334455')).kind).toBe('no_bill');
    const conflict = await post(
      'pay',
      JSON.stringify({
        institutionNo: NO,
        op: 'pay',
        requestKey: key,
        sentAt: new Date().toISOString(),
        service: 'gas',
        accountNo: '22334455',
        billId: bill.bill.billId,
        amount: '1.00',
      }),
    );
    expect(conflict.json.error?.code).toBe('IDEMPOTENCY_CONFLICT');
    expect(await st.gateway.paymentStatus(crypto.randomUUID())).toEqual({ status: 'unknown' });
  });

  it('a declined payment is credited back; a paid one is reversed once', async () => {
    await p.deposit(NO, 100_000);
    const pay = async (accountNo: string) => {
      const b = await st.gateway.inquire('water', accountNo);
      if (b.kind !== 'bill') throw new Error('no bill');
      const key = crypto.randomUUID();
      return {
        key,
        r: await st.gateway.pay(payRequest(b, 'water', accountNo, key)),
      };
    };
    const d = await pay(SIM_ACCOUNTS.declined);
    expect(d.r).toEqual({ status: 'declined', reason: '户号状态异常，缴费单位拒收' });
    expect(await balance()).toBe(100_000);
    const ok = await pay('87654321');
    expect(ok.r.status).toBe('paid');
    expect(await st.gateway.reversePayment(ok.key, '客户要求')).toEqual({ ok: true });
    expect(await st.gateway.reversePayment(ok.key, '客户要求')).toEqual({ ok: true });
    expect(await balance()).toBe(100_000);
    expect(await st.gateway.paymentStatus(ok.key)).toEqual({ status: 'declined', reason: 'reversed' });
  });

  it('a payment whose answer is lost stays debited and pending, and is settled by its status', async () => {
    await p.deposit(NO, 100_000);
    const b = await st.gateway.inquire('water', SIM_ACCOUNTS.payTimeoutButPaid);
    if (b.kind !== 'bill') throw new Error('no bill');
    const key = crypto.randomUUID();
    await expect(
      st.gateway.pay(payRequest(b, 'water', SIM_ACCOUNTS.payTimeoutButPaid, key)),
    ).rejects.toBeInstanceOf(GatewayUnavailable);
    expect((await p.store.accounts.payment(NO, key))!.state).toBe('pending');
    expect(await balance()).toBe(100_000 - b.bill.amountFen!);
    const s = await st.gateway.paymentStatus(key);
    expect(s.status).toBe('paid');
    expect((await p.store.accounts.payment(NO, key))!.state).toBe('paid');
  });

  it('a biller that cannot be reached: nothing is debited; lost mid-payment, it stays pending and the status re-drives it', async () => {
    await p.deposit(NO, 100_000);
    const b = await st.gateway.inquire('telephone', '13900001111');
    if (b.kind !== 'bill') throw new Error('no bill');
    const biller = p.billSwitch.billers.telephone as SimulatedBiller;
    biller.offline = true;
    const before = await written();
    await expect(st.gateway.inquire('telephone', '13900001111')).rejects.toBeInstanceOf(GatewayUnavailable);
    await expect(st.gateway.pay(payRequest(b, 'telephone', '13900001111'))).rejects.toBeInstanceOf(
      GatewayUnavailable,
    );
    expect(await written()).toBe(before);
    biller.offline = 'pay';
    const key = crypto.randomUUID();
    const req = payRequest(b, 'telephone', '13900001111', key);
    await expect(st.gateway.pay(req)).rejects.toBeInstanceOf(GatewayUnavailable);
    await expect(st.gateway.paymentStatus(key)).rejects.toBeInstanceOf(GatewayUnavailable);
    biller.offline = false;
    expect((await st.gateway.paymentStatus(key)).status).toBe('paid');
    expect(await balance()).toBe(100_000 - b.bill.amountFen!);
  });

  /** The station's own client calls the platform (a new request key): a look-up of `service`
   *  account 55667788, or a payment of `amount` for its bill `billId`. */
  const clientInquire = (service: ServiceId) =>
    st.gateway.client.call('inquire', { requestKey: crypto.randomUUID(), service, accountNo: '55667788' });
  const clientPay = (service: ServiceId, billId: string, amount: string) =>
    st.gateway.client.call('pay', {
      requestKey: crypto.randomUUID(),
      service,
      accountNo: '55667788',
      billId,
      amount,
    });

  it('electricity and telephone take a customer-chosen amount within the biller limits', async () => {
    await p.deposit(NO, 1_000_000);
    const inq = await clientInquire('electricity');
    if (inq.data.kind !== 'bill') throw new Error('no bill');
    expect(inq.data.bill.choose).toEqual({ min: '10.00', max: '5000.00' });
    const paid = await clientPay('electricity', inq.data.bill.billId, '50.00');
    expect(paid.data.status).toBe('paid');
    const before = await written();
    await expect(clientPay('electricity', inq.data.bill.billId, '6000.00')).rejects.toMatchObject({
      code: 'AMOUNT_OUT_OF_RANGE',
    });
    // Water takes the amount due only.
    const w = await clientInquire('water');
    if (w.data.kind !== 'bill') throw new Error('no bill');
    expect(w.data.bill.choose).toBeNull();
    await expect(clientPay('water', w.data.bill.billId, '50.00')).rejects.toBeInstanceOf(PlatformRefusal);
    expect(await written()).toBe(before);
    expect(await balance()).toBe(1_000_000 - 5_000);
  });

  it('bad input on every endpoint: a coded 4xx and nothing written', async () => {
    await p.deposit(NO, 100_000);
    const before = await written();
    const bad: Array<[StationOp, Record<string, unknown>]> = [
      ['balance', { extra: 1 }],
      ['statement', { fromAt: 'yesterday' }],
      ['confirm_voucher', { voucherNo: 'CK0000000001', amount: '-5.00' }],
      ['confirm_voucher', { voucherNo: '!!', amount: '5.00' }],
      ['green_card_transfer', { bankRef: 'B1234567', amount: '1e3' }],
      ['inquire', { service: 'cable', accountNo: '12345678' }],
      ['inquire', { service: 'water', accountNo: '12ab' }],
      ['pay', { service: 'water', accountNo: '12345678', billId: 'x', amount: '0.00' }],
      ['pay', { service: 'water', accountNo: '12345678', billId: 'WA12345678-2026-12', amount: '96.505' }],
      ['payment_status', { paymentKey: 'short' }],
      ['reverse_payment', { paymentKey: crypto.randomUUID(), reason: '' }],
    ];
    for (const [op, fields] of bad) {
      const r = await post(op, body(op, fields));
      expect(r.status, `${op} ${JSON.stringify(fields)}`).toBe(400);
      expect(r.json.error?.code).toBe('INVALID_INPUT');
      expect(r.json.error?.message).toMatch(/[\u4e00-\u9fff]/);
    }
    // Not JSON, not a known station, a missing request key.
    expect((await post('balance', '{nope')).json.error?.code).toBe('INVALID_INPUT');
    expect(
      (await post('balance', body('balance', {}, '999999999'), st.privateKeyPem, '999999999')).json.error
        ?.code,
    ).toBe('UNKNOWN_STATION');
    expect(
      (
        await post(
          'balance',
          JSON.stringify({ institutionNo: NO, op: 'balance', sentAt: new Date().toISOString() }),
        )
      ).status,
    ).toBe(400);
    // Refusals of the operation itself: reversing what was never paid, a Green Card not bound.
    expect(
      (
        await post(
          'reverse_payment',
          body('reverse_payment', { paymentKey: crypto.randomUUID(), reason: 'x' }),
        )
      ).json.error?.code,
    ).toBe('PAYMENT_NOT_FOUND');
    expect(
      (
        await post(
          'green_card_transfer',
          body('green_card_transfer', { bankRef: 'B1234567', amount: '5.00' }),
        )
      ).json.error?.code,
    ).toBe('NO_GREEN_CARD');
    expect(await written()).toBe(before);
  });
});
