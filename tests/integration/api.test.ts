// Through the API: the handler table as both transports call it, and over loopback HTTP.
// Long on purpose (about 940 lines): a catalogue of independent cases, one per behaviour of the API,
// over the one station set-up its helpers make; each reads alone.
import { describe, expect, it } from 'vitest';
import {
  billPayArgs,
  branchVoucher,
  confirmPayee,
  key,
  ok,
  payBill,
  platformDelegate,
  refused,
  sqlAttacker,
  testBackend,
  type TestBackend,
  topUp,
} from '../helpers/backend';
import { backendForEachTest } from '../helpers/clients';
import { addDays } from '../../shared/business-day';
import { DEMO_ACCOUNTS, type FaultyGateway } from '../helpers/demo-platform';
import { startHttpServer } from '../../backend/transport/http';
import path from 'node:path';
import { rawRequest } from '../helpers/raw-http';

let b: TestBackend;
const clock = backendForEachTest({ set: (fresh) => (b = fresh), get: () => b });

const balance = async () =>
  ok<{ balance: string; available: string; pending: string }>(await b.call('float.balance', undefined));

/** The arguments of bill.pay for `bill` on this test's backend (billPayArgs). */
const payArgs = (bill: Parameters<typeof billPayArgs>[1], opts?: Parameters<typeof billPayArgs>[2]) =>
  billPayArgs(b, bill, opts);

/** bill.confirmPayee of the looked-up `bill` at its amount due, as 已与客户核对 sends it (SRV-2). */
const confirmAtDue = (bill: { billId: string; payeeMasked: string; amountDue: string | null }) =>
  b.call('bill.confirmPayee', { billId: bill.billId, payeeMasked: bill.payeeMasked, amount: bill.amountDue });

/** topup.voucher as 张三's slip for 1,000.00 from branch 350100 is keyed in: the voucher
 *  `voucherNo`, with `extra` (a deposit time, say). */
const confirmVoucher = (voucherNo: string, extra: Record<string, unknown> = {}) =>
  b.call('topup.voucher', {
    voucherNo,
    branchCode: '350100',
    clerk: '张三',
    amount: '1000',
    idempotencyKey: key(),
    ...extra,
  });

/** A payment the central system never received: the float topped up by 2,000.00, the bill of
 *  `account` looked up and paid while the central system is offline (GATEWAY_UNAVAILABLE). The
 *  bill, the payment's arguments and the refusal. */
async function offlinePayment(service: string, account: string) {
  await topUp(b, '2000');
  const bill = ok(await b.call('bill.inquire', { service, account }));
  const args = await payArgs(bill);
  (b.gateway as FaultyGateway).offline = true;
  const refusal = refused(await b.call('bill.pay', args), 'GATEWAY_UNAVAILABLE');
  return { bill, args, refusal };
}

/** bill.pay with `payArgs(bill, opts)`. */
const pay = async (bill: Parameters<typeof payArgs>[0], opts?: Parameters<typeof payArgs>[1]) =>
  b.call('bill.pay', await payArgs(bill, opts));

/** The counter's retry of a payment `payment.pending` lists: its own bill, cash, token and key. */
const retryPending = ({
  billId,
  cashReceived,
  confirmedPayee,
  idempotencyKey,
}: Record<'billId' | 'cashReceived' | 'confirmedPayee' | 'idempotencyKey', string>) =>
  b.call('bill.pay', { billId, cashReceived, confirmedPayee, idempotencyKey });

describe('PAY-1 through the API', () => {
  it('PAY-1: a payment the float cannot cover is refused with the shortfall, and nothing is posted', async () => {
    await topUp(b, '10.00'); // every demo bill is at least 20.00
    const bill = ok(await b.call('bill.inquire', { service: 'water', account: '12345678' }));
    const r = await pay(bill);
    const e = refused(r, 'INSUFFICIENT_FLOAT');
    const cents = (x: string) => BigInt(x.replace('.', ''));
    expect(cents(String(e.details['shortfall']))).toBe(cents(bill.amountDue) - 1000n);
    expect(e.message).toContain('还差');
    expect(await balance()).toEqual({ balance: '10.00', pending: '0.00', available: '10.00' });
    expect(ok(await b.call('txn.list', { kind: 'bill_payment' })).items).toHaveLength(0);
  });

  it('PAY-1: the large demo bill against a 2,000.00 float gives the exact shortfall', async () => {
    await topUp(b, '2000');
    const bill = ok(await b.call('bill.inquire', { service: 'electricity', account: DEMO_ACCOUNTS.large }));
    expect(bill.floatAfter).toBe('-46000.00');
    const e = refused(await pay(bill, { cash: '48000' }), 'INSUFFICIENT_FLOAT');
    expect(e.details).toMatchObject({ shortfall: '46000.00', available: '2000.00', needed: '48000.00' });
    expect((await balance()).balance).toBe('2000.00');
  });

  it('PAY-1: a reversal of a top-up already spent is refused with the shortfall', async () => {
    const t = await topUp(b, '300');
    await payBill(b, 'water', '20000001');
    const e = refused(
      await b.call('txn.reverse', { txnId: t.txnId, reason: '凭证金额录错', idempotencyKey: key() }),
      'INSUFFICIENT_FLOAT',
    );
    expect(e.details['shortfall']).toBeDefined();
  });
});

