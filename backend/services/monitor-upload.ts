// Uploading the station's daily counts and faults to the exit-threshold monitor (MON-2, MON-3).
// Long on purpose (about 460 lines): one state machine — the uploader's seq, backoff, outage and
// timers — reads best as one class; its API side (handlers, refusals) is in monitoring.ts.
//
// The outbox is in the station's own database (migration 004, db/monitor-outbox.ts): triggers mark
// a day dirty in the same transaction as the payment, reversal, close or fault that changes it.
// This service drains it:
//   - when: after every day close (日终轧账), periodically (UPLOAD_INTERVAL_MS), and on demand;
//   - what: each dirty day as its ABSOLUTE count and its faults — re-sending is always safe, the
//     monitor keeps the latest seq's figure, so nothing is lost and nothing is counted twice;
//   - seq: taken and committed with the snapshot before a byte is sent; never reused;
//   - signing: Ed25519 over the exact body bytes (the station key, services/station-key.ts);
//   - ack: a day is clean only up to the version that was sent; a change during the upload stays;
//   - unreachable: exponential backoff from RETRY_BASE_MS up to RETRY_MAX_MS, one network fault
//     recorded per outage (reported with the first upload that gets through);
//   - replies: applied/replay → ack; stale or SEQ_CONFLICT (our seq went backwards: a restored
//     backup) → continue after the monitor's lastSeq and re-send every day; FUTURE_DAY (clocks
//     disagree) → hold the later days back for a while; any other refusal → backoff, shown.
import { businessDayOf, shanghaiTimeOf } from '../../shared/business-day';
import { FAULTS_SHOWN, type MonitorStatusDto, type MonitorUploadState } from '../../shared/contract';
import type { UploadReply } from '../../shared/monitor-protocol';
import type { Db } from '../../db/open';
import {
  ackUpload,
  jumpSeqPast,
  markAllDirty,
  monitorState,
  pendingSummary,
  recentFaults,
  recordFault,
  recordOutcome,
  takeUploadBatch,
} from '../../db/monitor-outbox';
import { getStation } from '../../db/station';
import { getSetting, setSetting } from '../../db/settings';
import { buildSignedUpload } from '../monitor-signing';
import { loadOrCreateStationKey, type StationKey } from './station-key';

export const MONITOR_URL_SETTING = 'monitor.url';
export const OPENING_DATE_SETTING = 'monitor.openingDate';

/** Dirty days are looked for this often. The monitor judges whole months; a few minutes is fresh. */
export const UPLOAD_INTERVAL_MS = 5 * 60_000;
/** The first look after start: soon, but not in the middle of start-up. */
export const FIRST_UPLOAD_DELAY_MS = 10_000;
/** Backoff when the monitor is unreachable: 15 s, 30 s, 1 min, … capped at 30 min. */
export const RETRY_BASE_MS = 15_000;
export const RETRY_MAX_MS = 30 * 60_000;
/** One upload's wait for an answer; the body is a few KB. */
export const UPLOAD_TIMEOUT_MS = 15_000;
/** Uploads back to back in one run (100 days each): three years of catching up, then a pause. */
export const MAX_UPLOADS_PER_RUN = 12;
/** Seq jumps (stale / conflict) in one run before it is treated as a refusal: a loop guard. */
const MAX_SEQ_JUMPS_PER_RUN = 2;
/** After FUTURE_DAY, days after the monitor's "today" wait this long before they are tried again. */
const FUTURE_HOLD_MS = 60 * 60_000;

export interface MonitorUploaderOptions {
  db: Db;
  dataDir: string;
  now: () => Date;
  /** Replaceable for tests (e.g. a reply lost after the monitor applied the upload). */
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Jitter source for the backoff (tests pass () => 0.5 for exact delays). */
  random?: () => number;
  /** Periodic and retry timers (default true; tests drive the uploader by hand). */
  timers?: boolean;
}

export type RunOutcome =
  | { kind: 'not_configured' }
  | { kind: 'key_error'; message: string }
  | { kind: 'waiting'; nextAttemptAt: string }
  | { kind: 'done'; uploads: number; days: number; more: boolean }
  | { kind: 'unreachable'; reason: string; nextAttemptAt: string }
  | { kind: 'refused'; code: string; message: string; nextAttemptAt: string };

type PostResult = { kind: 'reply'; status: number; json: unknown } | { kind: 'unreachable'; reason: string };

