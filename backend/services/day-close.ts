// 日终轧账 (PAY-4, PAY-5): the X report, the blind cash count, and the Z close.
//
// The X report and the Z close are made by the same function (`buildReport` in day-report.ts,
// over db/day-close.ts computeDayFigures), so they cannot disagree. The close is checked again by the
// database (migration 003): it ties out, carries over, numbers Z without gaps and locks the day.
//
// Blind count: the expected cash is never in a reply before the drawer has been counted for the
// day — `day.xReport` leaves the cash section empty until `day.count` is called, and `day.close`
// needs the id of the day's latest count.
//
// Days close in order (the database refuses otherwise). A day left open is closed late: the next
// day's business is not blocked, and the count and the central balance taken now are brought back
// to the day's end by subtracting what is dated after it.
import { YizhanError } from '../../shared/errors';
import { formatFen } from '../../shared/money';
import {
  denominationsTotalFen,
  type DayReportDto,
  type DayStatusDto,
  type ZSummaryDto,
  type ChannelArgs,
} from '../../shared/contract';
import {
  closeRowByZ,
  closeRowOf,
  computeDayFigures,
  countOpenDays,
  oldestUnclosedRealDay,
  dayStatus,
  insertClose,
  insertCount,
  lastClose,
  listCloses,
  openDays,
  openDaysBefore,
  pendingPaymentsUpTo,
  zPrintCount,
} from '../../db/day-close';
import { ensureDay } from '../../db/ledger';
import { today, type Ctx } from '../context';
import type { Handlers } from '../handler';
import { printXSlip, printZSlip, zSlipPreview } from './z-slip';
import { recoverPendingPayments } from './bill';
import { recoverPendingReversals } from './reversal';
import { assertLedgerSound, dayAcceptsPostings, verifyAndReport } from './day-guard';
import { backupInBackground } from './backup';
import { assertKeyUnused, recordDone, type Keyed } from './keyed';
import { buildReport, figuresWithCount, operatorName, readCentral, storedZ } from './day-report';

// ---- channels ---------------------------------------------------------------------------------

export function dayStatusOf(ctx: Ctx): DayStatusDto {
  const { day } = today(ctx);
  const open = openDays(ctx.db);
  const last = lastClose(ctx.db);
  const unclosed = open.filter((d) => d < day);
  return {
    today: day,
    todayStatus: dayStatus(ctx.db, day),
    openDays: open,
    openDayCount: countOpenDays(ctx.db),
    unclosedBeforeToday: unclosed,
    nextToClose: open.find((d) => d <= day) ?? (dayStatus(ctx.db, day) === 'closed' ? null : day),
    lastClose: last ? { zNo: last.z_no, day: last.day, closedAt: last.closed_at } : null,
    pendingPayments: pendingPaymentsUpTo(ctx.db, day),
  };
}

export async function xReport(ctx: Ctx, a: ChannelArgs<'day.xReport'>): Promise<DayReportDto> {
  const day = a.day ?? today(ctx).day;
  const closed = closeRowOf(ctx.db, day);
  if (closed) return storedZ(closed);
  // Ledger v2: the chain and the balances since the last verified point, before every X.
  verifyAndReport(ctx.db, 'x', today(ctx).nowIso);
  const { reading, missing } = await readCentral(ctx, day, a.centralBalance, a.skipCentral ?? false);
  return ctx.db.transaction(() => {
    const { f, count } = figuresWithCount(ctx, day);
    return buildReport(ctx, f, { kind: 'X', count, central: reading, centralMissing: missing });
  })();
}

