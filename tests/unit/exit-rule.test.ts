// The removal rule (shared/exit-rule.ts): its decided edge cases, month by month.
// Long on purpose (about 400 lines): a catalogue of independent cases of the one rule.
import { describe, expect, it } from 'vitest';
import {
  evaluateExitRule,
  evaluateMonthly,
  monthlySeriesFromDaily,
  monthlySeriesFromTotals,
  monthlyTotals,
  standingOf,
  weeklyTotals,
  monthIndexOf,
  monthKeyOf,
  daysInMonthOf,
  LOW_MONTH_THRESHOLD,
  MAX_TRIGGERS_LISTED,
  type ExitVerdict,
} from '../../shared/exit-rule';

/** Daily counts with each month's total on its 10th (the rule only sees monthly sums). */
function months(totals: Record<string, number>): Map<string, number> {
  const m = new Map<string, number>();
  for (const [month, n] of Object.entries(totals)) if (n > 0) m.set(`${month}-10`, n);
  return m;
}

function standing(daily: Map<string, number>, opening: string, asOf: string) {
  return standingOf(monthlySeriesFromDaily(daily, opening, asOf), opening, asOf);
}

describe('MON-2 removal triggers', () => {
  it('MON-2: a whole calendar month with no business removes the station', () => {
    const daily = months({ '2025-01': 30, '2025-02': 0, '2025-03': 40 });
    const v = evaluateExitRule(daily, '2025-01-01', '2025-04-02');
    expect(v).toEqual({
      status: 'remove',
      triggers: [{ rule: 'no_business', month: '2025-02', months: ['2025-02'], counts: [0] }],
      triggerCount: 1,
    });
  });

  it('MON-2: under 20 in each of three consecutive months removes the station, at the 3rd month', () => {
    const daily = months({ '2025-01': 19, '2025-02': 5, '2025-03': 1 });
    expect(evaluateExitRule(daily, '2025-01-01', '2025-04-01')).toEqual({
      status: 'remove',
      triggers: [
        {
          rule: 'three_low_months',
          month: '2025-03',
          months: ['2025-01', '2025-02', '2025-03'],
          counts: [19, 5, 1],
        },
      ],
      triggerCount: 1,
    });
  });

  it('MON-2: exactly 20 is not low ("少于20笔" means fewer than 20)', () => {
    const daily = months({ '2025-01': 19, '2025-02': 19, '2025-03': 20 });
    expect(evaluateExitRule(daily, '2025-01-01', '2025-04-01').status).not.toBe('remove');
    expect(LOW_MONTH_THRESHOLD).toBe(20);
  });

  it('MON-2: low months that are not consecutive do not remove', () => {
    const daily = months({ '2025-01': 3, '2025-02': 3, '2025-03': 25, '2025-04': 3, '2025-05': 3 });
    expect(evaluateExitRule(daily, '2025-01-01', '2025-06-01').status).not.toBe('remove');
  });

  it('MON-2: a run of five low months triggers once; a month with zero triggers on its own too', () => {
    const daily = months({ '2025-01': 5, '2025-02': 5, '2025-03': 5, '2025-04': 0, '2025-05': 5 });
    const v = evaluateExitRule(daily, '2025-01-01', '2025-06-15');
    expect(v.status).toBe('remove');
    if (v.status !== 'remove') return;
    expect(v.triggers.map((t) => `${t.rule}@${t.month}`)).toEqual([
      'three_low_months@2025-03',
      'no_business@2025-04',
    ]);
  });

  it('MON-2: a long-silent station lists its earliest 12 triggers and counts them all', () => {
    const v = evaluateExitRule(new Map(), '2023-01-01', '2026-01-15');
    expect(v.status).toBe('remove');
    if (v.status !== 'remove') return;
    // 36 empty months: 36 no_business + 1 three_low_months (one run).
    expect(v.triggerCount).toBe(37);
    expect(v.triggers).toHaveLength(MAX_TRIGGERS_LISTED);
    expect(v.triggers[0]).toMatchObject({ rule: 'no_business', month: '2023-01' });
  });

  it('MON-2: removal stays in the verdict once a month has triggered it (history is judged, not a window)', () => {
    const daily = months({ '2025-01': 0, '2025-02': 50, '2025-03': 50, '2025-04': 50 });
    expect(evaluateExitRule(daily, '2025-01-01', '2025-05-20').status).toBe('remove');
  });
});

