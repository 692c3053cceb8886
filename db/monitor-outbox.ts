// The monitor outbox at the SQL level (MON-2, MON-3; migration 004): what a day counts, which days
// the monitor has not seen as they are now, the faults to report, and the upload sequence.
//
// Counting (RULES.md, platform/RULE.md): a day's count is its bill payments that have not been
// reversed. A reversal cancels the payment it reverses, so it lowers the ORIGINAL's day (the
// triggers mark that day dirty, even a closed one). Top-ups and takings settlements never count.
// Training-mode work never reaches this ledger (a training session has its own), so it cannot.
import { formatFen } from '../shared/money';
import type { DayReport, FaultKind } from '../shared/monitor-protocol';
import {
  MAX_DAY_COUNT,
  MAX_DAYS_PER_UPLOAD,
  MAX_FAULT_DETAIL_CHARS,
  MAX_FAULTS_PER_DAY,
  MAX_FAULTS_PER_UPLOAD,
} from '../shared/monitor-protocol';
import { stmt, type Db } from './open';

/** A fault's own text is at most this long (the table checks it); the upload adds "（当日共 N 次）". */
export const MAX_FAULT_TEXT_CHARS = 400;
/** Faults operators may report by hand in a day: the upload lists MAX_FAULTS_PER_DAY a day, and
 *  the ones the station records by itself (printer, network, day close) need room too. */
export const MAX_MANUAL_FAULTS_PER_DAY = 10;

// ---- counting ----------------------------------------------------------------------------------

/** ['YYYY-MM-DD', count] of the days in [fromDay, toDay] with at least one counted transaction. */
export function countedByDay(db: Db, fromDay: string, toDay: string): Array<[string, number]> {
  const rows = stmt(
    db,
    `SELECT t.business_day AS day, count(*) AS n
       FROM txns t
      WHERE t.kind = 'bill_payment' AND t.business_day BETWEEN ? AND ?
        AND NOT EXISTS (SELECT 1 FROM txns r WHERE r.reverses_id = t.id)
      GROUP BY t.business_day ORDER BY t.business_day`,
  ).all(fromDay, toDay) as Array<{ day: string; n: number }>;
  return rows.map((r) => [r.day, r.n]);
}

/** The count of one day. */
export function countedOn(db: Db, day: string): number {
  return stmt(
    db,
    `SELECT count(*) FROM txns t
      WHERE t.kind = 'bill_payment' AND t.business_day = ?
        AND NOT EXISTS (SELECT 1 FROM txns r WHERE r.reverses_id = t.id)`,
  )
    .pluck()
    .get(day) as number;
}

// ---- faults (MON-3) ----------------------------------------------------------------------------

export interface FaultRow {
  id: number;
  day: string;
  kind: FaultKind;
  at: string;
  last_at: string;
  occurrences: number;
  detail: string;
  source: string | null;
  /** A fault an operator reported by hand (source `manual:<operator id>`): the operator's name now. */
  reporter_name: string | null;
}

/** The source of a fault an operator reported by hand (fault.report): `manual:<operator id>`. */
export const MANUAL_SOURCE_PREFIX = 'manual:';
export const manualSource = (operatorId: string): string => `${MANUAL_SOURCE_PREFIX}${operatorId}`;
/** The operator who reported a fault by hand, or null for one the station recorded itself. */
export const manualReporterOf = (source: string | null): string | null =>
  source?.startsWith(MANUAL_SOURCE_PREFIX) ? source.slice(MANUAL_SOURCE_PREFIX.length) : null;

/** The faults' columns, with the name of whoever reported one by hand. */
const FAULT_COLUMNS = `f.*, (SELECT o.name FROM operators_current o
                               WHERE f.source = '${MANUAL_SOURCE_PREFIX}' || o.id) AS reporter_name`;

/** Records a fault (or one more occurrence of the same fault that day); marks its day dirty. */
export function recordFault(
  db: Db,
  f: { day: string; kind: FaultKind; at: string; detail: string; source?: string | null },
): void {
  const detail = f.detail.trim().slice(0, MAX_FAULT_TEXT_CHARS) || '故障';
  const at = new Date(f.at).toISOString(); // the table keeps UTC ISO with milliseconds
  stmt(
    db,
    `INSERT INTO monitor_faults (day, kind, at, last_at, detail, source) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(day, kind, detail) DO UPDATE SET occurrences = occurrences + 1, last_at = max(last_at, excluded.last_at)`,
  ).run(f.day, f.kind, at, at, detail, f.source ?? null);
}

export function faultsOfDay(db: Db, day: string): FaultRow[] {
  return stmt(db, `SELECT ${FAULT_COLUMNS} FROM monitor_faults f WHERE day = ? ORDER BY id`).all(
    day,
  ) as FaultRow[];
}

