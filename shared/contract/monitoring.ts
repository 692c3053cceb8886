// The standing and monitor-upload channels of the API contract (MON-2, MON-3). Assembled into
// `channels` in ./index.ts; like every domain file here, it never imports ./index.ts.
import { z } from 'zod';
import { day, noArgs, shortText, text } from '../schemas';
import type { MonthTotal, Standing } from '../exit-rule';
import { FAULT_KINDS, type FaultKind } from '../monitor-protocol';
import type { FaultStatus } from '../platform-protocol';

// ---- building blocks ------------------------------------------------------------------------

/** A monitor address: longer than this is a typing accident, not a URL anyone was given. */
export const MAX_MONITOR_URL_CHARS = 200;

/** An http(s) address with a host and no credentials: the one allow-list every address the
 *  station is given passes (the monitor's, the platform's). */
export function isHttpUrl(s: string): boolean {
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
export const monitorUrl = text()
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

/** A fault an operator reports by hand (MON-3): one line of what is wrong. */
export const MAX_FAULT_REPORT_CHARS = 200;
/** The faults fault.list shows, newest first, each with the platform's handling. */
export const FAULTS_LISTED = 20;

/** How the office is handling a fault, as the station last heard it from the platform. */
export interface FaultHandlingDto {
  /** received (已接收), handled (已处理), escalated (已上报), closed (已关闭). */
  status: FaultStatus;
  /** When the office last moved it, and the note it wrote then (null: received, not yet touched). */
  statusAt: string | null;
  note: string | null;
  /** When the station heard this from the platform. */
  checkedAt: string;
}

export interface StationFaultDto extends FaultDto {
  /** `<at>|<kind>`: the fault's name at the platform. */
  ref: string;
  /** Reported by hand (fault.report): by whom. null: recorded by the station itself. */
  reportedBy: { operatorId: string; name: string } | null;
  /** The platform's handling as last heard; null: the platform has not said it received it (not
   *  uploaded yet, or not known to have arrived). */
  handling: FaultHandlingDto | null;
}

/**
 * How this look at the platform went:
 * ok             the platform answered: the statuses are as of now
 * unreachable    it could not be reached: the statuses are the last known (lastOkAt)
 * refused        it refused the request (problem: its code); the statuses are the last known
 * not_connected  this station has no platform link to ask
 * nothing_to_ask no faults: nothing was asked
 */
export type FaultCheckOutcome = 'ok' | 'unreachable' | 'refused' | 'not_connected' | 'nothing_to_ask';

export interface FaultListDto {
  faults: StationFaultDto[];
  check: { outcome: FaultCheckOutcome; at: string; lastOkAt: string | null; problem: string | null };
  /** A monitor address is set: faults go up with the next upload (otherwise they wait). */
  uploadConfigured: boolean;
}

export interface FaultReportDto {
  fault: StationFaultDto;
  /** queued: it goes up with the next upload (one was started); waiting: no monitor address yet. */
  upload: 'queued' | 'waiting';
}

/** fault.report: a kind and one line saying what is wrong. */
export const faultReportInput = z.object({
  kind: z.enum(FAULT_KINDS, { error: '请选择异常类型' }),
  detail: shortText(MAX_FAULT_REPORT_CHARS, '异常情况说明'),
});

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
  /** MON-3: an operator reports an abnormal situation by hand; it is recorded for today and goes
   *  up with the next upload. Refusals: FAULT_ALREADY_REPORTED, FAULT_REPORT_LIMIT. */
  'fault.report': { input: faultReportInput, output: {} as FaultReportDto },
  /** MON-3: the latest faults with the platform's handling (asked now; the last known when it
   *  cannot be reached). */
  'fault.list': { input: noArgs, output: {} as FaultListDto },
} as const;