describe('idempotency matrix', () => {
  it('replay: the same key and request returns the original transaction, posted once', async () => {
    const args = {
      voucherNo: await branchVoucher(b, '500.00'),
      branchCode: '350100',
      clerk: '李四',
      amount: '500.00',
      idempotencyKey: key(),
    };
    const first = ok(await b.call('topup.voucher', args));
    const again = ok(await b.call('topup.voucher', { ...args }));
    expect(again).toEqual(first);
    expect((await balance()).balance).toBe('500.00');
    expect(ok(await b.call('txn.list', {})).items).toHaveLength(1);
  });

  it('replay: "96.5" and "96.50" are the same request', async () => {
    const k = key();
    const first = ok(
      await b.call('topup.greenCard', { amount: '96.5', bankRef: 'BR-000001', idempotencyKey: k }),
    );
    const again = ok(
      await b.call('topup.greenCard', { amount: '96.50', bankRef: 'BR-000001', idempotencyKey: k }),
    );
    expect(again.txnId).toBe(first.txnId);
  });

  it('conflicting replay: the same key with a different request is IDEMPOTENCY_CONFLICT and posts nothing', async () => {
    const k = key();
    const voucherNo = await branchVoucher(b, '500.00');
    ok(
      await b.call('topup.voucher', {
        voucherNo,
        branchCode: '350100',
        clerk: '李四',
        amount: '500.00',
        idempotencyKey: k,
      }),
    );
    refused(
      await b.call('topup.voucher', {
        voucherNo,
        branchCode: '350100',
        clerk: '李四',
        amount: '600.00',
        idempotencyKey: k,
      }),
      'IDEMPOTENCY_CONFLICT',
    );
    refused(
      await b.call('topup.greenCard', { amount: '500.00', bankRef: 'BR-000002', idempotencyKey: k }),
      'IDEMPOTENCY_CONFLICT',
    );
    expect((await balance()).balance).toBe('500.00');
  });

  it('refused then replayed: a refused key stays refused, even after the cause is gone', async () => {
    const bill = ok(await b.call('bill.inquire', { service: 'gas', account: '30000001' }));
    const args = await payArgs(bill, { cash: '1000' });
    refused(await b.call('bill.pay', args), 'INSUFFICIENT_FLOAT');
    await topUp(b, '2000');
    const e = refused(await b.call('bill.pay', args), 'INSUFFICIENT_FLOAT');
    expect(e.details['replayed']).toBe(true);
    // A new confirmation (new key) goes through.
    ok(await b.call('bill.pay', { ...args, idempotencyKey: key() }));
  });

  it('double submit: two identical payments sent at once post once', async () => {
    await topUp(b, '2000');
    const bill = ok(await b.call('bill.inquire', { service: 'telephone', account: '13800138000' }));
    const args = await payArgs(bill, { cash: '400' });
    const [r1, r2, r3] = await Promise.all([
      b.call('bill.pay', args),
      b.call('bill.pay', args),
      b.call('bill.pay', args),
    ]);
    expect(ok(r1).txnId).toBe(ok(r2).txnId);
    expect(ok(r3).txnId).toBe(ok(r1).txnId);
    expect(ok(await b.call('txn.list', { kind: 'bill_payment' })).items).toHaveLength(1);
  });
});

