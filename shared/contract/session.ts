// The session channels of the API contract: who is at the counter (PPL-3).
// Assembled into `channels` in ./index.ts.
import { z } from 'zod';
import type { ServiceId } from '../catalogue';
import { noArgs } from '../schemas';

// ---- DTOs -------------------------------------------------------------------------------------

export interface OperatorDto {
  id: string;
  name: string;
  role: 'holder' | 'delegate';
  trainedServices: ServiceId[];
}

// ---- channels ---------------------------------------------------------------------------------

export const sessionChannels = {
  'session.get': { input: noArgs, output: {} as { operator: OperatorDto; operators: OperatorDto[] } },
  'session.setOperator': {
    input: z.object({ operatorId: z.string().min(1).max(64) }),
    output: {} as { operator: OperatorDto },
  },
} as const;
