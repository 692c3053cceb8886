// What the counter's state shows the customer (renderer/src/app/customer-feed.ts carries it to
// the customer-facing display).
import type { TxnDto } from '../../../../shared/contract';
import type { CustomerView } from '../../app/customer-feed';
import type { CounterStep } from './KeyHelp';
import type { PayableBill } from './chosen-amount';

export function customerViewOf(s: {
  step: CounterStep;
  bill: PayableBill | null;
  confirmed: { cash: string; change: string } | null;
  /** A final refusal after the cash was taken: the cash goes back. */
  refused: boolean;
  /** The payment's outcome is not known yet: the change waits for it. */
  unknown: boolean;
  paid: TxnDto | null;
  /** This session is in training mode (练习模式). */
  training?: boolean;
}): CustomerView {
  const b = s.bill;
  if (!b) return { phase: 'idle' };
  const part = {
    service: b.service,
    payeeMasked: b.payeeMasked,
    amountDue: b.amountDue,
    fee: b.fee,
    total: b.total,
    demo: b.demo,
    ...(s.training ? { training: true } : {}),
  };
  if (s.step === 'done' && s.paid)
    return { phase: 'done', ...part, cash: s.paid.cashReceived ?? '', change: s.paid.change ?? '' };
  if (s.step === 'callback' && s.confirmed)
    return s.refused
      ? { phase: 'refund', ...part, cash: s.confirmed.cash }
      : s.unknown
        ? { phase: 'waiting', ...part, cash: s.confirmed.cash }
        : { phase: 'callback', ...part, cash: s.confirmed.cash, change: s.confirmed.change };
  if (s.step === 'bill' || s.step === 'cash') return { phase: 'bill', ...part };
  return { phase: 'idle' };
}