describe('bill payments', () => {
  it('SRV-1: change is cash received minus amount and fee; CASH_SHORT below that', async () => {
    await topUp(b, '2000');
    const bill = ok(await b.call('bill.inquire', { service: 'gas', account: '40000001' }));
    expect(bill.fee).toBe('1.00'); // SRV-4: from the catalogue
    const short = refused(await pay(bill, { cash: bill.amountDue }), 'CASH_SHORT');
    expect(short.details['missing']).toBe('1.00');
    const t = ok(await pay(bill, { cash: '1000' }));
    const cents = (s: string) => BigInt(s.replace('.', ''));
    expect(cents(t.change)).toBe(cents('1000.00') - cents(bill.amountDue) - cents('1.00'));
    expect(t.floatAfter).toBe(bill.floatAfter);
    expect(t.operatorId).toBe('op-holder'); // PPL-3
  });

  it('SRV-4: the fee is shown even when it is zero', async () => {
    const bill = ok(await b.call('bill.inquire', { service: 'water', account: '50000001' }));
    expect(bill.fee).toBe('0.00');
  });

  it('SRV-2: a bill must be looked up first; an unknown bill id is NOT_FOUND', async () => {
    await topUp(b, '2000');
    refused(
      await b.call('bill.pay', { billId: 'WA99999999-2026-11', cashReceived: '100', idempotencyKey: key() }),
      'NOT_FOUND',
    );
  });

  it('a bill cannot be paid twice; the simulated biller then has no bill due', async () => {
    await topUp(b, '2000');
    const bill = ok(await b.call('bill.inquire', { service: 'water', account: '60000001' }));
    // Two confirmations before the first payment: the second one's payment is the bill paid twice.
    const [first, second] = [await confirmPayee(b, bill), await confirmPayee(b, bill)];
    ok(await pay(bill, { token: first }));
    refused(await pay(bill, { token: second }), 'BILL_ALREADY_PAID');
    // And a paid bill is not confirmed again.
    refused(await confirmAtDue(bill), 'BILL_ALREADY_PAID');
    refused(await b.call('bill.inquire', { service: 'water', account: '60000001' }), 'NO_BILL_DUE');
  });

  it('SRV-3: once its payment is reversed, the same bill can be paid again', async () => {
    await topUp(b, '2000');
    const t = await payBill(b, 'gas', '61000001', '500');
    ok(await b.call('txn.reverse', { txnId: t.txnId, reason: '收错户', idempotencyKey: key() }));
    const again = await payBill(b, 'gas', '61000001', '500');
    expect(again.txnId).toBeGreaterThan(t.txnId);
  });

  it('a declined payment releases the float', async () => {
    await topUp(b, '2000');
    const bill = ok(await b.call('bill.inquire', { service: 'water', account: DEMO_ACCOUNTS.declined }));
    refused(await pay(bill), 'PAYMENT_DECLINED');
    expect(await balance()).toEqual({ balance: '2000.00', pending: '0.00', available: '2000.00' });
  });

  it('a timed-out payment stays reserved, and a retry with the same key settles it by asking the gateway', async () => {
    await topUp(b, '2000');
    const bill = ok(
      await b.call('bill.inquire', { service: 'water', account: DEMO_ACCOUNTS.payTimeoutButPaid }),
    );
    const args = await payArgs(bill);
    const e = refused(await b.call('bill.pay', args), 'GATEWAY_UNAVAILABLE');
    expect(e.details['pending']).toBe(true);
    const mid = await balance();
    expect(mid.pending).toBe(bill.amountDue);
    expect(mid.balance).toBe('2000.00');
    const t = ok(await b.call('bill.pay', args));
    expect(t.kind).toBe('bill_payment');
    expect(await balance()).toMatchObject({ pending: '0.00', balance: bill.floatAfter });
  });

  it('after a crash, a pending reservation is resolved from the gateway when the backend starts', async () => {
    await topUp(b, '2000');
    const bill = ok(
      await b.call('bill.inquire', { service: 'gas', account: DEMO_ACCOUNTS.payTimeoutButPaid }),
    );
    refused(await pay(bill), 'GATEWAY_UNAVAILABLE');
    b.close();
    b = await testBackend({ dataDir: b.dataDir, now: clock.now });
    expect((await balance()).pending).toBe('0.00');
    expect(ok(await b.call('txn.list', { kind: 'bill_payment' })).items).toHaveLength(1);
  });

  it('a payment the central system never received stays reserved through the grace period, then is released as PAYMENT_NOT_MADE', async () => {
    const { bill, args, refusal } = await offlinePayment('water', '71000001');
    expect(refusal.details['pending']).toBe(true);
    (b.gateway as FaultyGateway).offline = false;
    // Back at once: the central system has no record, but our request might still be in transit.
    expect(refused(await b.call('bill.pay', args), 'GATEWAY_UNAVAILABLE').details['pending']).toBe(true);
    expect((await balance()).pending).toBe(bill.amountDue);
    clock.advance(11 * 60 * 1000);
    refused(await b.call('bill.pay', args), 'PAYMENT_NOT_MADE');
    refused(await b.call('bill.pay', args), 'PAYMENT_NOT_MADE'); // final: the counter can move on
    expect(await balance()).toEqual({ balance: '2000.00', pending: '0.00', available: '2000.00' });
  });

  it('payment.pending lists a payment waiting for the central system, with what its retry needs', async () => {
    const { bill, args } = await offlinePayment('gas', '72000001');
    const { items } = ok(await b.call('payment.pending', undefined));
    expect(items).toEqual([
      expect.objectContaining({
        idempotencyKey: args.idempotencyKey,
        billId: bill.billId,
        cashReceived: '500.00',
        total: bill.total,
        accountNo: '72000001',
        confirmedPayee: args.confirmedPayee,
      }),
    ]);
    (b.gateway as FaultyGateway).offline = false;
    clock.advance(11 * 60 * 1000);
    refused(await retryPending(items[0]), 'PAYMENT_NOT_MADE');
    expect(ok(await b.call('payment.pending', undefined)).items).toEqual([]);
  });

  it('a retry after the bill expired still settles a pending payment from the central system, never refuses it', async () => {
    await topUp(b, '2000');
    const bill = ok(
      await b.call('bill.inquire', { service: 'water', account: DEMO_ACCOUNTS.payTimeoutButPaid }),
    );
    const args = await payArgs(bill);
    refused(await b.call('bill.pay', args), 'GATEWAY_UNAVAILABLE');
    (b.gateway as FaultyGateway).offline = true;
    clock.advance(31 * 60 * 1000); // the bill's 30 minutes are over
    expect(refused(await b.call('bill.pay', args), 'GATEWAY_UNAVAILABLE').details['pending']).toBe(true);
    (b.gateway as FaultyGateway).offline = false;
    expect(await b.recover()).toMatchObject({ posted: 1 });
    const t = ok(await b.call('bill.pay', args));
    expect(t.kind).toBe('bill_payment');
    expect((await balance()).pending).toBe('0.00');
  });

  it('GATEWAY_UNAVAILABLE when the central system is down: nothing reserved, a clear message', async () => {
    await topUp(b, '2000');
    (b.gateway as FaultyGateway).offline = true;
    const e = refused(
      await b.call('bill.inquire', { service: 'water', account: '70000001' }),
      'GATEWAY_UNAVAILABLE',
    );
    expect(e.message).toMatch(/缴费系统/);
    // MON-3: the outage is a fault reported with the next upload (once per call kind and day).
    refused(await b.call('bill.inquire', { service: 'water', account: '70000001' }), 'GATEWAY_UNAVAILABLE');
    const faults = b.db.prepare(`SELECT kind, occurrences FROM monitor_faults WHERE kind = 'gateway'`).all();
    expect(faults).toEqual([{ kind: 'gateway', occurrences: 2 }]);
  });

  it("PPL-2: an operator not trained on a service cannot take it — training is the platform's record, delivered in the signed profile", async () => {
    // The office records an authorised person and their training (operation, water) in the
    // platform; the station learns of them from its next profile, not from its own tables.
    const son = await platformDelegate(b, {
      name: '儿子',
      services: ['water'],
      documentNo: 'SQ-2026-01',
      scope: ['pay', 'topup'],
    });
    ok(await b.call('session.setOperator', { operatorId: son }));
    ok(await b.call('bill.inquire', { service: 'water', account: '80000001' }));
    refused(await b.call('bill.inquire', { service: 'gas', account: '80000001' }), 'NOT_TRAINED');
    const cat = ok(await b.call('catalogue.list', undefined));
    expect(cat.items.filter((i: { trained: boolean }) => i.trained).map((i: { id: string }) => i.id)).toEqual(
      ['water'],
    );
  });

  it('SRV-4: a payment that names its own fee is refused, nothing written', async () => {
    await topUp(b, '500');
    const q = ok(await b.call('bill.inquire', { service: 'gas', account: '80000002' }));
    const r = refused(
      await b.call('bill.pay', {
        billId: q.billId,
        cashReceived: '1000',
        fee: '0.00',
        idempotencyKey: key(),
      }),
      'INVALID_INPUT',
    );
    expect(JSON.stringify(r.details)).toContain('fee');
    expect(ok(await b.call('txn.list', { kind: 'bill_payment' })).items).toHaveLength(0);
  });

  it("SRV-4: the fee is the platform's schedule's, from its date; nothing in code sets one", async () => {
    const platform = (b as TestBackend).platform!.platform;
    const day = (await b.call('station.get', undefined)) as { ok: true; data: { businessDay: string } };
    await platform.store.provisioning.setFee(
      'water',
      30,
      addDays(day.data.businessDay, 1),
      clock.now().toISOString(),
      'admin',
    );
    clock.advance(1000);
    ok(await b.call('profile.refresh', undefined));
    expect(ok(await b.call('bill.inquire', { service: 'water', account: '80000001' })).fee).toBe('0.00');
    clock.advance(24 * 3600_000);
    expect(ok(await b.call('bill.inquire', { service: 'water', account: '80000001' })).fee).toBe('0.30');
  });
});

