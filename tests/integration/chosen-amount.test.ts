// Issue 13, customer-chosen amounts: prepaid electricity and phone top-ups take an amount of the
// customer's choice within the biller's limits (shared/sim-billers.ts SIM_CHOOSE_LIMITS). Through
// the API: the limits a look-up gives, the refusals (codes, Chinese messages, nothing written),
// a chosen amount never marking the bill paid, the same over the platform, and migration 012.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Backend } from '../../backend/backend';
import { GatewayUnavailable } from '../../backend/gateway/types';
import { MIGRATIONS } from '../../db/migrations/index';
import { openDatabase } from '../../db/open';
import { SIM_ACCOUNTS } from '../../shared/sim-billers';
import { formatFen } from '../../shared/money';
import {
  billPayArgs,
  backendAt,
  confirmPayee,
  key,
  ok,
  refused,
  sqlAttacker,
  tempDir,
  testBackend,
  testClock,
  topUp,
  type TestBackend,
} from '../helpers/backend';
import { stationOnNewPlatform, type TestPlatform } from '../helpers/platform';

const CHOSEN_ONLY = SIM_ACCOUNTS.noBill; // 99990002: electricity/telephone with nothing due

describe('customer-chosen amounts through the API (in-process stand-in)', () => {
  let b: Backend & { dataDir: string };
  const clock = testClock();
  beforeEach(async () => {
    b = await backendAt(clock);
    await topUp(b, '2000.00');
    institutionNo = ok(await b.call('station.get', undefined)).institutionNo;
  });
  afterEach(() => b.close());
  let institutionNo = '';

  const value = (sql: string, ...args: unknown[]) =>
    b.db
      .prepare(sql)
      .pluck()
      .get(...args);
  const inquiryRow = (billId: string) =>
    b.db.prepare(`SELECT * FROM bill_inquiries WHERE bill_id = ?`).get(billId) as Record<string, unknown>;
  /** Everything a payment could write: ledger, reservations, the float, the bill, the central side. */
  const written = async (billId: string) => ({
    txns: value(`SELECT count(*) FROM txns`),
    reservations: value(`SELECT count(*) FROM reservations`),
    float: ok(await b.call('float.balance', undefined)),
    inquiry: inquiryRow(billId),
    central: await b.gateway.centralBalance(institutionNo),
  });
  /** SRV-2: the operator's confirmation of each payment (by its key: a retry sends the same), made
   *  at the amount paid; none where the station refuses to confirm (the payment is refused then
   *  for the same reason, before the confirmation is asked for). */
  const confirmations = new Map<string, string | undefined>();
  const pay = async (
    billId: string,
    amount: string | undefined,
    cashReceived: string,
    idempotencyKey = key('pay'),
  ) => {
    if (!confirmations.has(idempotencyKey)) {
      const inq = inquiryRow(billId);
      const shown =
        amount ?? (inq['amount_fen'] === null ? undefined : formatFen(inq['amount_fen'] as number));
      const r =
        shown === undefined
          ? undefined
          : await b.call('bill.confirmPayee', {
              billId,
              payeeMasked: String(inq['payee_masked']),
              amount: shown,
            });
      confirmations.set(
        idempotencyKey,
        r?.ok ? (r.data as { confirmedPayee: string }).confirmedPayee : undefined,
      );
    }
    const confirmedPayee = confirmations.get(idempotencyKey);
    return b.call('bill.pay', {
      billId,
      ...(amount === undefined ? {} : { amount }),
      cashReceived,
      ...(confirmedPayee === undefined ? {} : { confirmedPayee }),
      idempotencyKey,
    });
  };

  it('a look-up with nothing due but a chosen amount gives the limits (yuan strings), not NO_BILL_DUE, and stores them in fen', async () => {
    const bill = ok(await b.call('bill.inquire', { service: 'telephone', account: CHOSEN_ONLY }));
    expect(bill).toMatchObject({
      amountDue: null,
      total: null,
      floatAfter: null,
      fee: '0.00',
      floatAvailable: '2000.00',
      choose: { min: '10.00', max: '1000.00' },
    });
    expect(inquiryRow(bill.billId)).toMatchObject({
      amount_fen: null,
      choose_min_fen: 1_000,
      choose_max_fen: 100_000,
      paid_txn_id: null,
    });
    // Electricity: an account with a bill due offers its limits too; water and gas do not.
    const el = ok(await b.call('bill.inquire', { service: 'electricity', account: '55667788' }));
    expect(el.amountDue).not.toBeNull();
    expect(el.choose).toEqual({ min: '10.00', max: '5000.00' });
    expect(ok(await b.call('bill.inquire', { service: 'water', account: '55667788' })).choose).toBeNull();
    // Water with nothing due: still no bill.
    refused(await b.call('bill.inquire', { service: 'water', account: CHOSEN_ONLY }), 'NO_BILL_DUE');
  });

  it('refusals: no amount, out of the limits, an amount for a fixed bill — stable codes, Chinese messages, nothing written', async () => {
    const bill = ok(await b.call('bill.inquire', { service: 'telephone', account: CHOSEN_ONLY }));
    const before = await written(bill.billId);

    const none = refused(await pay(bill.billId, undefined, '100'), 'AMOUNT_REQUIRED');
    expect(none.message).toBe('该户号没有应缴金额，请输入客户选择的缴费金额（10.00–1000.00 元）');
    const low = refused(await pay(bill.billId, '9.99', '100'), 'AMOUNT_OUT_OF_RANGE');
    expect(low.details).toMatchObject({ amount: '9.99', min: '10.00', max: '1000.00' });
    expect(low.message).toBe('缴费金额 9.99 元超出限额：须在 10.00 元至 1000.00 元之间');
    refused(await pay(bill.billId, '1000.01', '2000'), 'AMOUNT_OUT_OF_RANGE');
    // A malformed amount never reaches the bill: the contract's schema refuses it.
    refused(await pay(bill.billId, '50.001', '100'), 'INVALID_INPUT');
    refused(await pay(bill.billId, '-50', '100'), 'INVALID_INPUT');
    refused(await pay(bill.billId, '0', '100'), 'INVALID_INPUT');

    const water = ok(await b.call('bill.inquire', { service: 'water', account: '12345678' }));
    const waterBefore = await written(water.billId);
    const fixed = refused(await pay(water.billId, '50.00', '500'), 'AMOUNT_FIXED');
    expect(fixed.details).toMatchObject({ amountDue: water.amountDue, amount: '50.00' });
    expect(fixed.message).toBe(
      `该账单只能按应缴金额 ${water.amountDue} 元缴费，不能自选金额（本次输入 50.00 元）`,
    );
    expect(await written(water.billId)).toEqual(waterBefore);
    expect(await written(bill.billId)).toEqual(before);

    // The amount due, given as the amount, is the amount due: it pays the bill.
    const paid = ok(await pay(water.billId, water.amountDue!, '500'));
    expect(paid.amount).toBe(water.amountDue);
    expect(inquiryRow(water.billId)['paid_txn_id']).toBe(paid.txnId);
  });

  it('a refusal is the answer of its key: the same key replays it and nothing is written then either', async () => {
    const bill = ok(await b.call('bill.inquire', { service: 'electricity', account: CHOSEN_ONLY }));
    const k = key('pay');
    refused(await pay(bill.billId, '5000.01', '6000', k), 'AMOUNT_OUT_OF_RANGE');
    const before = await written(bill.billId);
    const again = refused(await pay(bill.billId, '5000.01', '6000', k), 'AMOUNT_OUT_OF_RANGE');
    expect(again.details['replayed']).toBe(true);
    expect(await written(bill.billId)).toEqual(before);
  });

  it('a chosen amount is paid within the limits (inclusive) and never marks the bill paid: the customer tops up again', async () => {
    const bill = ok(await b.call('bill.inquire', { service: 'telephone', account: CHOSEN_ONLY }));
    const first = ok(await pay(bill.billId, '50', '100'));
    expect(first).toMatchObject({
      kind: 'bill_payment',
      amount: '50.00',
      fee: '0.00',
      total: '50.00',
      cashReceived: '100.00',
      change: '50.00',
      floatAfter: '1950.00',
    });
    expect(inquiryRow(bill.billId)['paid_txn_id']).toBeNull();
    const details = JSON.parse(
      value(`SELECT details FROM txns WHERE id = ?`, first.txnId) as string,
    ) as Record<string, unknown>;
    expect(details).toMatchObject({ billId: bill.billId, chosenAmount: true });
    // The limits themselves are accepted, and the same account again.
    ok(await pay(bill.billId, '10.00', '10.00'));
    ok(await pay(bill.billId, '1000.00', '1000.00'));
    expect(ok(await b.call('float.balance', undefined))).toMatchObject({
      balance: '940.00',
      pending: '0.00',
    });
    expect(await b.gateway.centralBalance(institutionNo)).toBe(94_000);
    expect(inquiryRow(bill.billId)['paid_txn_id']).toBeNull();
    // Looked up again: still nothing due, still the limits.
    expect(ok(await b.call('bill.inquire', { service: 'telephone', account: CHOSEN_ONLY }))).toMatchObject({
      amountDue: null,
      choose: { min: '10.00', max: '1000.00' },
    });
  });

  it('electricity with a bill due: a chosen top-up leaves the bill due; the bill paid, top-ups go on (never BILL_ALREADY_PAID)', async () => {
    const account = '55667711';
    const bill = ok(await b.call('bill.inquire', { service: 'electricity', account }));
    const due = bill.amountDue as string;
    const topped = ok(await pay(bill.billId, due === '30.00' ? '31.00' : '30.00', '100'));
    expect(inquiryRow(bill.billId)['paid_txn_id']).toBeNull();
    expect(ok(await b.call('bill.inquire', { service: 'electricity', account })).amountDue).toBe(due);
    const paid = ok(await pay(bill.billId, undefined, due));
    expect(paid.txnId).not.toBe(topped.txnId);
    expect(inquiryRow(bill.billId)['paid_txn_id']).toBe(paid.txnId);
    refused(await pay(bill.billId, undefined, due), 'BILL_ALREADY_PAID');
    // Looked up again: nothing due now, a chosen amount still welcome.
    const after = ok(await b.call('bill.inquire', { service: 'electricity', account }));
    expect(after).toMatchObject({ billId: bill.billId, amountDue: null, choose: { max: '5000.00' } });
    refused(await pay(bill.billId, undefined, due), 'AMOUNT_REQUIRED');
    ok(await pay(bill.billId, '20.00', '20.00'));
    expect(inquiryRow(bill.billId)['paid_txn_id']).toBe(paid.txnId);
  });

  it('idempotency: the same key with another amount conflicts; with the same amount it replays the payment', async () => {
    const bill = ok(await b.call('bill.inquire', { service: 'telephone', account: CHOSEN_ONLY }));
    const k = key('pay');
    const first = ok(await pay(bill.billId, '88.00', '100', k));
    expect(ok(await pay(bill.billId, '88', '100', k)).txnId).toBe(first.txnId);
    refused(await pay(bill.billId, '99.00', '100', k), 'IDEMPOTENCY_CONFLICT');
    expect(value(`SELECT count(*) FROM txns WHERE kind = 'bill_payment'`)).toBe(1);
  });

  it('the cash is checked against the chosen amount, and the float against it too', async () => {
    const bill = ok(await b.call('bill.inquire', { service: 'electricity', account: CHOSEN_ONLY }));
    const short = refused(await pay(bill.billId, '300.00', '200'), 'CASH_SHORT');
    expect(short.details).toMatchObject({ total: '300.00', missing: '100.00' });
    const over = refused(await pay(bill.billId, '2500.00', '2500'), 'INSUFFICIENT_FLOAT');
    expect(over.details).toMatchObject({ needed: '2500.00', available: '2000.00', shortfall: '500.00' });
    expect(value(`SELECT count(*) FROM txns WHERE kind = 'bill_payment'`)).toBe(0);
  });

  it('a pending chosen amount (payment.pending) carries the amount its retry must send again', async () => {
    b.close();
    b = await testBackend({ now: clock.now, gatewayTimeoutMs: 200 });
    await topUp(b, '2000.00');
    const bill = ok(await b.call('bill.inquire', { service: 'telephone', account: CHOSEN_ONLY }));
    const k = key('pay');
    // The central system takes the payment, but its reply is lost: the outcome is unknown.
    const gw = b.gateway;
    const realPay = gw.pay.bind(gw);
    gw.pay = async (req) => {
      await realPay(req);
      throw new GatewayUnavailable('reply lost');
    };
    refused(await pay(bill.billId, '66.00', '100', k), 'GATEWAY_UNAVAILABLE');
    const pending = ok(await b.call('payment.pending', undefined)).items;
    expect(pending).toMatchObject([
      { idempotencyKey: k, amount: '66.00', chosenAmount: '66.00', confirmedPayee: confirmations.get(k) },
    ]);
    gw.pay = realPay;
    const done = ok(await pay(bill.billId, pending[0].chosenAmount, pending[0].cashReceived, k));
    expect(done).toMatchObject({ amount: '66.00', change: '34.00' });
    expect(inquiryRow(bill.billId)['paid_txn_id']).toBeNull();
  });

  it('the database keeps its guards on bill_inquiries (migration 012): limits both or neither, an amount or limits', () => {
    const attack = sqlAttacker(b.db);
    const op = value(`SELECT id FROM operators LIMIT 1`) as string;
    const insert = (amount: string, min: string, max: string, id = key('B')) =>
      attack(
        `INSERT INTO bill_inquiries (bill_id, service, account_no, payee_masked, amount_fen, fee_fen, inquired_at, operator_id, choose_min_fen, choose_max_fen)
         VALUES ('${id}', 'telephone', '12345678', '王*伟', ${amount}, 0, '2026-11-28T02:00:00.000Z', '${op}', ${min}, ${max})`,
      );
    expect(insert('NULL', 'NULL', 'NULL')).toMatch(/CHECK/);
    expect(insert('NULL', '1000', 'NULL')).toMatch(/CHECK/);
    expect(insert('NULL', '2000', '1000')).toMatch(/CHECK/);
    expect(insert('NULL', '0', '1000')).toMatch(/CHECK/);
    expect(insert('0', 'NULL', 'NULL')).toMatch(/CHECK/);
    expect(insert('NULL', '1000', '100000')).toBe('accepted');
    expect(insert('5000', '1000', '100000')).toBe('accepted');
  });
});