/** The latest faults, newest first (for the standing page). */
export function recentFaults(db: Db, limit: number): FaultRow[] {
  return stmt(db, `SELECT ${FAULT_COLUMNS} FROM monitor_faults f ORDER BY last_at DESC, id DESC LIMIT ?`).all(
    limit,
  ) as FaultRow[];
}

/** The fault of that day with that kind and text, if there is one (the table keeps one row each). */
export function faultOn(db: Db, day: string, kind: FaultKind, detail: string): FaultRow | undefined {
  return stmt(
    db,
    `SELECT ${FAULT_COLUMNS} FROM monitor_faults f WHERE day = ? AND kind = ? AND detail = ?`,
  ).get(day, kind, detail) as FaultRow | undefined;
}

/** How many faults operators reported by hand on a day. */
export function manualFaultsOn(db: Db, day: string): number {
  return stmt(db, `SELECT count(*) FROM monitor_faults WHERE day = ? AND substr(source, 1, ?) = ?`)
    .pluck()
    .get(day, MANUAL_SOURCE_PREFIX.length, MANUAL_SOURCE_PREFIX) as number;
}

/** A day's faults as the protocol carries them: at most MAX_FAULTS_PER_DAY (the last line says
 *  how many more there were), repeats folded into "（当日共 N 次）". A fault an operator reported
 *  by hand says so and who, and is never among those left unlisted. */
export function faultReports(rows: readonly FaultRow[]): NonNullable<DayReport['faults']> {
  const text = (r: FaultRow) => {
    const by = manualReporterOf(r.source);
    const own = by === null ? r.detail : `【手工上报·${r.reporter_name ?? by}】${r.detail}`;
    return (r.occurrences > 1 ? `${own}（当日共 ${r.occurrences} 次）` : own).slice(
      0,
      MAX_FAULT_DETAIL_CHARS,
    );
  };
  if (rows.length <= MAX_FAULTS_PER_DAY)
    return rows.map((r) => ({ kind: r.kind, at: r.at, detail: text(r) }));
  // Too many to list: the ones reported by hand first (at most MAX_MANUAL_FAULTS_PER_DAY), in order.
  const manual = (r: FaultRow) => manualReporterOf(r.source) !== null;
  const ordered = [...rows.filter(manual), ...rows.filter((r) => !manual(r))];
  const shown = ordered.slice(0, MAX_FAULTS_PER_DAY - 1).sort((a, b) => a.id - b.id);
  const rest = ordered.slice(MAX_FAULTS_PER_DAY - 1);
  return [
    ...shown.map((r) => ({ kind: r.kind, at: r.at, detail: text(r) })),
    {
      kind: 'other' as const,
      at: rest[0]!.at,
      detail: `当日另有 ${rest.length} 条故障记录未列出，请查看站点`,
    },
  ];
}

// ---- the outbox --------------------------------------------------------------------------------

export interface OutboxRow {
  day: string;
  version: number;
  acked_version: number;
  changed_at: string;
}

/** Days whose latest version the monitor has not acknowledged, oldest first. */
export function dirtyDays(db: Db, opts: { limit: number; notAfter?: string | undefined }): OutboxRow[] {
  return stmt(
    db,
    `SELECT day, version, acked_version, changed_at FROM monitor_outbox
      WHERE version > acked_version AND day <= ? ORDER BY day LIMIT ?`,
  ).all(opts.notAfter ?? '9999-12-31', opts.limit) as OutboxRow[];
}

export function pendingSummary(db: Db): { days: number; oldest: string | null } {
  const r = stmt(
    db,
    `SELECT count(*) AS n, min(day) AS oldest FROM monitor_outbox WHERE version > acked_version`,
  ).get() as {
    n: number;
    oldest: string | null;
  };
  return { days: r.n, oldest: r.oldest };
}

/** Marks every day the station ever reported (or could have) dirty again: after the monitor said
 *  our seq went backwards (a restored backup), what it holds is not what we think it holds. */
export function markAllDirty(db: Db, nowIso: string): number {
  return db
    .transaction(() => {
      stmt(
        db,
        `INSERT INTO monitor_outbox (day, version, changed_at)
         SELECT day, 1, ? FROM (SELECT business_day AS day FROM txns WHERE kind = 'bill_payment'
                                UNION SELECT day FROM day_closes UNION SELECT day FROM monitor_faults)
         WHERE true
         ON CONFLICT(day) DO UPDATE SET version = version + 1, changed_at = excluded.changed_at`,
      ).run(nowIso);
      return stmt(db, `SELECT count(*) FROM monitor_outbox WHERE version > acked_version`)
        .pluck()
        .get() as number;
    })
    .immediate();
}

