// Money: decimal strings at every boundary, integer fen (分) at rest, decimal.js for arithmetic.
// A JS float never carries an amount.
//
// The unit is in the type: `Fen` is an integer number of fen, made only by parsing (parseMoney,
// toFen), by `fen()` (which checks it is a whole number) or read from a fen column; `YuanString`
// is a decimal string in yuan, as on the wire ("96.50"), made by formatFen. A yuan string cannot
// be passed where fen are expected, nor a plain number where `Fen` is asked for, without saying so.
import Decimal from 'decimal.js';
import { YizhanError } from './errors';

declare const fenUnit: unique symbol;
declare const yuanUnit: unique symbol;
/** An integer number of fen (分). Sums and differences of Fen are plain numbers until `fen()`. */
export type Fen = number & { readonly [fenUnit]: 'fen' };
/** A decimal amount in yuan as a string, two decimals: "96.50" (what the API carries). */
export type YuanString = string & { readonly [yuanUnit]: 'yuan' };

/** A whole number of fen, checked: the way a computed amount becomes `Fen` again. */
export function fen(n: number): Fen {
  assertFen(n);
  return n as Fen;
}

/** The largest single transaction we accept: 50,000.00 元. Above that a counter clerk is far
 *  more likely to have typed an extra zero than to be paying a real utility bill. */
export const MAX_TRANSACTION_FEN = 5_000_000;
/** The largest float balance the ledger is built for (100 million 元), far below 2^53 fen. */
export const MAX_BALANCE_FEN = 10_000_000_000;

// ASCII digits only, at most two decimals; no sign, no exponent, no grouping, no full-width digits.
const MONEY_RE = /^(0|[1-9][0-9]{0,11})(\.[0-9]{1,2})?$/;

export interface ParseMoneyOptions {
  /** Zero is refused unless the field can meaningfully be zero (a fee, change given). */
  allowZero?: boolean;
  /** Upper bound in fen; defaults to MAX_TRANSACTION_FEN. */
  maxFen?: number;
  /** Field name reported in the error details. */
  field?: string;
}

/** Parses an amount typed by a person or sent by a client ("96.5", "96.50", "100") into fen. */
export function parseMoney(input: unknown, opts: ParseMoneyOptions = {}): Fen {
  const field = opts.field ?? 'amount';
  const maxFen = opts.maxFen ?? MAX_TRANSACTION_FEN;
  if (typeof input !== 'string') {
    throw new YizhanError('INVALID_INPUT', { field, reason: 'not_a_string' });
  }
  if (!MONEY_RE.test(input)) {
    throw new YizhanError('INVALID_INPUT', { field, reason: 'bad_format', value: input.slice(0, 40) });
  }
  const fen = new Decimal(input).times(100);
  if (!fen.isInteger()) throw new YizhanError('INVALID_INPUT', { field, reason: 'bad_format' });
  if (fen.isZero() && !opts.allowZero) throw new YizhanError('INVALID_INPUT', { field, reason: 'zero' });
  if (fen.greaterThan(maxFen)) {
    throw new YizhanError('INVALID_INPUT', { field, reason: 'over_limit', limit: formatFen(maxFen) });
  }
  return fen.toNumber() as Fen;
}

/** True when the string is a well-formed amount (no limit check). For schema refinements. */
export function isMoneyString(input: string): boolean {
  return MONEY_RE.test(input);
}

/** Fen → "96.50". Takes a plain number too (a sum or difference of Fen): it is checked whole. */
export function formatFen(fen: Fen | number): YuanString {
  assertFen(fen);
  // Integer digits moved two places: exact, and fast enough for lists of thousands of rows.
  const digits = String(Math.abs(fen)).padStart(3, '0');
  return `${fen < 0 ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}` as YuanString;
}

/** Fen → "96.50" with a thousands separator for display: "12,345.60". */
export function formatFenGrouped(fen: Fen | number): string {
  const [int, frac] = formatFen(fen).split('.') as [string, string];
  const neg = int.startsWith('-');
  const digits = neg ? int.slice(1) : int;
  return `${neg ? '-' : ''}${digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
}

/** Decimal string (already validated) → fen, for values we produced ourselves. */
export function toFen(amount: YuanString | string): Fen {
  const fen = new Decimal(amount).times(100);
  if (!fen.isInteger()) throw new Error(`toFen: not a whole number of fen: ${amount}`);
  const n = fen.toNumber();
  assertFen(n);
  return n as Fen;
}

export function assertFen(fen: number): void {
  if (!Number.isSafeInteger(fen)) throw new Error(`not an integer number of fen: ${String(fen)}`);
}

/** Sum of fen amounts, checked to stay exact. */
export function sumFen(values: readonly (Fen | number)[]): Fen {
  let total = 0;
  for (const v of values) {
    assertFen(v);
    total += v;
    assertFen(total);
  }
  return total as Fen;
}
