// The bill channels of the API contract: look a bill up, pay it (SRV-1, SRV-2, PAY-1), and the
// payments whose outcome is not known yet. Assembled into `channels` in ./index.ts.
// Money crosses this boundary only as decimal strings ("96.50").
import { z } from 'zod';
import type { ServiceId } from '../catalogue';
import { MAX_TRANSACTION_FEN } from '../money';
import { money, idempotencyKey, serviceId, accountNo, noArgs } from '../schemas';
import type { TxnDto } from './txn';

// ---- DTOs -------------------------------------------------------------------------------------

export interface BillDto {
  billId: string;
  service: ServiceId;
  accountNo: string;
  payeeMasked: string;
  period: string | null;
  amountDue: string;
  fee: string;
  total: string;
  /** Float left after paying this bill (may be negative: then the payment would be refused). */
  floatAfter: string;
  demo: boolean;
}

export interface PendingPaymentDto {
  idempotencyKey: string;
  billId: string;
  service: ServiceId;
  accountNo: string;
  payeeMasked: string;
  amount: string;
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
      billId: z.string().min(1).max(64),
      cashReceived: money({ maxFen: MAX_TRANSACTION_FEN * 2 }),
      idempotencyKey,
    }),
    output: {} as TxnDto & { change: string; floatAfter: string },
  },
  /** Payments whose outcome the central system has not told us yet (their float is reserved).
   *  Retry one with `bill.pay` and the same idempotency key. */
  'payment.pending': { input: noArgs, output: {} as { items: PendingPaymentDto[] } },
} as const;
