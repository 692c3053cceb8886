// Browser mode: `window.yizhan` over fetch to the loopback server (POST /api/<channel>, bearer
// token). The token arrives once in the start-up URL's hash, is kept in sessionStorage for
// reloads of this tab, and is taken out of the address bar so it is not shown or bookmarked.
import type { YizhanApi } from '../../shared/contract';
import type { ApiReply } from '../../shared/errors';

const TOKEN_KEY = 'yizhan.token';
/** Longer than the backend's gateway timeout (10 s) with room to post: a slower answer means
 *  the connection is gone, and the caller treats the outcome as unknown. */
export const REQUEST_TIMEOUT_MS = 30_000;

export class TransportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransportError';
  }
}

export function readToken(): string | null {
  const m = window.location.hash.match(/(?:^#|&)token=([^&]+)/);
  if (m?.[1]) {
    const token = decodeURIComponent(m[1]);
    try {
      sessionStorage.setItem(TOKEN_KEY, token);
    } catch {
      // storage may be off; the token still works for this page's life
    }
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return token;
  }
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function createFetchApi(token: string): YizhanApi {
  return {
    async send(channel, args, session) {
      const ctl = new AbortController();
      const timer = setTimeout(() => ctl.abort(), REQUEST_TIMEOUT_MS);
      let res: Response;
      try {
        res = await fetch(`./api/${encodeURIComponent(channel)}`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            ...(session ? { 'x-yizhan-session': session } : {}),
          },
          body: args === undefined ? '' : JSON.stringify(args),
          signal: ctl.signal,
        });
      } catch (e) {
        throw new TransportError(e instanceof Error ? e.message : String(e));
      } finally {
        clearTimeout(timer);
      }
      let body: unknown;
      try {
        body = await res.json();
      } catch {
        throw new TransportError(`HTTP ${res.status}: not JSON`);
      }
      if (!body || typeof body !== 'object' || !('ok' in body))
        throw new TransportError(`HTTP ${res.status}: not a reply`);
      return body as ApiReply<never>;
    },
  };
}

/** Installs `window.yizhan` unless the Electron preload already did. False when no token. */
export function ensureApi(): boolean {
  if (window.yizhan) return true;
  const token = readToken();
  if (!token) return false;
  window.yizhan = createFetchApi(token);
  return true;
}
