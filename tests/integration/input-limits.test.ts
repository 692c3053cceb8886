// Issue 9, defect 9: sanity limits a hostile or mistaken caller met nowhere. Cash received far
// above the bill was accepted (up to 100,000.00 for any bill); text fields took control
// characters (NUL, escape sequences, line breaks, bidi overrides) into the ledger and receipts.
import { describe, expect, it } from 'vitest';
import { type TestBackend, confirmPayee, key, ok, refused, topUp } from '../helpers/backend';
import { backendForEachTest } from '../helpers/clients';
import { CASH_OVER_BILL_MAX_FEN } from '../../shared/money';

let b: TestBackend;
backendForEachTest({ set: (fresh) => (b = fresh), get: () => b });

const counts = () =>
  b.db
    .prepare(
      `SELECT (SELECT count(*) FROM txns) t, (SELECT count(*) FROM postings) p, (SELECT count(*) FROM reservations) r`,
    )
    .get();

describe('defect 9: cash received far above the bill', () => {
  it('cash above bill + 10,000.00 is refused with CASH_TOO_MUCH and a Chinese message; nothing is posted or reserved', async () => {
    expect(CASH_OVER_BILL_MAX_FEN).toBe(1_000_000);
    await topUp(b, '1000');
    const bill = ok(await b.call('bill.inquire', { service: 'water', account: '3501007777' }));
    const before = counts();
    const e = refused(
      await b.call('bill.pay', { billId: bill.billId, cashReceived: '100000', idempotencyKey: key() }),
      'CASH_TOO_MUCH',
    );
    expect(e.message).toMatch(/[\u4e00-\u9fff]/);
    expect(e.message).toContain('10000.00');
    expect(e.details).toMatchObject({ total: bill.total, cashReceived: '100000.00' });
    // One fen over the limit is refused too.
    const limit = (BigInt(Math.round(Number(bill.total) * 100)) + 1_000_000n).toString();
    const over = `${limit.slice(0, -2)}.${limit.slice(-2)}`;
    refused(
      await b.call('bill.pay', {
        billId: bill.billId,
        cashReceived: (Number(over) + 0.01).toFixed(2),
        idempotencyKey: key(),
      }),
      'CASH_TOO_MUCH',
    );
    expect(counts()).toEqual(before);
    // Exactly bill + 10,000.00 is still taken, with the change given back.
    const paid = ok(
      await b.call('bill.pay', {
        billId: bill.billId,
        cashReceived: over,
        confirmedPayee: await confirmPayee(b, bill),
        idempotencyKey: key(),
      }),
    );
    expect(paid.change).toBe('10000.00');
  });
});

describe('defect 9: text fields refuse control characters', () => {
  const CONTROL = [
    '\u0000',
    '\u0007',
    '\u001b[2J',
    '\t',
    '\n',
    '\r',
    '\u007f',
    '\u0085',
    '\u009b',
    '\u2028',
    '\u202e',
  ];

  // For each text field: a request that passes the schema with a clean value (it may still be
  // refused for a business reason, never as INVALID_INPUT), and the same with a control character.
  const cases: { channel: string; args: Record<string, unknown>; field: string }[] = [
    {
      channel: 'topup.voucher',
      args: {
        voucherNo: 'V20261128',
        branchCode: '350100',
        clerk: '王五',
        amount: '10',
        idempotencyKey: 'ctl-voucher-1',
      },
      field: 'clerk',
    },
    {
      channel: 'txn.reverse',
      args: { txnId: 1, reason: '客户要求冲正', idempotencyKey: 'ctl-reverse-1' },
      field: 'reason',
    },
    { channel: 'session.setOperator', args: { operatorId: 'op-holder' }, field: 'operatorId' },
    { channel: 'txn.list', args: { operatorId: 'op-holder' }, field: 'operatorId' },
    { channel: 'voucher.list', args: { search: 'V2026' }, field: 'search' },
    {
      channel: 'bill.pay',
      args: { billId: 'WA3501001234-2026-11', cashReceived: '10', idempotencyKey: 'ctl-pay-1' },
      field: 'billId',
    },
    {
      channel: 'takings.settle',
      args: { mode: 'owner', amount: '1', note: '店主取走营业款', idempotencyKey: 'ctl-take-1' },
      field: 'note',
    },
    {
      channel: 'takings.settle',
      args: {
        mode: 'deposit',
        amount: '1',
        voucherNo: 'D20261128',
        branchCode: '350100',
        clerk: '李四',
        idempotencyKey: 'ctl-take-2',
      },
      field: 'clerk',
    },
    {
      channel: 'day.close',
      args: {
        countId: 1,
        central: { source: 'gateway' },
        floatRemark: '差额原因',
        idempotencyKey: 'ctl-close-1',
      },
      field: 'floatRemark',
    },
    {
      channel: 'day.close',
      args: {
        countId: 1,
        central: { source: 'gateway' },
        cashRemark: '长款原因',
        idempotencyKey: 'ctl-close-2',
      },
      field: 'cashRemark',
    },
    { channel: 'monitor.setUrl', args: { url: 'http://127.0.0.1:9/monitor' }, field: 'url' },
  ];

  it('every free-text field refuses C0/C1 control characters, line breaks and bidi overrides with INVALID_INPUT', async () => {
    for (const c of cases) {
      const clean = await b.call(c.channel, c.args);
      expect(clean.ok ? 'ok' : clean.error.code, `${c.channel}.${c.field} clean`).not.toBe('INVALID_INPUT');
      for (const ctl of CONTROL) {
        const value = String(c.args[c.field]);
        for (const hostile of [
          `${value}${ctl}`,
          `${ctl}${value}`,
          `${value.slice(0, 1)}${ctl}${value.slice(1)}`,
        ]) {
          const r = await b.call(c.channel, { ...c.args, [c.field]: hostile, idempotencyKey: key() });
          const label = `${c.channel}.${c.field} with ${JSON.stringify(hostile)}`;
          expect(r.ok ? 'ok' : r.error.code, label).toBe('INVALID_INPUT');
          if (!r.ok) expect(r.error.message, label).toMatch(/控制字符/);
        }
      }
    }
  });
});
