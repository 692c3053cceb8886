// The handler table: one entry per channel of the contract. Each domain module exports the
// handlers of its plain channels; the channels that change money are declared here, `keyed(...)`,
// so idempotency (handler.ts, services/keyed.ts) is applied in one place. Both transports
// (Electron IPC and loopback HTTP) call `dispatch`, which parses the argument with the channel's
// zod schema first — nothing reaches a handler unparsed.
import { channels, parseArgs, knownChannel, type Channel } from '../shared/contract';
import { errorReply, YizhanError, type ApiReply } from '../shared/errors';
import type { Ctx } from './context';
import { keyed, type Handler } from './handler';
import { stationHandlers } from './services/station';
import { sessionHandlers } from './services/session';
import { txnHandlers } from './services/txns';
import { topUpByGreenCard, topUpByVoucher, topupHandlers } from './services/topup';
import { billHandlers, payBill, settleEarlierAttempt } from './services/bill';
import { reverseTxn } from './services/reversal';
import { printingHandlers } from './services/printing';
import { closeDay, dayHandlers } from './services/day-close';
import { settleTakings } from './services/takings';
import { reportsHandlers } from './services/reports';
import { monitorHandlers } from './services/monitoring';
import { profileHandlers } from './services/profile';
import { authHandlers, gate } from './services/auth';
import { shiftHandlers } from './services/shifts';
import { platformSettingHandlers } from './services/platform-setting';
import { trainingHandlers } from './services/training';

export type HandlerTable = { [C in Channel]: Handler<C> };

export const handlers: HandlerTable = {
  ...stationHandlers,
  ...sessionHandlers,
  ...txnHandlers,
  ...topupHandlers,
  ...billHandlers,
  ...printingHandlers,
  ...dayHandlers,
  ...reportsHandlers,
  ...monitorHandlers,
  ...profileHandlers,
  ...authHandlers,
  ...shiftHandlers,
  ...platformSettingHandlers,
  ...trainingHandlers,
  // Keyed: same key and request → the original outcome (see handler.ts).
  'topup.voucher': keyed(topUpByVoucher),
  'topup.greenCard': keyed(topUpByGreenCard),
  'bill.pay': keyed(payBill, { before: settleEarlierAttempt }),
  'txn.reverse': keyed(reverseTxn),
  'day.close': keyed(closeDay),
  'takings.settle': keyed(settleTakings),
};

/** The client a call came from through a transport: its session token, if it logged in. */
export interface Client {
  session: string | undefined;
}

/** Parses, runs and wraps one call. Never throws: every outcome is an ApiReply. A call from a
 *  transport (`client` given) passes the login and permission gate first (services/auth.ts) and
 *  runs as the client's operator; the process's own calls (tests, scripts) do not. */
export async function dispatch(
  ctx: Ctx,
  channel: string,
  raw: unknown,
  client?: Client,
): Promise<ApiReply<unknown>> {
  try {
    const ch = knownChannel(channel);
    const callCtx = client ? gate(ctx, ch, client.session) : ctx;
    const args = parseArgs(ch, raw);
    const handler = handlers[ch] as Handler<Channel>;
    const data = await handler(callCtx, args as never, ch);
    return { ok: true, data };
  } catch (e) {
    return failureReply(channel, e);
  }
}

/** What a call that threw answers (errorReply); a throw that is not a refusal is a bug, and its
 *  detail is kept for the log. */
export function failureReply(channel: string, e: unknown): ApiReply<never> {
  if (!(e instanceof YizhanError)) console.error(`[yizhan] ${channel} failed:`, e);
  return errorReply(e);
}

export { channels };
