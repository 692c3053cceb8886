// Shift handover (交接班, issue 12): the operator at this client ends the shift with a blind count
// of the drawer; the shift X report (their transactions since the last handover, the cash they
// took in, the count against what the drawer should hold) is recorded, and the session ends.
import { ensureDay } from '../../db/ledger';
import { insertShift, shiftFigures, shiftStart, shiftsOfDay, type ShiftRow } from '../../db/shifts';
import { shiftDto } from './shift-dto';
import { dayStartUtc } from '../../shared/business-day';
import type { ChannelArgs, ShiftDto } from '../../shared/contract';
import { today, type Ctx } from '../context';
import type { Handlers } from '../handler';
import { assertDayOpen } from './day-guard';
import { figuresWithCount, operatorName } from './day-report';

export function endShift(ctx: Ctx, a: ChannelArgs<'shift.end'>): ShiftDto {
  const { day, nowIso } = today(ctx);
  assertDayOpen(ctx, day);
  const row = ctx.db
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
      return { ...r, id: insertShift(ctx.db, r) };
    })
    .immediate();
  // The shift is over at this client: the next operator logs in with their own PIN.
  if (ctx.sessionKey) ctx.sessions.delete(ctx.sessionKey);
  return shiftDto(row, shiftsOfDay(ctx.db, day).length);
}

export const shiftHandlers: Handlers<'shift.end'> = {
  'shift.end': (ctx, a) => endShift(ctx, a),
};
