// PAY-4 「关注预存款额度,及时补充预存资金。不得出现因预存额度不足,而造成便民业务无法正常开办的现象」:
// how long the float lasts at the recent rate of payments, and a top-up that would cover the next
// few business days. Decimal arithmetic on integer fen; the result crosses the API as strings.
import Decimal from 'decimal.js';
import { formatFen } from '../../shared/money';
import type { ChannelArgs, FloatForecastDto, FloatLevel } from '../../shared/contract';
import { accountBalance } from '../../db/ledger';
import { recentDailyPayments } from '../../db/reports';
import { today, type Ctx } from '../context';
import { addDays } from '../../shared/business-day';

/** Two weeks of business days: long enough to smooth a market day, short enough to follow a season. */
export const FORECAST_LOOKBACK_DAYS = 14;
/** Top up to last this many business days unless asked otherwise (a weekend plus a day). */
export const DEFAULT_COVER_DAYS = 3;
/** Warn when the float lasts fewer business days than this. */
export const LOW_FLOAT_DAYS = 2;
/** Suggested top-ups carry this margin over the average (busy days are busier than average). */
export const SAFETY_MARGIN_PCT = 20;
/** Suggested top-ups are rounded up to whole hundreds of yuan (what a branch deposit looks like). */
export const TOPUP_ROUND_FEN = 10_000;

export function floatForecast(ctx: Ctx, a: ChannelArgs<'float.forecast'>): FloatForecastDto {
  const coverDays = a.coverDays ?? DEFAULT_COVER_DAYS;
  const { day } = today(ctx);
  const { bal, recent, todayOnly } = ctx.db.transaction(() => {
    const past = recentDailyPayments(ctx.db, day, FORECAST_LOOKBACK_DAYS);
    // A new station has no past days yet: today's payments so far are then the best (lowest)
    // estimate of a day's business, so the first day is not left without a warning.
    const todaySoFar = past.netFen > 0 ? null : recentDailyPayments(ctx.db, addDays(day, 1), 1);
    const useToday =
      todaySoFar !== null && todaySoFar.days[0] === day && todaySoFar.netFen > 0 && todaySoFar.count > 0;
    return {
      bal: accountBalance(ctx.db, 'float'),
      recent: useToday ? todaySoFar : past,
      todayOnly: useToday,
    };
  })();
  const availableFen = bal.balanceFen - bal.pendingFen;
  const nDays = recent.days.length;
  const hasHistory = nDays > 0 && recent.netFen > 0 && recent.count > 0;

  const avgDaily = hasHistory ? new Decimal(recent.netFen).div(nDays) : new Decimal(0);
  const avgPayment = hasHistory ? new Decimal(recent.netFen).div(recent.count) : new Decimal(0);
  const perDay = hasHistory ? new Decimal(recent.count).div(nDays) : new Decimal(0);
  const daysLeft = hasHistory ? new Decimal(Math.max(0, availableFen)).div(avgDaily) : null;
  const paymentsLeft = hasHistory
    ? new Decimal(Math.max(0, availableFen)).div(avgPayment).floor().toNumber()
    : null;

  // Target: coverDays at the average rate plus the margin, and never less than the largest bill seen.
  const targetFen = hasHistory
    ? Decimal.max(
        avgDaily
          .times(coverDays)
          .times(100 + SAFETY_MARGIN_PCT)
          .div(100),
        recent.largestFen,
      )
        .ceil()
        .toNumber()
    : 0;
  const shortFen = Math.max(0, targetFen - availableFen);
  const suggestedFen = Math.ceil(shortFen / TOPUP_ROUND_FEN) * TOPUP_ROUND_FEN;

  let level: FloatLevel;
  if (!hasHistory) level = availableFen <= 0 ? 'critical' : 'unknown';
  else if (daysLeft!.lessThan(1) || avgPayment.greaterThan(availableFen)) level = 'critical';
  else if (daysLeft!.lessThan(LOW_FLOAT_DAYS) || availableFen < recent.largestFen) level = 'low';
  else level = 'ok';

  const days1 = daysLeft ? daysLeft.toDecimalPlaces(1, Decimal.ROUND_DOWN).toFixed(1) : null;
  const message =
    level === 'unknown'
      ? '近期没有缴费记录，无法估算预存款可用天数'
      : level === 'critical' && !hasHistory
        ? '预存款余额为零，不能办理缴费：请立即充值'
        : level === 'critical'
          ? `预存款仅够约 ${days1} 天（约 ${paymentsLeft} 笔）缴费：请立即充值，建议充值 ${formatFen(suggestedFen)} 元`
          : level === 'low'
            ? `预存款约可用 ${days1} 天（约 ${paymentsLeft} 笔）：请及时充值，建议充值 ${formatFen(suggestedFen)} 元`
            : `预存款约可用 ${days1} 天（约 ${paymentsLeft} 笔）`;
  const messageWithBasis = todayOnly && level !== 'unknown' ? `${message}（暂按今日已缴估算）` : message;

  return {
    basis: todayOnly ? 'today_so_far' : 'recent_days',
    level,
    balance: formatFen(bal.balanceFen),
    pending: formatFen(bal.pendingFen),
    available: formatFen(availableFen),
    lookbackDays: FORECAST_LOOKBACK_DAYS,
    daysInWindow: nDays,
    avgDailyPayments: formatFen(avgDaily.round().toNumber()),
    avgPaymentsPerDay: perDay.toDecimalPlaces(1).toFixed(1),
    avgPayment: formatFen(avgPayment.round().toNumber()),
    largestPayment: formatFen(recent.largestFen),
    daysLeft: days1,
    paymentsLeft,
    coverDays,
    suggestedTopUp: formatFen(suggestedFen),
    message: messageWithBasis,
  };
}
