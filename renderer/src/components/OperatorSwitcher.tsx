// Who is at the counter (PPL-3: every posting records them): the operator this window is logged
// in as, and locking the counter (F12) — the next operator logs in with their own PIN.
import { useContext } from 'react';
import { Button } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useStation } from '../app/station-context';
import { call, setSession } from '../api';
import { ShiftHandover } from './ShiftHandover';
import { IdleLockMinutes } from '../app/LoginGate';

export function OperatorSwitcher() {
  const { t } = useTranslation();
  const { operator } = useStation();
  const idleMinutes = useContext(IdleLockMinutes);
  if (!operator) return null;
  const lock = () =>
    void call('auth.logout')
      .catch(() => undefined)
      .finally(() => setSession(undefined));
  return (
    <div className="operator" data-testid="operator">
      <UserOutlined />
      <span className="muted">{t('header.operator')}</span>
      <span data-testid="operator-name">
        {operator.role === 'holder' ? operator.name : `${operator.name} · ${t(`role.${operator.role}`)}`}
      </span>
      <Button
        size="small"
        icon={<LockOutlined />}
        onClick={lock}
        data-testid="lock-counter"
        title={idleMinutes > 0 ? t('login.lockTitleIdle', { minutes: idleMinutes }) : 'F12'}
      >
        {t('login.lock')}
      </Button>
      <ShiftHandover />
    </div>
  );
}
