// The standing and monitor-upload channels of the API contract (MON-2, MON-3). Assembled into
// `channels` in ./index.ts; like every domain file here, it never imports ./index.ts.
import { z } from 'zod';
import { day, noArgs } from '../schemas';
import type { MonthTotal, Standing } from '../exit-rule';
import type { FaultKind } from '../monitor-protocol';

// ---- building blocks ------------------------------------------------------------------------

/** A monitor address: longer than this is a typing accident, not a URL anyone was given. */
export const MAX_MONITOR_URL_CHARS = 200;

function isHttpUrl(s: string): boolean {
  if (!/^https?:\/\//i.test(s)) return false;
  try {
    const u = new URL(s);
    return (
      (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '' && !u.username && !u.password
    );
  } catch {
    return false;
  }
}

/** '' (not configured) or an http(s) address, e.g. https://monitor.example.cn/ */
export const monitorUrl = z
  .string()
  .trim()
  .max(MAX_MONITOR_URL_CHARS, `监测平台地址最长 ${MAX_MONITOR_URL_CHARS} 个字符`)
  .refine(
    (s) => s === '' || isHttpUrl(s),
    '监测平台地址应为 http:// 或 https:// 开头的网址，例如 https://monitor.example.cn',
  );

// ---- DTOs -------------------------------------------------------------------------------------

/** The station's own MON-2 standing, computed here with shared/exit-rule.ts from its own counts. */
export interface StandingDto {
  asOf: string;
  /** The day MON-2 judges from: the setting if there is one, else the station's first day. */
  openingDate: string;
  openingSource: 'setting' | 'station';
  standing: Standing;
  /** The last 12 months (fewer since opening), oldest first. */
  months: MonthTotal[];
  /** Counted today so far. */
  todayCount: number;
}

export interface FaultDto {
  day: string;
  kind: FaultKind;
  at: string;
  lastAt: string;
  occurrences: number;
  detail: string;
}

export type UploadResultDto = 'applied' | 'replay' | 'stale' | 'refused' | 'unreachable';

/**
 * not_configured  no monitor address yet: nothing is sent, the outbox keeps everything
 * key_error       the station key cannot be read (see keyError)
 * uploading       an upload is on its way
 * retry_wait      the monitor could not be reached; next try at nextAttemptAt (backoff)
 * refused         the monitor answered with a refusal (e.g. not registered); next try at nextAttemptAt
 * pending         days are waiting for the next periodic upload
 * up_to_date      the monitor has every day as it is now
 */
export type MonitorUploadState =
  'not_configured' | 'key_error' | 'uploading' | 'retry_wait' | 'refused' | 'pending' | 'up_to_date';

export interface MonitorStatusDto {
  url: string;
  configured: boolean;
  state: MonitorUploadState;
  institutionNo: string;
  stationName: string;
  /** The opening date to give the office with the key (it judges from it). */
  openingDate: string;
  /** What the office registers: SPKI PEM, or the same key as 32 raw bytes in base64. */
  publicKeyPem: string | null;
  publicKeyBase64: string | null;
  /** 16 hex digits, as the monitor shows it. */
  fingerprint: string | null;
  keyError: string | null;
  /** The last sequence number used (never reused, survives restarts). */
  seq: number;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  lastResult: UploadResultDto | null;
  lastError: { code: string; message: string } | null;
  /** Days in the last upload that reached the monitor. */
  lastDays: number | null;
  pendingDays: number;
  oldestPendingDay: string | null;
  nextAttemptAt: string | null;
  /** Failed attempts in a row (the backoff grows with them). */
  failures: number;
  /** Latest faults (MON-3), newest first. */
  faults: FaultDto[];
}

export const FAULTS_SHOWN = 10;

// ---- channels ---------------------------------------------------------------------------------

export const monitorChannels = {
  /** This month's count against 20, low months in a row, days left, warning level, last 12 months. */
  'standing.get': { input: noArgs, output: {} as StandingDto },
  'monitor.status': { input: noArgs, output: {} as MonitorStatusDto },
  /** '' turns uploading off (the outbox keeps everything). A new address re-sends every day. */
  'monitor.setUrl': { input: z.object({ url: monitorUrl }), output: {} as MonitorStatusDto },
  /** The opening date MON-2 judges from (as registered with the office); null: the station's first day. */
  'monitor.setOpeningDate': { input: z.object({ openingDate: day.nullable() }), output: {} as StandingDto },
  /** Upload now, whatever the backoff says. Refusals: MONITOR_NOT_CONFIGURED, MONITOR_UNREACHABLE,
   *  MONITOR_REFUSED, MONITOR_KEY_UNAVAILABLE. */
  'monitor.uploadNow': { input: noArgs, output: {} as MonitorStatusDto },
} as const;
