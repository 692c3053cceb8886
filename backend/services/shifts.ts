// Shift handover (交接班, issue 12): the operator at this client ends the shift with a blind count
// of the drawer; the shift X report (their transactions since the last handover, the cash they
// took in, the count against what the drawer should hold) is recorded and printed, and the session
// ends — all it may still do is reprint that report and log out.
import { ensureDay } from '../../db/ledger';
import { getOperator } from '../../db/station';
import { insertShift, shiftById, shiftFigures, shiftNoOf, shiftStart, type ShiftRow } from '../../db/shifts';
import { shiftDto } from './shift-dto';
import { jobDto } from './printing';
import { dayStartUtc } from '../../shared/business-day';
import type { ChannelArgs, ChannelOutput, ShiftEndDto } from '../../shared/contract';
import { YizhanError } from '../../shared/errors';
import type { ShiftSlipReceipt } from '../../shared/receipt';
import { shiftSerial } from '../../shared/receipt-shift';
import { station, today, type Ctx } from '../context';
import type { Handlers } from '../handler';
import { assertDayOpen } from './day-guard';
import { figuresWithCount, operatorName } from './day-report';

/** The print queue's reference of a shift's X report. */
const shiftRef = (shiftId: number) => `shift:${shiftId}`;

/** The shift X report as a slip (shared/receipt-shift.ts), from the recorded shift. */
function shiftSlip(ctx: Ctx, row: ShiftRow, shiftNo: number): ShiftSlipReceipt {
  const st = station(ctx);
  const d = shiftDto(row, shiftNo);
  return {
    kind: 'shift_slip',
    station: { name: st.name, institutionNo: st.institution_no },
    demo: st.demo === 1,
    serial: shiftSerial(row.business_day, shiftNo),
    time: row.ended_at,
    operatorName: row.operator_name,
    shift: {
      shiftNo,
      businessDay: d.businessDay,
      startedAt: d.startedAt,
      endedAt: d.endedAt,
      txnCount: d.txnCount,
      payments: d.payments,
      cashIn: d.cashIn,
      countedCash: d.countedCash,
      expectedCash: d.expectedCash,
      variance: d.variance,
    },
  };
}

export async function endShift(ctx: Ctx, a: ChannelArgs<'shift.end'>): Promise<ShiftEndDto> {
  const { day, nowIso } = today(ctx);
  assertDayOpen(ctx, day);
  // The shift and its slip in the print queue are one write: a recorded shift always has its slip.
  const { row, shiftNo, jobId } = ctx.db
    .transaction(() => {
      // A shift may end before the day's first posting: the business day opens with it.
      ensureDay(ctx.db, day, nowIso);
      const from = shiftStart(ctx.db, day, dayStartUtc(day));
      const fig = shiftFigures(ctx.db, day, ctx.operatorId, from, nowIso);
      const expected = figuresWithCount(ctx, day).f.expectedCashFen;
      const r: Omit<ShiftRow, 'id'> = {
        business_day: day,
        operator_id: ctx.operatorId,
        operator_name: operatorName(ctx, ctx.operatorId),
        started_at: from,
        ended_at: nowIso,
        txn_count: fig.txnCount,
        payments_fen: fig.paymentsFen,
        cash_in_fen: fig.cashInFen,
        counted_cash_fen: a.countedCash,
        expected_cash_fen: expected,
        variance_fen: a.countedCash - expected,
      };
      const shift = { ...r, id: insertShift(ctx.db, r) };
      const no = shiftNoOf(ctx.db, shift);
      const job = ctx.print.enqueue(shiftSlip(ctx, shift, no), shiftRef(shift.id));
      return { row: shift, shiftNo: no, jobId: job.jobId };
    })
    .immediate();
  // The shift is over at this client: the next operator logs in with their own PIN. The session
  // may still reprint this shift's report (the handover screen offers it) and log out.
  const s = ctx.sessionKey ? ctx.sessions.get(ctx.sessionKey) : undefined;
  if (s) s.handedOverShiftId = row.id;
  // Printed now if the printer takes it; otherwise it waits in the queue (the shift is recorded).
  await ctx.print.printPending();
  return { ...shiftDto(row, shiftNo), shiftId: row.id, job: jobDto(ctx.print.get(jobId)!) };
}

export async function reprintShift(
  ctx: Ctx,
  a: ChannelArgs<'shift.reprint'>,
): Promise<ChannelOutput<'shift.reprint'>> {
  const s = ctx.sessionKey ? ctx.sessions.get(ctx.sessionKey) : undefined;
  if (s?.handedOverShiftId !== undefined && s.handedOverShiftId !== a.shiftId)
    throw new YizhanError('NOT_LOGGED_IN', { channel: 'shift.reprint', reason: 'handed_over' });
  const row = shiftById(ctx.db, a.shiftId);
  if (!row) throw new YizhanError('NOT_FOUND', { shiftId: a.shiftId });
  const ref = shiftRef(row.id);
  // A shift handed over before its report printed (an older ledger) gets its original first.
  if (ctx.print.jobsFor(ref).length === 0)
    ctx.print.enqueue(shiftSlip(ctx, row, shiftNoOf(ctx.db, row)), ref);
  const by = getOperator(ctx.db, ctx.operatorId)?.name ?? ctx.operatorId;
  return { job: jobDto(await ctx.print.reprintAndPrint(ref, { operatorName: by })) };
}

export const shiftHandlers: Handlers<'shift.end' | 'shift.reprint'> = {
  'shift.end': (ctx, a) => endShift(ctx, a),
  'shift.reprint': (ctx, a) => reprintShift(ctx, a),
};