/** One upload, as read from the database: its seq and each day with the version it describes. */
export interface UploadBatch {
  seq: number;
  days: DayReport[];
  versions: Array<{ day: string; version: number }>;
}

/**
 * Takes the next seq and a consistent snapshot of the dirty days (count + faults + version), in one
 * write transaction, committed before anything is sent: the seq is never reused, even after a crash.
 * Returns null (and uses no seq) when nothing is owed. Respects the protocol's limits: at most
 * MAX_DAYS_PER_UPLOAD days and MAX_FAULTS_PER_UPLOAD faults; the rest goes in the next upload.
 */
export function takeUploadBatch(db: Db, opts: { notAfter?: string | undefined }): UploadBatch | null {
  return db
    .transaction((): UploadBatch | null => {
      const rows = dirtyDays(db, { limit: MAX_DAYS_PER_UPLOAD, notAfter: opts.notAfter });
      if (rows.length === 0) return null;
      const days: DayReport[] = [];
      const versions: UploadBatch['versions'] = [];
      let faults = 0;
      for (const r of rows) {
        const f = faultReports(faultsOfDay(db, r.day));
        if (days.length > 0 && faults + f.length > MAX_FAULTS_PER_UPLOAD) break;
        faults += f.length;
        // A day beyond the protocol's limit (impossible at one counter) is sent at the limit.
        const count = Math.min(countedOn(db, r.day), MAX_DAY_COUNT);
        const anchor = stmt(
          db,
          `SELECT a.z_no AS zNo, a.txn_id AS txnId, a.chain_hash AS head
             FROM day_closes c JOIN z_anchors a ON a.z_no = c.z_no WHERE c.day = ?`,
        ).get(r.day) as DayReport['chain'];
        const due = stmt(db, `SELECT takings_due_fen FROM day_closes WHERE day = ?`).pluck().get(r.day) as
          number | undefined;
        days.push({
          day: r.day,
          count,
          ...(f.length > 0 ? { faults: f } : {}),
          ...(anchor ? { chain: anchor } : {}),
          ...(due !== undefined ? { takingsDue: formatFen(Math.max(0, due)) } : {}),
        });
        versions.push({ day: r.day, version: r.version });
      }
      stmt(db, `UPDATE monitor_state SET seq = seq + 1 WHERE id = 1`).run();
      const seq = stmt(db, `SELECT seq FROM monitor_state WHERE id = 1`).pluck().get() as number;
      return { seq, days, versions };
    })
    .immediate();
}

/** The monitor has the days as of these versions: a day changed since stays dirty. */
export function ackUpload(db: Db, batch: Pick<UploadBatch, 'seq' | 'versions'>, nowIso: string): void {
  db.transaction(() => {
    const ack = stmt(
      db,
      `UPDATE monitor_outbox SET acked_version = max(acked_version, ?), acked_at = ?, acked_seq = ?
        WHERE day = ? AND acked_version < ?`,
    );
    for (const v of batch.versions) ack.run(v.version, nowIso, batch.seq, v.day, v.version);
  }).immediate();
}

// ---- the sequence and the last outcome ---------------------------------------------------------

export type UploadResult = 'applied' | 'replay' | 'stale' | 'refused' | 'unreachable';

export interface MonitorStateRow {
  seq: number;
  last_attempt_at: string | null;
  last_success_at: string | null;
  last_result: UploadResult | null;
  last_error_code: string | null;
  last_error_message: string | null;
  last_days: number | null;
}

export function monitorState(db: Db): MonitorStateRow {
  return stmt(db, `SELECT * FROM monitor_state WHERE id = 1`).get() as MonitorStateRow;
}

/** The monitor's last applied seq is ahead of ours (we were restored from a backup): continue after it. */
export function jumpSeqPast(db: Db, lastSeq: number): void {
  stmt(db, `UPDATE monitor_state SET seq = max(seq, ?) WHERE id = 1`).run(lastSeq);
}

export function recordOutcome(
  db: Db,
  o: {
    at: string;
    result: UploadResult;
    days?: number | undefined;
    error?: { code: string; message: string } | null | undefined;
  },
): void {
  const success = o.result === 'applied' || o.result === 'replay';
  stmt(
    db,
    `UPDATE monitor_state SET last_attempt_at = ?, last_result = ?,
            last_success_at = CASE WHEN ? THEN ? ELSE last_success_at END,
            last_error_code = ?, last_error_message = ?,
            last_days = coalesce(?, last_days)
      WHERE id = 1`,
  ).run(
    o.at,
    o.result,
    success ? 1 : 0,
    o.at,
    o.error?.code ?? null,
    o.error?.message ?? null,
    o.days ?? null,
  );
}
