// Who is at the counter (issue 12, PPL-3). The operators are the platform's: the holder, and
// authorised people while their authorisation is valid (the signed profile). Each logs in with a
// PIN set at the first login — argon2id-hashed, never stored or logged in clear; 5 wrong PINs
// lock that operator for 5 minutes. A login is a session of the client (an Electron window, a
// browser tab) that sends its token with every call; the backend as a whole has no "current
// operator" for the transports. `gate()` runs before every call that comes through a transport.
import argon2 from 'argon2';
import crypto from 'node:crypto';
import { listOperators } from '../../db/station';
import { pinFailed, pinOf, pinSucceeded, setPin } from '../../db/operator-pins';
import { getSetting, setSetting } from '../../db/settings';
import {
  IDLE_LOCK_MAX_MINUTES,
  IDLE_LOCK_MIN_MINUTES,
  type AuthOperatorDto,
  type Channel,
} from '../../shared/contract';
import { YizhanError } from '../../shared/errors';
import { operatorAdmitted, operatorMay, PERMISSION_ZH, type Permission } from '../../shared/station-profile';
import { today, type Ctx, type Session } from '../context';

export type { Session };
import type { Handlers } from '../handler';
import { profileOperator } from './grants';

export const MAX_PIN_FAILURES = 5;
export const PIN_LOCK_MS = 5 * 60_000;
/** A session not used for this long is over (the counter's own idle lock is shorter). */
export const SESSION_IDLE_MS = 8 * 3600_000;
/** The counter locks after this many minutes without a key or click (the renderer enforces it),
 *  unless the station's setting (auth.setIdleLock) says otherwise. */
export const IDLE_LOCK_MINUTES = 10;
/** The settings key of the idle lock: whole minutes, within the contract's range. */
export const IDLE_LOCK_SETTING = 'auth.idleLockMinutes';
const ARGON2 = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Channels a client may call before anyone logs in. */
const PUBLIC: ReadonlySet<string> = new Set([
  'station.get',
  'auth.status',
  'auth.login',
  'auth.logout',
  // The first-run screen asks before anyone can log in; once set up, the choices only refuse.
  'setup.status',
  'setup.demo',
  'setup.activate',
]);
/** Settings only the contract holder may change, whatever an authorisation's scope. */
const HOLDER_ONLY: ReadonlySet<string> = new Set(['platform.setUrl']);
/** Channels a session in training mode still runs at the real station: its login, and training's
 *  own switch (PPL-2). Every other channel of that session goes to the training ledger. */
const REAL_IN_TRAINING: ReadonlySet<string> = new Set([
  'auth.status',
  'auth.login',
  'auth.logout',
  'training.enter',
  'training.leave',
]);
/** The station's real settings: not changed from training mode (TRAINING_NOT_ALLOWED). */
const NOT_IN_TRAINING: ReadonlySet<string> = new Set([
  'printer.set',
  'monitor.setUrl',
  'monitor.setOpeningDate',
  'platform.setUrl',
]);
/** What a session may still do once its operator handed the shift over. */
const HANDED_OVER: ReadonlySet<string> = new Set(['shift.reprint']);
/** Channels only the process itself calls (tests, scripts): never through a transport. */
const INTERNAL: ReadonlySet<string> = new Set(['session.setOperator']);

/** What an authorised person's scope must include for each channel (PPL-3); the holder may do
 *  everything. Channels not listed need only a login (reading, printing a receipt again). */
export const CHANNEL_PERMISSION: Partial<Record<Channel, Permission>> = {
  'bill.inquire': 'pay',
  'bill.confirmPayee': 'pay',
  'bill.pay': 'pay',
  'topup.voucher': 'topup',
  'topup.greenCard': 'topup',
  'txn.reverse': 'reverse',
  'day.count': 'close',
  'day.close': 'close',
  'day.printZ': 'close',
  'takings.settle': 'takings',
  'printer.set': 'settings',
  'monitor.setUrl': 'settings',
  'monitor.setOpeningDate': 'settings',
  'auth.setIdleLock': 'settings',
};