describe('migration 012', () => {
  it('rebuilds bill_inquiries with its rows and its two guards (a paid bill is never forgotten, its key never changes)', async () => {
    const b = await testBackend();
    await topUp(b, '500.00');
    const bill = ok(await b.call('bill.inquire', { service: 'water', account: '12345678' }));
    const paid = ok(await b.call('bill.pay', await billPayArgs(b, bill, { cash: bill.total! })));
    ok(await b.call('bill.inquire', { service: 'gas', account: '12345679' }));
    b.close();
    const file = path.join(tempDir(), 'station.sqlite');
    fs.copyFileSync(path.join(b.dataDir, 'station.sqlite'), file);
    const v11 = openDatabase(file, { migrations: MIGRATIONS.filter((m) => m.version <= 11) });
    const guards = (db: typeof v11) =>
      db
        .prepare(
          `SELECT name FROM sqlite_master WHERE tbl_name = 'bill_inquiries' AND type = 'trigger' ORDER BY name`,
        )
        .pluck()
        .all();
    const before = v11.prepare(`SELECT * FROM bill_inquiries ORDER BY bill_id`).all() as Record<
      string,
      unknown
    >[];
    expect(before).toHaveLength(2);
    const triggers = guards(v11);
    expect(triggers).toEqual(['bill_inquiries_key_fixed', 'bill_inquiries_no_replace']);
    v11.close();

    const now = openDatabase(file);
    expect(now.prepare(`SELECT * FROM bill_inquiries ORDER BY bill_id`).all()).toEqual(
      before.map((r) => ({ ...r, choose_min_fen: null, choose_max_fen: null })),
    );
    expect(guards(now)).toEqual(triggers);
    const attack = sqlAttacker(now);
    expect(
      attack(
        `INSERT OR REPLACE INTO bill_inquiries (bill_id, service, account_no, payee_masked, amount_fen, fee_fen, inquired_at, operator_id)
         SELECT bill_id, service, account_no, payee_masked, amount_fen, fee_fen, inquired_at, operator_id FROM bill_inquiries WHERE bill_id = '${bill.billId}'`,
      ),
    ).toBe('accepted'); // refreshed in place by the trigger …
    expect(
      now.prepare(`SELECT paid_txn_id FROM bill_inquiries WHERE bill_id = ?`).pluck().get(bill.billId),
    ).toBe(paid.txnId); // … without forgetting the payment
    expect(attack(`UPDATE bill_inquiries SET account_no = '99999999' WHERE bill_id = '${bill.billId}'`)).toBe(
      'APPEND_ONLY',
    );
    now.close();
  });
});

