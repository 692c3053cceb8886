// Entry of the backend's utility process (desktop mode): plain Node, no `electron` import. The
// station starts as in browser mode (scripts/station-runtime.ts): on the platform at --platform
// (YIZHAN_PLATFORM), or beside the embedded one. Messages arrive on process.parentPort (Electron's
// utility-process port).
import { parseCliArgs } from '../backend/cli-args';
import type { HostReply, HostRequest } from '../shared/backend-host-protocol';
import { startStationRuntime } from './station-runtime';

interface ParentPort {
  on(event: 'message', listener: (e: { data: HostRequest }) => void): void;
  postMessage(message: HostReply): void;
}

async function main(): Promise<void> {
  const port = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (!port) throw new Error('backend-host must run as an Electron utility process');
  // A folder not set up yet answers the first-run screen's setup channels until the choice.
  const runtime = await startStationRuntime(parseCliArgs(process.argv.slice(2)));
  port.on('message', (e) => {
    const { id, channel, args, session } = e.data;
    void runtime
      .callAs({ session: typeof session === 'string' ? session : undefined }, channel, args)
      .then((reply) => port.postMessage({ id, reply }));
  });
}

main().catch((e) => {
  console.error('[yizhan] backend failed to start:', e);
  process.exit(1);
});