/** The idle lock in force: the station's setting, or the default when none (or a bad one) is stored. */
export function idleLockMinutes(ctx: Pick<Ctx, 'db'>): number {
  const v = Number(getSetting(ctx.db, IDLE_LOCK_SETTING));
  return Number.isInteger(v) && v >= IDLE_LOCK_MIN_MINUTES && v <= IDLE_LOCK_MAX_MINUTES
    ? v
    : IDLE_LOCK_MINUTES;
}

function sessions(ctx: Ctx): Map<string, Session> {
  return ctx.sessions;
}

function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/** The operators the profile admits today, as the station's rows name them. */
function admitted(ctx: Ctx): Array<{ id: string; name: string; role: 'holder' | 'delegate' }> {
  const { day } = today(ctx);
  return listOperators(ctx.db).filter((o) => {
    const p = profileOperator(ctx, o.id);
    return p !== undefined && operatorAdmitted(p, day);
  });
}

/** Before a call from a transport: the client's session, and the permission the channel needs.
 *  Returns the context the handler runs with (the session's operator at the counter). */
export function gate(ctx: Ctx, channel: string, token: string | undefined): Ctx {
  if (INTERNAL.has(channel)) throw new YizhanError('NOT_PERMITTED', { channel, reason: 'internal' });
  const key = token ? hashToken(token) : undefined;
  const s = key ? sessions(ctx).get(key) : undefined;
  const nowMs = ctx.now().getTime();
  if (s && nowMs - s.lastSeenMs > SESSION_IDLE_MS) sessions(ctx).delete(key!);
  const live = s && nowMs - s.lastSeenMs <= SESSION_IDLE_MS ? s : undefined;
  // A session whose shift was handed over (shift.end) is nobody at the counter: it may reprint
  // that shift's X report (services/shifts.ts checks which) and log out, nothing else.
  const handedOver = live?.handedOverShiftId !== undefined;
  if (PUBLIC.has(channel)) {
    if (live?.training && !handedOver && !REAL_IN_TRAINING.has(channel)) return trainingCtx(ctx, live, key!);
    return {
      ...ctx,
      sessionKey: live ? key : undefined,
      operatorId: live && !handedOver ? live.operatorId : ctx.operatorId,
    };
  }
  if (!live) throw new YizhanError('NOT_LOGGED_IN', { channel });
  if (handedOver && !HANDED_OVER.has(channel))
    throw new YizhanError('NOT_LOGGED_IN', { channel, reason: 'handed_over' });
  // The authorisation may have ended, or the profile changed, since the login.
  const op = profileOperator(ctx, live.operatorId);
  const { day } = today(ctx);
  if (!op || !operatorAdmitted(op, day)) {
    sessions(ctx).delete(key!);
    throw new YizhanError('NOT_LOGGED_IN', { channel, reason: 'not_admitted' });
  }
  if (HOLDER_ONLY.has(channel) && op.role !== 'holder')
    throw new YizhanError('NOT_PERMITTED', { channel, variant: 'holderOnly' });
  const needed = CHANNEL_PERMISSION[channel as Channel];
  if (needed && !operatorMay(op, needed, day))
    throw new YizhanError('NOT_PERMITTED', {
      channel,
      permission: needed,
      permissionZh: PERMISSION_ZH[needed],
    });
  live.lastSeenMs = nowMs;
  if (live.training && !REAL_IN_TRAINING.has(channel)) {
    if (NOT_IN_TRAINING.has(channel)) throw new YizhanError('TRAINING_NOT_ALLOWED', { channel });
    return trainingCtx(ctx, live, key!);
  }
  return { ...ctx, operatorId: live.operatorId, sessionKey: key };
}

/** A session in training mode: the call runs on the training ledger, as the operator's row there
 *  (PPL-2). The real station's sessions stay the one list (a logout there ends it here too). */
