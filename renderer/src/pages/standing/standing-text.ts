// Words for a MON-2 standing (shared/exit-rule.ts gives structure; the locale files give words).
import type { TFunction } from 'i18next';
import type { AtRiskReason, RemovalTrigger, Standing, WarningLevel } from '../../../../shared/exit-rule';

/** antd colours for the warning levels: none < notice < warning < critical < removed. */
export const LEVEL_COLOR: Record<WarningLevel, string> = {
  none: 'success',
  notice: 'processing',
  warning: 'warning',
  critical: 'error',
  removed: 'error',
};

export const LEVEL_ALERT: Record<WarningLevel, 'success' | 'info' | 'warning' | 'error'> = {
  none: 'success',
  notice: 'info',
  warning: 'warning',
  critical: 'error',
  removed: 'error',
};

/** The one sentence the operator needs: where the month stands and what follows from it. */
export function headline(s: Standing, t: TFunction): string {
  switch (s.level) {
    case 'removed':
      return t('standing.headline.removed');
    case 'critical':
      return t('standing.headline.critical', { needed: s.needed, daysLeft: s.daysLeft });
    case 'warning':
      return t('standing.headline.warning', { n: s.lowMonthsInRow, needed: s.needed, daysLeft: s.daysLeft });
    case 'notice':
      return t('standing.headline.notice', { count: s.monthCount, needed: s.needed, daysLeft: s.daysLeft });
    default:
      if (!s.monthJudged) return t('standing.headline.openingMonth', { month: s.month });
      return t('standing.headline.ok', { count: s.monthCount });
  }
}

export function reasonText(r: AtRiskReason, t: TFunction): string {
  if (r.kind === 'no_business_yet') return t('standing.reason.noBusinessYet', { ...r });
  return t(r.removalIfLow ? 'standing.reason.lowMonthFatal' : 'standing.reason.lowMonth', { ...r });
}

export function triggerText(tr: RemovalTrigger, t: TFunction): string {
  if (tr.rule === 'no_business') return t('standing.trigger.noBusiness', { month: tr.month });
  return t('standing.trigger.threeLow', { months: tr.months.join('、'), counts: tr.counts.join(' / ') });
}

/** Every reason or trigger behind the verdict, as sentences. */
export function details(s: Standing, t: TFunction): string[] {
  if (s.verdict.status === 'remove') return s.verdict.triggers.map((tr) => triggerText(tr, t));
  if (s.verdict.status === 'at_risk') return s.verdict.reasons.map((r) => reasonText(r, t));
  return [];
}

/** The month's progress bar: red once the station is critical or removed, green at 20 or more. */
export function progressStatus(level: string, percent: number): 'exception' | 'success' | 'normal' {
  if (level === 'critical' || level === 'removed') return 'exception';
  return percent >= 100 ? 'success' : 'normal';
}