describe('SRV-2: the payee confirmed with the customer before a payment (bill.confirmPayee)', () => {
  const count = (sql: string) => b.db.prepare(sql).pluck().get() as number;
  /** What a refused payment must not have written: no transaction, no reservation, the float. */
  const written = async () => ({
    txns: count(`SELECT count(*) FROM txns WHERE kind = 'bill_payment'`),
    reservations: count(`SELECT count(*) FROM reservations`),
    float: await balance(),
  });
  const nothingWritten = { txns: 0, reservations: 0 };

  it('SRV-2: a payment without the confirmation is refused (PAYEE_NOT_CONFIRMED) and writes nothing: no transaction, no reservation, the float unchanged', async () => {
    await topUp(b, '2000');
    const bill = ok(await b.call('bill.inquire', { service: 'gas', account: '44000001' }));
    const before = await written();
    expect(before).toMatchObject(nothingWritten);
    const args = { billId: bill.billId, cashReceived: '500', idempotencyKey: key() };
    const e = refused(await b.call('bill.pay', args), 'PAYEE_NOT_CONFIRMED');
    expect(e.message).toBe('缴费前须先与客户核对户名和金额（已与客户核对）');
    // A made-up token is no confirmation either.
    const made = { ...args, confirmedPayee: 'x'.repeat(43), idempotencyKey: key() };
    expect(refused(await b.call('bill.pay', made), 'PAYEE_NOT_CONFIRMED').details['variant']).toBe('unknown');
    expect(await written()).toEqual(before);
    expect(count(`SELECT count(*) FROM payee_confirmations`)).toBe(0);
    // Confirmed, the same bill is paid (under a new key: the refusal was that key's answer).
    const t = ok(
      await b.call('bill.pay', {
        ...args,
        confirmedPayee: await confirmPayee(b, bill),
        idempotencyKey: key(),
      }),
    );
    expect(t.kind).toBe('bill_payment');
  });

  it('SRV-2: the confirmation is recorded — who, when, the bill, payee, amount and fee — and its token is random and single-use', async () => {
    await topUp(b, '2000');
    const bill = ok(await b.call('bill.inquire', { service: 'gas', account: '44000002' }));
    const r = ok(await confirmAtDue(bill));
    expect(r.confirmedPayee).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes
    expect(r.expiresAt).toBe(new Date(clock.now().getTime() + 10 * 60_000).toISOString());
    const again = await confirmPayee(b, bill);
    expect(again).not.toBe(r.confirmedPayee);
    const key1 = key();
    ok(await pay(bill, { token: r.confirmedPayee, idempotencyKey: key1 }));
    const row = b.db.prepare(`SELECT * FROM payee_confirmations WHERE token = ?`).get(r.confirmedPayee);
    expect(row).toMatchObject({
      bill_id: bill.billId,
      service: 'gas',
      account_no: '44000002',
      payee_masked: bill.payeeMasked,
      amount_fen: Math.round(Number(bill.amountDue) * 100),
      chosen: 0,
      fee_fen: 100,
      operator_id: 'op-holder',
      confirmed_at: clock.now().toISOString(),
      expires_at: r.expiresAt,
      used_key: key1,
      used_at: clock.now().toISOString(),
    });
    // The unused second confirmation stays unused.
    expect(
      b.db.prepare(`SELECT used_key FROM payee_confirmations WHERE token = ?`).pluck().get(again),
    ).toBeNull();
  });

  it('SRV-2: a token for another bill is refused, nothing written', async () => {
    await topUp(b, '2000');
    const bill = ok(await b.call('bill.inquire', { service: 'water', account: '44000003' }));
    const other = ok(await b.call('bill.inquire', { service: 'water', account: '44000004' }));
    const token = await confirmPayee(b, other);
    const before = await written();
    const e = refused(await pay(bill, { token }), 'PAYEE_NOT_CONFIRMED');
    expect(e.details).toMatchObject({ variant: 'otherBill', confirmedBill: other.billId });
    expect(await written()).toEqual(before);
    // The other bill's token is still good for the other bill.
    ok(await pay(other, { token }));
  });

  it('SRV-2: an expired token is refused (PAYEE_CONFIRMATION_EXPIRED), nothing written; confirming again pays', async () => {
    await topUp(b, '2000');
    const bill = ok(await b.call('bill.inquire', { service: 'water', account: '44000005' }));
    const token = await confirmPayee(b, bill);
    clock.advance(10 * 60_000); // the confirmation's 10 minutes (the bill's own 30 are not over)
    const before = await written();
    const e = refused(await pay(bill, { token }), 'PAYEE_CONFIRMATION_EXPIRED');
    expect(e.message).toBe('与客户核对已超过 10 分钟，请与客户重新核对');
    expect(await written()).toEqual(before);
    ok(await pay(bill));
  });

  it('SRV-2: a used token is refused for a new key (PAYEE_CONFIRMATION_USED), nothing written', async () => {
    await topUp(b, '2000');
    // A customer-chosen amount (a top-up may be paid again): only the used token stands in the way.
    const bill = ok(await b.call('bill.inquire', { service: 'telephone', account: DEMO_ACCOUNTS.noBill }));
    const token = await confirmPayee(b, bill, '50');
    const args = { billId: bill.billId, amount: '50', cashReceived: '50', confirmedPayee: token };
    ok(await b.call('bill.pay', { ...args, idempotencyKey: key() }));
    const before = await written();
    refused(await b.call('bill.pay', { ...args, idempotencyKey: key() }), 'PAYEE_CONFIRMATION_USED');
    expect(await written()).toEqual(before);
    // A declined payment used its token too: its reservation was made with it.
    const declined = ok(await b.call('bill.inquire', { service: 'water', account: DEMO_ACCOUNTS.declined }));
    const t2 = await confirmPayee(b, declined);
    const d = { billId: declined.billId, cashReceived: '500', confirmedPayee: t2 };
    refused(await b.call('bill.pay', { ...d, idempotencyKey: key() }), 'PAYMENT_DECLINED');
    refused(await b.call('bill.pay', { ...d, idempotencyKey: key() }), 'PAYEE_CONFIRMATION_USED');
  });

  it('SRV-2: a replay with the same key and request still gives the original outcome, the used token notwithstanding', async () => {
    await topUp(b, '2000');
    const bill = ok(await b.call('bill.inquire', { service: 'gas', account: '44000006' }));
    const args = await payArgs(bill);
    const t = ok(await b.call('bill.pay', args));
    clock.advance(20 * 60_000); // the token has expired meanwhile, too
    const again = ok(await b.call('bill.pay', args));
    expect(again.txnId).toBe(t.txnId);
    expect(count(`SELECT count(*) FROM txns WHERE kind = 'bill_payment'`)).toBe(1);
    // The same key with another token is another request.
    refused(await b.call('bill.pay', { ...args, confirmedPayee: 'y'.repeat(43) }), 'IDEMPOTENCY_CONFLICT');
    // A refusal replays as well (recorded against its key).
    const bill2 = ok(await b.call('bill.inquire', { service: 'gas', account: '44000007' }));
    const none = { billId: bill2.billId, cashReceived: '500', idempotencyKey: key() };
    refused(await b.call('bill.pay', none), 'PAYEE_NOT_CONFIRMED');
    expect(refused(await b.call('bill.pay', none), 'PAYEE_NOT_CONFIRMED').details['replayed']).toBe(true);
  });

  it('SRV-2: the confirmation binds the amount and the payee shown, and the operator who confirmed', async () => {
    await topUp(b, '2000');
    const bill = ok(await b.call('bill.inquire', { service: 'electricity', account: '44000008' }));
    // The payee shown must be the looked-up bill's.
    expect(
      refused(
        await b.call('bill.confirmPayee', {
          billId: bill.billId,
          payeeMasked: '李*四',
          amount: bill.amountDue,
        }),
        'PAYEE_NOT_CONFIRMED',
      ).details['variant'],
    ).toBe('changed');
    // Confirmed at the amount due, paid at a chosen amount: not what the customer agreed to.
    const atDue = await confirmPayee(b, bill);
    const e = refused(
      await b.call('bill.pay', {
        billId: bill.billId,
        amount: '10',
        cashReceived: '10',
        confirmedPayee: atDue,
        idempotencyKey: key(),
      }),
      'PAYEE_NOT_CONFIRMED',
    );
    expect(e.details).toMatchObject({ variant: 'otherAmount', confirmed: bill.amountDue, amount: '10.00' });
    // An amount the bill does not take is not confirmed either.
    refused(
      await b.call('bill.confirmPayee', { billId: bill.billId, payeeMasked: bill.payeeMasked, amount: '1' }),
      'AMOUNT_OUT_OF_RANGE',
    );
    refused(
      await b.call('bill.confirmPayee', { billId: 'EL00000000-2026-11', payeeMasked: 'x', amount: '1' }),
      'NOT_FOUND',
    );
    // Another operator pays on someone else's confirmation: refused.
    // (an authorised person the office trained on electricity, as in the PPL-2 test)
    const wife = await platformDelegate(b, {
      name: '李梅',
      services: ['electricity'],
      documentNo: 'SQ-2026-02',
      scope: ['pay'],
    });
    ok(await b.call('session.setOperator', { operatorId: wife }));
    const byOther = refused(await pay(bill, { token: atDue }), 'PAYEE_NOT_CONFIRMED');
    expect(byOther.details).toMatchObject({ variant: 'otherOperator', confirmedBy: 'op-holder' });
    expect(count(`SELECT count(*) FROM reservations`)).toBe(0);
    ok(await pay(bill));
  });

  it('SRV-2: a pending payment is retried with the confirmation it was sent with, after the confirmation expired', async () => {
    const { args } = await offlinePayment('water', '44000009');
    (b.gateway as FaultyGateway).offline = false;
    const [item] = ok(await b.call('payment.pending', undefined)).items;
    expect(item.confirmedPayee).toBe(args.confirmedPayee);
    clock.advance(11 * 60_000); // token expired; the central system never got the payment
    refused(await retryPending(item), 'PAYMENT_NOT_MADE');
    // Never paid, and its token spent on that attempt: the customer's next try is confirmed anew.
    refused(await b.call('bill.pay', { ...args, idempotencyKey: key() }), 'PAYEE_CONFIRMATION_USED');
  });

  it('SRV-2: the database keeps each confirmation as it was made: no REPLACE, no change, no delete, used once', async () => {
    await topUp(b, '2000');
    const bill = ok(await b.call('bill.inquire', { service: 'gas', account: '44000010' }));
    const token = await confirmPayee(b, bill);
    const unused = await confirmPayee(b, bill);
    const k1 = key();
    ok(await pay(bill, { token, idempotencyKey: k1 }));
    const attack = sqlAttacker(b.db);
    const q = (t: string) => `'${t}'`;
    expect(
      attack(
        `INSERT OR REPLACE INTO payee_confirmations (token, bill_id, service, account_no, payee_masked, amount_fen, chosen, fee_fen, inquired_at, operator_id, confirmed_at, expires_at)
         SELECT token, bill_id, service, account_no, payee_masked, amount_fen, chosen, fee_fen, inquired_at, operator_id, confirmed_at, '2099-01-01' FROM payee_confirmations WHERE token = ${q(token)}`,
      ),
    ).toMatch(/APPEND_ONLY/);
    expect(attack(`UPDATE payee_confirmations SET amount_fen = 1 WHERE token = ${q(unused)}`)).toMatch(
      /APPEND_ONLY/,
    );
    expect(
      attack(
        `UPDATE payee_confirmations SET operator_id = 'op-holder', expires_at = '2099-01-01' WHERE token = ${q(unused)}`,
      ),
    ).toMatch(/APPEND_ONLY/);
    expect(
      attack(`UPDATE payee_confirmations SET used_key = NULL, used_at = NULL WHERE token = ${q(token)}`),
    ).toMatch(/APPEND_ONLY/);
    expect(
      attack(
        `UPDATE OR REPLACE payee_confirmations SET used_key = ${q(k1)}, used_at = 'now' WHERE token = ${q(unused)}`,
      ),
    ).toMatch(/APPEND_ONLY/);
    expect(attack(`DELETE FROM payee_confirmations`)).toMatch(/APPEND_ONLY/);
    // Born unused; a use names a real reservation.
    expect(
      attack(
        `INSERT INTO payee_confirmations (token, bill_id, service, account_no, payee_masked, amount_fen, chosen, fee_fen, inquired_at, operator_id, confirmed_at, expires_at, used_key, used_at)
         VALUES ('${'z'.repeat(43)}', 'b', 'gas', '1', 'p', 1, 0, 0, 'now', 'op-holder', '2026-01-01', '2026-01-02', ${q(k1)}, 'now')`,
      ),
    ).toMatch(/APPEND_ONLY/);
    expect(
      attack(
        `UPDATE payee_confirmations SET used_key = 'no-such-key', used_at = 'now' WHERE token = ${q(unused)}`,
      ),
    ).toMatch(/FOREIGN KEY/);
    expect(count(`SELECT count(*) FROM payee_confirmations`)).toBe(2);
  });
});

