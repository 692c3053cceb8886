// MON-2 — the exit threshold (退出机制), a pure rule shared by the monitor and the station app.
// Long on purpose (about 430 lines): the rule, its decided edge cases and the month arithmetic
// they need are one unit that the monitor and the station must apply identically.
// 「对于一个月内没发生业务或连续三个月每个月交易笔数少于20笔的加盟商给予淘汰处理」
// A station with no business in a calendar month, or under 20 counted transactions in each of
// three consecutive calendar months, is removed. monitor/RULE.md explains each decision below.
//
// Edge cases, decided:
// - What counts: the station computes the numbers (RULES.md: payments count, a reversal
//   cancels the transaction it reverses, top-ups and training do not). This rule takes them.
// - Judged months: a month is judged only if the station was open the WHOLE month (opening
//   date on or before the 1st) and the month has ENDED (as-of date after its last day).
//   A station that opens mid-month gets that partial month free — no proration: the regulation
//   names no prorated threshold, and "no business in a month" means nothing for a month the
//   station was open one day of. Opening on the 1st: that month is judged.
// - Opened on the 31st (or any day but the 1st): that month is not judged; the next calendar
//   month is the first judged one. No "opening + 1 month" arithmetic, so no Jan 31 → Feb 31.
// - 28–31-day months: the threshold is 20 every month, February included (the regulation
//   says 每个月 20 笔, not a daily rate).
// - Mid-month evaluation: the current month is not judged yet; it can only make a station
//   at_risk (the month as it stands would count against it), never remove it.
// - Downward revisions: a day's count is the latest upload's; a reversal that lowers a past
//   day lowers that month. Evaluation always uses the latest numbers, so a past month can turn
//   low after the fact, and a verdict can change from ok to remove (or back) on re-upload.
// - Three low months: each run of consecutive judged months below 20 triggers once, at its
//   3rd month; a month with no business triggers on its own (and is also a low month).
// - Days before the opening date and after the as-of date are ignored.

/** 「交易笔数少于20笔」: fewer than this many counted transactions makes a month low. */
export const LOW_MONTH_THRESHOLD = 20;
/** 「连续三个月」 */
export const LOW_MONTHS_TO_REMOVE = 3;
/** A verdict lists at most this many triggers (the earliest; `triggerCount` has them all): a
 *  station silent for three years would otherwise carry ~70, and a fleet list 100,000 of those. */
export const MAX_TRIGGERS_LISTED = 12;
/** "No business yet this month" is raised only after this many whole days of the month have
 *  passed: earlier, zero is normally upload lag (counts are sent at day close) or a holiday. */
export const NO_BUSINESS_ALERT_AFTER_DAYS = 7;

/** 'YYYY-MM-DD' → transactions counted that day (latest upload wins). */
export type DailyCounts = ReadonlyMap<string, number> | Readonly<Record<string, number>>;

/** Monthly totals as a dense array: counts[i] is month `firstMonth + i`, where a month index is
 *  year × 12 + (month − 1). The fast path for a fleet (the monitor keeps monthly totals). */
export interface MonthlySeries {
  firstMonth: number;
  counts: ArrayLike<number>;
}

export type RemovalRule = 'no_business' | 'three_low_months';

export interface RemovalTrigger {
  rule: RemovalRule;
  /** The month that completed the condition ('YYYY-MM'). */
  month: string;
  /** The judged months behind it: [month] for no_business, three months for three_low_months. */
  months: string[];
  counts: number[];
}

export type AtRiskReason =
  | {
      /** This month, open all month, has had no counted business for a week or more. */
      kind: 'no_business_yet';
      month: string;
      daysElapsed: number;
      daysLeft: number;
    }
  | {
      /** This month is below the threshold so far, after low month(s): e.g. 12 of 20, 2nd in a row. */
      kind: 'low_month_in_progress';
      month: string;
      count: number;
      threshold: number;
      needed: number;
      daysLeft: number;
      /** Complete judged low months right before this one (1 or 2). */
      lowMonthsBefore: number;
      /** If this month ends below the threshold, the station is removed. */
      removalIfLow: boolean;
    };

export type ExitVerdict =
  | { status: 'ok' }
  | { status: 'at_risk'; reasons: AtRiskReason[] }
  | { status: 'remove'; triggers: RemovalTrigger[]; triggerCount: number };

export type ExitStatus = ExitVerdict['status'];

// ---- calendar helpers (no time zone: days and months are Shanghai calendar labels) -----------

