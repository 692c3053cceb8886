// The transaction channels of the API contract: one transaction, the journal, the day's cash.
// Assembled into `channels` in ./index.ts. Money crosses this boundary only as decimal strings.
import { z } from 'zod';
import type { ServiceId } from '../catalogue';
import { serviceId, day, text } from '../schemas';
import { RECEIPT_SERIAL_RE } from '../serial';

// ---- DTOs -------------------------------------------------------------------------------------

export type TxnKind =
  'topup_voucher' | 'topup_green_card' | 'bill_payment' | 'takings_settlement' | 'reversal';

export interface TxnDto {
  txnId: number;
  /** Printed serial, e.g. "20261128-000042": business day + transaction id. */
  serial: string;
  kind: TxnKind;
  businessDay: string;
  createdAt: string;
  operatorId: string;
  operatorName: string;
  amount: string;
  fee: string;
  /** amount + fee: what the customer owes for a payment. */
  total: string;
  floatAfter: string;
  service?: ServiceId | undefined;
  accountNo?: string | undefined;
  payeeMasked?: string | undefined;
  period?: string | undefined;
  cashReceived?: string | undefined;
  change?: string | undefined;
  voucherNo?: string | undefined;
  branchCode?: string | undefined;
  clerk?: string | undefined;
  depositedAt?: string | undefined;
  bankRef?: string | undefined;
  cardMasked?: string | undefined;
  gatewayRef?: string | undefined;
  /** 收费单位 and 客服热线 of a bill payment, as the central system named them. */
  billerName?: string | undefined;
  billerHotline?: string | undefined;
  reversesTxnId?: number | undefined;
  reversesSerial?: string | undefined;
  reason?: string | undefined;
  /** Set on a transaction that has been reversed. */
  reversedByTxnId?: number | undefined;
  reversedBySerial?: string | undefined;
}

export interface CashSummaryDto {
  businessDay: string;
  cashReceived: string;
  changeGiven: string;
  /** Net cash the drawer gained from payments (less reversals) this day. */
  takings: string;
  payments: number;
  reversals: number;
}

export interface TxnListDto {
  items: TxnDto[];
  /** Pass as `beforeId` for the next page. */
  nextBeforeId: number | null;
}

// ---- channels ---------------------------------------------------------------------------------

export const TXN_LIST_MAX = 500;

export const txnChannels = {
  'cash.summary': { input: z.object({ day: day.optional() }).default({}), output: {} as CashSummaryDto },
  'txn.get': {
    input: z.union([
      z.object({ txnId: z.number().int().positive() }),
      z.object({ serial: z.string().regex(RECEIPT_SERIAL_RE) }),
    ]),
    output: {} as TxnDto,
  },
  'txn.list': {
    input: z
      .object({
        day: day.optional(),
        from: day.optional(),
        to: day.optional(),
        service: serviceId.optional(),
        operatorId: text().max(64).optional(),
        kind: z
          .enum(['topup_voucher', 'topup_green_card', 'bill_payment', 'takings_settlement', 'reversal'])
          .optional(),
        beforeId: z.number().int().positive().optional(),
        /** Account, receipt serial, voucher number / bank reference, or amount (交易查询). */
        search: text().trim().max(40).optional(),
        limit: z.number().int().min(1).max(TXN_LIST_MAX).default(100),
      })
      .default({ limit: 100 }),
    output: {} as TxnListDto,
  },
} as const;
