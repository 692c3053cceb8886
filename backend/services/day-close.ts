// 日终轧帐 (PAY-4, PAY-5): the X report, the blind cash count, and the Z close.
//
// The X report and the Z close are made by the same function (`buildReport` over
// db/day-close.ts computeDayFigures), so they cannot disagree. The close is checked again by the
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
import { CATALOGUE, type ServiceId } from '../../shared/catalogue';
import {
  denominationsTotalFen,
  type CashCountDto,
  type CentralBalanceDto,
  type CloseBlockerDto,
  type DayReportDto,
  type DayStatusDto,
  type Denominations,
  type ZSummaryDto,
} from '../../shared/contract-day';
import type { ChannelArgs } from '../../shared/contract';
import {
  closeRowByZ,
  closeRowOf,
  computeDayFigures,
  countOpenDays,
  oldestUnclosedRealDay,
  countsOf,
  dayStatus,
  insertClose,
  insertCount,
  lastClose,
  latestCount,
  listCloses,
  openDays,
  pendingPaymentsUpTo,
  postingsAfter,
  zPrintCount,
  type CloseRow,
  type CountRow,
  type DayFigures,
} from '../../db/day-close';
import { ensureDay } from '../../db/ledger';
import { lastVerification, ledgerTampered, verifyLedger, type Verification } from '../../db/chain';
import { getOperator } from '../../db/station';
import { station, today, type Ctx } from '../context';
import { callGateway } from './gateway-call';
import { recoverPendingPayments } from './bill';
import { recoverPendingReversals } from './reversal';
import { backupInBackground } from './backup';
import { assertKeyUnused, recordDone, requestHash, runKeyed, type Keyed } from './keyed';

/** A central balance reading, before it is brought back to the day's end. */
interface CentralReading {
  readFen: number;
  laterFen: number;
  source: 'gateway' | 'operator';
}

function operatorName(ctx: Ctx, id: string): string {
  return getOperator(ctx.db, id)?.name ?? id;
}

/** Money channels stop while the latest ledger verification failed (issue 9, ledger v2). */
export function assertLedgerSound(ctx: Ctx, v?: Verification): void {
  if (v ? !v.ok : ledgerTampered(ctx.db)) {
    const last = lastVerification(ctx.db);
    throw new YizhanError('LEDGER_TAMPERED', {
      problem: v?.problem ?? last?.detail ?? null,
      at: last?.at ?? null,
    });
  }
}

/** True when a posting dated `day` would be accepted (not closed, not at or before the last close). */
export function dayAcceptsPostings(ctx: Ctx, day: string): boolean {
  const last = lastClose(ctx.db);
  return dayStatus(ctx.db, day) !== 'closed' && !(last && day <= last.day);
}

/** Refuses before anything is asked of the central system: a posting on a closed day would be
 *  refused by the ledger after the central system had acted. */
export function assertDayOpen(ctx: Ctx, day: string): void {
  assertLedgerSound(ctx);
  if (!dayAcceptsPostings(ctx, day)) {
    throw new YizhanError(
      'DAY_CLOSED',
      { day },
      `营业日 ${day} 已轧帐，不能再办理业务；次日零点后可继续营业`,
    );
  }
}

function countDto(ctx: Ctx, c: CountRow): CashCountDto {
  const later = c.later_cash_fen;
  // Business of the same day after the count changes what the drawer should hold.
  const after = ctx.db
    .prepare(`SELECT count(*) FROM txns WHERE business_day = ? AND created_at > ?`)
    .pluck()
    .get(c.day, c.counted_at) as number;
  return {
    countId: c.id,
    countedAt: c.counted_at,
    operatorName: operatorName(ctx, c.operator_id),
    method: c.method,
    denominations: c.denominations ? (JSON.parse(c.denominations) as Denominations) : null,
    total: formatFen(c.total_fen),
    later: formatFen(later),
    forDay: formatFen(c.total_fen - later),
    openingCash: c.opening_cash_fen === null ? null : formatFen(c.opening_cash_fen),
    countsSoFar: countsOf(ctx.db, c.day),
    txnsAfterCount: after,
  };
}