describe('top-ups', () => {
  it('PAY-3: a Green Card top-up records the masked card and the bank reference, once per reference', async () => {
    const t = ok(
      await b.call('topup.greenCard', { amount: '300', bankRef: 'BR-GC-0001', idempotencyKey: key() }),
    );
    expect(t).toMatchObject({
      kind: 'topup_green_card',
      cardMasked: '6221 **** **** 0088',
      bankRef: 'BR-GC-0001',
      floatAfter: '300.00',
    });
    const e = refused(
      await b.call('topup.greenCard', { amount: '300', bankRef: 'BR-GC-0001', idempotencyKey: key() }),
      'DUPLICATE_VOUCHER',
    );
    expect(e.message).toContain('银行流水号');
  });

  it('PAY-3: two top-ups of one bank reference in flight at once credit it once', async () => {
    const send = () =>
      b.call('topup.greenCard', { amount: '500', bankRef: 'BR-RACE-01', idempotencyKey: key() });
    const [r1, r2] = await Promise.all([send(), send()]);
    expect([r1.ok, r2.ok].sort()).toEqual([false, true]);
    const e = (r1.ok ? r2 : r1) as { ok: false; error: { code: string; message: string } };
    expect(e.error.code).toBe('DUPLICATE_VOUCHER');
    expect(e.error.message).toContain('银行流水号');
    expect((await balance()).balance).toBe('500.00');
  });

  it('PAY-2: a voucher top-up records voucher, branch, clerk and time; vouchers are searchable for audit', async () => {
    const voucherNo = await branchVoucher(b, '1000');
    const t = ok(await confirmVoucher(voucherNo, { depositedAt: '2026-11-28T01:30:00+08:00' }));
    expect(t).toMatchObject({
      voucherNo,
      branchCode: '350100',
      clerk: '张三',
      depositedAt: '2026-11-28T01:30:00+08:00',
      operatorId: 'op-holder',
    });
    const found = ok(await b.call('voucher.list', { search: voucherNo.slice(-6) })).items;
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      voucherNo,
      amount: '1000.00',
      serial: t.serial,
      reversed: false,
    });
    const e = refused(await confirmVoucher(voucherNo), 'DUPLICATE_VOUCHER');
    expect(e.message).toMatch(/凭证号已经入账/);
  });

  it('a voucher the central system does not know is refused, nothing credited', async () => {
    refused(await confirmVoucher('X-UNKNOWN-1'), 'NOT_FOUND');
    expect((await balance()).balance).toBe('0.00');
  });
});

