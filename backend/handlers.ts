// The handler table: one entry per channel of the contract, grouped by domain. Both transports
// (Electron IPC and loopback HTTP) call `dispatch`, which parses the argument with the channel's
// zod schema first — nothing reaches a handler unparsed.
import {
  channels,
  parseArgs,
  isChannel,
  type Channel,
  type ChannelArgs,
  type ChannelOutput,
} from '../shared/contract';
import { YizhanError, type ApiReply } from '../shared/errors';
import { CATALOGUE, SERVICE_IDS } from '../shared/catalogue';
import { formatFen } from '../shared/money';
import { accountBalance } from '../db/ledger';
import { cashSummary, getTxn, listTxns, listVouchers } from '../db/queries';
import { getOperator, isTrained, listOperators } from '../db/station';
import { station, today, type Ctx } from './context';
import { topUpByGreenCard, topUpByVoucher } from './services/topup';
import { inquireBill, payBill, pendingPayments } from './services/bill';
import { reverseTxn } from './services/reversal';
import { dayHandlers } from './handlers-day'; // day close, takings, reports, low float (issue 4)
import { printHandlers } from './handlers-print';
import { monitorHandlers } from './handlers-monitor'; // standing, monitor uploads (issue 5)

type Handler<C extends Channel> = (
  ctx: Ctx,
  args: ChannelArgs<C>,
) => Promise<ChannelOutput<C>> | ChannelOutput<C>;
export type HandlerTable = { [C in Channel]: Handler<C> };

export const handlers: HandlerTable = {
  'station.get': (ctx) => {
    const s = station(ctx);
    return {
      institutionNo: s.institution_no,
      name: s.name,
      demo: s.demo === 1,
      greenCardMasked: s.green_card_masked,
      businessDay: today(ctx).day,
    };
  },
  'session.get': (ctx) => {
    const operator = getOperator(ctx.db, ctx.operatorId);
    if (!operator) throw new YizhanError('NOT_FOUND', { operatorId: ctx.operatorId });
    return { operator, operators: listOperators(ctx.db) };
  },
  'session.setOperator': (ctx, a) => {
    const operator = getOperator(ctx.db, a.operatorId);
    if (!operator) throw new YizhanError('NOT_FOUND', { operatorId: a.operatorId }, '没有这位操作员');
    ctx.operatorId = operator.id;
    return { operator };
  },
  'catalogue.list': (ctx) => ({
    items: SERVICE_IDS.map((id) => ({
      id,
      nameZh: CATALOGUE[id].nameZh,
      fee: formatFen(CATALOGUE[id].feeFen),
      hotkey: CATALOGUE[id].hotkey,
      trained: isTrained(ctx.db, ctx.operatorId, id),
    })),
  }),
  'float.balance': (ctx) => {
    const b = accountBalance(ctx.db, 'float');
    return {
      balance: formatFen(b.balanceFen),
      pending: formatFen(b.pendingFen),
      available: formatFen(b.balanceFen - b.pendingFen),
    };
  },
  'cash.summary': (ctx, a) => cashSummary(ctx.db, a.day ?? today(ctx).day),
  'topup.voucher': topUpByVoucher,
  'topup.greenCard': topUpByGreenCard,
  'bill.inquire': inquireBill,
  'bill.pay': async (ctx, a) => {
    const t = await payBill(ctx, a);
    if (t.change === undefined) throw new Error('a bill payment without change recorded');
    return { ...t, change: t.change };
  },
  'txn.reverse': reverseTxn,
  'txn.get': (ctx, a) => {
    const id = 'txnId' in a ? a.txnId : Number(a.serial.split('-')[1]);
    const t = getTxn(ctx.db, id);
    if (!t || ('serial' in a && t.serial !== a.serial)) throw new YizhanError('NOT_FOUND', { ...a });
    return t;
  },
  'txn.list': (ctx, a) => listTxns(ctx.db, a),
  'payment.pending': (ctx) => ({ items: pendingPayments(ctx) }),
  'voucher.list': (ctx, a) => ({ items: listVouchers(ctx.db, a) }),
  ...dayHandlers,
  ...printHandlers,
  ...monitorHandlers,
};

/** Parses, runs and wraps one call. Never throws: every outcome is an ApiReply. */
export async function dispatch(ctx: Ctx, channel: string, raw: unknown): Promise<ApiReply<unknown>> {
  try {
    if (!isChannel(channel))
      throw new YizhanError('NOT_FOUND', { channel }, `没有这个接口：${channel.slice(0, 60)}`);
    const args = parseArgs(channel, raw);
    const handler = handlers[channel] as Handler<Channel>;
    const data = await handler(ctx, args as never);
    return { ok: true, data };
  } catch (e) {
    if (e instanceof YizhanError) return { ok: false, error: e.toJSON() };
    // A bug, not a refusal: say so plainly, keep the detail for the log.
    console.error(`[yizhan] ${channel} failed:`, e);
    return {
      ok: false,
      error: new YizhanError('INTERNAL', { cause: e instanceof Error ? e.message : String(e) }).toJSON(),
    };
  }
}

export { channels };
