// The shift handovers as the API shows them (the day's Z lists them; shift.end returns one).
import { shiftsOfDay, type ShiftRow } from '../../db/shifts';
import type { ShiftDto } from '../../shared/contract';
import { formatFen } from '../../shared/money';
import type { Ctx } from '../context';

export function shiftDto(r: ShiftRow, shiftNo: number): ShiftDto {
  return {
    shiftNo,
    businessDay: r.business_day,
    operatorName: r.operator_name,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    txnCount: r.txn_count,
    payments: formatFen(r.payments_fen),
    cashIn: formatFen(r.cash_in_fen),
    countedCash: formatFen(r.counted_cash_fen),
    expectedCash: formatFen(r.expected_cash_fen),
    variance: formatFen(r.variance_fen),
  };
}

export function shiftsDto(ctx: Ctx, day: string): ShiftDto[] {
  return shiftsOfDay(ctx.db, day).map((r, i) => shiftDto(r, i + 1));
}