describe('reversals', () => {
  it('SRV-3: a payment is reversed once, with a reason; the original shows as reversed', async () => {
    await topUp(b, '2000');
    const t = await payBill(b, 'water', '90000001', '500');
    const r = ok(await b.call('txn.reverse', { txnId: t.txnId, reason: '户号输错', idempotencyKey: key() }));
    expect(r).toMatchObject({
      kind: 'reversal',
      reversesTxnId: t.txnId,
      reversesSerial: t.serial,
      reason: '户号输错',
      floatAfter: '2000.00',
    });
    refused(
      await b.call('txn.reverse', { txnId: t.txnId, reason: '再冲一次', idempotencyKey: key() }),
      'ALREADY_REVERSED',
    );
    refused(
      await b.call('txn.reverse', { txnId: r.txnId, reason: '冲正的冲正', idempotencyKey: key() }),
      'NOT_REVERSIBLE',
    );
    const orig = ok(await b.call('txn.get', { serial: t.serial }));
    expect(orig.reversedBySerial).toBe(r.serial);
    refused(
      await b.call('txn.reverse', { txnId: t.txnId, reason: '', idempotencyKey: key() }),
      'INVALID_INPUT',
    );
  });

  it('SRV-3: a reversal whose answer was lost is completed by a retry with the same key', async () => {
    await topUp(b, '2000');
    const t = await payBill(b, 'water', '91000001', '500');
    const args = { txnId: t.txnId, reason: '户号输错', idempotencyKey: key() };
    // The central system reverses, but its answer never arrives.
    const gw = b.gateway as FaultyGateway;
    const real = gw.reversePayment.bind(gw);
    gw.reversePayment = async (ref, reason) => {
      await real(ref, reason);
      throw new Error('connection reset');
    };
    refused(await b.call('txn.reverse', args), 'GATEWAY_UNAVAILABLE');
    gw.reversePayment = real;
    const r = ok(await b.call('txn.reverse', args));
    expect(r).toMatchObject({ kind: 'reversal', reversesTxnId: t.txnId, floatAfter: '2000.00' });
  });

  it('PAY-1/SRV-3: a top-up reversal holds its float while the central system answers, so no payment can spend it; the platform refuses it and the hold is released', async () => {
    const t = await topUp(b, '500');
    const gw = b.gateway as FaultyGateway;
    const real = gw.reverseTopUp.bind(gw);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const atCentral = new Promise<void>((r) => (entered = r));
    gw.reverseTopUp = async (...args) => {
      entered();
      await gate;
      return real(...args);
    };
    const reversal = b.call('txn.reverse', { txnId: t.txnId, reason: '金额录错', idempotencyKey: key() });
    await atCentral; // the reversal is waiting for the central system's answer
    expect((await balance()).available).toBe('0.00'); // held for the reversal
    const bill = ok(await b.call('bill.inquire', { service: 'water', account: '92000001' }));
    refused(await pay(bill), 'INSUFFICIENT_FLOAT');
    release();
    // The branch credited the deposit to the central account: only the branch can correct it.
    expect(refused(await reversal, 'NOT_REVERSIBLE').message).toContain('网点');
    expect(await balance()).toEqual({ balance: '500.00', pending: '0.00', available: '500.00' });
    gw.reverseTopUp = real;
  });

  it("a top-up reversal whose answer was lost is settled by recovery: the platform's refusal releases the held float", async () => {
    const t = await topUp(b, '500');
    const gw = b.gateway as FaultyGateway;
    const real = gw.reverseTopUp.bind(gw);
    gw.reverseTopUp = async (...args) => {
      await real(...args);
      throw new Error('connection reset');
    };
    refused(
      await b.call('txn.reverse', { txnId: t.txnId, reason: '金额录错', idempotencyKey: key() }),
      'GATEWAY_UNAVAILABLE',
    );
    gw.reverseTopUp = real;
    expect((await balance()).pending).toBe('500.00');
    await b.recover();
    expect(await balance()).toEqual({ balance: '500.00', pending: '0.00', available: '500.00' });
    expect(ok(await b.call('txn.get', { txnId: t.txnId })).reversedByTxnId).toBeFalsy();
  });

  it('PAY-2: a voucher top-up is not reversed at the station (the branch credited the deposit): refused, the voucher stays credited once', async () => {
    const voucherNo = await branchVoucher(b, '500');
    const t = await topUp(b, '500', voucherNo);
    const again = {
      voucherNo,
      branchCode: '350100',
      clerk: '李四',
      amount: '50',
    };
    refused(await b.call('topup.voucher', { ...again, idempotencyKey: key() }), 'DUPLICATE_VOUCHER');
    refused(
      await b.call('txn.reverse', { txnId: t.txnId, reason: '金额录错', idempotencyKey: key() }),
      'NOT_REVERSIBLE',
    );
    refused(await b.call('topup.voucher', { ...again, idempotencyKey: key() }), 'DUPLICATE_VOUCHER');
    expect((await balance()).balance).toBe('500.00');
    const vs = ok(await b.call('voucher.list', { search: voucherNo.slice(-6) })).items;
    expect(vs.map((v: { reversed: boolean }) => v.reversed)).toEqual([false]);
  });
});

