// The typed client of the contract. Every screen calls `call(channel, args)`: it returns the data
// or throws an ApiError carrying the backend's code, Chinese message and details.
import type { Channel, ChannelInput, ChannelOutput } from '../../shared/contract';
import type { ErrorCode, ErrorDetails } from '../../shared/errors';
import { TransportError } from './api-browser';

/** NETWORK: the request may or may not have reached the backend — its outcome is unknown. */
export type ClientErrorCode = ErrorCode | 'NETWORK';

const NOT_FINAL = new Set<ClientErrorCode>(['NETWORK', 'IN_PROGRESS', 'INTERNAL', 'GATEWAY_UNAVAILABLE']);

export class ApiError extends Error {
  readonly code: ClientErrorCode;
  readonly details: ErrorDetails;
  constructor(code: ClientErrorCode, message: string, details: ErrorDetails = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.details = details;
  }
  /** Not a final answer (the backend does not record these against the key): the request's fate
   *  may be unknown, so a retry must reuse the same idempotency key, never a new one. */
  get outcomeUnknown(): boolean {
    return NOT_FINAL.has(this.code);
  }
}

export async function call<C extends Channel>(channel: C, args?: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const api = window.yizhan;
  if (!api) throw new ApiError('UNAUTHORIZED', '未连接到驿站后台');
  let reply;
  try {
    reply = await api.send(channel, args);
  } catch (e) {
    const message = e instanceof TransportError || e instanceof Error ? e.message : String(e);
    throw new ApiError('NETWORK', message, { transport: true });
  }
  if (reply.ok) return reply.data;
  throw new ApiError(reply.error.code, reply.error.message, reply.error.details ?? {});
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