const DAY_OR_MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])(-\d{2})?$/;

function digit(s: string, i: number): number {
  return s.charCodeAt(i) - 48;
}

/** 'YYYY-MM' or 'YYYY-MM-DD' → month index (year × 12 + month − 1). No validation: hot path. */
export function monthIndexOf(dayOrMonth: string): number {
  const y =
    digit(dayOrMonth, 0) * 1000 +
    digit(dayOrMonth, 1) * 100 +
    digit(dayOrMonth, 2) * 10 +
    digit(dayOrMonth, 3);
  const m = digit(dayOrMonth, 5) * 10 + digit(dayOrMonth, 6);
  return y * 12 + m - 1;
}

/** Month index → 'YYYY-MM'. */
export function monthKeyOf(index: number): string {
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}`;
}

function dayOfMonthOf(day: string): number {
  return digit(day, 8) * 10 + digit(day, 9);
}

export function daysInMonthOf(index: number): number {
  const y = Math.floor(index / 12);
  const m = index - y * 12; // 0-based
  if (m === 1) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 3 || m === 5 || m === 8 || m === 10 ? 30 : 31;
}

function assertDay(day: string, what: string): void {
  if (!DAY_OR_MONTH_RE.test(day) || day.length !== 10)
    throw new RangeError(`${what}: not a YYYY-MM-DD day: ${day}`);
  const dom = dayOfMonthOf(day);
  if (dom < 1 || dom > daysInMonthOf(monthIndexOf(day))) throw new RangeError(`${what}: no such day: ${day}`);
}

// ---- building the monthly series -------------------------------------------------------------

/** Sums daily counts into months, ignoring days before `openingDate` and after `asOf`. */
export function monthlySeriesFromDaily(daily: DailyCounts, openingDate: string, asOf: string): MonthlySeries {
  assertDay(openingDate, 'openingDate');
  assertDay(asOf, 'asOf');
  const first = monthIndexOf(openingDate);
  const last = monthIndexOf(asOf);
  const counts = new Array<number>(Math.max(0, last - first + 1)).fill(0);
  const add = (day: string, n: number): void => {
    // String comparison is date order for YYYY-MM-DD.
    if (day < openingDate || day > asOf) return;
    counts[monthIndexOf(day) - first]! += n;
  };
  if (isMap(daily)) for (const [day, n] of daily) add(day, n);
  else for (const day in daily) add(day, daily[day]!);
  return { firstMonth: first, counts };
}

/** Monthly totals keyed 'YYYY-MM' (e.g. from a GROUP BY) → a dense series. */
export function monthlySeriesFromTotals(totals: Iterable<readonly [string, number]>): MonthlySeries {
  const entries = [...totals];
  if (entries.length === 0) return { firstMonth: 0, counts: [] };
  let first = Infinity;
  let last = -Infinity;
  for (const [m] of entries) {
    const i = monthIndexOf(m);
    if (i < first) first = i;
    if (i > last) last = i;
  }
  const counts = new Array<number>(last - first + 1).fill(0);
  for (const [m, n] of entries) counts[monthIndexOf(m) - first]! += n;
  return { firstMonth: first, counts };
}

function isMap(d: DailyCounts): d is ReadonlyMap<string, number> {
  return d instanceof Map;
}

function countIn(series: MonthlySeries, month: number): number {
  const i = month - series.firstMonth;
  return i >= 0 && i < series.counts.length ? series.counts[i]! : 0;
}

// ---- the rule ---------------------------------------------------------------------------------

/** MON-2 on daily counts (the station app, the per-station view). */
export function evaluateExitRule(daily: DailyCounts, openingDate: string, asOf: string): ExitVerdict {
  return evaluateMonthly(monthlySeriesFromDaily(daily, openingDate, asOf), openingDate, asOf);
}

/** MON-2 on monthly totals. The series must hold no days after `asOf` (the monitor refuses
 *  future days, so "today" is safe; for a past date build the series from daily counts).
 *  `maxTriggers` 0 skips building trigger details (a fleet-wide pass that only sorts). */
export function evaluateMonthly(
  series: MonthlySeries,
  openingDate: string,
  asOf: string,
  maxTriggers = MAX_TRIGGERS_LISTED,
): ExitVerdict {
  assertDay(openingDate, 'openingDate');
  assertDay(asOf, 'asOf');
  if (asOf < openingDate) return OK;
  const asOfMonth = monthIndexOf(asOf);
  const firstJudged = firstJudgedMonth(openingDate);

  const triggers: RemovalTrigger[] = [];
  let triggerCount = 0;
  let lowRun = 0;
  for (let m = firstJudged; m < asOfMonth; m++) {
    const n = countIn(series, m);
    if (n === 0 && triggerCount++ < maxTriggers) {
      triggers.push({ rule: 'no_business', month: monthKeyOf(m), months: [monthKeyOf(m)], counts: [0] });
    }
    if (n < LOW_MONTH_THRESHOLD) {
      lowRun++;
      if (lowRun === LOW_MONTHS_TO_REMOVE && triggerCount++ < maxTriggers)
        triggers.push(threeLowTrigger(series, m));
    } else {
      lowRun = 0;
    }
  }
  if (triggerCount > 0) return { status: 'remove', triggers, triggerCount };
  if (firstJudged > asOfMonth) return OK; // this month is the opening month, not judged

  const reasons = currentMonthReasons(series, asOf, asOfMonth, lowRun);
  return reasons.length > 0 ? { status: 'at_risk', reasons } : OK;
}

const OK: ExitVerdict = Object.freeze({ status: 'ok' });

/** The first month the station was open from its first day. */
function firstJudgedMonth(openingDate: string): number {
  const m = monthIndexOf(openingDate);
  return dayOfMonthOf(openingDate) === 1 ? m : m + 1;
}

function threeLowTrigger(series: MonthlySeries, lastMonth: number): RemovalTrigger {
  const months: string[] = [];
  const counts: number[] = [];
  for (let m = lastMonth - LOW_MONTHS_TO_REMOVE + 1; m <= lastMonth; m++) {
    months.push(monthKeyOf(m));
    counts.push(countIn(series, m));
  }
  return { rule: 'three_low_months', month: monthKeyOf(lastMonth), months, counts };
}

function currentMonthReasons(
  series: MonthlySeries,
  asOf: string,
  month: number,
  lowMonthsBefore: number,
): AtRiskReason[] {
  const count = countIn(series, month);
  if (count >= LOW_MONTH_THRESHOLD) return [];
  const reasons: AtRiskReason[] = [];
  const dom = dayOfMonthOf(asOf);
  const daysLeft = daysInMonthOf(month) - dom + 1;
  const key = monthKeyOf(month);
  if (count === 0 && dom - 1 >= NO_BUSINESS_ALERT_AFTER_DAYS) {
    reasons.push({ kind: 'no_business_yet', month: key, daysElapsed: dom - 1, daysLeft });
  }
  if (lowMonthsBefore > 0) {
    reasons.push({
      kind: 'low_month_in_progress',
      month: key,
      count,
      threshold: LOW_MONTH_THRESHOLD,
      needed: LOW_MONTH_THRESHOLD - count,
      daysLeft,
      lowMonthsBefore,
      removalIfLow: lowMonthsBefore + 1 >= LOW_MONTHS_TO_REMOVE,
    });
  }
  return reasons;
}

// ---- what the counter and the dashboard show --------------------------------------------------

export interface MonthTotal {
  month: string;
  count: number;
  daysInMonth: number;
  /** Days of this month the station was open, up to the as-of date. */
  openDays: number;
  /** Open the whole month: the rule applies to it (once complete). */
  judged: boolean;
  /** The month has ended by the as-of date. */
  complete: boolean;
  /** Judged, complete and below the threshold. */
  low: boolean;
}

/** Monthly totals from the opening month to the as-of month, each with how the rule sees it. */
export function monthlyTotals(series: MonthlySeries, openingDate: string, asOf: string): MonthTotal[] {
  assertDay(openingDate, 'openingDate');
  assertDay(asOf, 'asOf');
  if (asOf < openingDate) return [];
  const first = monthIndexOf(openingDate);
  const firstJudged = firstJudgedMonth(openingDate);
  const asOfMonth = monthIndexOf(asOf);
  const out: MonthTotal[] = [];
  for (let m = first; m <= asOfMonth; m++) {
    const dim = daysInMonthOf(m);
    const from = m === first ? dayOfMonthOf(openingDate) : 1;
    const to = m === asOfMonth ? dayOfMonthOf(asOf) : dim;
    const count = countIn(series, m);
    const judged = m >= firstJudged;
    const complete = m < asOfMonth;
    out.push({
      month: monthKeyOf(m),
      count,
      daysInMonth: dim,
      openDays: to - from + 1,
      judged,
      complete,
      low: judged && complete && count < LOW_MONTH_THRESHOLD,
    });
  }
  return out;
}

/** none < notice (this month may become a 1st low month) < warning (at risk) < critical (this
 *  month, ending as it stands, removes the station) < removed. */
export type WarningLevel = 'none' | 'notice' | 'warning' | 'critical' | 'removed';

export interface Standing {
  asOf: string;
  status: ExitStatus;
  level: WarningLevel;
  verdict: ExitVerdict;
  /** The month `asOf` falls in. */
  month: string;
  /** False while the station is in its (partial) opening month, or not open yet. */
  monthJudged: boolean;
  monthCount: number;
  threshold: number;
  /** Transactions still needed this month to stay off the low list (0 when reached). */
  needed: number;
  /** Days of this month from `asOf` to its end, `asOf` included. */
  daysLeft: number;
  daysInMonth: number;
  /** Complete judged months right before this one, each below the threshold. */
  lowMonthsInRow: number;
}

/** The summary the counter shows: this month's count against 20, low months in a row, days
 *  left, and a warning level. */
export function standingOf(
  series: MonthlySeries,
  openingDate: string,
  asOf: string,
  maxTriggers = MAX_TRIGGERS_LISTED,
): Standing {
  const verdict = evaluateMonthly(series, openingDate, asOf, maxTriggers);
  const month = monthIndexOf(asOf);
  const dim = daysInMonthOf(month);
  const monthJudged = asOf >= openingDate && firstJudgedMonth(openingDate) <= month;
  const monthCount = asOf >= openingDate ? countIn(series, month) : 0;
  let lowMonthsInRow = 0;
  if (asOf >= openingDate) {
    for (
      let m = month - 1;
      m >= firstJudgedMonth(openingDate) && countIn(series, m) < LOW_MONTH_THRESHOLD;
      m--
    )
      lowMonthsInRow++;
  }
  return {
    asOf,
    status: verdict.status,
    level: levelOf(verdict, monthJudged, monthCount),
    verdict,
    month: monthKeyOf(month),
    monthJudged,
    monthCount,
    threshold: LOW_MONTH_THRESHOLD,
    needed: Math.max(0, LOW_MONTH_THRESHOLD - monthCount),
    daysLeft: dim - dayOfMonthOf(asOf) + 1,
    daysInMonth: dim,
    lowMonthsInRow,
  };
}

function levelOf(verdict: ExitVerdict, monthJudged: boolean, monthCount: number): WarningLevel {
  switch (verdict.status) {
    case 'remove':
      return 'removed';
    case 'at_risk': {
      const fatal = verdict.reasons.some((r) => r.kind === 'no_business_yet' || r.removalIfLow);
      return fatal ? 'critical' : 'warning';
    }
    case 'ok':
      return monthJudged && monthCount < LOW_MONTH_THRESHOLD ? 'notice' : 'none';
  }
}

// ---- MON-1: weekly figures --------------------------------------------------------------------

export interface WeekTotal {
  /** Monday of the week (weeks run Monday–Sunday, as Chinese calendars do). */
  weekStart: string;
  count: number;
}

/** Weekly totals for the weeks overlapping [fromDay, toDay]; only days inside the range count. */
export function weeklyTotals(daily: DailyCounts, fromDay: string, toDay: string): WeekTotal[] {
  assertDay(fromDay, 'fromDay');
  assertDay(toDay, 'toDay');
  const firstMonday = mondayOf(fromDay);
  const weeks = Math.max(0, Math.floor((utcMs(mondayOf(toDay)) - utcMs(firstMonday)) / WEEK_MS) + 1);
  const counts = new Array<number>(weeks).fill(0);
  const add = (day: string, n: number): void => {
    if (day < fromDay || day > toDay) return;
    counts[Math.floor((utcMs(day) - utcMs(firstMonday)) / WEEK_MS)]! += n;
  };
  if (isMap(daily)) for (const [day, n] of daily) add(day, n);
  else for (const day in daily) add(day, daily[day]!);
  return counts.map((count, i) => ({
    weekStart: new Date(utcMs(firstMonday) + i * WEEK_MS).toISOString().slice(0, 10),
    count,
  }));
}

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

function utcMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

export function mondayOf(day: string): string {
  const t = utcMs(day);
  const weekday = (new Date(t).getUTCDay() + 6) % 7; // Monday = 0
  return new Date(t - weekday * DAY_MS).toISOString().slice(0, 10);
}