function trainingCtx(ctx: Ctx, live: Session, key: string): Ctx {
  const t = ctx.training?.ctxFor(live.training!.operatorId, key, sessions(ctx));
  if (!t) throw new YizhanError('TRAINING_UNAVAILABLE', { variant: 'none' });
  return t;
}

function operatorDto(
  ctx: Ctx,
  o: { id: string; name: string; role: 'holder' | 'delegate' },
): AuthOperatorDto {
  const pin = pinOf(ctx.db, o.id);
  const locked =
    pin?.locked_until && Date.parse(pin.locked_until) > ctx.now().getTime() ? pin.locked_until : null;
  return { id: o.id, name: o.name, role: o.role, hasPin: pin !== undefined, lockedUntil: locked };
}

export const authHandlers: Handlers<'auth.status' | 'auth.login' | 'auth.logout' | 'auth.setIdleLock'> = {
  'auth.status': (ctx) => {
    const s = ctx.sessionKey ? sessions(ctx).get(ctx.sessionKey) : undefined;
    const current =
      s && s.handedOverShiftId === undefined ? admitted(ctx).find((o) => o.id === s.operatorId) : undefined;
    return {
      operators: admitted(ctx).map((o) => operatorDto(ctx, o)),
      current: current ? { id: current.id, name: current.name, role: current.role } : null,
      training: current !== undefined && s?.training !== undefined,
      idleLockMinutes: idleLockMinutes(ctx),
    };
  },
  'auth.login': async (ctx, a) => {
    const op = admitted(ctx).find((o) => o.id === a.operatorId);
    // An authorisation that has ended cannot log in (PPL-3); nor a name the profile lacks.
    if (!op) throw new YizhanError('NOT_ADMITTED', { operatorId: a.operatorId });
    const nowMs = ctx.now().getTime();
    const pin = pinOf(ctx.db, op.id);
    if (pin?.locked_until && Date.parse(pin.locked_until) > nowMs)
      throw new YizhanError('OPERATOR_LOCKED', { operatorId: op.id, until: pin.locked_until });
    if (!pin) {
      // The first login sets the PIN (typed twice in the UI).
      if (!a.newPin) throw new YizhanError('PIN_NOT_SET', { operatorId: op.id });
      if (a.newPin !== a.pin) throw new YizhanError('PIN_MISMATCH', { operatorId: op.id });
      setPin(ctx.db, op.id, await argon2.hash(a.newPin, ARGON2), ctx.now().toISOString());
    } else {
      let good = false;
      try {
        good = await argon2.verify(pin.pin_hash, a.pin);
      } catch {
        good = false;
      }
      if (!good) {
        const after = pinFailed(ctx.db, op.id, MAX_PIN_FAILURES, new Date(nowMs + PIN_LOCK_MS).toISOString());
        if (after.failures >= MAX_PIN_FAILURES)
          throw new YizhanError('OPERATOR_LOCKED', { operatorId: op.id, until: after.locked_until });
        throw new YizhanError('WRONG_PIN', { operatorId: op.id, left: MAX_PIN_FAILURES - after.failures });
      }
      pinSucceeded(ctx.db, op.id);
      if (a.newPin) setPin(ctx.db, op.id, await argon2.hash(a.newPin, ARGON2), ctx.now().toISOString());
    }
    if (ctx.sessionKey) sessions(ctx).delete(ctx.sessionKey);
    const token = crypto.randomBytes(32).toString('base64url');
    sessions(ctx).set(hashToken(token), { operatorId: op.id, lastSeenMs: nowMs });
    return { session: token, operator: { id: op.id, name: op.name, role: op.role } };
  },
  'auth.logout': (ctx) => {
    if (ctx.sessionKey) sessions(ctx).delete(ctx.sessionKey);
    return {};
  },
  // The range is the contract's (zod, INVALID_INPUT); who may change it, CHANNEL_PERMISSION's.
  'auth.setIdleLock': (ctx, a) => {
    setSetting(ctx.db, IDLE_LOCK_SETTING, String(a.minutes));
    return { idleLockMinutes: idleLockMinutes(ctx) };
  },
};
