// Idempotency for requests that change money. The client makes the key when the operator
// confirms and reuses it on every retry:
//   same key, same request        → the original result (or the original refusal)
//   same key, different request   → IDEMPOTENCY_CONFLICT
//   same key while still running  → waits for the same attempt (in this process)
import { createHash } from 'node:crypto';
import { YizhanError, isFinal, type ApiError } from '../../shared/errors';
import { idempotencyRow, recordIdempotency, txnOfKey } from '../../db/ledger';
import { getTxn } from './txn-dto';
import type { Ctx } from '../context';

export function requestHash(channel: string, args: Record<string, unknown>): string {
  const { idempotencyKey: _k, ...rest } = args;
  return createHash('sha256').update(channel).update('\0').update(stableJson(rest)).digest('hex');
}

function stableJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
    .join(',')}}`;
}

export interface Keyed {
  key: string;
  channel: string;
  hash: string;
}

/** Replays a recorded outcome, or returns undefined when the key is new. */
export function replay<T>(ctx: Ctx, k: Keyed): T | undefined {
  // A posted transaction is the outcome of its key, whatever else was recorded.
  const posted = txnOfKey(ctx.db, k.key);
  if (posted) {
    if (posted.request_hash !== k.hash) throw new YizhanError('IDEMPOTENCY_CONFLICT', { key: k.key });
    return getTxn(ctx.db, posted.id) as T;
  }
  const row = idempotencyRow(ctx.db, k.key);
  if (!row) return undefined;
  if (row.channel !== k.channel || row.request_hash !== k.hash) {
    throw new YizhanError('IDEMPOTENCY_CONFLICT', { key: k.key });
  }
  const reply = JSON.parse(row.reply) as unknown;
  if (row.outcome === 'refused') {
    const e = reply as ApiError;
    throw new YizhanError(e.code, { ...e.details, replayed: true }, e.message);
  }
  return reply as T;
}

/** Runs a keyed request once. `run` must record its success with `recordDone` inside the same
 *  database transaction as the posting; refusals are recorded here. */
export async function runKeyed<T>(ctx: Ctx, k: Keyed, run: () => Promise<T>): Promise<T> {
  const prior = replay<T>(ctx, k);
  if (prior !== undefined) return prior;
  const flying = ctx.inflight.get(k.key);
  if (flying) {
    if (flying.hash !== k.hash) throw new YizhanError('IDEMPOTENCY_CONFLICT', { key: k.key });
    return (await flying.promise) as T;
  }
  const promise = (async () => {
    try {
      return await run();
    } catch (e) {
      if (e instanceof KeyRaced) return replay<T>(ctx, k) as T;
      // An outcome not known yet (isFinal false) is not recorded: the same key asks again.
      if (e instanceof YizhanError && isFinal(e.code)) recordRefusal(ctx, k, e);
      throw e;
    }
  })();
  ctx.inflight.set(k.key, { hash: k.hash, promise });
  try {
    return await promise;
  } finally {
    ctx.inflight.delete(k.key);
  }
}

/** Call inside the posting's transaction: makes the success and the key one atomic fact. */
export function recordDone(ctx: Ctx, k: Keyed, reply: unknown): void {
  // A posted transaction carries its key and request hash itself (replay reads it): recording it
  // again would only cost a page per posting.
  if (txnOfKey(ctx.db, k.key)) return;
  recordIdempotency(ctx.db, k.key, k.channel, k.hash, 'done', reply, ctx.now().toISOString());
}

/** Inside a write transaction, before posting: another process may have finished this key. */
export function assertKeyUnused(ctx: Ctx, k: Keyed): void {
  if (idempotencyRow(ctx.db, k.key)) throw new KeyRaced();
}

/** The key was completed by someone else between our check and our write; replay it. */
export class KeyRaced extends Error {}

function recordRefusal(ctx: Ctx, k: Keyed, e: YizhanError): void {
  try {
    ctx.db
      .transaction(() => {
        if (idempotencyRow(ctx.db, k.key)) return;
        recordIdempotency(ctx.db, k.key, k.channel, k.hash, 'refused', e.toJSON(), ctx.now().toISOString());
      })
      .immediate();
  } catch {
    // Recording a refusal is best effort: the refusal itself still reaches the client.
  }
}

/** The fields a keyed posting by the operator at the counter shares: its day and time, who, and its key. */
export function counterPosting(ctx: Ctx, k: Keyed, when: { nowIso: string; day: string }) {
  return {
    businessDay: when.day,
    createdAt: when.nowIso,
    operatorId: ctx.operatorId,
    idempotencyKey: k.key,
    requestHash: k.hash,
  };
}
