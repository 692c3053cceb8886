// 站点状态 at a glance on the counter (MON-2): this month's count against 20 and a warning, well
// before removal. A click opens the standing page.
import { useEffect, useState } from 'react';
import { Button, Progress, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { StandingDto } from '../../../../shared/contract';
import { call } from '../../api';
import { useStation } from '../../app/station-context';
import { LEVEL_COLOR, headline, progressStatus } from '../standing/standing-text';
import '../standing/standing.css';

export function StandingWidget() {
  const { t } = useTranslation();
  const { postingsVersion, navigate } = useStation();
  const [d, setD] = useState<StandingDto | null>(null);
  useEffect(() => {
    call('standing.get')
      .then(setD)
      .catch(() => setD(null));
  }, [postingsVersion]);
  if (!d) return null;
  const s = d.standing;
  const percent = Math.min(100, Math.round((s.monthCount / s.threshold) * 100));
  return (
    <div className="standing-widget" data-testid="standing-widget" data-level={s.level}>
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'baseline' }}>
        <span className="standing-count">
          {t('standing.month.count', { count: s.monthCount, threshold: s.threshold })}
        </span>
        <Tag color={LEVEL_COLOR[s.level]}>{t(`standing.level.${s.level}`)}</Tag>
      </div>
      <Progress
        percent={percent}
        aria-label={t('standing.month.count', { count: s.monthCount, threshold: s.threshold })}
        size="small"
        showInfo={false}
        status={progressStatus(s.level, percent)}
      />
      {s.level !== 'none' ? (
        <div className={`standing-widget-note level-${s.level}`}>{headline(s, t)}</div>
      ) : null}
      <Button
        type="link"
        size="small"
        style={{ padding: 0 }}
        onClick={() => navigate('standing')}
        data-testid="standing-widget-open"
      >
        {t('standing.widget.open')}
      </Button>
    </div>
  );
}