/** The one function behind the X report, the count's reply and the Z close. */
function buildReport(
  ctx: Ctx,
  f: DayFigures,
  o: {
    kind: 'X' | 'Z';
    count: CountRow | undefined;
    central: CentralReading | null;
    centralMissing: string | null;
    floatRemark?: string | null;
    cashRemark?: string | null;
    zNo?: number | null;
    closedAt?: string | null;
    closedBy?: string | null;
  },
): DayReportDto {
  const { day: todayDay, nowIso } = today(ctx);
  const central: CentralBalanceDto | null = o.central
    ? {
        balance: formatFen(o.central.readFen - o.central.laterFen),
        read: formatFen(o.central.readFen),
        later: formatFen(o.central.laterFen),
        source: o.central.source,
      }
    : null;
  const differenceFen = o.central ? o.central.readFen - o.central.laterFen - f.closingFloatFen : null;
  const countedFen = o.count ? o.count.total_fen - o.count.later_cash_fen : null;
  const varianceFen = countedFen === null ? null : countedFen - f.expectedCashFen;

  const blockers: CloseBlockerDto[] = [];
  if (f.status === 'closed') blockers.push({ code: 'DAY_CLOSED', message: `营业日 ${f.day} 已轧帐` });
  if (f.day > todayDay) blockers.push({ code: 'FUTURE_DAY', message: '不能轧帐尚未到来的营业日' });
  if (f.earlierOpenDays.length > 0) {
    blockers.push({
      code: 'EARLIER_DAYS_OPEN',
      message: `请先轧帐之前未轧帐的营业日：${f.earlierOpenDays.slice(0, 3).join('、')}${f.earlierOpenDays.length > 3 ? ' 等' : ''}`,
      days: f.earlierOpenDays,
    });
  }
  if (f.pendingPayments > 0) {
    blockers.push({
      code: 'PENDING_PAYMENTS',
      message: `还有 ${f.pendingPayments} 笔缴费结果待确认`,
      count: f.pendingPayments,
    });
  }
  if (!o.count && f.status !== 'closed') blockers.push({ code: 'NOT_COUNTED', message: '请先清点钱箱现金' });
  if (!f.floatTiesOut || !f.cashTiesOut)
    blockers.push({ code: 'LEDGER_MISMATCH', message: '账务核对不平：请联系技术支持' });

  return {
    kind: o.kind,
    businessDay: f.day,
    status: o.kind === 'Z' ? 'closed' : f.status,
    generatedAt: nowIso,
    zNo: o.zNo ?? null,
    closedAt: o.closedAt ?? null,
    closedBy: o.closedBy ?? null,
    txnCount: f.txnCount,
    closable: o.kind === 'X' && blockers.length === 0,
    blockers: o.kind === 'Z' ? [] : blockers,
    float: {
      openingSource: f.openingSource,
      opening: formatFen(f.openingFloatFen),
      topups: formatFen(f.topupsFen),
      topupCount: f.topupCount,
      topupVoucher: formatFen(f.topupVoucherFen),
      topupGreenCard: formatFen(f.topupGreenCardFen),
      payments: formatFen(f.paymentsFen),
      paymentCount: f.paymentCount,
      fees: formatFen(f.feesFen),
      reversals: formatFen(f.reversalsFloatFen),
      reversalCount: f.reversalCount,
      settledToFloat: formatFen(f.settledToFloatFen),
      expectedClosing: formatFen(f.closingFloatFen),
      ledgerClosing: formatFen(f.ledgerClosingFloatFen),
      tiesOut: f.floatTiesOut,
      central,
      centralMissing: central ? null : o.centralMissing,
      difference: differenceFen === null ? null : formatFen(differenceFen),
      remarkRequired: differenceFen !== null && differenceFen !== 0,
      remark: o.floatRemark ?? null,
    },
    // Blind count: nothing about the drawer's expected content until it has been counted.
    cash:
      o.count && countedFen !== null && varianceFen !== null
        ? {
            openingSource: f.openingSource,
            opening: formatFen(f.openingCashFen),
            cashReceived: formatFen(f.cashReceivedFen),
            changeGiven: formatFen(f.changeGivenFen),
            reversals: formatFen(f.reversalsCashFen),
            settled: formatFen(f.settledFen),
            settlementCount: f.settlementCount,
            settledToFloat: formatFen(f.settledToFloatFen),
            settledToOwner: formatFen(f.settledToOwnerFen),
            expected: formatFen(f.expectedCashFen),
            counted: formatFen(countedFen),
            variance: formatFen(varianceFen),
            remarkRequired: varianceFen !== 0,
            remark: o.cashRemark ?? null,
            takingsDue: formatFen(f.takingsDueFen),
            fees: formatFen(f.feesFen),
            tiesOut: f.cashTiesOut,
          }
        : null,
    count: o.count ? countDto(ctx, o.count) : null,
    byService: f.byService.map((s) => ({
      service: s.service,
      nameZh: CATALOGUE[s.service as ServiceId]?.nameZh ?? s.service,
      count: s.count,
      amount: formatFen(s.amountFen),
      fee: formatFen(s.feeFen),
      reversedCount: s.reversedCount,
      reversed: formatFen(s.reversedFen),
    })),
    byOperator: f.byOperator.map((p) => ({
      operatorId: p.operatorId,
      operatorName: p.operatorName,
      count: p.count,
      amount: formatFen(p.amountFen),
      fee: formatFen(p.feeFen),
    })),
  };
}

