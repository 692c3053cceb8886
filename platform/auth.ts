// Who may do what. Two bearer tokens: admin (register stations, everything) and an optional
// read token (standing and dashboard only). The dashboard accepts `?token=` once, then keeps a
// session cookie holding a hash of the token (so the cookie never reveals the token itself).
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

export function sessionValueOf(token: string): string {
  return crypto.createHash('sha256').update(`yizhan-monitor-session:${token}`).digest('base64url');
}

export function roleOfSession(cookieHeader: string | undefined, tokens: Tokens): Role | undefined {
  const value = cookieValue(cookieHeader, SESSION_COOKIE);
  if (!value) return undefined;
  if (same(value, sessionValueOf(tokens.admin))) return 'admin';
  if (tokens.read && same(value, sessionValueOf(tokens.read))) return 'read';
  return undefined;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function sessionCookie(token: string): string {
  return `${SESSION_COOKIE}=${sessionValueOf(token)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_MAX_AGE_S}`;
}

export const clearSessionCookie = `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
