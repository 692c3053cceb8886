// The monitor's dashboard pages (MON-1, MON-2, MON-3): the page itself, the token-for-cookie
// login, logout and the ECharts script it draws with. The API routes are in server.ts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import {
  clearSessionCookie,
  roleOfToken,
  sessionCookie,
  type DashboardSessions,
  type Role,
  type Tokens,
} from './auth';
import { ECHARTS_PATH, renderDashboard, renderLogin, type DashboardData } from './dashboard';

export interface DashboardDeps {
  tokens: Tokens;
  sessions: DashboardSessions;
  /** The caller's role by bearer token or session cookie. */
  roleOf: (req: FastifyRequest) => Role | undefined;
  /** Notes a refusal for the office (server.ts's refusal log). */
  logRefusal: (
    req: FastifyRequest,
    code: string,
    status: number,
    details: Record<string, unknown>,
  ) => Promise<void>;
  /** What the dashboard shows today (the admin's view also lists refusals). */
  dashboard: (isAdmin: boolean) => Promise<DashboardData>;
}

export function registerDashboard(app: FastifyInstance, deps: DashboardDeps): void {
  const pageHeaders = (reply: FastifyReply, nonce: string): FastifyReply =>
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .header('x-content-type-options', 'nosniff')
      .header(
        'content-security-policy',
        `default-src 'none'; script-src 'self' 'nonce-${nonce}'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
      );

  app.get<{ Querystring: { token?: string } }>('/', async (req, reply) => {
    const nonce = crypto.randomBytes(16).toString('base64');
    if (req.query.token !== undefined) {
      // Token in the URL once: trade it for a cookie and drop it from the address bar.
      const role = roleOfToken(req.query.token, deps.tokens);
      if (!role) {
        await deps.logRefusal(req, 'UNAUTHORIZED', 401, { page: 'dashboard' });
        return pageHeaders(reply.code(401), nonce).send(renderLogin(nonce, true));
      }
      return reply
        .header('set-cookie', sessionCookie(deps.sessions.start(role)))
        .header('referrer-policy', 'no-referrer')
        .redirect('/', 303);
    }
    const role = deps.roleOf(req);
    if (!role) return pageHeaders(reply.code(401), nonce).send(renderLogin(nonce, false));
    const data = await deps.dashboard(role === 'admin');
    return pageHeaders(reply, nonce).send(renderDashboard(data, nonce));
  });

  app.get('/logout', async (req, reply) => {
    deps.sessions.end(req.headers.cookie);
    return reply.header('set-cookie', clearSessionCookie).redirect('/', 303);
  });

  let echartsJs: Buffer | undefined;
  app.get(ECHARTS_PATH, async (_req, reply) => {
    echartsJs ??= fs.readFileSync(createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js'));
    return reply
      .header('content-type', 'application/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=86400')
      .send(echartsJs);
  });
}
