// The counter's amount step for a customer-chosen amount (issue 13): the amount as typed against
// the biller's limits, and the bill the counter then pays (decimal strings, never floats).
import { describe, expect, it } from 'vitest';
import type { BillDto } from '../../../shared/contract';
import {
  checkChosenAmount,
  payableAsDue,
  payableWith,
} from '../../../renderer/src/pages/counter/chosen-amount';

const LIMITS = { min: '10.00', max: '1000.00' };
const offer: BillDto = {
  billId: 'TE99990002-2026-11',
  service: 'telephone',
  accountNo: '99990002',
  payeeMasked: '王*伟',
  period: '2026-11',
  amountDue: null,
  fee: '1.00',
  total: null,
  floatAfter: null,
  floatAvailable: '300.10',
  choose: LIMITS,
  demo: true,
};

describe('a customer-chosen amount at the counter', () => {
  it('is refused out of the limits (inclusive bounds), malformed, zero or negative — each for what it is', () => {
    expect(checkChosenAmount('10', LIMITS)).toEqual({ ok: true, amount: '10.00' });
    expect(checkChosenAmount('1000.00', LIMITS)).toEqual({ ok: true, amount: '1000.00' });
    expect(checkChosenAmount('9.99', LIMITS)).toEqual({ ok: false, reason: 'range', amount: '9.99' });
    expect(checkChosenAmount('1000.01', LIMITS)).toEqual({ ok: false, reason: 'range', amount: '1000.01' });
    expect(checkChosenAmount('0', LIMITS)).toEqual({ ok: false, reason: 'zero' });
    expect(checkChosenAmount('-50', LIMITS)).toEqual({ ok: false, reason: 'negative' });
    expect(checkChosenAmount('50.001', LIMITS)).toEqual({ ok: false, reason: 'format' });
    expect(checkChosenAmount('', LIMITS)).toEqual({ ok: false, reason: 'format' });
  });

  it('makes the bill the counter pays: the amount, the total with the fee, the float left, the amount sent', () => {
    expect(payableAsDue(offer)).toBeNull();
    expect(payableWith(offer, '300.10')).toMatchObject({
      amountDue: '300.10',
      total: '301.10',
      floatAfter: '0.00',
      chosenAmount: '300.10',
    });
    // 0.1 + 0.2 in floats is not 0.3; in decimal strings it is.
    expect(payableWith({ ...offer, fee: '0.20' }, '10.10').total).toBe('10.30');
    const due = payableAsDue({ ...offer, amountDue: '96.50', total: '97.50', floatAfter: '203.60' });
    expect(due).toMatchObject({ amountDue: '96.50', total: '97.50', chosenAmount: null });
  });
});