export class MonitorUploader {
  private readonly db: Db;
  private readonly now: () => Date;
  private readonly fetchFn: typeof fetch;
  private readonly timeoutMs: number;
  private readonly random: () => number;
  private readonly timers: boolean;
  private readonly dataDir: string;
  private key: StationKey | null = null;
  private keyError: string | null = null;
  private inflight: Promise<RunOutcome> | null = null;
  private failures = 0;
  private nextAttemptMs: number | null = null;
  /** A network fault has been recorded for the outage going on now. */
  private inOutage = false;
  private futureHold: { day: string; untilMs: number } | null = null;
  private interval: ReturnType<typeof setInterval> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private firstTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(opts: MonitorUploaderOptions) {
    this.db = opts.db;
    this.dataDir = opts.dataDir;
    this.now = opts.now;
    this.fetchFn = opts.fetch ?? fetch;
    this.timeoutMs = opts.timeoutMs ?? UPLOAD_TIMEOUT_MS;
    this.random = opts.random ?? Math.random;
    this.timers = opts.timers ?? true;
    this.loadKey();
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  /** Starts the periodic upload (unref'd: it never keeps the process alive). */
  start(): void {
    if (!this.timers || this.interval) return;
    this.firstTimer = setTimeout(() => void this.run({ force: false }), FIRST_UPLOAD_DELAY_MS).unref();
    this.interval = setInterval(() => void this.run({ force: false }), UPLOAD_INTERVAL_MS).unref();
  }

  stop(): void {
    if (this.interval) clearInterval(this.interval);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.firstTimer) clearTimeout(this.firstTimer);
    this.interval = this.retryTimer = this.firstTimer = undefined;
  }

  /** Resolves when no upload is in flight (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inflight) await this.inflight.catch(() => undefined);
  }

  // ---- settings ----------------------------------------------------------------------------

  get url(): string {
    return getSetting(this.db, MONITOR_URL_SETTING) ?? '';
  }

  /** A new address is a monitor that may know nothing of us: every day is owed again. */
  setUrl(url: string): void {
    const next = url.trim();
    if (next === this.url) return;
    this.db
      .transaction(() => {
        setSetting(this.db, MONITOR_URL_SETTING, next);
        if (next !== '') markAllDirty(this.db, this.now().toISOString());
      })
      .immediate();
    this.failures = 0;
    this.nextAttemptMs = null;
    this.inOutage = false;
    this.futureHold = null;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (next !== '') this.kick();
  }

  // ---- triggers ----------------------------------------------------------------------------

  /** After a day close (or anything worth reporting soon): one attempt now, whatever the backoff. */
  kick(): void {
    if (this.url === '') return;
    void this.run({ force: true }).catch(() => undefined);
  }

  /** Uploads everything owed. `force` ignores the backoff (the operator pressed 立即上报). One run at
   *  a time: a second call while one is in flight gets the same promise. */
  run(opts: { force: boolean }): Promise<RunOutcome> {
    if (!this.inflight) {
      this.inflight = this.runOnce(opts.force)
        .catch((e: unknown) => this.internalFailure(e))
        .finally(() => {
          this.inflight = null;
        });
    }
    return this.inflight;
  }

  /** A bug or a closed database, not the monitor's doing: shown, retried later, never thrown at a timer. */
  private internalFailure(e: unknown): RunOutcome {
    const message = e instanceof Error ? e.message.slice(0, 200) : String(e);
    try {
      recordOutcome(this.db, {
        at: this.now().toISOString(),
        result: 'refused',
        error: { code: 'INTERNAL', message },
      });
    } catch {
      // the database is closed (shutting down): nothing to record into
    }
    return this.refused('INTERNAL', message);
  }

  // ---- status ------------------------------------------------------------------------------

  status(): MonitorStatusDto {
    const s = getStation(this.db);
    const st = monitorState(this.db);
    const pending = pendingSummary(this.db);
    const url = this.url;
    let state: MonitorUploadState;
    if (url === '') state = 'not_configured';
    else if (!this.key) state = 'key_error';
    else if (this.inflight) state = 'uploading';
    else if (this.failures > 0 && this.nextAttemptMs !== null)
      state = st.last_result === 'refused' ? 'refused' : 'retry_wait';
    else state = pending.days > 0 ? 'pending' : 'up_to_date';
    return {
      url,
      configured: url !== '',
      state,
      institutionNo: s?.institution_no ?? '',
      stationName: s?.name ?? '',
      openingDate: openingDateOf(this.db).day,
      publicKeyPem: this.key?.publicKeyPem ?? null,
      publicKeyBase64: this.key?.publicKeyRawBase64 ?? null,
      fingerprint: this.key?.fingerprint ?? null,
      keyError: this.keyError,
      seq: st.seq,
      lastAttemptAt: st.last_attempt_at,
      lastSuccessAt: st.last_success_at,
      lastResult: st.last_result,
      lastError: st.last_error_code
        ? { code: st.last_error_code, message: st.last_error_message ?? '' }
        : null,
      lastDays: st.last_days,
      pendingDays: pending.days,
      oldestPendingDay: pending.oldest,
      nextAttemptAt: this.nextAttemptMs !== null ? new Date(this.nextAttemptMs).toISOString() : null,
      failures: this.failures,
      faults: recentFaults(this.db, FAULTS_SHOWN).map((f) => ({
        day: f.day,
        kind: f.kind,
        at: f.at,
        lastAt: f.last_at,
        occurrences: f.occurrences,
        detail: f.detail,
      })),
    };
  }