describe('MON-2 edge cases (platform/RULE.md)', () => {
  it('MON-2: opening mid-month — the partial first month is not judged, even with no business', () => {
    const daily = months({ '2025-04': 25 });
    expect(evaluateExitRule(daily, '2025-03-10', '2025-04-01')).toEqual({ status: 'ok' });
    // …and it does not start a low run: March (partial) + April + May low is only two judged months.
    const low = months({ '2025-03': 5, '2025-04': 5, '2025-05': 5 });
    const june = evaluateExitRule(low, '2025-03-10', '2025-06-01');
    expect(june.status).toBe('at_risk');
    const july = evaluateExitRule(new Map([...low, ['2025-06-10', 5]]), '2025-03-10', '2025-07-01');
    expect(july).toMatchObject({
      status: 'remove',
      triggers: [{ rule: 'three_low_months', month: '2025-06' }],
    });
  });

  it('MON-2: opening on the 1st — that month is open all month and is judged', () => {
    expect(evaluateExitRule(new Map(), '2025-03-01', '2025-04-01')).toMatchObject({
      status: 'remove',
      triggers: [{ rule: 'no_business', month: '2025-03' }],
    });
  });

  it('MON-2: opened on the 31st — the 1-day month is free, the next calendar month (28-day February) is the first judged', () => {
    const opening = '2025-01-31';
    expect(evaluateExitRule(new Map(), opening, '2025-02-01')).toEqual({ status: 'ok' });
    expect(evaluateExitRule(new Map(), opening, '2025-02-28').status).toBe('at_risk'); // not judged yet
    expect(evaluateExitRule(new Map(), opening, '2025-03-01')).toMatchObject({
      status: 'remove',
      triggers: [{ rule: 'no_business', month: '2025-02' }],
    });
    const totals = monthlyTotals(
      monthlySeriesFromDaily(new Map(), opening, '2025-03-01'),
      opening,
      '2025-03-01',
    );
    expect(totals.map((t) => [t.month, t.openDays, t.judged])).toEqual([
      ['2025-01', 1, false],
      ['2025-02', 28, true],
      ['2025-03', 1, true],
    ]);
  });

  it('MON-2: months of 28–31 days all use the same threshold of 20', () => {
    expect([
      daysInMonthOf(monthIndexOf('2025-02')),
      daysInMonthOf(monthIndexOf('2024-02')),
      daysInMonthOf(monthIndexOf('2025-04')),
      daysInMonthOf(monthIndexOf('2025-01')),
    ]).toEqual([28, 29, 30, 31]);
    expect(daysInMonthOf(monthIndexOf('2100-02'))).toBe(28);
    expect(daysInMonthOf(monthIndexOf('2000-02'))).toBe(29);
    // February (28 days) with 19 is low just like a 31-day month.
    const daily = months({ '2024-12': 19, '2025-01': 19, '2025-02': 19 });
    expect(evaluateExitRule(daily, '2024-12-01', '2025-03-01')).toMatchObject({
      status: 'remove',
      triggers: [{ month: '2025-02' }],
    });
    // Leap day: the last day of February 2024 has 1 day left.
    expect(standing(new Map(), '2024-01-01', '2024-02-29')).toMatchObject({ daysLeft: 1, daysInMonth: 29 });
  });

  it('MON-2: mid-month evaluation — the current month is not judged yet: at_risk, never remove', () => {
    const opening = '2025-01-01';
    const v = evaluateExitRule(new Map(), opening, '2025-01-31');
    expect(v).toEqual({
      status: 'at_risk',
      reasons: [{ kind: 'no_business_yet', month: '2025-01', daysElapsed: 30, daysLeft: 1 }],
    });
    expect(evaluateExitRule(new Map(), opening, '2025-02-01').status).toBe('remove');
  });

  it('MON-2: "no business yet this month" is raised only once 7 whole days have passed', () => {
    const daily = months({ '2025-04': 30 });
    expect(evaluateExitRule(daily, '2025-04-01', '2025-05-07')).toEqual({ status: 'ok' });
    expect(standing(daily, '2025-04-01', '2025-05-07').level).toBe('notice');
    expect(evaluateExitRule(daily, '2025-04-01', '2025-05-08')).toMatchObject({
      status: 'at_risk',
      reasons: [{ kind: 'no_business_yet', daysElapsed: 7 }],
    });
    expect(standing(daily, '2025-04-01', '2025-05-08').level).toBe('critical');
  });

  it('MON-2: this month 12 of 20 so far after a low month — at_risk, 2nd low month in a row', () => {
    const daily = months({ '2025-04': 30, '2025-05': 5 });
    daily.set('2025-06-03', 12);
    const v = evaluateExitRule(daily, '2025-04-01', '2025-06-15');
    expect(v).toEqual({
      status: 'at_risk',
      reasons: [
        {
          kind: 'low_month_in_progress',
          month: '2025-06',
          count: 12,
          threshold: 20,
          needed: 8,
          daysLeft: 16,
          lowMonthsBefore: 1,
          removalIfLow: false,
        },
      ],
    });
    expect(standing(daily, '2025-04-01', '2025-06-15')).toMatchObject({
      level: 'warning',
      lowMonthsInRow: 1,
      monthCount: 12,
      needed: 8,
    });
    // After two low months, ending this month below 20 removes the station: critical.
    const two = months({ '2025-04': 5, '2025-05': 5, '2025-06': 12 });
    expect(evaluateExitRule(two, '2025-04-01', '2025-06-15')).toMatchObject({
      status: 'at_risk',
      reasons: [{ lowMonthsBefore: 2, removalIfLow: true }],
    });
    expect(standing(two, '2025-04-01', '2025-06-15').level).toBe('critical');
    // Reaching 20 this month clears the risk.
    two.set('2025-06-14', 8);
    expect(evaluateExitRule(two, '2025-04-01', '2025-06-15')).toEqual({ status: 'ok' });
  });

  it('MON-2: a count revised downward by a later reversal — the latest upload wins and can complete a removal', () => {
    const daily = months({ '2025-01': 5, '2025-02': 5 });
    daily.set('2025-03-05', 10);
    daily.set('2025-03-20', 10); // March: 20, not low
    expect(evaluateExitRule(daily, '2025-01-01', '2025-04-02').status).not.toBe('remove');
    daily.set('2025-03-05', 9); // a reversal in April cancels a payment of 5 March: re-upload says 9
    expect(evaluateExitRule(daily, '2025-01-01', '2025-04-02')).toMatchObject({
      status: 'remove',
      triggers: [{ rule: 'three_low_months', month: '2025-03', counts: [5, 5, 19] }],
    });
  });

  it('MON-2: days before the opening date and after the as-of date are ignored', () => {
    const daily = new Map([
      ['2025-02-28', 100], // before opening
      ['2025-03-01', 30],
      ['2025-04-20', 100], // after as-of
    ]);
    const series = monthlySeriesFromDaily(daily, '2025-03-01', '2025-04-10');
    expect(Array.from(series.counts)).toEqual([30, 0]);
    expect(standing(daily, '2025-03-01', '2025-04-10')).toMatchObject({ monthCount: 0, needed: 20 });
  });

  it('MON-2: before the opening date nothing is judged', () => {
    expect(evaluateExitRule(new Map(), '2025-06-15', '2025-06-01')).toEqual({ status: 'ok' });
    expect(standing(new Map(), '2025-06-15', '2025-06-01')).toMatchObject({
      status: 'ok',
      level: 'none',
      monthJudged: false,
    });
    expect(standing(new Map(), '2025-06-15', '2025-06-20')).toMatchObject({
      status: 'ok',
      level: 'none',
      monthJudged: false,
    });
  });

  it('MON-2: malformed dates are refused, not guessed', () => {
    expect(() => evaluateExitRule(new Map(), '2025-02-30', '2025-03-01')).toThrow(RangeError);
    expect(() => evaluateExitRule(new Map(), '2025-01-01', '20250301')).toThrow(RangeError);
  });
});

