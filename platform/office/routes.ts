// The branch console (网点业务台) under /office: logins, the clerk's deposits and vouchers
// (PAY-2), the day list for the cash handover, Green Card bindings (PAY-3), users and the
// audit log. Every route answers HTML to a browser and JSON to a client that asks for it
// (`Accept: application/json`); every POST needs the session's CSRF token (form field `_csrf`
// or header `x-csrf-token`); every action, allowed or refused, leaves an audit row.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import crypto from 'node:crypto';
import { z } from 'zod';
import { addDays, businessDayOf, dayStartUtc, isValidDay } from '../../shared/business-day';
import { formatFen, MAX_TRANSACTION_FEN, parseMoney } from '../../shared/money';
import {
  AccountRefusal,
  IdempotencyConflictError,
  UnknownAccountError,
  type PlatformStore,
  type VoucherRecord,
} from '../store/types';
import {
  checkSession,
  cookie,
  cookieValue,
  hashPassword,
  MAX_PASSWORD_CHARS,
  MIN_PASSWORD_CHARS,
  PRELOGIN_COOKIE,
  randomPassword,
  randomToken,
  sameToken,
  SESSION_COOKIE,
  SESSION_MAX_MS,
  startSession,
  throttledFor,
  verifyPassword,
} from './auth';
import { provisioningRoutes } from '../provisioning/office-routes';
import type { ProvisioningService } from '../provisioning/service';
import { OfficeError, type OfficeErrorCode } from './errors';
import { zhCN } from './messages';
import {
  auditPage,
  cardsPage,
  dayPage,
  depositPage,
  errorPage,
  loginPage,
  passwordPage,
  usersPage,
  voucherPage,
  type PageContext,
  type StationView,
} from './pages';
import { UsernameTakenError, type OfficeRole, type OfficeSession, type OfficeUser } from './types';

export interface OfficeOptions {
  store: PlatformStore;
  now: () => Date;
  /** Mark cookies Secure (behind a TLS proxy). */
  secureCookies?: boolean;
  provisioning: ProvisioningService;
}

/** Form bodies are small; anything bigger is not a form of ours. */
const FORM_BODY_LIMIT_BYTES = 16 * 1024;
/** The most rows the audit page shows at once. */
const AUDIT_PAGE_ROWS = 200;
/** Green Card transfers shown on the card page. */
const TRANSFERS_SHOWN = 100;

const institutionNoSchema = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z]{4,32}$/);
const branchSchema = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z-]{1,20}$/);
const personName = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .refine((s) => !/[\p{Cc}\p{Cf}]/u.test(s), 'control characters');
const requestKeySchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);

