import { describe, expect, it } from 'vitest';
import { formatFen, formatFenGrouped, parseMoney, MAX_TRANSACTION_FEN } from '../../shared/money';
import { parseArgs } from '../../shared/contract';
import { YizhanError } from '../../shared/errors';

describe('money parsing', () => {
  it.each([
    ['96.5', 9650],
    ['96.50', 9650],
    ['100', 10000],
    ['0.01', 1],
    ['0.1', 10],
    ['50000', MAX_TRANSACTION_FEN],
    ['1234.56', 123456],
  ])('accepts %s as %i fen', (s, fen) => {
    expect(parseMoney(s)).toBe(fen);
  });

  it('accepts zero only where it is meaningful', () => {
    expect(parseMoney('0', { allowZero: true })).toBe(0);
    expect(parseMoney('0.00', { allowZero: true })).toBe(0);
    expect(() => parseMoney('0')).toThrow(YizhanError);
  });

  const BAD: unknown[] = [
    '',
    ' ',
    '-1',
    '-0.01',
    '+5',
    '1e3',
    '1E3',
    '1e-2',
    'NaN',
    'Infinity',
    '-Infinity',
    'abc',
    '12abc',
    '1.234',
    '1.',
    '.5',
    '1..2',
    '1,000',
    '1 000',
    '１００',
    '９６.５０',
    '96。50',
    '0x10',
    '0b1',
    '00',
    '01',
    '007.5',
    '50000.01',
    '99999999',
    '1000000000000',
    ' 96.50',
    '96.50 ',
    '¥96.50',
    '96.50元',
    '0',
    '0.00',
    '0.0',
    96.5,
    100,
    null,
    undefined,
    {},
    [],
    true,
    '٣',
    '1\n',
    '1/2',
  ];
  it(`refuses ${BAD.length} malformed, zero, negative, exponent, full-width and over-limit inputs with INVALID_INPUT`, () => {
    expect(BAD.length).toBeGreaterThanOrEqual(30);
    for (const input of BAD) {
      let err: unknown;
      try {
        parseMoney(input);
      } catch (e) {
        err = e;
      }
      expect(err, `input ${JSON.stringify(input)}`).toBeInstanceOf(YizhanError);
      expect((err as YizhanError).code).toBe('INVALID_INPUT');
    }
  });

  it('each bad amount sent through the API contract is INVALID_INPUT with a Chinese message', () => {
    for (const amount of BAD) {
      try {
        parseArgs('topup.greenCard', { amount, bankRef: 'BANK-123456', idempotencyKey: 'key-12345678' });
        throw new Error(`accepted ${JSON.stringify(amount)}`);
      } catch (e) {
        expect(e).toBeInstanceOf(YizhanError);
        expect((e as YizhanError).code).toBe('INVALID_INPUT');
        expect((e as YizhanError).message).toMatch(/[\u4e00-\u9fff]/);
      }
    }
  });

  it('formats fen exactly, with no float rounding', () => {
    expect(formatFen(9650)).toBe('96.50');
    expect(formatFen(1)).toBe('0.01');
    expect(formatFen(-350)).toBe('-3.50');
    expect(formatFen(10_000_000_000)).toBe('100000000.00');
    expect(formatFenGrouped(123456789)).toBe('1,234,567.89');
    // 0.1 + 0.2 in fen is exact
    expect(formatFen(parseMoney('0.1') + parseMoney('0.2'))).toBe('0.30');
  });

  it('refuses a non-integer fen value when formatting', () => {
    expect(() => formatFen(0.5)).toThrow();
  });
});
