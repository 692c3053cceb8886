// The main process's half of the IPC transport, kept free of `electron` imports so it can be
// unit-tested with a fake: check who is calling, parse the argument with the contract's schema,
// relay to the backend (in the utility process), and always answer an ApiReply.
import { knownChannel, parseArgs } from '../../shared/contract';
import { errorReply, YizhanError, type ApiReply } from '../../shared/errors';

export const IPC_CHANNEL = 'yizhan:call';

/** The parts of an IpcMainInvokeEvent we look at. */
export interface InvokeEventLike {
  sender: unknown;
  senderFrame: { url: string } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
}

export interface IpcDeps {
  /** The one window allowed to call (its webContents). */
  trustedSender: () => unknown;
  /** URL prefix of our own renderer (file://…/out/renderer/). */
  trustedUrlPrefix: string;
  relay: (channel: string, args: unknown, session: string | undefined) => Promise<ApiReply<unknown>>;
}

export function registerIpc(ipcMain: IpcMainLike, deps: IpcDeps): void {
  ipcMain.handle(IPC_CHANNEL, async (event, channel, args, session) =>
    handleInvoke(deps, event, channel, args, session),
  );
}

export async function handleInvoke(
  deps: IpcDeps,
  event: InvokeEventLike,
  channel: unknown,
  args: unknown,
  session?: unknown,
): Promise<ApiReply<unknown>> {
  try {
    // Sender check: only our own window, showing our own page, may reach the backend.
    const url = event.senderFrame?.url ?? '';
    if (event.sender !== deps.trustedSender() || !url.startsWith(deps.trustedUrlPrefix)) {
      throw new YizhanError('UNAUTHORIZED', { reason: 'sender' });
    }
    const ch = knownChannel(channel);
    // Parse here too, so nothing unparsed crosses into the backend process; the backend parses
    // again (the same schema) because it also serves browser mode.
    parseArgs(ch, args);
    const token = typeof session === 'string' && /^[A-Za-z0-9_-]{20,100}$/.test(session) ? session : undefined;
    return await deps.relay(ch, args, token);
  } catch (e) {
    return errorReply(e);
  }
}