export async function countDrawer(ctx: Ctx, a: ChannelArgs<'day.count'>): Promise<DayReportDto> {
  const { day: todayDay } = today(ctx);
  const day = a.day ?? todayDay;
  if (day > todayDay) throw new YizhanError('INVALID_INPUT', { day, variant: 'futureCount' });
  const totalFen = a.method === 'total' ? a.total : denominationsTotalFen(a.denominations);
  if (!dayAcceptsPostings(ctx, day)) throw new YizhanError('DAY_CLOSED', { day, variant: 'day' });
  // The reply is the whole picture for the close screen: the central balance too, when reachable.
  const { reading, missing } = await readCentral(ctx, day, undefined, false);
  const { nowIso } = today(ctx);
  return ctx.db
    .transaction(() => {
      if (!dayAcceptsPostings(ctx, day)) throw new YizhanError('DAY_CLOSED', { day, variant: 'day' });
      const first = !lastClose(ctx.db);
      if (a.openingCash !== undefined && !first) {
        throw new YizhanError('INVALID_INPUT', { field: 'openingCash', variant: 'openingCash' });
      }
      // Today, or the oldest unclosed day that had business: never an arbitrary past date (which
      // would become a business day, a Z and an upload).
      if (day !== todayDay) {
        const oldest = oldestUnclosedRealDay(ctx.db);
        if (day !== oldest)
          throw new YizhanError('DAY_NOT_COUNTABLE', {
            day,
            today: todayDay,
            oldestUnclosed: oldest ?? null,
            variant: oldest ? 'oldest' : 'todayOnly',
          });
      }
      // A count needs the day's row (a day without business can still be closed, with its count).
      ensureDay(ctx.db, day, nowIso);
      const count = insertCount(ctx.db, {
        day,
        countedAt: nowIso,
        operatorId: ctx.operatorId,
        method: a.method,
        denominations: a.method === 'denominations' ? a.denominations : null,
        totalFen,
        openingCashFen: first ? (a.openingCash ?? 0) : null,
      });
      const f = computeDayFigures(ctx.db, day, count.opening_cash_fen ?? 0);
      return buildReport(ctx, f, { kind: 'X', count, central: reading, centralMissing: missing });
    })
    .immediate();
}

export async function closeDay(ctx: Ctx, a: ChannelArgs<'day.close'>, k: Keyed): Promise<DayReportDto> {
  const { day: todayDay } = today(ctx);
  const day = a.day ?? todayDay;
  if (day > todayDay) throw new YizhanError('DAY_NOT_CLOSABLE', { day, variant: 'future' });
  // Ledger v2: no Z over a ledger that does not verify.
  assertLedgerSound(ctx, verifyAndReport(ctx.db, 'z', today(ctx).nowIso));
  const done = closeRowOf(ctx.db, day);
  if (done) throw new YizhanError('DAY_CLOSED', { day, zNo: done.z_no, variant: 'dayWithZ' });
  if (dayStatus(ctx.db, day) === 'closed') throw new YizhanError('DAY_CLOSED', { day });
  const earlier = openDaysBefore(ctx.db, day, 1)[0];
  if (earlier) {
    throw new YizhanError('DAY_NOT_CLOSABLE', { day, earliestOpen: earlier, variant: 'order' });
  }
  // Payments whose outcome is unknown: ask the central system first; refuse if still unknown.
  if (pendingPaymentsUpTo(ctx.db, day) > 0) {
    await recoverPendingPayments(ctx);
    await recoverPendingReversals(ctx);
  }
  const pending = pendingPaymentsUpTo(ctx.db, day);
  if (pending > 0) {
    throw new YizhanError('PENDING_PAYMENTS', { day, pending, variant: 'count' });
  }
  const central = await readCentral(
    ctx,
    day,
    a.central.source === 'operator' ? a.central.balance : undefined,
    false,
  );
  if (!central.reading) {
    throw new YizhanError('GATEWAY_UNAVAILABLE', {
      day,
      central: 'unreachable',
      variant: 'centralBalance',
    });
  }
  const reading = central.reading;
  const floatRemark = a.floatRemark?.trim() || null;
  const cashRemark = a.cashRemark?.trim() || null;
  const { nowIso } = today(ctx);
  const closed = ctx.db
    .transaction(() => {
      assertKeyUnused(ctx, k);
      const { f, count } = figuresWithCount(ctx, day);
      if (!count || count.id !== a.countId) {
        throw new YizhanError('COUNT_REQUIRED', {
          day,
          latestCountId: count?.id ?? null,
          variant: count ? 'recounted' : 'none',
        });
      }
      if (!f.floatTiesOut || !f.cashTiesOut) {
        throw new YizhanError('RECONCILIATION_FAILED', {
          day,
          expectedClosing: formatFen(f.closingFloatFen),
          ledgerClosing: formatFen(f.ledgerClosingFloatFen),
        });
      }
      const centralFen = reading.readFen - reading.laterFen;
      const differenceFen = centralFen - f.closingFloatFen;
      const countedFen = count.total_fen - count.later_cash_fen;
      const varianceFen = countedFen - f.expectedCashFen;
      const missing = {
        float: differenceFen !== 0 && !floatRemark,
        cash: varianceFen !== 0 && !cashRemark,
      };
      if (missing.float || missing.cash) {
        throw new YizhanError('REMARK_REQUIRED', {
          day,
          float: missing.float,
          cash: missing.cash,
          floatDifference: formatFen(differenceFen),
          cashVariance: formatFen(varianceFen),
          variant: missing.float && missing.cash ? 'both' : missing.float ? 'float' : 'cash',
        });
      }
      const zNo = (lastClose(ctx.db)?.z_no ?? 0) + 1;
      const closedBy = operatorName(ctx, ctx.operatorId);
      const report = buildReport(ctx, f, {
        kind: 'Z',
        count,
        central: reading,
        centralMissing: null,
        floatRemark,
        cashRemark,
        zNo,
        closedAt: nowIso,
        closedBy,
      });
      insertClose(ctx.db, {
        z_no: zNo,
        day,
        closed_at: nowIso,
        operator_id: ctx.operatorId,
        txn_count: f.txnCount,
        opening_float_fen: f.openingFloatFen,
        topups_fen: f.topupsFen,
        payments_fen: f.paymentsFen,
        reversals_float_fen: f.reversalsFloatFen,
        settled_to_float_fen: f.settledToFloatFen,
        closing_float_fen: f.closingFloatFen,
        central_read_fen: reading.readFen,
        later_float_fen: reading.laterFen,
        central_float_fen: centralFen,
        central_source: reading.source,
        float_difference_fen: differenceFen,
        float_remark: floatRemark,
        count_id: count.id,
        opening_cash_fen: f.openingCashFen,
        cash_received_fen: f.cashReceivedFen,
        change_given_fen: f.changeGivenFen,
        reversals_cash_fen: f.reversalsCashFen,
        settled_fen: f.settledFen,
        expected_cash_fen: f.expectedCashFen,
        counted_cash_fen: countedFen,
        cash_variance_fen: varianceFen,
        cash_remark: cashRemark,
        fees_fen: f.feesFen,
        takings_due_fen: f.takingsDueFen,
        report: JSON.stringify(report),
      });
      recordDone(ctx, k, report);
      return report;
    })
    .immediate();
  ctx.monitor?.kick(); // MON-2: report the closed day now (the outbox row was written with the close)
  if (ctx.backups) backupInBackground(ctx.db, `z${closed.zNo}-${closed.businessDay}`); // a copy of every closed day
  return closed;
}

