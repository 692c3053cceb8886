// The branch console's plumbing, shared by every area of /office (the branch's deposits and
// cards, users and audit, provisioning): form and JSON bodies, the session/CSRF/origin checks
// before every route, the error handler that audits every refusal, HTML replies with their
// security headers, zod parsing to coded refusals, and role checks.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import crypto from 'node:crypto';
import { z } from 'zod';
import { formatFen } from '../../shared/money';
import { type PlatformStore, type VoucherRecord } from '../store/types';
import { checkSession, cookieValue, sameToken, SESSION_COOKIE } from './auth';
import type { ProvisioningService } from '../provisioning/service';
import { OfficeError } from './errors';
import { errorPage, type PageContext } from './frame';
import type { StationView } from './pages';
import { type OfficeRole, type OfficeSession, type OfficeUser } from './types';

export interface OfficeOptions {
  store: PlatformStore;
  now: () => Date;
  /** Mark cookies Secure (behind a TLS proxy). */
  secureCookies?: boolean;
  provisioning: ProvisioningService;
}

/** Form bodies are small; anything bigger is not a form of ours. */
const FORM_BODY_LIMIT_BYTES = 16 * 1024;

export const institutionNoSchema = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z]{4,32}$/);
export const branchSchema = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z-]{1,20}$/);

/** A person's name as typed into the console (a depositor, a user's display name). */
export const personName = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .refine((s) => !/[\p{Cc}\p{Cf}]/u.test(s), 'control characters');

export interface Who {
  user: OfficeUser;
  session: OfficeSession;
}

/** Who acts, when it is not the session's user (a login, before there is a session). */
export interface Actor {
  userId: number | null;
  username: string | null;
  role: OfficeRole | null;
}

/** What every area of the console routes with. */
export interface OfficeKit {
  /** Cookies are marked Secure (behind a TLS proxy). */
  secure: boolean;
  nonce(): string;
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
    who?: Actor,
  ): Promise<void>;
  requireRole(req: FastifyRequest, ...roles: OfficeRole[]): Who;
  /** A station as the console confirms it (name and holder), or undefined. */
  stationView(no: string): Promise<StationView | undefined>;
  voucherJson(v: VoucherRecord): Record<string, unknown>;
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

/** Installs the console's parsers, checks and error handler on `app`; the kit routes use. */
export function officeKit(app: FastifyInstance, opts: OfficeOptions): OfficeKit {
  const { store, now } = opts;
  const secure = opts.secureCookies ?? false;

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
    who?: Actor,
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

  return {
    wantsJson,
    nonce,
    ctxOf,
    html,
    bodyOf,
    parse,
    audit,
    requireRole,
    stationView,
    voucherJson,
    secure,
  };
}
