// Today's counter figures, for the operator's peace of mind (and the drawer count at close).
import { useEffect, useState } from 'react';
import { Statistic, Row, Col } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CashSummaryDto } from '../../../../shared/contract';
import { call } from '../../api';
import { useStation } from '../../app/station-context';

const VALUE_STYLE = { fontSize: 20, fontWeight: 600 };

export function TodaySummary() {
  const { t } = useTranslation();
  const { postingsVersion } = useStation();
  const [s, setS] = useState<CashSummaryDto | null>(null);
  useEffect(() => {
    call('cash.summary', {})
      .then(setS)
      .catch(() => setS(null));
  }, [postingsVersion]);
  if (!s) return null;
  return (
    <Row gutter={12} data-testid="today-summary">
      <Col span={7}>
        <Statistic title={t('today.payments')} value={s.payments} valueStyle={VALUE_STYLE} />
      </Col>
      <Col span={7}>
        <Statistic title={t('today.reversals')} value={s.reversals} valueStyle={VALUE_STYLE} />
      </Col>
      <Col span={10}>
        <Statistic
          title={t('today.takings')}
          value={s.takings}
          suffix={t('money.unit')}
          valueStyle={VALUE_STYLE}
        />
      </Col>
    </Row>
  );
}
