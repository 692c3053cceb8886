// The first run (issue 12 item 1): a data folder with no station asks once — the demo station
// (the default: Enter), or a real station activated with the platform's address, the 机构号 and
// the one-time activation code the postal office issued. Until the choice nothing else answers.
import { lazy, Suspense, useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { Spin } from 'antd';
import type { SetupStatusDto } from '../../../shared/contract';
import { ApiError, call } from '../api';
import { LoadError } from './LoginGate';
import { startupAnswer } from './startup';
import { withLaterStyles } from './later-styles';

const FirstRunScreen = lazy(withLaterStyles(() => import('./FirstRunScreen')));

/** Shows the first-run screen while the folder has no station, then the app. */
export function SetupGate({ children }: { children: ReactNode }) {
  // Asked before the first render (startup.ts): the gates below then mount in the same pass,
  // while the other start-up answers are still there for them.
  const [status, setStatus] = useState<SetupStatusDto | null>(() => startupAnswer('setup.status') ?? null);
  const answered = useRef(status !== null);
  const [error, setError] = useState<ApiError | null>(null);
  const load = useCallback(async () => {
    try {
      setStatus(await call('setup.status'));
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError('NETWORK', String(e)));
    }
  }, []);
  useEffect(() => {
    if (!answered.current) void load();
    answered.current = false;
  }, [load]);

  if (!status)
    return error ? <LoadError error={error} retry={load} /> : <Spin size="large" className="center-spin" />;
  if (status.state === 'setup')
    return (
      <Suspense fallback={<Spin size="large" className="center-spin" />}>
        <FirstRunScreen status={status} onReady={setStatus} />
      </Suspense>
    );
  return <>{children}</>;
}