  // ---- internals ---------------------------------------------------------------------------

  private loadKey(): void {
    try {
      this.key = loadOrCreateStationKey(this.dataDir);
      this.keyError = null;
    } catch (e) {
      this.key = null;
      this.keyError = e instanceof Error ? e.message : String(e);
    }
  }

  private async runOnce(force: boolean): Promise<RunOutcome> {
    const url = this.url;
    if (url === '') return { kind: 'not_configured' };
    if (!this.key) this.loadKey();
    const key = this.key;
    if (!key) return { kind: 'key_error', message: this.keyError ?? '' };
    const nowMs = this.now().getTime();
    if (!force && this.nextAttemptMs !== null && nowMs < this.nextAttemptMs) {
      return { kind: 'waiting', nextAttemptAt: new Date(this.nextAttemptMs).toISOString() };
    }
    const station = getStation(this.db);
    if (!station) throw new Error('station not set up');

    let uploads = 0;
    let days = 0;
    let jumps = 0;
    while (uploads < MAX_UPLOADS_PER_RUN) {
      const now = this.now();
      const batch = takeUploadBatch(this.db, { notAfter: this.notAfter(now) });
      if (!batch) break;
      const signed = buildSignedUpload(
        { institutionNo: station.institution_no, seq: batch.seq, sentAt: shanghaiIso(now), days: batch.days },
        key.privateKey,
      );
      const res = await this.post(url, signed.path, signed.body, signed.headers);
      const at = this.now().toISOString();

      if (res.kind === 'unreachable') {
        recordOutcome(this.db, {
          at,
          result: 'unreachable',
          error: { code: 'MONITOR_UNREACHABLE', message: res.reason },
        });
        this.noteOutage(res.reason);
        const next = this.backoff();
        return { kind: 'unreachable', reason: res.reason, nextAttemptAt: next };
      }
      this.inOutage = false;
      const reply = (res.json !== null && typeof res.json === 'object' ? res.json : {}) as {
        ok?: boolean;
        data?: UploadReply;
        error?: { code?: string; message?: string; details?: Record<string, unknown> };
      };
      if (res.status === 200 && reply.ok === true && reply.data) {
        const d = reply.data;
        if (d.applied || d.reason === 'replay') {
          ackUpload(this.db, batch, at);
          recordOutcome(this.db, { at, result: d.applied ? 'applied' : 'replay', days: batch.days.length });
          this.failures = 0;
          this.nextAttemptMs = null;
          uploads++;
          days += batch.days.length;
          continue;
        }
        // stale: the monitor has a higher seq than ours — we were restored from a backup.
        recordOutcome(this.db, {
          at,
          result: 'stale',
          error: {
            code: 'STALE_SEQ',
            message: `监测平台已收到序号 ${d.lastSeq}，本站序号 ${d.seq} 已过期，将从 ${d.lastSeq + 1} 继续并补报全部日期`,
          },
        });
        if (++jumps > MAX_SEQ_JUMPS_PER_RUN) return this.refused('STALE_SEQ', '上报序号反复过期');
        this.jumpAndResend(d.lastSeq);
        continue;
      }
      const code = reply.error?.code ?? `HTTP_${res.status}`;
      const message = reply.error?.message ?? `监测平台返回 HTTP ${res.status}`;
      const details = reply.error?.details ?? {};
      if (code === 'SEQ_CONFLICT' && typeof details['lastSeq'] === 'number') {
        recordOutcome(this.db, { at, result: 'stale', error: { code, message } });
        if (++jumps > MAX_SEQ_JUMPS_PER_RUN) return this.refused(code, message);
        this.jumpAndResend(details['lastSeq']);
        continue;
      }
      if (code === 'FUTURE_DAY' && typeof details['today'] === 'string' && this.futureHold === null) {
        // The monitor's clock is behind ours: send what it accepts now, the rest later.
        this.futureHold = { day: details['today'], untilMs: this.now().getTime() + FUTURE_HOLD_MS };
        recordOutcome(this.db, { at, result: 'refused', error: { code, message } });
        continue;
      }
      recordOutcome(this.db, { at, result: 'refused', error: { code, message } });
      return this.refused(code, message);
    }
    const more = pendingSummary(this.db).days > 0;
    return { kind: 'done', uploads, days, more };
  }

