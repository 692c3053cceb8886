// Customer-chosen amounts (issue 13): prepaid electricity and phone top-ups. A looked-up account
// with nothing due but limits (`choose`) asks the operator for the customer's amount first; from
// then on the counter treats it like a bill of that amount — checked with the customer, 收您/找您
// — and `bill.pay` carries it as `amount`. The backend checks the limits again (AMOUNT_*).
// Money as decimal strings and decimal.js (../../money), never JS floats.
import { useCallback, useState } from 'react';
import type { AmountChoiceDto, BillDto } from '../../../../shared/contract';
import { addMoney, cmpMoney, readTypedAmount, subMoney, type TypedAmountFault } from '../../money';

/** A bill ready to be paid: its amount (due or chosen), total and float after are known. */
export interface PayableBill extends BillDto {
  amountDue: string;
  total: string;
  floatAfter: string;
  /** The customer's chosen amount, sent as `bill.pay`'s `amount`; null: the amount due. */
  chosenAmount: string | null;
}

/** The bill at its amount due; null when nothing is due (a chosen amount is needed). */
export function payableAsDue(b: BillDto): PayableBill | null {
  if (b.amountDue === null || b.total === null || b.floatAfter === null) return null;
  return { ...b, amountDue: b.amountDue, total: b.total, floatAfter: b.floatAfter, chosenAmount: null };
}

/** The bill at the customer's chosen amount (already checked against the limits). */
export function payableWith(b: BillDto, amount: string): PayableBill {
  return {
    ...b,
    amountDue: amount,
    total: addMoney(amount, b.fee),
    floatAfter: subMoney(b.floatAvailable, amount),
    chosenAmount: amount,
  };
}

export type AmountCheck =
  | { ok: true; amount: string }
  | { ok: false; reason: TypedAmountFault }
  | { ok: false; reason: 'range'; amount: string };

/** The amount as typed, against the biller's limits. */
export function checkChosenAmount(input: string, choose: AmountChoiceDto): AmountCheck {
  const typed = readTypedAmount(input);
  if (!typed.ok) return typed;
  const { amount } = typed;
  if (cmpMoney(amount, choose.min) < 0 || cmpMoney(amount, choose.max) > 0)
    return { ok: false, reason: 'range', amount };
  return { ok: true, amount };
}

/** The counter's amount step: the offer looked up, what the operator typed, the last check. */
export function useChosenAmount() {
  const [offer, setOffer] = useState<BillDto | null>(null);
  const [input, setInput] = useState('');
  const [error, setError] = useState<AmountCheck | null>(null);

  /** A new offer (null: none). */
  const start = useCallback((b: BillDto | null) => {
    setOffer(b);
    setInput('');
    setError(null);
  }, []);
  const reset = useCallback(() => start(null), [start]);
  const change = useCallback((v: string) => {
    setInput(v);
    setError(null);
  }, []);
  /** Enter: the bill at the typed amount, or null (the error is shown). */
  const submit = useCallback((): PayableBill | null => {
    if (!offer?.choose) return null;
    const c = checkChosenAmount(input, offer.choose);
    setError(c.ok ? null : c);
    if (!c.ok) return null;
    setInput(c.amount);
    return payableWith(offer, c.amount);
  }, [offer, input]);

  return { offer, input, error, start, reset, change, submit };
}