describe('MON-2 standing (what the counter shows)', () => {
  it('MON-2: standing gives this month vs 20, low months in a row, days left and a level', () => {
    const daily = months({ '2025-04': 25, '2025-05': 19 });
    daily.set('2025-06-02', 21);
    expect(standing(daily, '2025-04-01', '2025-06-10')).toEqual({
      asOf: '2025-06-10',
      status: 'ok',
      level: 'none',
      verdict: { status: 'ok' },
      month: '2025-06',
      monthJudged: true,
      monthCount: 21,
      threshold: 20,
      needed: 0,
      daysLeft: 21,
      daysInMonth: 30,
      lowMonthsInRow: 1,
    });
    const removed = standing(months({ '2025-04': 0 }), '2025-04-01', '2025-05-03');
    expect(removed).toMatchObject({ status: 'remove', level: 'removed' });
  });

  it('MON-2: the opening (partial) month shows its count but is not judged', () => {
    const daily = new Map([['2025-06-20', 3]]);
    expect(standing(daily, '2025-06-18', '2025-06-25')).toMatchObject({
      monthJudged: false,
      monthCount: 3,
      level: 'none',
      status: 'ok',
    });
  });

  it('MON-2: monthly totals mark judged, complete and low months', () => {
    const daily = months({ '2025-03': 50, '2025-04': 10, '2025-05': 3 });
    const t = monthlyTotals(
      monthlySeriesFromDaily(daily, '2025-03-05', '2025-05-20'),
      '2025-03-05',
      '2025-05-20',
    );
    expect(t).toEqual([
      {
        month: '2025-03',
        count: 50,
        daysInMonth: 31,
        openDays: 27,
        judged: false,
        complete: true,
        low: false,
      },
      { month: '2025-04', count: 10, daysInMonth: 30, openDays: 30, judged: true, complete: true, low: true },
      {
        month: '2025-05',
        count: 3,
        daysInMonth: 31,
        openDays: 20,
        judged: true,
        complete: false,
        low: false,
      },
    ]);
  });
});

