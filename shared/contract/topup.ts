// The top-up channels of the API contract: PAY-2 (branch deposit voucher), PAY-3 (Green Card),
// and the vouchers kept for inspection. Assembled into `channels` in ./index.ts.
// Money crosses this boundary only as decimal strings ("96.50").
import { z } from 'zod';
import { money, idempotencyKey, day, shortText, voucherNo, branchCode } from '../schemas';
import { TXN_LIST_MAX, type TxnDto } from './txn';

// ---- DTOs -------------------------------------------------------------------------------------

export interface VoucherDto {
  voucherNo: string;
  branchCode: string;
  clerk: string;
  amount: string;
  depositedAt: string;
  txnId: number;
  serial: string;
  reversed: boolean;
}

// ---- channels ---------------------------------------------------------------------------------

export const topupChannels = {
  'topup.voucher': {
    input: z.object({
      voucherNo,
      branchCode,
      clerk: shortText(20, '网点经办人'),
      amount: money(),
      depositedAt: z.iso.datetime({ offset: true }).optional(),
      idempotencyKey,
    }),
    output: {} as TxnDto,
  },
  'topup.greenCard': {
    input: z.object({
      amount: money(),
      bankRef: z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9-]{6,40}$/, '银行流水号应为 6–40 位字母或数字'),
      idempotencyKey,
    }),
    output: {} as TxnDto,
  },
  'voucher.list': {
    input: z
      .object({
        search: z.string().max(32).optional(),
        from: day.optional(),
        to: day.optional(),
        limit: z.number().int().min(1).max(TXN_LIST_MAX).default(200),
      })
      .default({ limit: 200 }),
    output: {} as { items: VoucherDto[] },
  },
} as const;
