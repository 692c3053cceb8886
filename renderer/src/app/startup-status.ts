// The state a start-up gate waits on (the set-up state, the login state): the start-up answer
// when there is one (startup.ts), else asked on mount; a refusal is kept for the gate to show
// with a retry (LoadError). `askAgainOn` names a window event after which it is asked again.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ChannelOutput } from '../../../shared/contract';
import { ApiError, call } from '../api';
import { startupAnswer } from './startup';

type GateChannel = 'setup.status' | 'auth.status';

export function useStartupStatus<C extends GateChannel>(channel: C, askAgainOn?: string) {
  // Asked before the first render (startup.ts): the gate then opens without a spinner first.
  const [status, setStatus] = useState<ChannelOutput<C> | null>(() => startupAnswer(channel) ?? null);
  const answered = useRef(status !== null);
  const [error, setError] = useState<ApiError | null>(null);
  const load = useCallback(async () => {
    try {
      setStatus(await call(channel));
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError('NETWORK', String(e)));
    }
  }, [channel]);
  useEffect(() => {
    if (!answered.current) void load();
    answered.current = false;
    if (!askAgainOn) return;
    const on = () => void load();
    window.addEventListener(askAgainOn, on);
    return () => window.removeEventListener(askAgainOn, on);
  }, [load, askAgainOn]);
  return { status, setStatus, error, load };
}
