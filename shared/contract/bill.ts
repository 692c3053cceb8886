// The bill channels of the API contract: look a bill up, confirm it with the customer, pay it
// (SRV-1, SRV-2, PAY-1), and the payments whose outcome is not known yet. Assembled into
// `channels` in ./index.ts.
//
// SRV-2 in the API, not only in the UI: `bill.pay` requires the token (`confirmedPayee`) that
// only `bill.confirmPayee` gives — the operator's explicit, recorded statement that the payee and
// the amount were checked with the customer (已与客户核对). `bill.inquire` gives no token on
// purpose: a caller holding only the look-up's answer cannot pay, it must make the confirm call,
// which the station records (who, when, what: table payee_confirmations, migration 015).
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
  /** The payee confirmation the payment was sent with (null: one reserved before confirmations,
   *  migration 015). A retry sends it again as `bill.pay`'s `confirmedPayee`: the same request. */
  confirmedPayee: string | null;
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
  /** SRV-2: the operator has read the bill (payee, masked, and amount) back to the customer and
   *  they agree. Recorded with the operator and the time; the token it gives back is what
   *  `bill.pay` requires: for this bill, this amount, payee and fee, this operator, one payment,
   *  until `expiresAt` (10 minutes). Refused like `bill.pay` would be (NOT_FOUND, BILL_EXPIRED,
   *  BILL_ALREADY_PAID, AMOUNT_*), and with PAYEE_NOT_CONFIRMED when the payee given is not the
   *  looked-up bill's (it changed since it was shown). */
  'bill.confirmPayee': {
    input: z.object({
      billId: text().min(1).max(64),
      /** The payee as shown to the operator (`payeeMasked` of `bill.inquire`). */
      payeeMasked: text().min(1).max(100),
      /** The amount read to the customer: the amount due, or their chosen amount (as `bill.pay`'s
       *  `amount` then), within the bill's limits. */
      amount: money(),
    }),
    output: {} as { confirmedPayee: string; expiresAt: string },
  },
  'bill.pay': {
    input: z
      .object({
        billId: text().min(1).max(64),
        /** The amount to pay, only for a bill that offers a chosen amount (`choose`), within its
         *  limits; without it, the amount due. A fixed-amount bill refuses any other amount. */
        amount: money().optional(),
        cashReceived: money({ maxFen: MAX_TRANSACTION_FEN * 2 }),
        /** SRV-2: the token `bill.confirmPayee` gave for this bill at this amount. Required: without
         *  it, or with one that is unknown, for another bill, amount or operator, expired or used by
         *  another payment, the payment is refused (PAYEE_NOT_CONFIRMED, PAYEE_CONFIRMATION_EXPIRED,
         *  PAYEE_CONFIRMATION_USED) and nothing is written. Optional in the schema only so that the
         *  refusal is that code, and a payment reserved before confirmations existed can still be
         *  retried with its very request. It is part of the request: a retry sends the same one. */
        confirmedPayee: text().min(1).max(128).optional(),
        idempotencyKey,
      })
      // SRV-4: the fee is the platform's (the signed profile); a request naming its own fee, or
      // anything else the contract does not know, is refused, not silently dropped.
      .strict(),
    output: {} as TxnDto & { change: string; floatAfter: string },
  },
  /** Payments whose outcome the central system has not told us yet (their float is reserved).
   *  Retry one with `bill.pay` and the same idempotency key. */
  'payment.pending': { input: noArgs, output: {} as { items: PendingPaymentDto[] } },
} as const;
