// The counter's side column: key help, serial lookup, payments set aside (待确认缴费), today's
// figures and the station's MON-2 standing. Drawn just after the rest of the counter, from a
// chunk of its own: CounterPage imports it through lazyAfterFirstDraw.
import { Card } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TxnDto } from '../../../../shared/contract';
import { KeyList } from './KeyHelp';
import { SerialLookup } from './SerialLookup';
import { TodaySummary } from './TodaySummary';
import { StandingWidget } from './StandingWidget'; // MON-2 (issue 5)
import { PendingPayments } from './PendingPayments';

export default function CounterSide({
  active,
  exclude,
  onFound,
}: {
  active: boolean;
  /** The idempotency key of the payment on the counter right now (not listed as set aside). */
  exclude: string | null;
  onFound: (t: TxnDto) => void;
}) {
  const { t } = useTranslation();
  return (
    <aside className="counter-side">
      <Card size="small" title={t('keys.title')}>
        <KeyList />
      </Card>
      <Card size="small" title={t('lookup.title')}>
        <SerialLookup onFound={onFound} />
      </Card>
      <PendingPayments active={active} exclude={exclude} />
      <Card size="small" title={t('today.title')}>
        <TodaySummary />
      </Card>
      <Card size="small" title={t('standing.widget.title')}>
        <StandingWidget />
      </Card>
    </aside>
  );
}
