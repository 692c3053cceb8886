// The first run (issue 12 item 1): a data folder with no station asks once — the demo station
// (the default: Enter), or a real station activated with the platform's address, the 机构号 and
// the one-time activation code the postal office issued. Until the choice nothing else answers.
import { lazy, Suspense, type ReactNode } from 'react';
import { Spin } from 'antd';
import { LoadError } from './LoginGate';
import { withLaterStyles } from './later-styles';
import { useStartupStatus } from './startup-status';

const FirstRunScreen = lazy(withLaterStyles(() => import('./FirstRunScreen')));

/** Shows the first-run screen while the folder has no station, then the app. */
export function SetupGate({ children }: { children: ReactNode }) {
  // Asked before the first render (startup.ts): the gates below then mount in the same pass,
  // while the other start-up answers are still there for them.
  const { status, setStatus, error, load } = useStartupStatus('setup.status');

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
