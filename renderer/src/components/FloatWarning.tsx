// PAY-4 「关注预存款额度,及时补充预存资金」: a warning before the float runs short, from the recent
// rate of payments (float.forecast), with a suggested top-up. Shows nothing while the float lasts.
// Any screen can place it; it looks again after every posting.
import { useEffect, useState } from 'react';
import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FloatForecastDto } from '../../../shared/contract';
import { call } from '../api';
import { useStation } from '../app/station-context';

export function FloatWarning({
  coverDays,
  always = false,
  onTopUp,
}: {
  /** Business days a suggested top-up should cover (default: the backend's, 3). */
  coverDays?: number;
  /** Show the forecast even when the float is fine (the day-close screen). */
  always?: boolean;
  /** What "top up" does; by default, the top-up screen. */
  onTopUp?: () => void;
}) {
  const { t } = useTranslation();
  const { postingsVersion, float, navigate } = useStation();
  const [f, setF] = useState<FloatForecastDto | null>(null);
  const available = float?.available;

  useEffect(() => {
    let live = true;
    call('float.forecast', coverDays ? { coverDays } : {})
      .then((r) => live && setF(r))
      .catch(() => live && setF(null));
    return () => {
      live = false;
    };
  }, [postingsVersion, available, coverDays]);

  if (!f) return null;
  const warn = f.level === 'low' || f.level === 'critical';
  if (!warn && !always) return null;
  const suggested = f.suggestedTopUp !== '0.00';
  return (
    <Alert
      type={f.level === 'critical' ? 'error' : f.level === 'low' ? 'warning' : 'info'}
      showIcon
      data-testid="float-warning"
      data-level={f.level}
      message={warn ? t(`day.forecast.${f.level}`) : t('day.forecast.title')}
      description={
        <span>
          {f.message}
          {f.daysLeft !== null && (
            <span className="muted">
              {' '}
              {t('day.forecast.basis', {
                days: f.daysInWindow,
                avg: f.avgDailyPayments,
                n: f.avgPaymentsPerDay,
              })}
            </span>
          )}
        </span>
      }
      action={
        warn && suggested ? (
          <Button
            size="small"
            type="primary"
            danger={f.level === 'critical'}
            data-testid="float-warning-topup"
            onClick={() => (onTopUp ? onTopUp() : navigate('topup', { shortfall: f.suggestedTopUp }))}
          >
            {t('day.forecast.topUp', { amount: f.suggestedTopUp })}
          </Button>
        ) : undefined
      }
    />
  );
}
