// The station talks to the platform (issue 10 item 6): a real station backend with the
// platform gateway, a real platform (embedded SQLite, simulated billers) over HTTP.
import crypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postTxn } from '../../db/ledger';
import { toFen } from '../../shared/money';
import { today } from '../../backend/context';
import type { DayReportDto } from '../../shared/contract';
import { stationOnNewPlatform, type TestPlatform } from '../helpers/platform';
import { billPayArgs, key, ok, refused, type TestBackend } from '../helpers/backend';

describe('a station on the platform', () => {
  let p: TestPlatform;
  let b: TestBackend;
  let no: string;
  beforeEach(async () => ({ p, b, no } = await stationOnNewPlatform()));
  afterEach(async () => {
    b?.close();
    await p?.stop();
  });

  /** A top-up written straight into the local ledger: the platform never saw it. */
  const forgeTopUp = (amountFen: number, voucherNo: string) =>
    b.db.transaction(() =>
      postTxn(b.db, {
        kind: 'topup_voucher',
        businessDay: today(b.ctx).day,
        createdAt: new Date().toISOString(),
        operatorId: b.ctx.operatorId,
        amountFen,
        feeFen: 0,
        idempotencyKey: key('forged'),
        requestHash: crypto.randomBytes(32).toString('hex'),
        legs: [
          ['float', amountFen],
          ['owner', -amountFen],
        ],
        details: { voucherNo, branchCode: '350100', clerk: 'x', depositedAt: new Date().toISOString() },
      }),
    )();
  const float = async () => (ok(await b.call('float.balance', undefined)) as { balance: string }).balance;
  const topUp = (voucherNo: string, amount: string) =>
    b.call('topup.voucher', {
      voucherNo,
      branchCode: '350100',
      clerk: '王五',
      amount,
      idempotencyKey: key('top'),
    });

  /** bill.pay of the looked-up `bill` with `cash` received, confirmed with the customer first. */
  const pay = async (bill: { billId: string; payeeMasked: string; amountDue: string }, cash = '400.00') =>
    b.call('bill.pay', await billPayArgs(b, bill, { cash, idempotencyKey: key('pay') }));

  /** The branch credits 1,000.00 and the counter confirms it; then the bill of `account` is looked up. */
  const fundedBill = async (service: string, account: string) => {
    ok(await topUp(await p.deposit(no, 100_000), '1000.00'));
    return ok(await b.call('bill.inquire', { service, account })) as {
      billId: string;
      total: string;
      payeeMasked: string;
      amountDue: string;
    };
  };

  it('PAY-2: the station confirms the voucher the branch issued; its float rises once; the same voucher again is refused', async () => {
    const voucherNo = await p.deposit(no, 50_000);
    expect(await float()).toBe('0.00');
    ok(await topUp(voucherNo, '500.00'));
    expect(await float()).toBe('500.00');
    refused(await topUp(voucherNo, '500.00'), 'DUPLICATE_VOUCHER');
    // Typed in another form it is the same voucher at the platform: refused, nothing credited.
    const again = await topUp(`${voucherNo.slice(0, 2).toLowerCase()}-${voucherNo.slice(2)}`, '500.00');
    expect(again.ok).toBe(false);
    expect(await float()).toBe('500.00');
    // A number the branch never issued is not confirmed.
    refused(await topUp('CK9999999999', '100.00'), 'NOT_FOUND');
    expect(await b.gateway.centralBalance(no)).toBe(50_000);
  });

  it('PAY-1: the platform refuses a payment its central balance cannot cover, although the local ledger (edited) claims enough; nothing is debited', async () => {
    ok(await topUp(await p.deposit(no, 10_000), '100.00'));
    // The local ledger is made to claim 10,000.00 more than the platform holds.
    forgeTopUp(1_000_000, 'FORGED-1');
    expect(await float()).toBe('10100.00');
    const bill = ok(await b.call('bill.inquire', { service: 'water', account: '12345678' })) as {
      billId: string;
      amount: string;
      payeeMasked: string;
      amountDue: string;
    };
    const r = await pay(bill);
    const err = refused(r, 'PAYMENT_DECLINED');
    expect(err.message).toContain('余额不足');
    expect(await b.gateway.centralBalance(no)).toBe(10_000);
    expect(await float()).toBe('10100.00');
    expect((await p.store.accounts.statement(no)).map((e) => e.kind)).toEqual(['deposit']);
  });

  it('a bill paid at the counter is debited once centrally; the station and the platform agree', async () => {
    const bill = await fundedBill('electricity', '55667788');
    const k = key('pay');
    const args = await billPayArgs(b, bill, { cash: '400.00', idempotencyKey: k });
    const paid = ok(await b.call('bill.pay', args)) as { floatAfter: string };
    const again = ok(await b.call('bill.pay', args)) as { floatAfter: string };
    expect(again.floatAfter).toBe(paid.floatAfter);
    expect(await b.gateway.centralBalance(no)).toBe(toFen(paid.floatAfter));
    expect((await p.store.accounts.payment(no, k))!.state).toBe('paid');
  });

  it("issue 13 problem 8: the platform names the biller with the bill; the customer's receipt prints it, its hotline and the central reference, not the float", async () => {
    const bill = await fundedBill('gas', '55667799');
    const paid = ok(await pay(bill, bill.total)) as {
      txnId: number;
      billerName: string;
      billerHotline: string;
      gatewayRef: string;
      floatAfter: string;
    };
    expect(paid.billerName).toBe('演示燃气公司');
    expect(paid.billerHotline).toBe('11185');
    const preview = ok(await b.call('receipt.preview', { txnId: paid.txnId, columns: 32 })) as {
      svg: string;
    };
    // The preview's characters, in order (the SVG places each in its own tspan).
    const text = preview.svg.replace(/<[^>]+>/g, '');
    expect(text).toContain('收费单位演示燃气公司');
    expect(text).toContain(`中心流水号${paid.gatewayRef}`);
    expect(text).toContain('客服热线11185');
    expect(text).not.toContain('预存款余额');
  });

  it('PAY-4: the day report lists, by key, what the station and the platform disagree on — a deposit not yet confirmed, a posting the platform never saw — and they explain the difference', async () => {
    const bill = await fundedBill('electricity', '55667788');
    ok(await pay(bill));
    const agreed = ok(await b.call('day.xReport', {})) as DayReportDto;
    expect(agreed.float.difference).toBe('0.00');
    expect(agreed.float.tieOut).toMatchObject({
      matchedCount: 2,
      lines: [],
      explained: '0.00',
      unexplained: '0.00',
    });

    // The branch credits 300.00 the station has not confirmed; the station's ledger gains 100.00
    // the platform never saw.
    const unconfirmed = await p.deposit(no, 30_000);
    forgeTopUp(10_000, 'ck-forged 2');
    const x = ok(await b.call('day.xReport', {})) as DayReportDto;
    expect(x.float.difference).toBe('200.00');
    const t = x.float.tieOut!;
    expect(t.complete).toBe(true);
    expect(t.matchedCount).toBe(2);
    expect(t.lines.map((l) => [l.ref, l.what, l.side, l.station, l.central, l.difference])).toEqual([
      ['CKFORGED2', 'topup', 'stationOnly', '100.00', '0.00', '-100.00'],
      [unconfirmed, 'topup', 'centralOnly', '0.00', '300.00', '300.00'],
    ]);
    expect(t.explained).toBe('200.00');
    expect(t.unexplained).toBe('0.00');
    // Confirming the deposit at the counter clears its line.
    ok(await topUp(unconfirmed, '300.00'));
    const after = (ok(await b.call('day.xReport', {})) as DayReportDto).float.tieOut!;
    expect(after.lines.map((l) => l.ref)).toEqual(['CKFORGED2']);
  });
});
