// Printing through the API, against a fake ESC/POS printer on 127.0.0.1 that decodes each job.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { key, ok, payBill, stationPrinter, testBackend, topUp } from '../helpers/backend';
import { FakePrinter } from '../helpers/fake-printer';
import { decodeEscPos } from '../helpers/escpos-decoder';
import type { Backend } from '../../backend/backend';

let b: Backend & { dataDir: string };
let printer: FakePrinter;
beforeEach(async () => {
  b = await testBackend();
  // Native QR so the test can read the payload back.
  b.db.prepare(`INSERT INTO settings (key, value) VALUES ('printer.qr', 'native')`).run();
  printer = await stationPrinter(b);
});
afterEach(async () => {
  b.close();
  await printer.stop();
});

describe('receipts through the API', () => {
  it('SRV-1/SRV-3: a payment prints one receipt with 收您/找您, the serial and its QR code, one cut, no unknown commands', async () => {
    await topUp(b, '1000');
    const t = await payBill(b, 'gas', '31000001', '500');
    const { job } = ok(await b.call('print.txn', { txnId: t.txnId }));
    expect(job.status).toBe('printed');
    await printer.settle();
    const printed = printer.jobs.map((j) => decodeEscPos(j));
    const receipt = printed[printed.length - 1]!;
    expect(receipt.text).toContain(`收您`);
    expect(receipt.text).toMatch(new RegExp(`收您\\s*${t.cashReceived.replace('.', '\\.')}\\s*元`));
    expect(receipt.text).toMatch(new RegExp(`找您\\s*${t.change.replace('.', '\\.')}\\s*元`));
    expect(receipt.text).toContain(t.serial);
    expect(receipt.text).toContain('演示');
    expect(receipt.qrPayloads).toEqual([t.serial]);
    expect(receipt.cuts).toBe(1);
    expect(receipt.unknown).toEqual([]);
    // Printing the same transaction again does not print twice by accident.
    const again = ok(await b.call('print.txn', { txnId: t.txnId }));
    expect(again.job.jobId).toBe(job.jobId);
    await printer.settle();
    expect(printer.jobs).toHaveLength(printed.length);
  });

  it('printer down: the payment is committed, the receipt waits; back up, it prints once', async () => {
    await topUp(b, '1000');
    await printer.goDown();
    const t = await payBill(b, 'water', '32000001', '300');
    const { job } = ok(await b.call('print.txn', { txnId: t.txnId }));
    expect(job.status).toBe('queued');
    expect(job.lastError).toMatch(/打印机/);
    expect(ok(await b.call('txn.get', { txnId: t.txnId })).serial).toBe(t.serial);
    await printer.comeBack();
    const r1 = ok(await b.call('print.retry', undefined));
    expect(r1.printed).toBe(1);
    const r2 = ok(await b.call('print.retry', undefined));
    expect(r2.printed).toBe(0);
    await printer.settle();
    expect(printer.jobs.filter((j) => decodeEscPos(j).text.includes(t.serial))).toHaveLength(1);
  });

  it('SRV-3: a reprint is marked 重印 with its count; a reversal slip names the original serial', async () => {
    await topUp(b, '1000');
    const t = await payBill(b, 'electricity', '33000001', '400');
    ok(await b.call('print.txn', { txnId: t.txnId }));
    const r1 = ok(await b.call('print.reprint', { txnId: t.txnId }));
    const r2 = ok(await b.call('print.reprint', { txnId: t.txnId }));
    expect([r1.job.reprintNo, r2.job.reprintNo]).toEqual([1, 2]);
    const rev = ok(
      await b.call('txn.reverse', { txnId: t.txnId, reason: '户号输错', idempotencyKey: key() }),
    );
    ok(await b.call('print.txn', { txnId: rev.txnId }));
    await printer.settle();
    const texts = printer.jobs.map((j) => decodeEscPos(j).text);
    expect(texts.filter((x) => x.includes('重印'))).toHaveLength(2);
    const slip = texts.find((x) => x.includes('冲正'))!;
    expect(slip).toContain(t.serial);
    expect(slip).toContain('户号输错');
    const preview = ok(await b.call('receipt.preview', { txnId: t.txnId, columns: 48 }));
    expect(preview.svg).toMatch(/^<svg/);
  });

  it('top-up slips print for vouchers and Green Card top-ups (PAY-2, PAY-3)', async () => {
    const v = await topUp(b, '500');
    const g = ok(
      await b.call('topup.greenCard', { amount: '200', bankRef: 'BR-SLIP-01', idempotencyKey: key() }),
    );
    ok(await b.call('print.txn', { txnId: v.txnId }));
    ok(await b.call('print.txn', { txnId: g.txnId }));
    await printer.settle();
    const texts = printer.jobs.map((j) => decodeEscPos(j).text);
    expect(texts.some((x) => x.includes(v.voucherNo))).toBe(true);
    expect(texts.some((x) => x.includes('BR-SLIP-01'))).toBe(true);
  });

  /** The payment `txnId` reversed (户号输错) and its reversal slip printed, then a top-up of
   *  100.00 and its slip; once the printer has printed them all, the top-up. */
  async function printReversalThenTopUp(txnId: number) {
    const rev = ok(await b.call('txn.reverse', { txnId, reason: '户号输错', idempotencyKey: key() }));
    ok(await b.call('print.txn', { txnId: rev.txnId }));
    const top = await topUp(b, '100');
    ok(await b.call('print.txn', { txnId: top.txnId }));
    await printer.settle();
    return top;
  }

  it("issue 13 problem 8: the customer's receipt and reversal slip name the biller, its hotline and the central reference, and never print the station's float; the top-up slip (the station's own) keeps it", async () => {
    await topUp(b, '1000');
    const t = await payBill(b, 'water', '34000001', '400');
    expect(t.billerName).toBe('演示自来水公司');
    expect(t.gatewayRef).toBeTruthy();
    ok(await b.call('print.txn', { txnId: t.txnId }));
    const top = await printReversalThenTopUp(t.txnId);
    const texts = printer.jobs.map((j) => decodeEscPos(j).text);
    const receipt = texts.find((x) => x.includes('便民缴费凭证'))!;
    const slip = texts.find((x) => x.includes('冲正凭证'))!;
    const topSlip = texts.find((x) => x.includes(top.voucherNo))!;
    for (const customer of [receipt, slip]) {
      expect(customer).not.toContain('预存款余额');
      expect(customer).not.toContain(t.floatAfter);
      expect(customer).toMatch(/收费单位\s*演示自来水公司/);
      expect(customer).toMatch(/客服热线\s*11185/);
    }
    expect(receipt).toMatch(new RegExp(`中心流水号\\s*${t.gatewayRef}`));
    expect(slip).toMatch(new RegExp(`原中心流水号\\s*${t.gatewayRef}`));
    expect(topSlip).toMatch(new RegExp(`预存款余额\\s*${top.floatAfter.replace('.', '\\.')}\\s*元`));
  });

  it('issue 13 cash drawer: with a drawer on the printer, a payment receipt and a reversal slip kick it open once (ESC p, 50 ms); a reprint, a top-up slip or a drawer set off do not', async () => {
    expect(ok(await b.call('printer.get', undefined)).drawer).toBe(false);
    const set = ok(await b.call('printer.set', { interface: printer.iface, columns: 32, drawer: true }));
    expect(set.drawer).toBe(true);
    await topUp(b, '1000');
    const t = await payBill(b, 'gas', '35000001', '500');
    ok(await b.call('print.txn', { txnId: t.txnId }));
    ok(await b.call('print.reprint', { txnId: t.txnId }));
    const top = await printReversalThenTopUp(t.txnId);
    const jobs = printer.jobs.map((j) => decodeEscPos(j));
    const of = (needle: string) => jobs.filter((j) => j.text.includes(needle));
    const [receipt, reprint] = of(t.serial).filter((j) => j.text.includes('便民缴费凭证'));
    expect(receipt!.drawerPulses).toEqual([{ pin: 0, onMs: 50, offMs: 500 }]);
    expect(receipt!.unknown).toEqual([]);
    expect(reprint!.text).toContain('重印');
    expect(reprint!.drawerPulses).toEqual([]);
    expect(of('冲正凭证')[0]!.drawerPulses).toHaveLength(1);
    expect(of(top.voucherNo)[0]!.drawerPulses).toEqual([]);
    // Off again (unchanged when not given).
    expect(ok(await b.call('printer.set', { interface: printer.iface, columns: 32 })).drawer).toBe(true);
    ok(await b.call('printer.set', { interface: printer.iface, columns: 32, drawer: false }));
    const t2 = await payBill(b, 'water', '35000002', '500');
    ok(await b.call('print.txn', { txnId: t2.txnId }));
    await printer.settle();
    const last = printer.jobs.map((j) => decodeEscPos(j)).find((j) => j.text.includes(t2.serial))!;
    expect(last.drawerPulses).toEqual([]);
  });
});
