// MonitorStore on better-sqlite3: WAL + synchronous=FULL, verified on open, and group commit —
// writes that arrive close together share one transaction (one fsync, ~0.3 ms here, which
// blocks the event loop), each in its own savepoint so one failure does not sink the others.
// Long on purpose (about 420 lines): the group commit and every statement that goes through it
// are one class, so no write can bypass the batch.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { migrateSqlite } from './migrate';
import { SQLITE_MIGRATIONS } from './sqlite-migrations';
import {
  RefusalPruning,
  toFault,
  toRefusal,
  toStation,
  type FaultRow,
  type RefusalRow,
  type StationRow,
} from './station-rows';
import {
  StationExistsError,
  type ApplyOutcome,
  type FaultRecord,
  type MonitorStore,
  type NewStation,
  type RefusalRecord,
  type StationMonths,
  type StationRecord,
  type UploadToApply,
} from './stations';

export const MONITOR_DB_FILE = 'monitor.sqlite';
/** Uploads committed together at most; bounds one transaction's time (~2 ms of SQL). */
const MAX_GROUP_COMMIT = 512;
/** At most one commit per this many ms under load (an idle monitor commits at once): each
 *  upload waits ≤ 4 ms longer, and a burst pays one fsync per window instead of one each. */
const GROUP_COMMIT_WINDOW_MS = 4;
const BUSY_TIMEOUT_MS = 5_000;

export function openSqliteMonitorStore(dataDir: string): SqliteMonitorStore {
  return new SqliteMonitorStore(openSqlitePlatformDb(dataDir));
}

/** The platform's database file, durable settings verified, migrated. */
export function openSqlitePlatformDb(dataDir: string): Database.Database {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, MONITOR_DB_FILE));
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  const journal = String(db.pragma('journal_mode', { simple: true })).toLowerCase();
  const sync = Number(db.pragma('synchronous', { simple: true }));
  if (journal !== 'wal' || sync !== 2) {
    db.close();
    throw new Error(
      `monitor database durability settings not in force (journal=${journal}, synchronous=${sync})`,
    );
  }
  migrateSqlite(db, SQLITE_MIGRATIONS);
  return db;
}

export class SqliteMonitorStore implements MonitorStore {
  private readonly q;
  private readonly committer: GroupCommit;
  private readonly pruning = new RefusalPruning();
  private monthsQ:
    | {
        station: Database.Statement<
          [string],
          { id: number; name: string; opening_date: string; last_seq: number; last_upload_at: string | null }
        >;
        months: Database.Statement<[number], [string, number]>;
      }
    | undefined;

