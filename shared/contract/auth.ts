// Who is at the counter (issue 12, PPL-3): operators come from the platform's signed profile;
// each logs in with a PIN set at the first login. The session belongs to the client (an Electron
// window, a browser tab), which sends its token with every call; every channel but these and
// station.get needs one. Assembled into `channels` in ./index.ts; it never imports ./index.ts.
import { z } from 'zod';
import { noArgs, text } from '../schemas';

export const PIN_RE = /^[0-9]{4,8}$/;
const pin = z.string().regex(PIN_RE, 'PIN 应为 4～8 位数字');

export interface AuthOperatorDto {
  id: string;
  name: string;
  role: 'holder' | 'delegate';
  /** A PIN is set: the operator logs in with it; otherwise the first login sets one. */
  hasPin: boolean;
  /** Locked after 5 wrong PINs, until this time (ISO), or null. */
  lockedUntil: string | null;
}

export interface AuthStatusDto {
  /** The operators the profile admits today (the holder; authorised people while valid). */
  operators: AuthOperatorDto[];
  /** The operator this client is logged in as, or null. */
  current: { id: string; name: string; role: 'holder' | 'delegate' } | null;
  /** This client's session is in training mode (练习模式, PPL-2). */
  training: boolean;
  /** The counter locks after this many minutes without a key or click (0: never). */
  idleLockMinutes: number;
}

export interface LoginDto {
  /** Sent with every call (header x-yizhan-session; IPC: the third argument). */
  session: string;
  operator: { id: string; name: string; role: 'holder' | 'delegate' };
}

/** The idle lock (issue 12): a station setting the holder may change, in whole minutes. */
export const IDLE_LOCK_MIN_MINUTES = 1;
export const IDLE_LOCK_MAX_MINUTES = 60;
const IDLE_LOCK_RANGE_ZH = `空闲锁屏时间应为 ${IDLE_LOCK_MIN_MINUTES}～${IDLE_LOCK_MAX_MINUTES} 分钟（整数）`;
const idleLockMinutes = z
  .number(IDLE_LOCK_RANGE_ZH)
  .int(IDLE_LOCK_RANGE_ZH)
  .min(IDLE_LOCK_MIN_MINUTES, IDLE_LOCK_RANGE_ZH)
  .max(IDLE_LOCK_MAX_MINUTES, IDLE_LOCK_RANGE_ZH);

export const authChannels = {
  'auth.status': { input: noArgs, output: {} as AuthStatusDto },
  'auth.login': {
    input: z.object({ operatorId: text().min(1).max(64), pin, newPin: pin.optional() }),
    output: {} as LoginDto,
  },
  'auth.logout': { input: noArgs, output: {} as Record<string, never> },
  /** The minutes without a key or click after which the counter locks (a station setting). */
  'auth.setIdleLock': {
    input: z.object({ minutes: idleLockMinutes }),
    output: {} as { idleLockMinutes: number },
  },
} as const;