describe('closed days through the API', () => {
  it('DAY_CLOSED: a posting into a day whose row is closed is refused; the next day goes on', async () => {
    await topUp(b, '100');
    b.db
      .prepare(`UPDATE business_days SET status = 'closed', closed_at = ? WHERE day = '2026-11-28'`)
      .run(clock.now().toISOString());
    refused(
      await b.call('topup.greenCard', { amount: '10', bankRef: 'BR-CLOSED-1', idempotencyKey: key() }),
      'DAY_CLOSED',
    );
    clock.set('2026-11-28T16:00:01.000Z'); // 00:00:01 on the 29th in Shanghai
    const t = ok(
      await b.call('topup.greenCard', { amount: '10', bankRef: 'BR-CLOSED-1', idempotencyKey: key() }),
    );
    expect(t.businessDay).toBe('2026-11-29');
  });
});

describe('reversing takings deposited at the branch', () => {
  it('PAY-5/SRV-3: takings deposited at the branch are credited centrally by the deposit; the station cannot reverse them there', async () => {
    await topUp(b, '1000');
    await payBill(b, 'water', '34000001', '500');
    const before = await b.gateway.centralBalance('35010099001');
    const voucherNo = await branchVoucher(b, '20');
    const s = ok(
      await b.call('takings.settle', {
        mode: 'deposit',
        amount: '20',
        voucherNo,
        branchCode: '350100',
        clerk: '李四',
        idempotencyKey: key(),
      }),
    );
    expect(await b.gateway.centralBalance('35010099001')).toBe(before + 2000);
    refused(
      await b.call('txn.reverse', { txnId: s.txnId, reason: '金额录错', idempotencyKey: key() }),
      'NOT_REVERSIBLE',
    );
    expect(await b.gateway.centralBalance('35010099001')).toBe(before + 2000);
  });
});