  private refused(code: string, message: string): RunOutcome {
    const next = this.backoff();
    return { kind: 'refused', code, message, nextAttemptAt: next };
  }

  private jumpAndResend(lastSeq: number): void {
    this.db
      .transaction(() => {
        jumpSeqPast(this.db, lastSeq);
        markAllDirty(this.db, this.now().toISOString());
      })
      .immediate();
  }

  /** Days after this are not sent: the future-day hold, when the monitor's clock is behind. */
  private notAfter(now: Date): string {
    const today = businessDayOf(now);
    if (this.futureHold && now.getTime() >= this.futureHold.untilMs) this.futureHold = null;
    return this.futureHold && this.futureHold.day < today ? this.futureHold.day : today;
  }

  /** Records one network fault per outage (MON-3), on the day it began. */
  private noteOutage(reason: string): void {
    if (this.inOutage) return;
    this.inOutage = true;
    const now = this.now();
    recordFault(this.db, {
      day: businessDayOf(now),
      kind: 'network',
      at: now.toISOString(),
      detail: `无法连接监测平台（${reason}）`,
      source: 'monitor',
    });
  }

  /** Next attempt after RETRY_BASE_MS × 2^(failures−1), capped, ±20 % jitter (so a fleet that lost
   *  the monitor together does not come back together). */
  private backoff(): string {
    this.failures++;
    const base = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.min(this.failures - 1, 20));
    const delay = Math.round(base * (0.8 + 0.4 * this.random()));
    this.nextAttemptMs = this.now().getTime() + delay;
    if (this.timers) {
      if (this.retryTimer) clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => void this.run({ force: false }), delay).unref();
    }
    return new Date(this.nextAttemptMs).toISOString();
  }

  private async post(
    base: string,
    p: string,
    body: string,
    headers: Record<string, string>,
  ): Promise<PostResult> {
    let target: string;
    try {
      target = new URL(p.replace(/^\//, ''), base.endsWith('/') ? base : `${base}/`).toString();
    } catch {
      return { kind: 'unreachable', reason: '地址无效' };
    }
    let res: Response;
    try {
      res = await this.fetchFn(target, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      return { kind: 'unreachable', reason: networkReason(e) };
    }
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      return { kind: 'unreachable', reason: networkReason(e) };
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // A proxy's error page, or not a monitor at all.
      return { kind: 'unreachable', reason: `HTTP ${res.status}，不是监测平台的应答` };
    }
    if (res.status >= 500) return { kind: 'unreachable', reason: `HTTP ${res.status}` };
    return { kind: 'reply', status: res.status, json };
  }
}

/** A short, stable reason (stable, so repeats fold into one fault row). */
function networkReason(e: unknown): string {
  const err = e as { name?: string; code?: string; cause?: { code?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return '连接超时';
  const code = err?.cause?.code ?? err?.code;
  if (code === 'ECONNREFUSED') return '连接被拒绝 ECONNREFUSED';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `找不到服务器 ${code}`;
  if (code === 'ECONNRESET') return '连接中断 ECONNRESET';
  if (typeof code === 'string') return code;
  return '网络错误';
}

/** "2026-11-28T10:00:00+08:00": the protocol's sentAt, in the station's own time. */
function shanghaiIso(d: Date): string {
  return `${businessDayOf(d)}T${shanghaiTimeOf(d)}+08:00`;
}

/** The day MON-2 judges from: the setting (as registered with the office), else the station's first day. */
export function openingDateOf(db: Db): { day: string; source: 'setting' | 'station' } {
  const set = getSetting(db, OPENING_DATE_SETTING);
  if (set) return { day: set, source: 'setting' };
  const s = getStation(db);
  if (!s) throw new Error('station not set up');
  return { day: businessDayOf(new Date(s.created_at)), source: 'station' };
}

export function setOpeningDate(db: Db, day: string | null): void {
  setSetting(db, OPENING_DATE_SETTING, day);
}
