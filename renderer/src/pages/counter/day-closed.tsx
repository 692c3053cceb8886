// After the Z close the counter says so before any work starts (issue 13 problem 1): the day is
// closed, when the next business day opens, and what still works. Asked of the backend whenever
// the counter is shown or something was posted, and on the station's poll.
import { useEffect, useState } from 'react';
import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { addDays } from '../../../../shared/business-day';
import { call } from '../../api';
import { useStation } from '../../app/station-context';

/** The business day shown on the counter, when it is already closed (null while open). */
export function useClosedDay(active: boolean): string | null {
  const { station, postingsVersion } = useStation();
  const [closed, setClosed] = useState<string | null>(null);
  useEffect(() => {
    if (!active) return;
    let live = true;
    call('day.status')
      .then((s) => live && setClosed(s.todayStatus === 'closed' ? s.today : null))
      .catch(() => undefined); // the refusal at payment still guards; nothing to add here
    return () => {
      live = false;
    };
  }, [active, postingsVersion, station?.businessDay]);
  return closed;
}

export function DayClosedNotice({ day }: { day: string }) {
  const { t } = useTranslation();
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="day-closed"
      message={t('counter.dayClosed', { day })}
      description={t('counter.dayClosedHint', { next: addDays(day, 1) })}
      style={{ marginBottom: 12 }}
    />
  );
}
