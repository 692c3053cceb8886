// Issue 13 problem 5: the account field never changes a number silently.
import { describe, expect, it } from 'vitest';
import { checkAccountInput, toHalfWidth } from '../../../renderer/src/pages/counter/account-input';

describe('account input (issue 13 problem 5)', () => {
  it('converts full-width digits from an input method', () => {
    expect(toHalfWidth('３３０１２３４５６７')).toBe('3301234567');
    expect(checkAccountInput('３３０１２３４５６７')).toEqual({
      ok: true,
      account: '3301234567',
      dropped: false,
    });
  });

  it('drops spaces and hyphens, and says it did', () => {
    expect(checkAccountInput('010-1234 5678')).toEqual({ ok: true, account: '01012345678', dropped: true });
    expect(checkAccountInput('０１０－１２３４　５６７８')).toEqual({
      ok: true,
      account: '01012345678',
      dropped: true,
    });
    expect(checkAccountInput(' 31415926 ')).toEqual({ ok: true, account: '31415926', dropped: false });
  });

  it('refuses a letter O instead of deleting it (33O1234567 is not 331234567)', () => {
    expect(checkAccountInput('33O1234567')).toEqual({ ok: false, bad: 'O', position: 3 });
    expect(checkAccountInput('1234567８a')).toEqual({ ok: false, bad: 'a', position: 9 });
    expect(checkAccountInput('12.34')).toEqual({ ok: false, bad: '.', position: 3 });
  });

  it('leaves other characters alone when converting', () => {
    expect(toHalfWidth('Ｏ')).toBe('Ｏ');
    expect(checkAccountInput('33Ｏ1')).toEqual({ ok: false, bad: 'Ｏ', position: 3 });
  });
});
