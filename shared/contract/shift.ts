// Shift handover (交接班, issue 12): an operator ends a shift with a blind count of the drawer —
// the figure is typed before the expected one is shown — and the shift X report, shown and printed;
// the session ends (it may still reprint that report), and the next operator logs in with their
// own PIN. The day's Z lists the shifts.
// Assembled into `channels` in ./index.ts; it never imports ./index.ts.
import { z } from 'zod';
import { MAX_BALANCE_FEN } from '../money';
import { money } from '../schemas';
import type { PrintJobDto } from './printing';

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

/** shift.end's reply: the shift as recorded, and its printed shift X report (交接班X报表), which
 *  waits in the print queue when the printer is off. */
export interface ShiftEndDto extends ShiftDto {
  shiftId: number;
  job: PrintJobDto;
}

export const shiftChannels = {
  'shift.end': {
    input: z.object({ countedCash: money({ allowZero: true, maxFen: MAX_BALANCE_FEN }) }),
    output: {} as ShiftEndDto,
  },
  /** The shift X report again, marked 重印 n. The session that handed the shift over may still
   *  reprint it (and nothing else); any logged-in operator may reprint any shift's. */
  'shift.reprint': {
    input: z.object({ shiftId: z.number().int().positive() }),
    output: {} as { job: PrintJobDto },
  },
} as const;