describe('MON-1 weekly totals', () => {
  it('MON-1: weeks run Monday to Sunday; only days in the range count', () => {
    // 2025-06-02 is a Monday.
    const daily = new Map([
      ['2025-06-01', 100], // Sunday, outside the range
      ['2025-06-02', 1],
      ['2025-06-08', 2], // Sunday, same week
      ['2025-06-09', 4],
      ['2025-06-20', 8],
    ]);
    expect(weeklyTotals(daily, '2025-06-02', '2025-06-20')).toEqual([
      { weekStart: '2025-06-02', count: 3 },
      { weekStart: '2025-06-09', count: 4 },
      { weekStart: '2025-06-16', count: 8 },
    ]);
  });
});

// A model check: the daily path, the monthly-totals path and a straightforward reference agree.
function reference(daily: Map<string, number>, opening: string, asOf: string): ExitVerdict['status'] {
  if (asOf < opening) return 'ok';
  const judgedFrom = opening.endsWith('-01') ? opening.slice(0, 7) : monthKeyOf(monthIndexOf(opening) + 1);
  const sum = (month: string) =>
    [...daily]
      .filter(([d]) => d.startsWith(month) && d >= opening && d <= asOf)
      .reduce((a, [, n]) => a + n, 0);
  let run = 0;
  let removed = false;
  for (let m = monthIndexOf(judgedFrom); m < monthIndexOf(asOf); m++) {
    const n = sum(monthKeyOf(m));
    if (n === 0) removed = true;
    run = n < 20 ? run + 1 : 0;
    if (run >= 3) removed = true;
  }
  if (removed) return 'remove';
  if (monthIndexOf(judgedFrom) > monthIndexOf(asOf)) return 'ok';
  const now = sum(asOf.slice(0, 7));
  const dom = Number(asOf.slice(8));
  return now < 20 && (run > 0 || (now === 0 && dom > 7)) ? 'at_risk' : 'ok';
}

describe('MON-2 model check', () => {
  it('MON-2: daily path, monthly path and a reference implementation agree on 2,000 random stations', () => {
    let seed = 42;
    const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const day = (t: number) => new Date(Date.UTC(2024, 0, 1) + t * 86_400_000).toISOString().slice(0, 10);
    for (let s = 0; s < 2000; s++) {
      const opening = day(Math.floor(rand() * 300));
      const asOf = day(Math.floor(rand() * 500));
      const daily = new Map<string, number>();
      const busy = rand();
      for (let t = 0; t < 520; t++) if (rand() < busy * 0.3) daily.set(day(t), Math.floor(rand() * 4));
      const want = reference(daily, opening, asOf);
      expect(evaluateExitRule(daily, opening, asOf).status, `${opening} ${asOf}`).toBe(want);
      const monthly = new Map<string, number>();
      for (const [d, n] of daily)
        if (d >= opening && d <= asOf) monthly.set(d.slice(0, 7), (monthly.get(d.slice(0, 7)) ?? 0) + n);
      expect(evaluateMonthly(monthlySeriesFromTotals(monthly), opening, asOf).status).toBe(want);
    }
  });
});

describe('MON-2 speed', () => {
  it('MON-2: evaluates 100,000 stations × 36 months in under 2 s', () => {
    const stations = 100_000;
    const first = monthIndexOf('2023-01');
    const series = Array.from({ length: 64 }, (_, k) => ({
      firstMonth: first,
      counts: Int32Array.from({ length: 36 }, (_, i) => (i * 7 + k * 13) % 45),
    }));
    // CPU time, not wall time: other work on a shared 2-core machine must not fail this test
    // (the wall-clock figure is in tests/bench/monitor.bench.ts).
    const c0 = process.cpuUsage();
    let removed = 0;
    for (let i = 0; i < stations; i++) {
      const v = evaluateMonthly(series[i % 64]!, '2023-01-01', '2026-01-15');
      if (v.status === 'remove') removed++;
    }
    const cpu = process.cpuUsage(c0);
    expect(removed).toBeGreaterThan(0);
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(2000);
  });
});
