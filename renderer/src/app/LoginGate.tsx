// Who is at the counter (issue 12, PPL-3): nothing of the station shows until an operator of the
// platform's profile logs in with their PIN (set at the first login). The session is this
// window's (tab's); the counter locks after the idle time the backend gives (the station's setting,
// auth.setIdleLock) and on F12.
import { createContext, Fragment, useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { Alert, Button, Input, Radio, Space, Spin, Typography } from 'antd';
import { Panel } from '../components/Panel';
import { useTranslation } from 'react-i18next';
import type { AuthStatusDto } from '../../../shared/contract';
import { AUTH_EVENT, call, currentSession, setSession, ApiError } from '../api';
import { errorMessage, FormErrorAlert } from '../components/ErrorAlert';
import { useStartupStatus } from './startup-status';

/** The idle lock in force (minutes; 0: none), for what tells the operator about it. */
export const IdleLockMinutes = createContext(0);

export function LoginGate({ children }: { children: ReactNode }) {
  const { status, error, load } = useStartupStatus('auth.status', AUTH_EVENT);

  const lock = useCallback(() => {
    void call('auth.logout')
      .catch(() => undefined)
      .finally(() => setSession(undefined));
  }, []);
  useIdleLock(status?.current ? status.idleLockMinutes : 0, lock);

  if (!status)
    return error ? <LoadError error={error} retry={load} /> : <Spin size="large" className="center-spin" />;
  if (!status.current || !currentSession()) return <LoginScreen status={status} />;
  // Entering or leaving training mode (练习模式) is another ledger: every screen starts afresh.
  return (
    <IdleLockMinutes.Provider value={status.idleLockMinutes}>
      <Fragment key={status.training ? 'training' : 'real'}>{children}</Fragment>
    </IdleLockMinutes.Provider>
  );
}

/** The station could not be reached or read: what went wrong, and a retry. */
export function LoadError({ error, retry }: { error: ApiError; retry: () => Promise<void> }) {
  const { t } = useTranslation();
  return (
    <Alert
      type="error"
      showIcon
      className="load-error"
      message={t('app.loadFailed')}
      description={errorMessage(error, t)}
      action={<Button onClick={() => void retry()}>{t('common.retry')}</Button>}
      data-testid="load-error"
    />
  );
}

/** Locks (logs out) after `minutes` without a key or a click, and on F12. */
function useIdleLock(minutes: number, lock: () => void) {
  const last = useRef(Date.now());
  useEffect(() => {
    if (!minutes) return;
    const seen = () => (last.current = Date.now());
    const onKey = (e: KeyboardEvent) => {
      seen();
      if (e.key === 'F12') {
        e.preventDefault();
        lock();
      }
    };
    window.addEventListener('keydown', onKey, true);
    window.addEventListener('mousedown', seen, true);
    const timer = setInterval(() => {
      if (Date.now() - last.current >= minutes * 60_000) lock();
    }, 5_000);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      window.removeEventListener('mousedown', seen, true);
      clearInterval(timer);
    };
  }, [minutes, lock]);
}

function LoginScreen({ status }: { status: AuthStatusDto }) {
  const { t } = useTranslation();
  const [operatorId, setOperatorId] = useState(status.operators[0]?.id ?? '');
  const [pin, setPin] = useState('');
  const [pin2, setPin2] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const pinRef = useRef<{ focus(): void } | null>(null);
  const op = status.operators.find((o) => o.id === operatorId);
  const first = op !== undefined && !op.hasPin;
  useEffect(() => pinRef.current?.focus(), [operatorId]);

  const submit = async () => {
    if (!op || busy) return;
    setBusy(true);
    try {
      const r = await call('auth.login', first ? { operatorId, pin, newPin: pin2 } : { operatorId, pin });
      setSession(r.session);
    } catch (e) {
      setError(e);
      setPin('');
      setPin2('');
      pinRef.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login-screen" data-testid="login-screen">
      <Panel title={t('login.title')} style={{ maxWidth: 480, margin: '48px auto' }}>
        {status.operators.length === 0 ? (
          <Alert type="error" showIcon message={t('login.noOperators')} data-testid="login-none" />
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void submit();
            }}
          >
            <Space direction="vertical" size="middle" style={{ width: '100%' }}>
              <Radio.Group
                value={operatorId}
                onChange={(e) => setOperatorId(e.target.value as string)}
                aria-label={t('login.operator')}
                data-testid="login-operator"
              >
                <Space direction="vertical">
                  {status.operators.map((o) => (
                    <Radio key={o.id} value={o.id} data-testid={`login-op-${o.id}`}>
                      {o.name} · {t(`role.${o.role}`)}
                      {o.lockedUntil ? (
                        <Typography.Text type="danger"> （{t('login.locked')}）</Typography.Text>
                      ) : null}
                    </Radio>
                  ))}
                </Space>
              </Radio.Group>
              <label>
                {first ? t('login.newPin') : t('login.pin')}
                <Input.Password
                  ref={(r) => {
                    pinRef.current = r;
                  }}
                  value={pin}
                  onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 8))}
                  inputMode="numeric"
                  autoComplete="off"
                  autoFocus
                  data-testid="login-pin"
                />
              </label>
              {first && (
                <label>
                  {t('login.newPin2')}
                  <Input.Password
                    value={pin2}
                    onChange={(e) => setPin2(e.target.value.replace(/\D/g, '').slice(0, 8))}
                    inputMode="numeric"
                    autoComplete="off"
                    data-testid="login-pin2"
                  />
                </label>
              )}
              <FormErrorAlert error={error} testId="login-error" />
              <Button type="primary" htmlType="submit" loading={busy} block data-testid="login-submit">
                {first ? t('login.setAndLogin') : t('login.submit')}
              </Button>
            </Space>
          </form>
        )}
      </Panel>
    </div>
  );
}
