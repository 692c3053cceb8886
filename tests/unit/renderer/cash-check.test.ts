// The cash step's check (issue 13 problem 10: cash 0 got the wrong message, −200 was taken as 200).
import { describe, expect, it } from 'vitest';
import { checkCash } from '../../../renderer/src/pages/counter/CashStep';

describe('the cash received', () => {
  it('issue 13 problem 10: 0, a minus sign and a malformed amount are refused each for what they are; enough cash gives the change', () => {
    expect(checkCash('0', '96.50')).toEqual({ ok: false, reason: 'zero' });
    expect(checkCash('0.00', '96.50')).toEqual({ ok: false, reason: 'zero' });
    expect(checkCash('-200', '96.50')).toEqual({ ok: false, reason: 'negative' });
    expect(checkCash('－200', '96.50')).toEqual({ ok: false, reason: 'negative' });
    expect(checkCash('1.234', '96.50')).toEqual({ ok: false, reason: 'format' });
    expect(checkCash('abc', '96.50')).toEqual({ ok: false, reason: 'format' });
    expect(checkCash('90', '96.50')).toEqual({ ok: false, reason: 'short', missing: '6.50' });
    expect(checkCash('100', '96.50')).toEqual({ ok: true, cash: '100.00', change: '3.50' });
  });
});