/** The figures with the count that applies: the first close's change fund comes with its count. */
function figuresWithCount(ctx: Ctx, day: string): { f: DayFigures; count: CountRow | undefined } {
  const count = latestCount(ctx.db, day);
  return { f: computeDayFigures(ctx.db, day, count?.opening_cash_fen ?? 0), count };
}

function storedZ(row: CloseRow): DayReportDto {
  return JSON.parse(row.report) as DayReportDto;
}

async function readCentral(
  ctx: Ctx,
  day: string,
  typedFen: number | undefined,
  skip: boolean,
): Promise<{ reading: CentralReading | null; missing: string | null }> {
  const laterNow = () => postingsAfter(ctx.db, 'float', day);
  if (typedFen !== undefined)
    return { reading: { readFen: typedFen, laterFen: laterNow(), source: 'operator' }, missing: null };
  if (skip) return { reading: null, missing: '未查询中心余额' };
  try {
    const st = station(ctx);
    const readFen = await callGateway(ctx, 'centralBalance', () =>
      ctx.gateway.centralBalance(st.institution_no),
    );
    if (!Number.isSafeInteger(readFen))
      throw new YizhanError('INTERNAL', { reason: 'gateway sent a bad balance' });
    // Read the later postings right after the answer (same tick: nothing of ours posts in between).
    return { reading: { readFen, laterFen: laterNow(), source: 'gateway' }, missing: null };
  } catch (e) {
    if (e instanceof YizhanError && e.code === 'GATEWAY_UNAVAILABLE') {
      return { reading: null, missing: '无法连接中心系统：请从邮政系统查询余额后手工录入' };
    }
    throw e;
  }
}

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
  verifyLedger(ctx.db, { scope: 'x', nowIso: today(ctx).nowIso });
  const { reading, missing } = await readCentral(ctx, day, a.centralBalance, a.skipCentral ?? false);
  return ctx.db.transaction(() => {
    const { f, count } = figuresWithCount(ctx, day);
    return buildReport(ctx, f, { kind: 'X', count, central: reading, centralMissing: missing });
  })();
}