const loginSchema = z.object({
  username: z.string().trim().toLowerCase().min(1).max(64),
  password: z.string().min(1).max(MAX_PASSWORD_CHARS),
});
const depositSchema = z.object({
  institutionNo: institutionNoSchema,
  amount: z.string().trim().max(20),
  depositor: personName,
  requestKey: requestKeySchema,
});
const userSchema = z.object({
  username: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9_.-]{2,31}$/),
  displayName: personName,
  role: z.enum(['admin', 'clerk', 'supervisor']),
  branchCode: z.string().trim().max(20).optional(),
});
const passwordChangeSchema = z.object({
  oldPassword: z.string().min(1).max(MAX_PASSWORD_CHARS),
  newPassword: z.string().min(1).max(MAX_PASSWORD_CHARS),
  confirmPassword: z.string().min(1).max(MAX_PASSWORD_CHARS),
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
const auditQuerySchema = z.object({
  action: z.string().trim().max(64).optional(),
  user: z.string().trim().max(64).optional(),
  before: z.coerce.number().int().positive().optional(),
});

export interface Who {
  user: OfficeUser;
  session: OfficeSession;
}

/** What the console's other areas (platform/provisioning/office-routes.ts) route with. */
export interface OfficeKit {
  wantsJson(req: FastifyRequest): boolean;
  ctxOf(req: FastifyRequest): PageContext;
  html(reply: FastifyReply, ctx: PageContext, body: string, status?: number): FastifyReply;
  bodyOf(req: FastifyRequest): Record<string, unknown>;
  parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S>;
  audit(
    req: FastifyRequest,
    action: string,
    outcome: string,
    target: string | null,
    details?: Record<string, unknown>,
  ): Promise<void>;
  requireRole(req: FastifyRequest, ...roles: OfficeRole[]): Who;
}

declare module 'fastify' {
  interface FastifyRequest {
    office: Who | null;
  }
  interface FastifyContextConfig {
    /** The audit action a route records. */
    action?: string;
  }
}

/** Card numbers: 16–19 digits (spaces and dashes as typed are dropped) with a valid Luhn digit. */
export function parseCardNumber(input: string): string | undefined {
  const digits = input.replace(/[\s-]/g, '');
  if (!/^[0-9]{16,19}$/.test(digits)) return undefined;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0 ? digits : undefined;
}

/** Only the first 6 (the bank's BIN) and the last 4 digits are kept. */
export function maskCard(digits: string): string {
  return `${digits.slice(0, 6)}${'*'.repeat(digits.length - 10)}${digits.slice(-4)}`;
}

/** The canonical voucher number: case and separators do not make a new voucher (PAY-2). */
export function canonicalVoucherNo(input: string): string {
  return input.replace(/[\s\-_/.]/g, '').toUpperCase();
}

export function registerOffice(app: FastifyInstance, opts: OfficeOptions): void {
  void app.register(async (office) => officeRoutes(office, opts), { prefix: '/office' });
}

async function officeRoutes(app: FastifyInstance, opts: OfficeOptions): Promise<void> {
  const { store, now } = opts;
  const secure = opts.secureCookies ?? false;
  const T = zhCN.ui;

  app.decorateRequest('office', null);
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT_BYTES },
    (_req, body, done) => {
      const out: Record<string, string> = {};
      for (const [k, v] of new URLSearchParams(body as string)) if (!(k in out)) out[k] = v;
      done(null, out);
    },
  );
  if (!app.hasContentTypeParser('application/json')) {
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) =>
      done(null, body),
    );
  }

  const wantsJson = (req: FastifyRequest): boolean => (req.headers.accept ?? '').includes('application/json');
  const nonce = (): string => crypto.randomBytes(16).toString('base64');
  const ctxOf = (req: FastifyRequest): PageContext => ({
    nonce: nonce(),
    user: req.office?.user,
    csrf: req.office?.session.csrfToken,
  });
  const html = (reply: FastifyReply, ctx: PageContext, body: string, status = 200): FastifyReply =>
    reply
      .code(status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .header('x-content-type-options', 'nosniff')
      .header('x-frame-options', 'DENY')
      .header(
        'content-security-policy',
        `default-src 'none'; script-src 'nonce-${ctx.nonce}'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
      )
      .send(body);

  const bodyOf = (req: FastifyRequest): Record<string, unknown> => {
    const b = req.body;
    if (b === undefined || b === null) return {};
    if (Buffer.isBuffer(b)) {
      try {
        const parsed: unknown = JSON.parse(b.toString('utf8'));
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
          return parsed as Record<string, unknown>;
      } catch {
        // refused below
      }
      throw new OfficeError('INVALID_INPUT', { reason: 'not_json' });
    }
    if (typeof b === 'object') return b as Record<string, unknown>;
    throw new OfficeError('UNSUPPORTED_MEDIA_TYPE');
  };
  const parse = <S extends z.ZodType>(schema: S, input: unknown): z.infer<S> => {
    const r = schema.safeParse(input);
    if (!r.success)
      throw new OfficeError('INVALID_INPUT', {
        issues: r.error.issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
    return r.data;
  };

  const audit = async (
    req: FastifyRequest,
    action: string,
    outcome: string,
    target: string | null,
    details: Record<string, unknown> = {},
    who?: { userId: number | null; username: string | null; role: OfficeRole | null },
  ): Promise<void> => {
    const u = req.office?.user;
    await store.office.audit({
      at: now().toISOString(),
      userId: who ? who.userId : (u?.id ?? null),
      username: who ? who.username : (u?.username ?? null),
      role: who ? who.role : (u?.role ?? null),
      action,
      outcome,
      target,
      remote: req.ip,
      details,
    });
  };

  // ---- session, CSRF and origin checks, before every route but the login page itself
  app.addHook('preHandler', async (req) => {
    const isLogin = req.routeOptions.url === '/office/login';
    if (req.method === 'POST') {
      // A browser says where a request comes from; a cross-site form is refused before anything.
      const site = req.headers['sec-fetch-site'];
      if (site !== undefined && site !== 'same-origin' && site !== 'none')
        throw new OfficeError('CSRF_FAILED', { reason: 'cross_site' });
      const origin = req.headers.origin;
      if (origin !== undefined && origin !== 'null') {
        let host: string | undefined;
        try {
          host = new URL(origin).host;
        } catch {
          host = undefined;
        }
        if (host !== req.headers.host) throw new OfficeError('CSRF_FAILED', { reason: 'origin' });
      }
    }
    if (isLogin) return;
    const check = await checkSession(store.office, cookieValue(req.headers.cookie, SESSION_COOKIE), now());
    if (!check.ok) throw new OfficeError(check.reason === 'expired' ? 'SESSION_EXPIRED' : 'UNAUTHENTICATED');
    req.office = { user: check.user, session: check.session };
    if (req.method === 'POST') {
      const body = bodyOf(req);
      const given =
        (typeof body['_csrf'] === 'string' ? body['_csrf'] : undefined) ?? req.headers['x-csrf-token'];
      if (typeof given !== 'string' || !sameToken(given, check.session.csrfToken))
        throw new OfficeError('CSRF_FAILED', { reason: given === undefined ? 'missing' : 'mismatch' });
    }
  });

  app.setErrorHandler(async (error, req, reply) => {
    const code = (error as { code?: string }).code;
    const err =
      error instanceof OfficeError
        ? error
        : code === 'FST_ERR_CTP_BODY_TOO_LARGE' || code?.startsWith('FST_ERR_CTP_') === true
          ? new OfficeError(
              code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'UNSUPPORTED_MEDIA_TYPE' : 'INVALID_INPUT',
              {
                reason: code,
              },
            )
          : undefined;
    if (!err) {
      req.log.error({ err: error }, 'office: internal error');
      const e = new OfficeError('INTERNAL');
      return wantsJson(req)
        ? reply.code(500).send(e.reply())
        : html(reply, ctxOf(req), errorPage(ctxOf(req), e.code, e.message), 500);
    }
    const action = req.routeOptions.config.action ?? 'request';
    try {
      await audit(req, action, err.code, targetOf(req), {
        ...err.details,
        method: req.method,
        url: req.url.slice(0, 200),
      });
    } catch (e) {
      req.log.error({ err: e }, 'office: could not write the audit row of a refusal');
    }
    if (wantsJson(req)) {
      if (err.code === 'LOGIN_THROTTLED')
        reply.header('retry-after', String(err.details['retryAfterS'] ?? 60));
      return reply.code(err.status).send(err.reply());
    }
    if (err.code === 'UNAUTHENTICATED' || err.code === 'SESSION_EXPIRED') {
      return reply.redirect(
        err.code === 'SESSION_EXPIRED' ? '/office/login?expired=1' : '/office/login',
        303,
      );
    }
    const ctx = ctxOf(req);
    return html(reply, ctx, errorPage(ctx, err.code, err.message), err.status);
  });

  const targetOf = (req: FastifyRequest): string | null => {
    const q = req.query as Record<string, unknown> | undefined;
    const p = req.params as Record<string, unknown> | undefined;
    let b: Record<string, unknown> = {};
    try {
      b = bodyOf(req);
    } catch {
      b = {};
    }
    const t = p?.['voucherNo'] ?? p?.['id'] ?? b['institutionNo'] ?? b['username'] ?? q?.['no'];
    return typeof t === 'string' || typeof t === 'number' ? String(t).slice(0, 64) : null;
  };

  const requireRole = (req: FastifyRequest, ...roles: OfficeRole[]): Who => {
    const who = req.office!;
    if (!roles.includes(who.user.role)) {
      throw new OfficeError(who.user.role === 'supervisor' ? 'READ_ONLY_ROLE' : 'FORBIDDEN_ROLE', {
        role: who.user.role,
        allowed: roles,
      });
    }
    return who;
  };

  const stationView = async (no: string): Promise<StationView | undefined> => {
    const s = await store.stations.getStation(no);
    if (!s) return undefined;
    return { institutionNo: s.institutionNo, name: s.name, holder: s.holder };
  };

  const voucherJson = (v: VoucherRecord) => ({
    voucherNo: v.voucherNo,
    institutionNo: v.institutionNo,
    amount: formatFen(v.amountFen),
    depositor: v.depositor,
    branch: v.branchId,
    clerk: v.clerk,
    issuedAt: v.issuedAt,
    reprints: v.reprints,
    confirmedAt: v.confirmedAt,
  });

  // ---------------------------------------------------------------- login / logout

  app.get<{ Querystring: { expired?: string } }>('/login', async (req, reply) => {
    const token = randomToken();
    reply.header('set-cookie', cookie(PRELOGIN_COOKIE, token, { secure, maxAgeS: 3600 }));
    if (wantsJson(req)) return reply.send({ ok: true, data: { csrf: token } });
    const ctx: PageContext = { nonce: nonce() };
    return html(
      reply,
      ctx,
      loginPage(ctx, token, undefined, req.query.expired ? zhCN.errors.SESSION_EXPIRED : undefined),
    );
  });

  app.post('/login', { config: { action: 'login' } }, async (req, reply) => {
    const body = bodyOf(req);
    const pre = cookieValue(req.headers.cookie, PRELOGIN_COOKIE);
    const given = typeof body['_csrf'] === 'string' ? body['_csrf'] : req.headers['x-csrf-token'];
    if (!pre || typeof given !== 'string' || !sameToken(pre, given))
      throw new OfficeError('CSRF_FAILED', { reason: 'prelogin' });
    const { username, password } = parse(loginSchema, body);
    const t = now();
    const anon = { userId: null, username, role: null };
    const throttle = await throttledFor(store.office, username, req.ip, t);
    if (throttle) {
      await audit(req, 'login', 'LOGIN_THROTTLED', username, { ...throttle }, anon);
      const e = new OfficeError('LOGIN_THROTTLED', { ...throttle });
      if (wantsJson(req))
        return reply.code(e.status).header('retry-after', String(throttle.retryAfterS)).send(e.reply());
      const ctx: PageContext = { nonce: nonce() };
      return html(
        reply.header('retry-after', String(throttle.retryAfterS)),
        ctx,
        loginPage(ctx, pre, e),
        e.status,
      );
    }
    const user = await store.office.userByName(username);
    const ok = await verifyPassword(user, password);
    await store.office.recordLoginAttempt({ at: t.toISOString(), username, remote: req.ip, ok });
    if (!ok || !user) {
      await audit(req, 'login', 'BAD_CREDENTIALS', username, { known: user !== undefined }, anon);
      const e = new OfficeError('BAD_CREDENTIALS');
      if (wantsJson(req)) return reply.code(e.status).send(e.reply());
      const ctx: PageContext = { nonce: nonce() };
      return html(reply, ctx, loginPage(ctx, pre, e), e.status);
    }
    const { cookieValue: sid, session } = await startSession(store.office, user, t, req.ip);
    await audit(
      req,
      'login',
      'ok',
      username,
      {},
      { userId: user.id, username: user.username, role: user.role },
    );
    reply.header('set-cookie', [
      cookie(SESSION_COOKIE, sid, { secure, maxAgeS: Math.floor(SESSION_MAX_MS / 1000) }),
      cookie(PRELOGIN_COOKIE, '', { secure, maxAgeS: 0 }),
    ]);
    if (wantsJson(req))
      return reply.send({
        ok: true,
        data: {
          username: user.username,
          role: user.role,
          branchCode: user.branchCode,
          csrf: session.csrfToken,
          expiresAt: session.expiresAt,
        },
      });
    return reply.redirect('/office', 303);
  });

  app.post('/logout', { config: { action: 'logout' } }, async (req, reply) => {
    const who = req.office!;
    await store.office.endSession(who.session.idHash, now().toISOString());
    await audit(req, 'logout', 'ok', who.user.username);
    reply.header('set-cookie', cookie(SESSION_COOKIE, '', { secure, maxAgeS: 0 }));
    if (wantsJson(req)) return reply.send({ ok: true, data: {} });
    return reply.redirect('/office/login', 303);
  });

  app.get('/me', { config: { action: 'me' } }, async (req) => {
    const { user, session } = req.office!;
    return {
      ok: true,
      data: {
        username: user.username,
        displayName: user.displayName,
        role: user.role,
        branchCode: user.branchCode,
        csrf: session.csrfToken,
        expiresAt: session.expiresAt,
      },
    };
  });

  app.get('/', async (req, reply) => {
    const role = req.office!.user.role;
    return reply.redirect(role === 'clerk' ? '/office/deposit' : '/office/watch', 303);
  });

  app.get('/password', async (req, reply) => {
    const ctx = ctxOf(req);
    return html(reply, ctx, passwordPage(ctx));
  });

  app.post('/password', { config: { action: 'password.change' } }, async (req, reply) => {
    const { user } = req.office!;
    const b = parse(passwordChangeSchema, bodyOf(req));
    if (!(await verifyPassword(user, b.oldPassword))) throw new OfficeError('WRONG_PASSWORD');
    if (b.newPassword !== b.confirmPassword)
      throw new OfficeError('INVALID_INPUT', { field: 'confirmPassword', reason: T.passwordMismatch });
    if (b.newPassword.length < MIN_PASSWORD_CHARS || b.newPassword.toLowerCase() === user.username)
      throw new OfficeError('WEAK_PASSWORD', { minChars: MIN_PASSWORD_CHARS });
    await store.office.setPassword(user.id, await hashPassword(b.newPassword), now().toISOString());
    await audit(req, 'password.change', 'ok', user.username);
    reply.header('set-cookie', cookie(SESSION_COOKIE, '', { secure, maxAgeS: 0 }));
    if (wantsJson(req)) return reply.send({ ok: true, data: {} });
    const ctx: PageContext = { nonce: nonce() };
    const token = randomToken();
    reply.header('set-cookie', [
      cookie(SESSION_COOKIE, '', { secure, maxAgeS: 0 }),
      cookie(PRELOGIN_COOKIE, token, { secure, maxAgeS: 3600 }),
    ]);
    return html(reply, ctx, loginPage(ctx, token, undefined, T.passwordChanged));
  });

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

  // ---------------------------------------------------------------- users (admin)

  const usersJson = (u: OfficeUser) => ({
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    branchCode: u.branchCode,
    createdAt: u.createdAt,
    disabledAt: u.disabledAt,
  });

  app.get('/users', { config: { action: 'users.view' } }, async (req, reply) => {
    requireRole(req, 'admin');
    const users = await store.office.listUsers();
    await audit(req, 'users.view', 'ok', null);
    if (wantsJson(req)) return { ok: true, data: users.map(usersJson) };
    const ctx = ctxOf(req);
    return html(reply, ctx, usersPage(ctx, users, {}));
  });

  app.post('/users', { config: { action: 'user.create' } }, async (req, reply) => {
    const who = requireRole(req, 'admin');
    const b = parse(userSchema, bodyOf(req));
    let branchCode: string | null = null;
    if (b.role === 'clerk') branchCode = parse(branchSchema, b.branchCode ?? '');
    else if (b.branchCode)
      throw new OfficeError('INVALID_INPUT', { field: 'branchCode', reason: 'clerks_only' });
    const password = randomPassword();
    let user: OfficeUser;
    try {
      user = await store.office.createUser({
        username: b.username,
        displayName: b.displayName,
        role: b.role,
        branchCode,
        passwordHash: await hashPassword(password),
        createdAt: now().toISOString(),
        createdBy: who.user.username,
      });
    } catch (e) {
      if (e instanceof UsernameTakenError) throw new OfficeError('USERNAME_TAKEN', { username: b.username });
      throw e;
    }
    await audit(req, 'user.create', 'ok', user.username, { role: user.role, branchCode: user.branchCode });
    if (wantsJson(req)) return reply.code(201).send({ ok: true, data: { user: usersJson(user), password } });
    const ctx = ctxOf(req);
    return html(
      reply,
      ctx,
      usersPage(ctx, await store.office.listUsers(), { created: { username: user.username, password } }),
      201,
    );
  });

  const userParam = z.object({ id: z.coerce.number().int().positive() });

  app.post<{ Params: { id: string } }>(
    '/users/:id/disable',
    { config: { action: 'user.disable' } },
    async (req, reply) => {
      const who = requireRole(req, 'admin');
      const { id } = parse(userParam, req.params);
      const target = await store.office.userById(id);
      if (!target) throw new OfficeError('USER_NOT_FOUND', { id });
      if (target.id === who.user.id) throw new OfficeError('CANNOT_DISABLE_SELF');
      await store.office.disableUser(id, now().toISOString());
      await audit(req, 'user.disable', 'ok', target.username);
      if (wantsJson(req)) return { ok: true, data: {} };
      return reply.redirect('/office/users', 303);
    },
  );

  app.post<{ Params: { id: string } }>(
    '/users/:id/reset-password',
    { config: { action: 'user.reset_password' } },
    async (req, reply) => {
      requireRole(req, 'admin');
      const { id } = parse(userParam, req.params);
      const target = await store.office.userById(id);
      if (!target || target.disabledAt !== null) throw new OfficeError('USER_NOT_FOUND', { id });
      const password = randomPassword();
      await store.office.setPassword(id, await hashPassword(password), now().toISOString());
      await audit(req, 'user.reset_password', 'ok', target.username);
      if (wantsJson(req)) return { ok: true, data: { username: target.username, password } };
      const ctx = ctxOf(req);
      return html(
        reply,
        ctx,
        usersPage(ctx, await store.office.listUsers(), { created: { username: target.username, password } }),
      );
    },
  );

  // ---------------------------------------------------------------- audit (admin, supervisor)

  app.get('/audit', { config: { action: 'audit.view' } }, async (req, reply) => {
    requireRole(req, 'admin', 'supervisor');
    const q = parse(auditQuerySchema, req.query);
    const rows = await store.office.auditLog({
      limit: AUDIT_PAGE_ROWS,
      action: q.action || undefined,
      username: q.user || undefined,
      beforeId: q.before,
    });
    await audit(req, 'audit.view', 'ok', null, { action: q.action ?? null, user: q.user ?? null });
    if (wantsJson(req)) return { ok: true, data: rows };
    const ctx = ctxOf(req);
    return html(reply, ctx, auditPage(ctx, rows, { action: q.action, username: q.user }));
  });

  provisioningRoutes(app, opts, { wantsJson, ctxOf, html, bodyOf, parse, audit, requireRole });
}

/** The first start of an office with no users: an admin with a random password, printed once. */
export async function ensureFirstAdmin(
  store: PlatformStore,
  now: Date,
): Promise<{ username: string; password: string } | undefined> {
  if ((await store.office.countUsers()) > 0) return undefined;
  return createAdmin(store, 'admin', now);
}

/** `--create-admin NAME`: another admin (e.g. when the first one's password is lost). */
export async function createAdmin(
  store: PlatformStore,
  username: string,
  now: Date,
): Promise<{ username: string; password: string }> {
  const name = z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9_.-]{2,31}$/)
    .parse(username);
  const password = randomPassword();
  await store.office.createUser({
    username: name,
    displayName: '管理员',
    role: 'admin',
    branchCode: null,
    passwordHash: await hashPassword(password),
    createdAt: now.toISOString(),
    createdBy: null,
  });
  return { username: name, password };
}

export type { OfficeErrorCode };
