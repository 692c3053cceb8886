// The typed client of the contract. Every screen calls `call(channel, args)`: it returns the data
// or throws an ApiError carrying the backend's code, Chinese message and details (the screens show
// the text of the UI's language from the code and details: components/ErrorAlert.tsx).
import type { Channel, ChannelInput, ChannelOutput } from '../../shared/contract';
import { isFinal, isRejectedUnexamined, type ErrorCode, type ErrorDetails } from '../../shared/errors';
import { TransportError } from './api-browser';

/** NETWORK: the request may or may not have reached the backend — its outcome is unknown. */
export type ClientErrorCode = ErrorCode | 'NETWORK';

export class ApiError extends Error {
  readonly code: ClientErrorCode;
  readonly details: ErrorDetails;
  /** True when the code and details are the backend's (or stand for them): the screen shows the
   *  catalogue's text in its language. False for an error a screen made with its own text. */
  readonly fromCatalogue: boolean;
  constructor(code: ClientErrorCode, message: string, details: ErrorDetails = {}, fromCatalogue = false) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.details = details;
    this.fromCatalogue = fromCatalogue;
  }
  /** Not a final answer (the backend does not record these against the key): the request's fate
   *  may be unknown, so a retry must reuse the same idempotency key, never a new one. */
  get outcomeUnknown(): boolean {
    return this.code === 'NETWORK' || !isFinal(this.code);
  }
  /** Final, but not an answer about the business: the request was refused before it was examined
   *  (not authorised, bad input, a key reused for another request). */
  get notAnAnswer(): boolean {
    return this.code !== 'NETWORK' && isRejectedUnexamined(this.code);
  }
}

/** Fired on the window when an answer says the ledger's verification state may have changed. */
export const LEDGER_EVENT = 'yizhan:ledger';

/** This window's (tab's) login session (issue 12): kept in sessionStorage, so a reload keeps
 *  it and another tab has its own. */
const SESSION_KEY = 'yizhan.session';
/** Fired on the window when the login state changes (logged in, out, or refused as not logged in). */
export const AUTH_EVENT = 'yizhan:auth';

export function currentSession(): string | undefined {
  try {
    return sessionStorage.getItem(SESSION_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function setSession(token: string | undefined): void {
  try {
    if (token) sessionStorage.setItem(SESSION_KEY, token);
    else sessionStorage.removeItem(SESSION_KEY);
  } catch {
    // storage refused: the session lives until the page closes
  }
  window.dispatchEvent(new Event(AUTH_EVENT));
}

export async function call<C extends Channel>(channel: C, args?: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const api = window.yizhan;
  if (!api) throw new ApiError('UNAUTHORIZED', '未连接到驿站后台', { variant: 'noBackend' }, true);
  let reply;
  try {
    reply = await api.send(channel, args, currentSession());
  } catch (e) {
    const message = e instanceof TransportError || e instanceof Error ? e.message : String(e);
    throw new ApiError('NETWORK', message, { transport: true });
  }
  // The ledger's state may have changed (a failed or a passed verification): the shell looks again.
  if (channel === 'ledger.verify' || (!reply.ok && reply.error.code === 'LEDGER_TAMPERED'))
    window.dispatchEvent(new Event(LEDGER_EVENT));
  // The session is over: the login screen. Not while the handover screen still shows the shift X
  // report of a session that handed over (it may reprint it): that screen ends the session itself.
  if (
    !reply.ok &&
    reply.error.code === 'NOT_LOGGED_IN' &&
    reply.error.details?.['reason'] !== 'handed_over' &&
    currentSession()
  )
    setSession(undefined);
  if (reply.ok) return reply.data;
  throw new ApiError(reply.error.code, reply.error.message, reply.error.details ?? {}, true);
}

/** A channel whose handler is not there yet (printing is being wired): NOT_FOUND or INTERNAL. */
export function isUnavailable(e: unknown): boolean {
  return e instanceof ApiError && (e.code === 'NOT_FOUND' || e.code === 'INTERNAL');
}

/** A fresh idempotency key, made when the operator confirms. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // crypto.randomUUID needs a secure context; 127.0.0.1 is one, but be safe.
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}
