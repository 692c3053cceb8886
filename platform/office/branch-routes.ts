// The branch's money at the console: the clerk's deposits and their vouchers (PAY-2), voucher
// reprints, the day list for the cash handover, and Green Card bindings (PAY-3).
import type { FastifyInstance } from 'fastify';
import crypto from 'node:crypto';
import { z } from 'zod';
import { addDays, businessDayOf, dayStartUtc, isValidDay } from '../../shared/business-day';
import { formatFen, MAX_TRANSACTION_FEN, parseMoney } from '../../shared/money';
import {
  AccountRefusal,
  IdempotencyConflictError,
  UnknownAccountError,
  type VoucherRecord,
} from '../store/types';
import { randomToken } from './auth';
import { OfficeError } from './errors';
import { canonicalVoucherNo, maskCard, parseCardNumber } from './cards';
import { branchSchema, institutionNoSchema, personName, type OfficeKit, type OfficeOptions } from './kit';
import { cardsPage, dayPage, depositPage, voucherPage } from './pages';

/** Green Card transfers shown on the card page. */
const TRANSFERS_SHOWN = 100;

const requestKeySchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);

const depositSchema = z.object({
  institutionNo: institutionNoSchema,
  amount: z.string().trim().max(20),
  depositor: personName,
  requestKey: requestKeySchema,
});
const cardBindSchema = z.object({
  institutionNo: institutionNoSchema,
  cardNumber: z.string().max(40),
});
const cardUnbindSchema = z.object({ institutionNo: institutionNoSchema });
const daySchema = z.object({
  date: z.string().optional(),
  branch: z.string().optional(),
  scope: z.enum(['mine', 'branch']).optional(),
});

