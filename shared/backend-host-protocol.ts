// Messages between the Electron main process and the backend's utility process.
import type { ApiReply } from './errors';

export const DEFAULT_DATA_DIR_NAME = 'station';

export interface HostRequest {
  id: string;
  channel: string;
  args: unknown;
  /** The window's login session (issue 12). */
  session?: string | undefined;
}

export interface HostReply {
  id: string;
  reply: ApiReply<unknown>;
}
