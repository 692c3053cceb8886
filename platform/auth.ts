// Who may do what. Two bearer tokens: admin (register stations, everything) and an optional
// read token (standing and dashboard only). The dashboard accepts `?token=` once, then keeps a
// random server-side session (the cookie holds only its random id; the server keeps the id's
// sha256, the role and the expiry): it expires when idle or old, and ends at logout.
import crypto from 'node:crypto';

export type Role = 'admin' | 'read';

export interface Tokens {
  admin: string;
  read?: string | undefined;
}

export const SESSION_COOKIE = 'yizhan_monitor_session';
/** A working day at the counter office; then the token is asked for again. */
export const SESSION_MAX_AGE_S = 12 * 60 * 60;
/** Tokens shorter than this are refused at start: they could be guessed. */
export const MIN_TOKEN_CHARS = 16;

export function randomToken(): string {
  return crypto.randomBytes(24).toString('base64url');
}

function digest(s: string): Buffer {
  return crypto.createHash('sha256').update(s).digest();
}

function same(a: string, b: string): boolean {
  return crypto.timingSafeEqual(digest(a), digest(b));
}

export function roleOfToken(token: string | undefined, tokens: Tokens): Role | undefined {
  if (!token) return undefined;
  if (same(token, tokens.admin)) return 'admin';
  if (tokens.read && same(token, tokens.read)) return 'read';
  return undefined;
}

export function bearerOf(authorization: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  return m?.[1];
}

/** A dashboard session ends after this long without a request. */
export const SESSION_IDLE_MS = 30 * 60 * 1000;
/** The most dashboard sessions kept; the oldest goes first. */
const MAX_SESSIONS = 10_000;

interface Session {
  role: Role;
  createdAt: number;
  lastSeenAt: number;
}

/** Random server-side sessions for the dashboard (in memory: a restart asks for the token again). */
export class DashboardSessions {
  private readonly byHash = new Map<string, Session>();
  constructor(private readonly now: () => number = () => Date.now()) {}

  /** A new session; returns the cookie value (32 random bytes), which is never stored. */
  start(role: Role): string {
    const id = crypto.randomBytes(32).toString('base64url');
    if (this.byHash.size >= MAX_SESSIONS) {
      const oldest = this.byHash.keys().next().value;
      if (oldest !== undefined) this.byHash.delete(oldest);
    }
    const t = this.now();
    this.byHash.set(digest(id).toString('base64url'), { role, createdAt: t, lastSeenAt: t });
    return id;
  }

  roleOf(cookieHeader: string | undefined): Role | undefined {
    const id = cookieValue(cookieHeader, SESSION_COOKIE);
    if (!id) return undefined;
    const h = digest(id).toString('base64url');
    const s = this.byHash.get(h);
    if (!s) return undefined;
    const t = this.now();
    if (t - s.lastSeenAt > SESSION_IDLE_MS || t - s.createdAt > SESSION_MAX_AGE_S * 1000) {
      this.byHash.delete(h);
      return undefined;
    }
    s.lastSeenAt = t;
    return s.role;
  }

  end(cookieHeader: string | undefined): void {
    const id = cookieValue(cookieHeader, SESSION_COOKIE);
    if (id) this.byHash.delete(digest(id).toString('base64url'));
  }
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function sessionCookie(sessionId: string): string {
  return `${SESSION_COOKIE}=${sessionId}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_MAX_AGE_S}`;
}

export const clearSessionCookie = `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