export function branchRoutes(app: FastifyInstance, opts: OfficeOptions, kit: OfficeKit): void {
  const { store, now } = opts;
  const { wantsJson, ctxOf, html, bodyOf, parse, audit, requireRole, stationView, voucherJson } = kit;

  // ---------------------------------------------------------------- deposits (PAY-2)

  app.get<{ Querystring: { no?: string } }>(
    '/deposit',
    { config: { action: 'station.lookup' } },
    async (req, reply) => {
      const who = requireRole(req, 'clerk', 'supervisor');
      const canDeposit = who.user.role === 'clerk';
      const ctx = ctxOf(req);
      const query = typeof req.query.no === 'string' ? req.query.no.trim().slice(0, 32) : '';
      if (!query) {
        if (wantsJson(req)) throw new OfficeError('INVALID_INPUT', { field: 'no' });
        return html(reply, ctx, depositPage(ctx, { query, canDeposit }));
      }
      const no = parse(institutionNoSchema, query);
      const station = await stationView(no);
      if (!station) throw new OfficeError('UNKNOWN_STATION', { institutionNo: no });
      const card = await store.accounts.greenCard(no);
      await audit(req, 'station.lookup', 'ok', no);
      const requestKey = randomToken();
      if (wantsJson(req))
        return {
          ok: true,
          data: {
            ...station,
            cardMasked: card?.cardMasked ?? null,
            requestKey: canDeposit ? requestKey : null,
          },
        };
      return html(reply, ctx, depositPage(ctx, { query, station, card, canDeposit, requestKey }));
    },
  );

  app.post('/deposits', { config: { action: 'deposit' } }, async (req, reply) => {
    const who = requireRole(req, 'clerk');
    const b = parse(depositSchema, bodyOf(req));
    let amountFen: number;
    try {
      amountFen = parseMoney(b.amount, { field: 'amount', maxFen: MAX_TRANSACTION_FEN });
    } catch (e) {
      throw new OfficeError('INVALID_INPUT', {
        field: 'amount',
        ...((e as { details?: object }).details ?? {}),
      });
    }
    const station = await stationView(b.institutionNo);
    if (!station) throw new OfficeError('UNKNOWN_STATION', { institutionNo: b.institutionNo });
    const branchId = who.user.branchCode!;
    const requestSha256 = crypto
      .createHash('sha256')
      .update(
        JSON.stringify(['deposit', b.institutionNo, amountFen, b.depositor, branchId, who.user.username]),
      )
      .digest('hex');
    let result: { voucher: VoucherRecord; replay: boolean };
    try {
      result = await store.accounts.deposit({
        institutionNo: b.institutionNo,
        amountFen,
        depositor: b.depositor,
        branchId,
        clerk: who.user.username,
        requestKey: b.requestKey,
        requestSha256,
        at: now().toISOString(),
      });
    } catch (e) {
      if (e instanceof IdempotencyConflictError)
        throw new OfficeError('IDEMPOTENCY_CONFLICT', { requestKey: b.requestKey });
      if (e instanceof UnknownAccountError)
        throw new OfficeError('UNKNOWN_STATION', { institutionNo: b.institutionNo });
      throw e;
    }
    const v = result.voucher;
    await audit(req, 'deposit', 'ok', v.voucherNo, {
      institutionNo: v.institutionNo,
      amount: formatFen(v.amountFen),
      depositor: v.depositor,
      branch: v.branchId,
      replay: result.replay,
    });
    const status = result.replay ? 200 : 201;
    if (wantsJson(req))
      return reply.code(status).send({ ok: true, data: { voucher: voucherJson(v), replay: result.replay } });
    const ctx = ctxOf(req);
    return html(
      reply,
      ctx,
      voucherPage(ctx, v, station.name, { kind: result.replay ? 'replay' : 'original' }),
      status,
    );
  });

  app.post<{ Params: { voucherNo: string } }>(
    '/vouchers/:voucherNo/reprint',
    { config: { action: 'voucher.reprint' } },
    async (req, reply) => {
      const who = requireRole(req, 'clerk');
      const voucherNo = canonicalVoucherNo(req.params.voucherNo.slice(0, 40));
      const before = await store.accounts.voucher(voucherNo);
      if (!before) throw new OfficeError('VOUCHER_NOT_FOUND', { voucherNo });
      if (before.branchId !== who.user.branchCode)
        throw new OfficeError('NOT_YOUR_BRANCH', { voucherNo, branch: before.branchId });
      let v: VoucherRecord;
      try {
        v = await store.accounts.markReprint(voucherNo);
      } catch (e) {
        if (e instanceof AccountRefusal) throw new OfficeError('VOUCHER_NOT_FOUND', { voucherNo });
        throw e;
      }
      await audit(req, 'voucher.reprint', 'ok', voucherNo, { reprints: v.reprints });
      if (wantsJson(req)) return { ok: true, data: { voucher: voucherJson(v) } };
      const station = await stationView(v.institutionNo);
      const ctx = ctxOf(req);
      return html(reply, ctx, voucherPage(ctx, v, station?.name ?? '', { kind: 'reprint', n: v.reprints }));
    },
  );

  // ---------------------------------------------------------------- the day list (cash handover)

  app.get('/day', { config: { action: 'day.view' } }, async (req, reply) => {
    const who = requireRole(req, 'clerk', 'supervisor');
    const q = parse(daySchema, req.query);
    const today = businessDayOf(now());
    const day = q.date && q.date !== '' ? q.date : today;
    if (!isValidDay(day) || day > today) throw new OfficeError('INVALID_INPUT', { field: 'date', today });
    const isClerk = who.user.role === 'clerk';
    let branch: string | null;
    if (isClerk) branch = who.user.branchCode;
    else branch = q.branch && q.branch.trim() !== '' ? parse(branchSchema, q.branch) : null;
    const scope = isClerk ? (q.scope ?? 'mine') : 'branch';
    const all = branch
      ? await store.accounts.vouchersOfBranch(branch, dayStartUtc(day), dayStartUtc(addDays(day, 1)))
      : [];
    const sum = (vs: VoucherRecord[]) => ({
      count: vs.length,
      totalFen: vs.reduce((s, v) => s + v.amountFen, 0),
    });
    const mineList = isClerk ? all.filter((v) => v.clerk === who.user.username) : null;
    const shown = scope === 'mine' && mineList ? mineList : all;
    const mine = mineList ? sum(mineList) : null;
    const branchTotals = sum(all);
    await audit(req, 'day.view', 'ok', branch, { day, scope });
    if (wantsJson(req))
      return {
        ok: true,
        data: {
          day,
          branch,
          scope,
          vouchers: shown.map(voucherJson),
          mine: mine && { count: mine.count, total: formatFen(mine.totalFen) },
          branchTotals: { count: branchTotals.count, total: formatFen(branchTotals.totalFen) },
        },
      };
    const ctx = ctxOf(req);
    return html(
      reply,
      ctx,
      dayPage(ctx, {
        day,
        branch,
        scope,
        vouchers: shown,
        mine,
        branchTotals,
        canReprint: isClerk,
        chooseBranch: !isClerk,
      }),
    );
  });

  // ---------------------------------------------------------------- Green Card (PAY-3)

  app.get<{ Querystring: { no?: string } }>(
    '/cards',
    { config: { action: 'cards.view' } },
    async (req, reply) => {
      const who = req.office!;
      const ctx = ctxOf(req);
      const canBind = who.user.role === 'clerk';
      const query = typeof req.query.no === 'string' ? req.query.no.trim().slice(0, 32) : '';
      if (!query) {
        if (wantsJson(req)) throw new OfficeError('INVALID_INPUT', { field: 'no' });
        return html(reply, ctx, cardsPage(ctx, { query, transfers: [], canBind }));
      }
      const no = parse(institutionNoSchema, query);
      const station = await stationView(no);
      if (!station) throw new OfficeError('UNKNOWN_STATION', { institutionNo: no });
      const card = await store.accounts.greenCard(no);
      const transfers = await store.accounts.transfers(no, TRANSFERS_SHOWN);
      await audit(req, 'cards.view', 'ok', no);
      if (wantsJson(req))
        return {
          ok: true,
          data: {
            station,
            card: card ?? null,
            transfers: transfers.map((t) => ({ ...t, amount: formatFen(t.amountFen), amountFen: undefined })),
          },
        };
      return html(reply, ctx, cardsPage(ctx, { query, station, card, transfers, canBind }));
    },
  );

  app.post('/cards/bind', { config: { action: 'card.bind' } }, async (req, reply) => {
    const who = requireRole(req, 'clerk');
    const b = parse(cardBindSchema, bodyOf(req));
    const digits = parseCardNumber(b.cardNumber);
    if (!digits) throw new OfficeError('INVALID_CARD_NUMBER');
    const station = await stationView(b.institutionNo);
    if (!station) throw new OfficeError('UNKNOWN_STATION', { institutionNo: b.institutionNo });
    const current = await store.accounts.greenCard(b.institutionNo);
    if (current) throw new OfficeError('CARD_ALREADY_BOUND', { cardMasked: current.cardMasked });
    const cardMasked = maskCard(digits);
    try {
      await store.accounts.bindGreenCard({
        institutionNo: b.institutionNo,
        cardMasked,
        boundAt: now().toISOString(),
        boundBy: who.user.username,
      });
    } catch (e) {
      if (e instanceof UnknownAccountError)
        throw new OfficeError('UNKNOWN_STATION', { institutionNo: b.institutionNo });
      throw e;
    }
    await audit(req, 'card.bind', 'ok', b.institutionNo, { cardMasked });
    if (wantsJson(req))
      return reply.code(201).send({ ok: true, data: { institutionNo: b.institutionNo, cardMasked } });
    return reply.redirect(`/office/cards?no=${encodeURIComponent(b.institutionNo)}`, 303);
  });

  app.post('/cards/unbind', { config: { action: 'card.unbind' } }, async (req, reply) => {
    const who = requireRole(req, 'clerk');
    const b = parse(cardUnbindSchema, bodyOf(req));
    const current = await store.accounts.greenCard(b.institutionNo);
    if (!current) throw new OfficeError('NO_GREEN_CARD', { institutionNo: b.institutionNo });
    const ended = await store.accounts.unbindGreenCard(
      b.institutionNo,
      now().toISOString(),
      who.user.username,
    );
    if (!ended) throw new OfficeError('NO_GREEN_CARD', { institutionNo: b.institutionNo });
    await audit(req, 'card.unbind', 'ok', b.institutionNo, { cardMasked: current.cardMasked });
    if (wantsJson(req)) return { ok: true, data: { institutionNo: b.institutionNo } };
    return reply.redirect(`/office/cards?no=${encodeURIComponent(b.institutionNo)}`, 303);
  });
}
