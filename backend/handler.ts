// The one handler type, typed from the contract, and the one idempotency wrapper. Every channel's
// handler is a `Handler<C>`; a channel that changes money is declared `keyed(body)` in the table
// (handlers.ts), so the key → outcome rule of services/keyed.ts is applied in one place.
import type { Channel, ChannelArgs, ChannelOutput, KeyedChannel } from '../shared/contract';
import type { Ctx } from './context';
import { requestHash, runKeyed, type Keyed } from './services/keyed';

/** Handles one channel. `args` has been parsed by the channel's zod schema; `channel` is the
 *  table key it was called under. */
export type Handler<C extends Channel> = (
  ctx: Ctx,
  args: ChannelArgs<C>,
  channel: C,
) => Promise<ChannelOutput<C>> | ChannelOutput<C>;

/** A domain module's handlers: one per channel it answers. */
export type Handlers<C extends Channel> = { [K in C]: Handler<K> };

/** The body of a keyed channel: runs at most once per idempotency key. It posts with `k` (key and
 *  request hash) and records its success with `recordDone` inside the posting's transaction. */
export type KeyedBody<C extends KeyedChannel> = (
  ctx: Ctx,
  args: ChannelArgs<C>,
  k: Keyed,
) => Promise<ChannelOutput<C>>;

/** Makes a keyed body a handler: same key and request → the original outcome; same key, other
 *  request → IDEMPOTENCY_CONFLICT; same key still running → the same attempt. `before` runs
 *  first on every call, replays included (bill.pay settles an earlier attempt's reservation). */
export function keyed<C extends KeyedChannel>(
  body: KeyedBody<C>,
  opts: { before?: (ctx: Ctx, k: Keyed) => Promise<void> } = {},
): Handler<C> {
  return async (ctx, args, channel) => {
    const a = args as ChannelArgs<C> & { idempotencyKey: string };
    const k: Keyed = { key: a.idempotencyKey, channel, hash: requestHash(channel, a) };
    await opts.before?.(ctx, k);
    return runKeyed(ctx, k, () => body(ctx, args, k));
  };
}
