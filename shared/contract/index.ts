// The API contract: one table of channels, each with the zod schema of its argument and the type
// of its result. Both transports (Electron IPC, loopback HTTP) and the renderer's client use it.
// Money crosses this boundary only as decimal strings ("96.50").
//
// One file per domain (./bill.ts, ./topup.ts, ./day.ts, ...) declares that domain's DTOs and
// channels; this file assembles them. A domain file never imports this one (no circles).
import type { z } from 'zod';
import zodEn from 'zod/v4/locales/en.js';
import { isMoneyString } from '../money';
import { money, idempotencyKey, serviceId, accountNo, day, noArgs } from '../schemas';
import { YizhanError } from '../errors';
import { stationChannels } from './station';
import { sessionChannels } from './session';
import { txnChannels } from './txn';
import { topupChannels } from './topup';
import { billChannels } from './bill';
import { reversalChannels } from './reversal';
import { printingChannels } from './printing';
import { dayChannels } from './day';
import { takingsChannels } from './takings';
import { reportsChannels } from './reports';
import { monitorChannels } from './monitoring';
import { profileChannels } from './profile';
import { authChannels } from './auth';
import { shiftChannels } from './shift';
import { setupChannels } from './setup';
import { trainingChannels } from './training';

export * from './station';
export * from './session';
export * from './txn';
export * from './topup';
export * from './bill';
export * from './reversal';
export * from './printing';
export * from './day';
export * from './takings';
export * from './reports';
export * from './monitoring';
export * from './profile';
export * from './auth';
export * from './shift';
export * from './setup';
export * from './training';

// ---- building blocks: shared/schemas.ts ----------------------------------------------------

export { money, idempotencyKey, serviceId, accountNo, day, noArgs };

// ---- channels ---------------------------------------------------------------------------------

export const channels = {
  ...stationChannels,
  ...sessionChannels,
  ...txnChannels,
  ...topupChannels,
  ...billChannels,
  ...reversalChannels,
  ...printingChannels,
  ...dayChannels,
  ...takingsChannels,
  ...reportsChannels,
  ...monitorChannels,
  ...profileChannels,
  ...authChannels,
  ...shiftChannels,
  ...setupChannels,
  ...trainingChannels,
} as const;

export type Channels = typeof channels;
export type Channel = keyof Channels;
export type ChannelInput<C extends Channel> = z.input<Channels[C]['input']>;
export type ChannelArgs<C extends Channel> = z.output<Channels[C]['input']>;
export type ChannelOutput<C extends Channel> = Channels[C]['output'];
/** The channels whose argument carries an idempotency key (they change money). */
export type KeyedChannel = {
  [C in Channel]: ChannelArgs<C> extends { idempotencyKey: string } ? C : never;
}[Channel];

export function isChannel(name: string): name is Channel {
  return Object.prototype.hasOwnProperty.call(channels, name);
}

/** The channel a transport was asked for, or NOT_FOUND naming it (the same refusal, in every
 *  language, from the backend and from Electron's IPC relay). */
export function knownChannel(name: unknown): Channel {
  if (typeof name === 'string' && isChannel(name)) return name;
  throw new YizhanError('NOT_FOUND', { channel: String(name).slice(0, 60), variant: 'channel' });
}

/** zod's own messages in English, for the English screens (zh-CN is zod's configured locale). */
const zodEnglish = zodEn().localeError;

/** Parses a channel's argument; a failure is INVALID_INPUT with the first problem in Chinese
 *  (`issue`, and the message) and in English (`issueEn`, for the English screens). */
export function parseArgs<C extends Channel>(channel: C, raw: unknown): ChannelArgs<C> {
  const schema = channels[channel].input as z.ZodType;
  const r = schema.safeParse(raw);
  if (r.success) return r.data as ChannelArgs<C>;
  const issues = r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const first = issues[0];
  // The same parse again, only on a refusal, for the English wording of the same first problem.
  const issueEn = schema.safeParse(raw, { error: zodEnglish }).error?.issues[0]?.message ?? '';
  throw new YizhanError(
    'INVALID_INPUT',
    first
      ? {
          issues,
          path: first.path,
          issue: first.message,
          issueEn,
          variant: first.path ? 'issueAt' : 'issue',
        }
      : { issues },
  );
}

/** The renderer's view of the backend: `window.yizhan`. */
export interface YizhanApi {
  send<C extends Channel>(
    channel: C,
    args?: ChannelInput<C>,
    /** The client's login session (issue 12), from auth.login. */
    session?: string,
  ): Promise<import('../errors').ApiReply<ChannelOutput<C>>>;
}

export { isMoneyString };
