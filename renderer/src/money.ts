// Money in the UI: the backend's decimal strings are shown as they come. The few sums the
// counter makes itself (change preview, quick cash amounts) use decimal.js, never JS floats.
import Decimal from 'decimal.js';
import { isMoneyString } from '../../shared/money';

export { isMoneyString };

/** A well-formed amount typed by the operator ("100", "96.5") → "100.00"; null when malformed. */
export function normalizeMoney(input: string): string | null {
  const s = input.trim();
  if (!isMoneyString(s)) return null;
  return new Decimal(s).toFixed(2);
}

export function addMoney(a: string, b: string): string {
  return new Decimal(a).plus(b).toFixed(2);
}

export function subMoney(a: string, b: string): string {
  return new Decimal(a).minus(b).toFixed(2);
}

/** -1, 0 or 1. */
export function cmpMoney(a: string, b: string): number {
  return new Decimal(a).comparedTo(b);
}

export function isNegative(a: string): boolean {
  return new Decimal(a).isNegative() && !new Decimal(a).isZero();
}

/** "-46000.00" → "46000.00". */
export function absMoney(a: string): string {
  return new Decimal(a).abs().toFixed(2);
}

/** The smallest multiple of `step` yuan at or above `a`: the note a customer is likely to hand over. */
export function ceilToStep(a: string, step: number): string {
  return new Decimal(a).dividedBy(step).ceil().times(step).toFixed(2);
}

/** Why a typed amount is not an amount to take: a minus sign, nothing (zero), or not an amount. */
export type TypedAmountFault = 'format' | 'zero' | 'negative';

/** An amount the operator typed, read for what it is (issue 13 problem 10): a minus sign, not an
 *  amount, or nothing (zero) is said as such; else the amount, normalised ("96.5" → "96.50"). */
export function readTypedAmount(
  input: string,
): { ok: true; amount: string } | { ok: false; reason: TypedAmountFault } {
  if (/^\s*[-−－]/.test(input)) return { ok: false, reason: 'negative' };
  const amount = normalizeMoney(input);
  if (!amount) return { ok: false, reason: 'format' };
  if (cmpMoney(amount, '0') <= 0) return { ok: false, reason: 'zero' };
  return { ok: true, amount };
}