  constructor(
    private readonly db: Database.Database,
    /** False when the platform store shares this connection and closes it itself. */
    private readonly ownsDb = true,
  ) {
    this.committer = new GroupCommit(db);
    this.q = {
      station: db.prepare<[string], StationRow & { id: number }>(
        `SELECT id, institution_no, name, holder, opening_date, public_key, registered_at, last_seq, last_upload_at FROM stations WHERE institution_no = ?`,
      ),
      insertStation: db.prepare(
        `INSERT INTO stations (institution_no, name, holder, opening_date, public_key, registered_at) VALUES (@institutionNo, @name, @holder, @openingDate, @publicKey, @registeredAt)`,
      ),
      seqOf: db.prepare<[string], { id: number; last_seq: number; last_body_sha256: string | null }>(
        `SELECT id, last_seq, last_body_sha256 FROM stations WHERE institution_no = ?`,
      ),
      dayCount: db.prepare<[number, string], { count: number }>(
        `SELECT count FROM day_counts WHERE station_id = ? AND day = ?`,
      ),
      upsertDay: db.prepare(
        `INSERT INTO day_counts (station_id, day, count, seq) VALUES (?, ?, ?, ?)
         ON CONFLICT (station_id, day) DO UPDATE SET count = excluded.count, seq = excluded.seq`,
      ),
      // A delta; negative after a downward revision (then the row exists already). CHECK runs on
      // the candidate row before the conflict, hence max(…, 0) there and the delta in the update.
      addMonth: db.prepare(
        `INSERT INTO month_counts (station_id, month, count) VALUES (@station, @month, max(@delta, 0))
         ON CONFLICT (station_id, month) DO UPDATE SET count = count + @delta`,
      ),
      deleteFaults: db.prepare(`DELETE FROM faults WHERE station_id = ? AND day = ?`),
      insertFault: db.prepare(
        `INSERT INTO faults (station_id, day, kind, at, detail, seq) VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      markApplied: db.prepare(
        `UPDATE stations SET last_seq = ?, last_body_sha256 = ?, last_sent_at = ?, last_upload_at = ? WHERE id = ?`,
      ),
      insertRefusal: db.prepare(
        `INSERT INTO refusals (at, institution_no, code, status, remote, details) VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      daysOf: db
        .prepare<[string, string, string], [string, number]>(
          `SELECT d.day, d.count FROM day_counts d JOIN stations s ON s.id = d.station_id
           WHERE s.institution_no = ? AND d.day BETWEEN ? AND ? ORDER BY d.day`,
        )
        .raw(),
      pruneRefusals: db.prepare(`DELETE FROM refusals WHERE id <= (SELECT max(id) FROM refusals) - ?`),
    };
  }

  async registerStation(s: NewStation): Promise<StationRecord> {
    this.insertStations([s]);
    return this.stationOrThrow(s.institutionNo);
  }

  async registerStations(stations: readonly NewStation[]): Promise<void> {
    this.insertStations(stations);
  }

  private insertStations(stations: readonly NewStation[]): void {
    try {
      this.db
        .transaction(() => {
          for (const s of stations)
            this.q.insertStation.run({ ...s, holder: s.holder ?? null, publicKey: Buffer.from(s.publicKey) });
        })
        .immediate();
    } catch (e) {
      if (isUniqueViolation(e)) {
        const dup = stations.find((s) => this.q.station.get(s.institutionNo)) ?? stations[0];
        throw new StationExistsError(dup?.institutionNo ?? '');
      }
      throw e;
    }
  }

  async getStation(institutionNo: string): Promise<StationRecord | undefined> {
    const row = this.q.station.get(institutionNo);
    return row && toStation(row);
  }

  private stationOrThrow(institutionNo: string): StationRecord {
    const row = this.q.station.get(institutionNo);
    if (!row) throw new Error(`station ${institutionNo} vanished`);
    return toStation(row);
  }

  applyUpload(institutionNo: string, u: UploadToApply): Promise<ApplyOutcome> {
    return this.committer.submit(() => this.applyNow(institutionNo, u));
  }

  /** Runs inside a transaction (the group commit's savepoint). */
  private applyNow(institutionNo: string, u: UploadToApply): ApplyOutcome {
    const st = this.q.seqOf.get(institutionNo);
    if (!st) throw new Error(`unknown station ${institutionNo}`);
    if (u.seq === st.last_seq) {
      return {
        applied: false,
        reason: u.bodySha256 === st.last_body_sha256 ? 'replay' : 'conflict',
        lastSeq: st.last_seq,
      };
    }
    if (u.seq < st.last_seq) return { applied: false, reason: 'stale', lastSeq: st.last_seq };
    for (const d of u.days) {
      const old = this.q.dayCount.get(st.id, d.day)?.count ?? 0;
      this.q.upsertDay.run(st.id, d.day, d.count, u.seq);
      if (d.count !== old)
        this.q.addMonth.run({ station: st.id, month: d.day.slice(0, 7), delta: d.count - old });
      this.q.deleteFaults.run(st.id, d.day);
      for (const f of d.faults ?? []) this.q.insertFault.run(st.id, d.day, f.kind, f.at, f.detail, u.seq);
    }
    this.q.markApplied.run(u.seq, u.bodySha256, u.sentAt, u.receivedAt, st.id);
    return { applied: true, lastSeq: u.seq, daysApplied: u.days.length };
  }

  async dailyCounts(
    institutionNo: string,
    fromDay = '0000-01-01',
    toDay = '9999-12-31',
  ): Promise<Array<[string, number]>> {
    return this.q.daysOf.all(institutionNo, fromDay, toDay);
  }

  async dailyCountsOf(
    institutionNos: readonly string[],
    fromDay: string,
    toDay: string,
  ): Promise<Map<string, Array<[string, number]>>> {
    const out = new Map<string, Array<[string, number]>>();
    for (const no of institutionNos) out.set(no, this.q.daysOf.all(no, fromDay, toDay));
    return out;
  }

  async stationMonths(institutionNo: string): Promise<StationMonths | undefined> {
    this.monthsQ ??= {
      station: this.db.prepare<
        [string],
        { id: number; name: string; opening_date: string; last_seq: number; last_upload_at: string | null }
      >(`SELECT id, name, opening_date, last_seq, last_upload_at FROM stations WHERE institution_no = ?`),
      months: this.db
        .prepare<[number], [string, number]>(
          `SELECT month, count FROM mon2_month_counts WHERE station_id = ? ORDER BY month`,
        )
        .raw(),
    };
    const s = this.monthsQ.station.get(institutionNo);
    if (!s) return undefined;
    const months = this.monthsQ.months.all(s.id);
    return {
      institutionNo,
      name: s.name,
      openingDate: s.opening_date,
      lastSeq: s.last_seq,
      lastUploadAt: s.last_upload_at,
      months,
    };
  }

  async listStationsWithMonths(): Promise<StationMonths[]> {
    const rows = this.db
      .prepare<[], [number, string, string, string, number, string | null, string | null, number | null]>(
        `SELECT s.id, s.institution_no, s.name, s.opening_date, s.last_seq, s.last_upload_at, m.month, m.count
         FROM stations s LEFT JOIN mon2_month_counts m ON m.station_id = s.id ORDER BY s.id, m.month`,
      )
      .raw()
      .iterate();
    const out: StationMonths[] = [];
    let lastId = -1;
    let cur: StationMonths | undefined;
    for (const [id, institutionNo, name, openingDate, lastSeq, lastUploadAt, month, count] of rows) {
      if (id !== lastId) {
        cur = { institutionNo, name, openingDate, lastSeq, lastUploadAt, months: [] };
        out.push(cur);
        lastId = id;
      }
      if (month !== null && count !== null) cur!.months.push([month, count]);
    }
    return out;
  }

  async faults(institutionNo: string | null, limit: number): Promise<FaultRecord[]> {
    const rows = this.db
      .prepare<[string | null, string | null, number], FaultRow>(
        `SELECT s.institution_no, f.day, f.kind, f.at, f.detail, f.seq FROM faults f JOIN stations s ON s.id = f.station_id
         WHERE (? IS NULL OR s.institution_no = ?) ORDER BY f.at DESC, f.id DESC LIMIT ?`,
      )
      .all(institutionNo, institutionNo, limit);
    return rows.map(toFault);
  }

  async faultCountsSince(fromDay: string): Promise<Map<string, number>> {
    const rows = this.db
      .prepare<[string], [string, number]>(
        `SELECT s.institution_no, count(*) FROM faults f JOIN stations s ON s.id = f.station_id WHERE f.day >= ? GROUP BY s.institution_no`,
      )
      .raw()
      .all(fromDay);
    return new Map(rows);
  }

  logRefusal(r: RefusalRecord): Promise<void> {
    return this.committer.submit(() => {
      this.q.insertRefusal.run(r.at, r.institutionNo, r.code, r.status, r.remote, JSON.stringify(r.details));
      const keep = this.pruning.keepAfterLogging();
      if (keep !== undefined) this.q.pruneRefusals.run(keep);
    });
  }

  async recentRefusals(limit: number): Promise<RefusalRecord[]> {
    const rows = this.db
      .prepare<[number], Omit<RefusalRow, 'details'> & { details: string }>(
        `SELECT at, institution_no, code, status, remote, details FROM refusals ORDER BY id DESC LIMIT ?`,
      )
      .all(limit);
    return rows.map((r) => toRefusal({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }));
  }

  async close(): Promise<void> {
    await this.committer.drain();
    if (this.ownsDb) this.db.close();
  }
}

function isUniqueViolation(e: unknown): boolean {
  return e instanceof Error && 'code' in e && (e as { code: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

interface Pending {
  run: () => unknown;
  resolve: (v: never) => void;
  reject: (e: unknown) => void;
}

/** Writes queue up and commit together: at once when the last commit is a window ago, else at
 *  the end of the window. */
class GroupCommit {
  private queue: Pending[] = [];
  private scheduled = false;
  private lastFlushAt = 0;
  private idle: Array<() => void> = [];
  private readonly inSavepoint;

  constructor(private readonly db: Database.Database) {
    // Called inside the outer transaction, a better-sqlite3 transaction function is a savepoint.
    this.inSavepoint = db.transaction((run: () => unknown) => run());
  }

  submit<T>(run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run, resolve: resolve as (v: never) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        const wait = GROUP_COMMIT_WINDOW_MS - (performance.now() - this.lastFlushAt);
        if (wait <= 0) setImmediate(() => this.flush());
        else setTimeout(() => this.flush(), wait);
      }
    });
  }

  drain(): Promise<void> {
    if (!this.scheduled && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private flush(): void {
    this.scheduled = false;
    this.lastFlushAt = performance.now();
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_GROUP_COMMIT);
      const results: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
      try {
        this.db
          .transaction(() => {
            for (const item of batch) {
              try {
                results.push({ ok: true, value: this.inSavepoint(item.run) });
              } catch (error) {
                results.push({ ok: false, error });
              }
            }
          })
          .immediate();
      } catch (error) {
        for (const item of batch) item.reject(error); // the commit itself failed: nothing is durable
        continue;
      }
      batch.forEach((item, i) => {
        const r = results[i]!;
        if (r.ok) item.resolve(r.value as never);
        else item.reject(r.error);
      });
    }
    for (const done of this.idle.splice(0)) done();
  }
}