describe('customer-chosen amounts on the platform', () => {
  let p: TestPlatform;
  let b: TestBackend;
  let no: string;
  beforeEach(async () => {
    ({ p, b, no } = await stationOnNewPlatform());
    await topUp(b, '2000.00', await p.deposit(no, 200_000));
  });
  afterEach(async () => {
    b?.close();
    await p?.stop();
  });

  it('the chosen amount goes through the platform gateway to the biller; out of the limits nothing reaches the platform', async () => {
    const bill = ok(await b.call('bill.inquire', { service: 'telephone', account: CHOSEN_ONLY }));
    expect(bill).toMatchObject({ amountDue: null, choose: { min: '10.00', max: '1000.00' } });
    const k = key();
    const paid = ok(
      await b.call('bill.pay', {
        billId: bill.billId,
        amount: '50.00',
        cashReceived: '100',
        confirmedPayee: await confirmPayee(b, bill, '50.00'),
        idempotencyKey: k,
      }),
    );
    expect(paid).toMatchObject({ amount: '50.00', change: '50.00', floatAfter: '1950.00' });
    expect(await b.gateway.centralBalance(no)).toBe(195_000);
    // The platform's own record: the chosen amount, a top-up of its own at the biller.
    expect(await p.store.accounts.payment(no, k)).toMatchObject({ amountFen: 5_000, state: 'paid' });
    expect(
      b.db.prepare(`SELECT paid_txn_id FROM bill_inquiries WHERE bill_id = ?`).pluck().get(bill.billId),
    ).toBeNull();
    refused(
      await b.call('bill.pay', {
        billId: bill.billId,
        amount: '1000.01',
        cashReceived: '2000',
        idempotencyKey: key(),
      }),
      'AMOUNT_OUT_OF_RANGE',
    );
    expect(await b.gateway.centralBalance(no)).toBe(195_000);
    // Again: a top-up is never "already paid".
    ok(
      await b.call('bill.pay', {
        billId: bill.billId,
        amount: '20',
        cashReceived: '20',
        confirmedPayee: await confirmPayee(b, bill, '20'),
        idempotencyKey: key(),
      }),
    );
    expect(await b.gateway.centralBalance(no)).toBe(193_000);
  });
});
