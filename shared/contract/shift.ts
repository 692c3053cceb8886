// Shift handover (交接班, issue 12): an operator ends a shift with a blind count of the drawer —
// the figure is typed before the expected one is shown — and the shift X report; the session
// ends, and the next operator logs in with their own PIN. The day's Z lists the shifts.
// Assembled into `channels` in ./index.ts; it never imports ./index.ts.
import { z } from 'zod';
import { MAX_BALANCE_FEN } from '../money';
import { money } from '../schemas';

export interface ShiftDto {
  shiftNo: number;
  businessDay: string;
  operatorName: string;
  startedAt: string;
  endedAt: string;
  txnCount: number;
  /** Bill payments taken in the shift. */
  payments: string;
  /** Cash the shift's transactions put in (received less change, less refunds). */
  cashIn: string;
  /** The blind count. */
  countedCash: string;
  /** What the drawer should hold at the handover. */
  expectedCash: string;
  /** counted − expected. */
  variance: string;
}

export const shiftChannels = {
  'shift.end': {
    input: z.object({ countedCash: money({ allowZero: true, maxFen: MAX_BALANCE_FEN }) }),
    output: {} as ShiftDto,
  },
} as const;