describe('low-float warning on a new station', () => {
  it("PAY-4: with no past days, today's payments so far give the rate, so the first day is warned too", async () => {
    await topUp(b, '1000');
    expect(ok(await b.call('float.forecast', {})).level).toBe('unknown');
    for (let i = 0; i < 3; i++) await payBill(b, 'water', `5600000${i}`);
    const f = ok(await b.call('float.forecast', {}));
    expect(f.basis).toBe('today_so_far');
    expect(['low', 'critical']).toContain(f.level);
    expect(f.message).toContain('今日');
    expect(f.suggestedTopUp).not.toBe('0.00');
  });
});

describe('closed days and the central system', () => {
  it('DAY_CLOSED: a top-up or reversal into a closed day is refused before the central system records it', async () => {
    const t = await topUp(b, '100');
    const central = await b.gateway.centralBalance('35010099001');
    b.db
      .prepare(`UPDATE business_days SET status = 'closed', closed_at = ? WHERE day = '2026-11-28'`)
      .run(clock.now().toISOString());
    refused(
      await b.call('topup.voucher', {
        voucherNo: 'V-CLOSED-02',
        branchCode: '350100',
        clerk: '李四',
        amount: '50',
        idempotencyKey: key(),
      }),
      'DAY_CLOSED',
    );
    refused(
      await b.call('txn.reverse', { txnId: t.txnId, reason: '录错', idempotencyKey: key() }),
      'DAY_CLOSED',
    );
    expect(await b.gateway.centralBalance('35010099001')).toBe(central);
  });
});

describe('HTTP transport (browser mode)', () => {
  it('requires the bearer token, answers 4xx on refusals, and carries money as strings', async () => {
    const { close, port } = await startHttpServer({ call: b.call, token: 'secret-token-1', port: 0 });
    try {
      const post = (channel: string, body: unknown, token = 'secret-token-1') =>
        fetch(`http://127.0.0.1:${port}/api/${channel}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      expect((await post('float.balance', {}, 'wrong')).status).toBe(401);
      const bad = await post('topup.greenCard', { amount: 96.5, bankRef: 'BR-1', idempotencyKey: 'x' });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as any).error.code).toBe('INVALID_INPUT');
      const good = await post('topup.greenCard', {
        amount: '96.50',
        bankRef: 'BR-HTTP-1',
        idempotencyKey: key(),
      });
      expect(good.status).toBe(200);
      const body = (await good.json()) as any;
      expect(body.data.amount).toBe('96.50');
      expect((await post('no.such', {})).status).toBe(404);
      const big = await post('bill.inquire', { service: 'water', account: DEMO_ACCOUNTS.large });
      const bill = ((await big.json()) as any).data;
      const confirmed = await post('bill.confirmPayee', {
        billId: bill.billId,
        payeeMasked: bill.payeeMasked,
        amount: bill.amountDue,
      });
      const insufficient = await post('bill.pay', {
        billId: bill.billId,
        cashReceived: '48000',
        confirmedPayee: ((await confirmed.json()) as any).data.confirmedPayee,
        idempotencyKey: key(),
      });
      expect(insufficient.status).toBe(422);
      // DNS rebinding: a page on another name that resolves to 127.0.0.1 is refused.
      const { status } = await rawRequest(
        port,
        'POST',
        '/api/float.balance',
        { authorization: 'Bearer secret-token-1', 'content-type': 'application/json', host: 'evil.example' },
        '{}',
      );
      expect(status).toBe(401);
    } finally {
      await close();
    }
  });
});

describe('demo station', () => {
  it('a fresh data directory gets a labelled demo station with an opening float', async () => {
    const fresh = await testBackend({ demoOpeningFloat: true, now: clock.now });
    try {
      const st = ok(await fresh.call('station.get', undefined));
      expect(st).toMatchObject({ demo: true, name: expect.stringContaining('演示') });
      expect(ok(await fresh.call('float.balance', undefined)).balance).toBe('2000.00');
      const again = await testBackend({ dataDir: fresh.dataDir, demoOpeningFloat: true, now: clock.now });
      expect(ok(await again.call('float.balance', undefined)).balance).toBe('2000.00');
      again.close();
    } finally {
      fresh.close();
    }
    expect(path.basename(b.dataDir)).toMatch(/^yizhan-test-/);
  });
});
