// The takings channel of the API contract (PAY-5). Assembled into `channels` in ./index.ts.
// Money crosses this boundary only as decimal strings ("96.50").
import { z } from 'zod';
import { money, idempotencyKey, voucherNo, branchCode } from '../schemas';
import { MAX_BALANCE_FEN } from '../money';
import type { TxnDto } from './txn';
import { remark } from './day';

// ---- channels ---------------------------------------------------------------------------------

export const takingsChannels = {
  /** PAY-5: cash taken out of the drawer for settlement. 'owner': handed to the owner (cash → owner);
   *  'deposit': deposited at a branch as a top-up of the float, with its voucher (cash → float, PAY-2). */
  'takings.settle': {
    input: z.discriminatedUnion('mode', [
      z.object({
        mode: z.literal('owner'),
        amount: money({ maxFen: MAX_BALANCE_FEN }),
        note: remark.optional(),
        idempotencyKey,
      }),
      z.object({
        mode: z.literal('deposit'),
        amount: money({ maxFen: MAX_BALANCE_FEN }),
        voucherNo,
        branchCode,
        clerk: z.string().trim().min(1, '请填写网点经办人').max(20, '网点经办人最长 20 个字'),
        depositedAt: z.iso.datetime({ offset: true }).optional(),
        note: remark.optional(),
        idempotencyKey,
      }),
    ]),
    output: {} as TxnDto,
  },
} as const;
