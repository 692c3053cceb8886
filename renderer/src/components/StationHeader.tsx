// The header every screen shares: which station (name, 机构号, 演示 when demo, 练习 in training
// mode), the business day,
// the float (refreshed after every posting), who is at the counter.
import { Tag, Tooltip, Button } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useStation } from '../app/station-context';
import { cmpMoney, isNegative } from '../money';
import { Money } from './Money';
import { OperatorSwitcher } from './OperatorSwitcher';
import { KeyHelpTooltip } from '../pages/counter/KeyHelp';
import { LanguageSwitch } from './LanguageSwitch';
import { TrainingEnterButton } from './TrainingMode';

/** Below this float (yuan) the header turns amber: top up before a customer is refused (PAY-4). */
export const LOW_FLOAT = '500.00';

export function StationHeader() {
  const { t } = useTranslation();
  const { station, float, refreshFloat } = useStation();
  const low = float ? cmpMoney(float.available, LOW_FLOAT) < 0 || isNegative(float.available) : false;
  return (
    <div className={`station-header${station?.training ? ' training' : ''}`} data-testid="station-header">
      <div className="brand">
        <span className="brand-mark">{t('app.brand')}</span>
      </div>
      <div className="station-id">
        <div className="station-name" data-testid="station-name">
          {station?.name ?? '…'}
          {station?.training && (
            <Tag color="purple" className="demo-tag training-tag" data-testid="training-badge">
              {t('training.badge')}
            </Tag>
          )}
          {station?.demo && (
            <Tag color="orange" className="demo-tag" data-testid="demo-badge">
              {t('station.demo')}
            </Tag>
          )}
        </div>
        <div className="station-sub">
          {t('header.institutionNo')} <span className="mono">{station?.institutionNo}</span>
          <span className="sep">·</span>
          {t('header.businessDay')} {station?.businessDay}
        </div>
      </div>
      <div className={`float-box${low ? ' low' : ''}`}>
        <div className="float-label">
          {t('header.float')}
          <Tooltip title={t('common.refresh')}>
            <Button
              type="text"
              size="small"
              icon={<ReloadOutlined />}
              onClick={() => void refreshFloat()}
              aria-label={t('common.refresh')}
              tabIndex={-1}
            />
          </Tooltip>
        </div>
        {float ? (
          <>
            <Money value={float.available} size="lg" testId="float-balance" />
            {float.pending !== '0.00' && (
              <div className="float-pending">{t('header.pending', { amount: float.pending })}</div>
            )}
            {low && <div className="float-low-note">{t('header.lowFloat')}</div>}
          </>
        ) : (
          <span>…</span>
        )}
      </div>
      <div className="header-right">
        <OperatorSwitcher />
        <TrainingEnterButton />
        <KeyHelpTooltip />
        <LanguageSwitch />
      </div>
    </div>
  );
}
