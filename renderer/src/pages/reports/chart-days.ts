// The report chart's series: days after the business day have no figures yet, so they are gaps on
// the chart (null), not zeros (issue 13 problem 10).
import type { ReportDayDto } from '../../../../shared/contract';

export function plotted<T>(
  days: readonly ReportDayDto[],
  today: string,
  value: (d: ReportDayDto) => T,
): (T | null)[] {
  return days.map((d) => (d.day > today ? null : value(d)));
}
