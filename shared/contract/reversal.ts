// The reversal channel of the API contract (SRV-3: a mistake is corrected by a reversal that
// names the original). Assembled into `channels` in ./index.ts.
import { z } from 'zod';
import { idempotencyKey, shortText } from '../schemas';
import type { TxnDto } from './txn';

// ---- channels ---------------------------------------------------------------------------------

export const reversalChannels = {
  'txn.reverse': {
    input: z.object({
      txnId: z.number().int().positive(),
      reason: shortText(100, '冲正原因'),
      idempotencyKey,
    }),
    output: {} as TxnDto,
  },
} as const;