export async function countDrawer(ctx: Ctx, a: ChannelArgs<'day.count'>): Promise<DayReportDto> {
  const { day: todayDay } = today(ctx);
  const day = a.day ?? todayDay;
  if (day > todayDay) throw new YizhanError('INVALID_INPUT', { day }, '不能清点尚未到来的营业日');
  const totalFen = a.method === 'total' ? a.total : denominationsTotalFen(a.denominations);
  if (!dayAcceptsPostings(ctx, day)) throw new YizhanError('DAY_CLOSED', { day }, `营业日 ${day} 已轧帐`);
  // The reply is the whole picture for the close screen: the central balance too, when reachable.
  const { reading, missing } = await readCentral(ctx, day, undefined, false);
  const { nowIso } = today(ctx);
  return ctx.db
    .transaction(() => {
      if (!dayAcceptsPostings(ctx, day)) throw new YizhanError('DAY_CLOSED', { day }, `营业日 ${day} 已轧帐`);
      const first = !lastClose(ctx.db);
      if (a.openingCash !== undefined && !first) {
        throw new YizhanError(
          'INVALID_INPUT',
          { field: 'openingCash' },
          '期初现金取自上一次轧帐的实点现金，不能另行录入',
        );
      }
      // Today, or the oldest unclosed day that had business: never an arbitrary past date (which
      // would become a business day, a Z and an upload).
      if (day !== todayDay) {
        const oldest = oldestUnclosedRealDay(ctx.db);
        if (day !== oldest)
          throw new YizhanError(
            'DAY_NOT_COUNTABLE',
            { day, today: todayDay, oldestUnclosed: oldest ?? null },
            oldest
              ? `只能清点今天（${todayDay}）或最早未轧帐的营业日（${oldest}）的钱箱`
              : `只能清点今天（${todayDay}）的钱箱：${day} 不是未轧帐的营业日`,
          );
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

export async function closeDay(ctx: Ctx, a: ChannelArgs<'day.close'>): Promise<DayReportDto> {
  const k: Keyed = { key: a.idempotencyKey, channel: 'day.close', hash: requestHash('day.close', a) };
  return runKeyed(ctx, k, async () => {
    const { day: todayDay } = today(ctx);
    const day = a.day ?? todayDay;
    if (day > todayDay) throw new YizhanError('DAY_NOT_CLOSABLE', { day }, '不能轧帐尚未到来的营业日');
    // Ledger v2: no Z over a ledger that does not verify.
    assertLedgerSound(ctx, verifyLedger(ctx.db, { scope: 'z', nowIso: today(ctx).nowIso }));
    const done = closeRowOf(ctx.db, day);
    if (done)
      throw new YizhanError('DAY_CLOSED', { day, zNo: done.z_no }, `营业日 ${day} 已轧帐（Z${done.z_no}）`);
    if (dayStatus(ctx.db, day) === 'closed') throw new YizhanError('DAY_CLOSED', { day });
    const earlier = ctx.db
      .prepare(`SELECT day FROM business_days WHERE status = 'open' AND day < ? ORDER BY day LIMIT 1`)
      .pluck()
      .get(day) as string | undefined;
    if (earlier) {
      throw new YizhanError(
        'DAY_NOT_CLOSABLE',
        { day, earliestOpen: earlier },
        `请先轧帐 ${earlier}：营业日须按顺序轧帐`,
      );
    }
    // Payments whose outcome is unknown: ask the central system first; refuse if still unknown.
    if (pendingPaymentsUpTo(ctx.db, day) > 0) {
      await recoverPendingPayments(ctx);
      await recoverPendingReversals(ctx);
    }
    const pending = pendingPaymentsUpTo(ctx.db, day);
    if (pending > 0) {
      throw new YizhanError(
        'PENDING_PAYMENTS',
        { day, pending },
        `还有 ${pending} 笔缴费结果待确认，不能轧帐：请稍后重试或先处理待确认的缴费`,
      );
    }
    const central = await readCentral(
      ctx,
      day,
      a.central.source === 'operator' ? a.central.balance : undefined,
      false,
    );
    if (!central.reading) {
      throw new YizhanError(
        'GATEWAY_UNAVAILABLE',
        { day, central: 'unreachable' },
        '无法连接中心系统读取预存款余额：请从邮政系统查询余额后手工录入',
      );
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
          throw new YizhanError(
            'COUNT_REQUIRED',
            { day, latestCountId: count?.id ?? null },
            count ? '钱箱已重新清点：请以最近一次清点为准' : '请先清点钱箱现金',
          );
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
          const parts = [
            missing.float ? `预存款与中心余额差额 ${formatFen(differenceFen)} 元` : null,
            missing.cash ? `现金长短款 ${formatFen(varianceFen)} 元` : null,
          ].filter(Boolean);
          throw new YizhanError(
            'REMARK_REQUIRED',
            {
              day,
              float: missing.float,
              cash: missing.cash,
              floatDifference: formatFen(differenceFen),
              cashVariance: formatFen(varianceFen),
            },
            `${parts.join('，')}：请填写差额说明`,
          );
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
  });
}

export function zReport(ctx: Ctx, a: ChannelArgs<'day.zReport'>): DayReportDto {
  const row = 'zNo' in a ? closeRowByZ(ctx.db, a.zNo) : closeRowOf(ctx.db, a.day);
  if (!row) throw new YizhanError('NOT_FOUND', { ...a }, '没有这张轧帐单');
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
