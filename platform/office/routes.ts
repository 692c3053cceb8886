// The branch console (网点业务台) under /office: logins, passwords, users and the audit log
// here; the branch's money (deposits, vouchers, the day list, Green Cards) in branch-routes.ts;
// provisioning and supervision in ../provisioning/office-routes.ts; the plumbing they share
// (sessions, CSRF, audit, coded refusals) in kit.ts. Every route answers HTML to a browser and
// JSON to a client that asks for it (`Accept: application/json`); every POST needs the
// session's CSRF token (form field `_csrf` or header `x-csrf-token`); every action, allowed or
// refused, leaves an audit row.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type PlatformStore } from '../store/types';
import {
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
import { OfficeError, type OfficeErrorCode } from './errors';
import { zhCN } from './messages';
import { branchRoutes } from './branch-routes';
import { branchSchema, officeKit, personName, type OfficeOptions } from './kit';
import type { PageContext } from './frame';
import { auditPage, loginPage, passwordPage, usersPage } from './pages';
import { UsernameTakenError, type OfficeUser } from './types';

/** The most rows the audit page shows at once. */
const AUDIT_PAGE_ROWS = 200;

const loginSchema = z.object({
  username: z.string().trim().toLowerCase().min(1).max(64),
  password: z.string().min(1).max(MAX_PASSWORD_CHARS),
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
const auditQuerySchema = z.object({
  action: z.string().trim().max(64).optional(),
  user: z.string().trim().max(64).optional(),
  before: z.coerce.number().int().positive().optional(),
});

export function registerOffice(app: FastifyInstance, opts: OfficeOptions): void {
  void app.register(async (office) => officeRoutes(office, opts), { prefix: '/office' });
}

async function officeRoutes(app: FastifyInstance, opts: OfficeOptions): Promise<void> {
  const { store, now } = opts;
  const T = zhCN.ui;
  const kit = officeKit(app, opts);
  const { wantsJson, nonce, ctxOf, html, bodyOf, parse, audit, requireRole, secure } = kit;

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

  branchRoutes(app, opts, kit);
  provisioningRoutes(app, opts, kit);
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
export type { OfficeKit, OfficeOptions } from './kit';
