// Office logins: argon2id password hashes, random server-side sessions (the cookie holds 32
// random bytes; the database holds only their sha256), a per-session CSRF token, and login
// throttling per username and per source address counted from the append-only attempts table.
import argon2 from 'argon2';
import crypto from 'node:crypto';
import type { OfficeSession, OfficeStore, OfficeUser } from './types';

/** OWASP's argon2id minimum (19 MiB, 2 passes, 1 lane): ~30 ms here, so a login costs little
 *  CPU on a busy 2-core office server while an offline guess still costs 19 MiB each. */
const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
/** Longer inputs are refused before hashing: hashing megabytes is a cheap denial of service. */
export const MAX_PASSWORD_CHARS = 200;
export const MIN_PASSWORD_CHARS = 10;

/** A session ends after this long without a request (a clerk who walks away)... */
export const SESSION_IDLE_MS = 30 * 60 * 1000;
/** ...and in any case after a working day. */
export const SESSION_MAX_MS = 12 * 60 * 60 * 1000;
/** lastSeenAt is written at most this often per session (not on every page). */
const TOUCH_EVERY_MS = 60 * 1000;

/** Failed logins within this window count toward a throttle. */
export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
/** A username is locked after this many failures in the window (a success resets it)... */
export const MAX_FAILURES_PER_USER = 5;
/** ...and an address after this many, whatever names it tries (no reset: an attacker could
 *  log into an account of their own between guesses). */
export const MAX_FAILURES_PER_ADDRESS = 20;

export const SESSION_COOKIE = 'yizhan_office_session';
/** Before login: a double-submit token so a cross-site page cannot log a clerk into its account. */
export const PRELOGIN_COOKIE = 'yizhan_office_prelogin';

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

/** A hash of a random password: unknown usernames are checked against it so that the answer
 *  takes as long as for a real user. */
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(user: OfficeUser | undefined, password: string): Promise<boolean> {
  if (!user || user.disabledAt !== null) {
    dummyHash ??= hashPassword(crypto.randomBytes(16).toString('hex'));
    await argon2.verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await argon2.verify(user.passwordHash, password);
  } catch {
    return false;
  }
}

export function randomPassword(): string {
  // 15 random bytes → 20 characters of base64url; no characters a clerk would misread as others.
  return crypto.randomBytes(15).toString('base64url');
}

export function randomToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

export function sessionIdHash(cookieValue: string): string {
  return crypto.createHash('sha256').update(cookieValue).digest('hex');
}

export function sameToken(a: string, b: string): boolean {
  const da = crypto.createHash('sha256').update(a).digest();
  const db = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(da, db);
}

export async function startSession(
  store: OfficeStore,
  user: OfficeUser,
  now: Date,
  remote: string,
): Promise<{ cookieValue: string; session: OfficeSession }> {
  const cookieValue = randomToken();
  const session: OfficeSession = {
    idHash: sessionIdHash(cookieValue),
    userId: user.id,
    csrfToken: randomToken(),
    createdAt: now.toISOString(),
    lastSeenAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + SESSION_MAX_MS).toISOString(),
    endedAt: null,
    remote,
  };
  await store.createSession(session);
  return { cookieValue, session };
}

export type SessionCheck =
  { ok: true; session: OfficeSession; user: OfficeUser } | { ok: false; reason: 'none' | 'expired' };

/** The session behind a cookie value, if it is live; an idle or over-age one is ended. */
export async function checkSession(
  store: OfficeStore,
  cookieValue: string | undefined,
  now: Date,
): Promise<SessionCheck> {
  if (!cookieValue || cookieValue.length > 100) return { ok: false, reason: 'none' };
  const idHash = sessionIdHash(cookieValue);
  const session = await store.sessionByHash(idHash);
  if (!session) return { ok: false, reason: 'none' };
  if (session.endedAt !== null) return { ok: false, reason: 'expired' };
  const t = now.getTime();
  if (t >= Date.parse(session.expiresAt) || t - Date.parse(session.lastSeenAt) >= SESSION_IDLE_MS) {
    await store.endSession(idHash, now.toISOString());
    return { ok: false, reason: 'expired' };
  }
  const user = await store.userById(session.userId);
  if (!user || user.disabledAt !== null) return { ok: false, reason: 'expired' };
  if (t - Date.parse(session.lastSeenAt) >= TOUCH_EVERY_MS)
    await store.touchSession(idHash, now.toISOString());
  return { ok: true, session, user };
}

/** undefined when a login may be tried; else seconds until it may. */
export async function throttledFor(
  store: OfficeStore,
  username: string,
  remote: string,
  now: Date,
): Promise<{ retryAfterS: number; by: 'user' | 'address' } | undefined> {
  const since = new Date(now.getTime() - THROTTLE_WINDOW_MS).toISOString();
  const wait = (oldestAt: string | null): number =>
    Math.max(
      1,
      Math.ceil((Date.parse(oldestAt ?? now.toISOString()) + THROTTLE_WINDOW_MS - now.getTime()) / 1000),
    );
  const byUser = await store.loginFailuresForUser(username, since);
  if (byUser.count >= MAX_FAILURES_PER_USER) return { retryAfterS: wait(byUser.oldestAt), by: 'user' };
  const byAddress = await store.loginFailuresFromAddress(remote, since);
  if (byAddress.count >= MAX_FAILURES_PER_ADDRESS)
    return { retryAfterS: wait(byAddress.oldestAt), by: 'address' };
  return undefined;
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function cookie(name: string, value: string, opts: { secure: boolean; maxAgeS?: number }): string {
  const parts = [`${name}=${value}`, 'Path=/office', 'HttpOnly', 'SameSite=Strict'];
  if (opts.maxAgeS !== undefined) parts.push(`Max-Age=${opts.maxAgeS}`);
  if (opts.secure) parts.push('Secure');
  return parts.join('; ');
}
