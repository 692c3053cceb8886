// The day report (PAY-4, PAY-5): one function, `buildReport` over db/day-close.ts
// computeDayFigures, makes the X report, the count's reply and the Z close, so they cannot
// disagree. The operations that use it (count, close) are in day-close.ts.
import { shiftsDto } from './shift-dto';
import { YizhanError } from '../../shared/errors';
import { formatFen } from '../../shared/money';
import { CATALOGUE, type ServiceId } from '../../shared/catalogue';
import {
  type CashCountDto,
  type CentralBalanceDto,
  type CloseBlockerDto,
  type DayReportDto,
  type Denominations,
  type ServiceLineDto,
  type TieOutDto,
} from '../../shared/contract';
import type { ServiceFigures } from '../../db/reports';
import {
  computeDayFigures,
  countsOf,
  latestCount,
  postingsAfter,
  txnsPostedAfter,
  type CloseRow,
  type CountRow,
  type DayFigures,
} from '../../db/day-close';
import { getOperator } from '../../db/station';
import { station, today, type Ctx } from '../context';
import { callGateway } from './gateway-call';
import { tieOutDay, type TieOut } from './tie-out';

/** One service's payments as the day and period reports show them. */
export function serviceLineDto(s: ServiceFigures): ServiceLineDto {
  return {
    service: s.service,
    nameZh: CATALOGUE[s.service as ServiceId]?.nameZh ?? s.service,
    count: s.count,
    amount: formatFen(s.amountFen),
    fee: formatFen(s.feeFen),
    reversedCount: s.reversedCount,
    reversed: formatFen(s.reversedFen),
  };
}

/** A central balance reading, before it is brought back to the day's end. */
export interface CentralReading {
  readFen: number;
  laterFen: number;
  source: 'gateway' | 'operator';
  /** PAY-4: the line-by-line tie-out, read with the balance (gateway readings only). */
  tieOut?: TieOut | null;
}

export function operatorName(ctx: Ctx, id: string): string {
  return getOperator(ctx.db, id)?.name ?? id;
}

export function countDto(ctx: Ctx, c: CountRow): CashCountDto {
  const later = c.later_cash_fen;
  // Business of the same day after the count changes what the drawer should hold.
  const after = txnsPostedAfter(ctx.db, c.day, c.counted_at);
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
export function buildReport(
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
  if (f.status === 'closed') blockers.push({ code: 'DAY_CLOSED', message: `营业日 ${f.day} 已轧账` });
  if (f.day > todayDay) blockers.push({ code: 'FUTURE_DAY', message: '不能轧账尚未到来的营业日' });
  if (f.earlierOpenDays.length > 0) {
    blockers.push({
      code: 'EARLIER_DAYS_OPEN',
      message: `请先轧账之前未轧账的营业日：${f.earlierOpenDays.slice(0, 3).join('、')}${f.earlierOpenDays.length > 3 ? ' 等' : ''}`,
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
      tieOut: tieOutDto(o.central?.tieOut ?? null, differenceFen),
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
    byService: f.byService.map(serviceLineDto),
    byOperator: f.byOperator.map((p) => ({
      operatorId: p.operatorId,
      operatorName: p.operatorName,
      count: p.count,
      amount: formatFen(p.amountFen),
      fee: formatFen(p.feeFen),
    })),
    shifts: shiftsDto(ctx, f.day),
  };
}

function tieOutDto(t: TieOut | null, differenceFen: number | null): TieOutDto | null {
  if (!t) return null;
  const { explainedFen, ...rest } = t;
  return {
    ...rest,
    explained: formatFen(explainedFen),
    unexplained: differenceFen === null ? null : formatFen(differenceFen - explainedFen),
  };
}

/** The figures with the count that applies: the first close's change fund comes with its count. */
export function figuresWithCount(ctx: Ctx, day: string): { f: DayFigures; count: CountRow | undefined } {
  const count = latestCount(ctx.db, day);
  return { f: computeDayFigures(ctx.db, day, count?.opening_cash_fen ?? 0), count };
}

export function storedZ(row: CloseRow): DayReportDto {
  return JSON.parse(row.report) as DayReportDto;
}

export async function readCentral(
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
    const laterFen = laterNow();
    const tieOut = await tieOutDay(ctx, day);
    return { reading: { readFen, laterFen, source: 'gateway', tieOut }, missing: null };
  } catch (e) {
    if (e instanceof YizhanError && e.code === 'GATEWAY_UNAVAILABLE') {
      return { reading: null, missing: '无法连接中心系统：请从邮政系统查询余额后手工录入' };
    }
    // A revoked or expired certificate (PPL-5): the platform answers nothing; the day is still
    // counted and closed on the balance the operator reads from the postal system.
    if (e instanceof YizhanError && e.code === 'CERTIFICATE_REFUSED') {
      return { reading: null, missing: '本站安全证书无效，邮政平台拒绝查询：请从邮政系统查询余额后手工录入' };
    }
    throw e;
  }
}