export function zReport(ctx: Ctx, a: ChannelArgs<'day.zReport'>): DayReportDto {
  const row = 'zNo' in a ? closeRowByZ(ctx.db, a.zNo) : closeRowOf(ctx.db, a.day);
  if (!row) throw new YizhanError('NOT_FOUND', { ...a, variant: 'zReport' });
  return storedZ(row);
}

export function zList(ctx: Ctx, a: ChannelArgs<'day.zList'>): { items: ZSummaryDto[] } {
  return {
    items: listCloses(ctx.db, a.limit).map((r) => ({
      zNo: r.z_no,
      businessDay: r.day,
      closedAt: r.closed_at,
      operatorName: operatorName(ctx, r.operator_id),
      closingFloat: formatFen(r.closing_float_fen),
      floatDifference: formatFen(r.float_difference_fen),
      countedCash: formatFen(r.counted_cash_fen),
      cashVariance: formatFen(r.cash_variance_fen),
      prints: zPrintCount(ctx.db, r.z_no),
    })),
  };
}

/** The day domain's plain channels; `day.close` is keyed in the table. */
export const dayHandlers: Handlers<
  | 'day.status'
  | 'day.xReport'
  | 'day.count'
  | 'day.zList'
  | 'day.zReport'
  | 'day.zSlip'
  | 'day.printZ'
  | 'day.printX'
> = {
  'day.status': (ctx) => dayStatusOf(ctx),
  'day.xReport': xReport,
  'day.count': countDrawer,
  'day.zList': zList,
  'day.zReport': zReport,
  'day.zSlip': zSlipPreview,
  'day.printZ': printZSlip,
  'day.printX': async (ctx, a) => printXSlip(ctx, await xReport(ctx, a)),
};
