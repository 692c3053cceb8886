// The bill channels of the API contract: look a bill up, pay it (SRV-1, SRV-2, PAY-1), and the
// payments whose outcome is not known yet. Assembled into `channels` in ./index.ts.
// Money crosses this boundary only as decimal strings ("96.50").
import { z } from 'zod';
import type { ServiceId } from '../catalogue';
import { MAX_TRANSACTION_FEN } from '../money';
import { money, idempotencyKey, serviceId, accountNo, noArgs, text } from '../schemas';
import type { TxnDto } from './txn';

// ---- DTOs -------------------------------------------------------------------------------------

/** The limits of a customer-chosen amount (prepaid meter, phone top-up), in yuan ("10.00"). */
export interface AmountChoiceDto {
  min: string;
  max: string;
}

export interface BillDto {
  billId: string;
  service: ServiceId;
  accountNo: string;
  payeeMasked: string;
  period: string | null;
  /** The amount due; null when nothing is due and only a chosen amount can be paid. */
  amountDue: string | null;
  fee: string;
  /** amountDue + fee; null with amountDue. */
  total: string | null;
  /** Float left after paying the amount due (may be negative: then the payment would be
   *  refused); null with amountDue. */
  floatAfter: string | null;
  /** The float available now, before this payment (for the float left after a chosen amount). */
  floatAvailable: string;
  /** Present when the customer may pay an amount of their choice within these limits, besides
   *  the amount due: `bill.pay` then takes `amount`. */
  choose: AmountChoiceDto | null;
  demo: boolean;
}

export interface PendingPaymentDto {
  idempotencyKey: string;
  billId: string;
  service: ServiceId;
  accountNo: string;
  payeeMasked: string;
  amount: string;
  /** The customer's chosen amount (= amount) when it is one; null: the amount due. A retry
   *  sends it as `bill.pay`'s `amount`, so that it is the same request. */
  chosenAmount: string | null;
  fee: string;
  total: string;
  cashReceived: string;
  /** When the float was reserved. */
  createdAt: string;
  operatorId: string;
}

// ---- channels ---------------------------------------------------------------------------------

export const billChannels = {
  'bill.inquire': { input: z.object({ service: serviceId, account: accountNo }), output: {} as BillDto },
  'bill.pay': {
    input: z.object({
      billId: text().min(1).max(64),
      /** The amount to pay, only for a bill that offers a chosen amount (`choose`), within its
       *  limits; without it, the amount due. A fixed-amount bill refuses any other amount. */
      amount: money().optional(),
      cashReceived: money({ maxFen: MAX_TRANSACTION_FEN * 2 }),
      idempotencyKey,
    }),
    output: {} as TxnDto & { change: string; floatAfter: string },
  },
  /** Payments whose outcome the central system has not told us yet (their float is reserved).
   *  Retry one with `bill.pay` and the same idempotency key. */
  'payment.pending': { input: noArgs, output: {} as { items: PendingPaymentDto[] } },
} as const;
