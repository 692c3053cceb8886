// The answers the first screen needs, asked all at once as soon as the script runs (issue 13,
// Performance): whether the folder has a station yet (the first-run gate), the login state, and
// — when this tab already holds a session (a reload) — what the counter shows (the station, who
// is at the counter, the services, the float). Without this they came one after another: the
// set-up state after the first render, the login state after the set-up gate's, the station's
// four after the login gate's. main.tsx renders once they are answered (the static shell of
// index.html stays on screen meanwhile), so the set-up gate, the login gate and the station
// start with them and the counter is drawn in one pass. Each answer serves the first mount only:
// a login or logout drops them, and so does the shell once it has been drawn (App).
import type { Channel, ChannelOutput } from '../../../shared/contract';
import { AUTH_EVENT, call, currentSession } from '../api';

type StartupChannel =
  'setup.status' | 'auth.status' | 'station.get' | 'session.get' | 'catalogue.list' | 'float.balance';
const STATION_CHANNELS = ['station.get', 'session.get', 'catalogue.list', 'float.balance'] as const;

const answers = new Map<Channel, ChannelOutput<Channel>>();
let started = false;

/** Asks the start-up questions; resolves when all are answered (or refused: the screens then ask
 *  again themselves and show the refusal as before). */
export function prefetchStartup(): Promise<void> {
  if (started || !window.yizhan) return Promise.resolve();
  started = true;
  const channels: StartupChannel[] = [
    'setup.status',
    'auth.status',
    ...(currentSession() ? STATION_CHANNELS : []),
  ];
  const asked = channels.map((channel) =>
    call(channel).then(
      (data) => void answers.set(channel, data),
      () => undefined,
    ),
  );
  window.addEventListener(AUTH_EVENT, dropStartup);
  return Promise.all(asked).then(() => undefined);
}

/** The start-up answer on `channel`, if there is one still good for the first mount. */
export function startupAnswer<C extends StartupChannel>(channel: C): ChannelOutput<C> | undefined {
  return answers.get(channel) as ChannelOutput<C> | undefined;
}

/** The first screen is drawn (or the login changed): later mounts ask afresh. */
export function dropStartup(): void {
  answers.clear();
  window.removeEventListener(AUTH_EVENT, dropStartup);
}
