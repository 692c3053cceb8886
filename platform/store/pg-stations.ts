// The monitor's part of the store (registry, signed uploads, standing inputs, faults,
// refusals) on PostgreSQL: the same behaviour as sqlite-stations.ts.
// Its methods are typed from MonitorStore rather than restating the interface's signatures.
import type pg from 'pg';
import { inPgTransaction } from './pg-runner';
import { dbRefusalOf } from './sql';
// Rows are typed by the mapper each goes through (pg's row type parameter is not checked either).
import { RefusalPruning, toFault, toRefusal, toStation } from './station-rows';
import { StationExistsError, type MonitorStore, type StationMonths } from './stations';

export class PgMonitorStore implements MonitorStore {
  private readonly pruning = new RefusalPruning();
  constructor(private readonly pool: pg.Pool) {}

  private tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    return inPgTransaction(this.pool, fn);
  }

  registerStation: MonitorStore['registerStation'] = async (s) => {
    await this.registerStations([s]);
    const r = await this.getStation(s.institutionNo);
    if (!r) throw new Error(`station ${s.institutionNo} vanished`);
    return r;
  };

  registerStations: MonitorStore['registerStations'] = async (stations) => {
    try {
      await this.tx(async (c) => {
        for (let i = 0; i < stations.length; i += 1_000) {
          const chunk = stations.slice(i, i + 1_000);
          await c.query(
            `INSERT INTO stations (institution_no, name, opening_date, public_key, registered_at, holder)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bytea[], $5::text[], $6::text[])`,
            [
              chunk.map((s) => s.institutionNo),
              chunk.map((s) => s.name),
              chunk.map((s) => s.openingDate),
              chunk.map((s) => Buffer.from(s.publicKey)),
              chunk.map((s) => s.registeredAt),
              chunk.map((s) => s.holder ?? null),
            ],
          );
        }
      });
    } catch (e) {
      if (dbRefusalOf(e) === 'unique') {
        const taken = await this.pool.query<{ institution_no: string }>(
          `SELECT institution_no FROM stations WHERE institution_no = ANY($1::text[]) LIMIT 1`,
          [stations.map((s) => s.institutionNo)],
        );
        throw new StationExistsError(taken.rows[0]?.institution_no ?? stations[0]?.institutionNo ?? '');
      }
      throw e;
    }
  };

  getStation: MonitorStore['getStation'] = async (institutionNo) => {
    const r = await this.pool.query(
      `SELECT institution_no, name, holder, opening_date, public_key, registered_at, last_seq, last_upload_at FROM stations WHERE institution_no = $1`,
      [institutionNo],
    );
    return r.rows[0] && toStation(r.rows[0]);
  };

  applyUpload: MonitorStore['applyUpload'] = (no, u) =>
    this.tx(async (c) => {
      const st = (
        await c.query<{ last_seq: number; last_body_sha256: string | null }>(
          `SELECT last_seq, last_body_sha256 FROM stations WHERE institution_no = $1 FOR UPDATE`,
          [no],
        )
      ).rows[0];
      if (!st) throw new Error(`unknown station ${no}`);
      if (u.seq === st.last_seq)
        return {
          applied: false,
          reason: u.bodySha256 === st.last_body_sha256 ? 'replay' : 'conflict',
          lastSeq: st.last_seq,
        } as const;
      if (u.seq < st.last_seq) return { applied: false, reason: 'stale', lastSeq: st.last_seq } as const;
      if (u.days.length > 0) {
        const days = u.days.map((d) => d.day);
        const old = new Map(
          (
            await c.query<{ day: string; count: number }>(
              `SELECT day, count FROM day_counts WHERE institution_no = $1 AND day = ANY($2::text[])`,
              [no, days],
            )
          ).rows.map((r) => [r.day, r.count]),
        );
        await c.query(
          `INSERT INTO day_counts (institution_no, day, count, seq)
           SELECT $1, d, n, $4 FROM unnest($2::text[], $3::int[]) AS t(d, n)
           ON CONFLICT (institution_no, day) DO UPDATE SET count = excluded.count, seq = excluded.seq`,
          [no, days, u.days.map((d) => d.count), u.seq],
        );
        const delta = new Map<string, number>();
        for (const d of u.days) {
          const diff = d.count - (old.get(d.day) ?? 0);
          if (diff !== 0) delta.set(d.day.slice(0, 7), (delta.get(d.day.slice(0, 7)) ?? 0) + diff);
        }
        // A delta, negative after a downward revision (then the row exists already).
        for (const [month, diff] of delta)
          await c.query(
            `INSERT INTO month_counts (institution_no, month, count) VALUES ($1, $2, greatest($3::int, 0))
             ON CONFLICT (institution_no, month) DO UPDATE SET count = month_counts.count + $3::int`,
            [no, month, diff],
          );
        await c.query(`DELETE FROM faults WHERE institution_no = $1 AND day = ANY($2::text[])`, [no, days]);
        const faults = u.days.flatMap((d) => (d.faults ?? []).map((f) => ({ day: d.day, ...f })));
        if (faults.length > 0)
          await c.query(
            `INSERT INTO faults (institution_no, day, kind, at, detail, seq)
             SELECT $1, d, k, a, t, $6 FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS x(d, k, a, t)`,
            [
              no,
              faults.map((f) => f.day),
              faults.map((f) => f.kind),
              faults.map((f) => f.at),
              faults.map((f) => f.detail),
              u.seq,
            ],
          );
      }
      await c.query(
        `UPDATE stations SET last_seq = $1, last_body_sha256 = $2, last_sent_at = $3, last_upload_at = $4 WHERE institution_no = $5`,
        [u.seq, u.bodySha256, u.sentAt, u.receivedAt, no],
      );
      return { applied: true, lastSeq: u.seq, daysApplied: u.days.length } as const;
    });

  dailyCounts: MonitorStore['dailyCounts'] = async (no, fromDay = '0000-01-01', toDay = '9999-12-31') => {
    const r = await this.pool.query<{ day: string; count: number }>(
      `SELECT day, count FROM day_counts WHERE institution_no = $1 AND day BETWEEN $2 AND $3 ORDER BY day`,
      [no, fromDay, toDay],
    );
    return r.rows.map((x) => [x.day, x.count]);
  };

  dailyCountsOf: MonitorStore['dailyCountsOf'] = async (nos, fromDay, toDay) => {
    const out = new Map<string, Array<[string, number]>>(nos.map((n) => [n, []]));
    const r = await this.pool.query<{ institution_no: string; day: string; count: number }>(
      `SELECT institution_no, day, count FROM day_counts WHERE institution_no = ANY($1::text[]) AND day BETWEEN $2 AND $3 ORDER BY institution_no, day`,
      [nos, fromDay, toDay],
    );
    for (const x of r.rows) out.get(x.institution_no)!.push([x.day, x.count]);
    return out;
  };

  stationMonths: MonitorStore['stationMonths'] = async (no) => {
    const s = (
      await this.pool.query<{
        name: string;
        opening_date: string;
        last_seq: number;
        last_upload_at: string | null;
      }>(`SELECT name, opening_date, last_seq, last_upload_at FROM stations WHERE institution_no = $1`, [no])
    ).rows[0];
    if (!s) return undefined;
    const m = await this.pool.query<{ month: string; count: number }>(
      `SELECT month, count FROM mon2_month_counts WHERE institution_no = $1 ORDER BY month`,
      [no],
    );
    return {
      institutionNo: no,
      name: s.name,
      openingDate: s.opening_date,
      lastSeq: s.last_seq,
      lastUploadAt: s.last_upload_at,
      months: m.rows.map((r) => [r.month, r.count]),
    };
  };

  listStationsWithMonths: MonitorStore['listStationsWithMonths'] = async () => {
    const r = await this.pool.query({
      text: `SELECT s.institution_no, s.name, s.opening_date, s.last_seq, s.last_upload_at, m.month, m.count
             FROM stations s LEFT JOIN mon2_month_counts m ON m.institution_no = s.institution_no
             ORDER BY s.institution_no, m.month`,
      rowMode: 'array',
    });
    const out: StationMonths[] = [];
    let cur: StationMonths | undefined;
    for (const [no, name, openingDate, lastSeq, lastUploadAt, month, count] of r.rows as Array<
      [string, string, string, number, string | null, string | null, number | null]
    >) {
      if (cur?.institutionNo !== no) {
        cur = { institutionNo: no, name, openingDate, lastSeq, lastUploadAt, months: [] };
        out.push(cur);
      }
      if (month !== null && count !== null) cur.months.push([month, count]);
    }
    return out;
  };

  faults: MonitorStore['faults'] = async (no, limit) => {
    const r = await this.pool.query(
      `SELECT institution_no, day, kind, at, detail, seq FROM faults WHERE ($1::text IS NULL OR institution_no = $1)
       ORDER BY at DESC, id DESC LIMIT $2`,
      [no, limit],
    );
    return r.rows.map(toFault);
  };

  faultCountsSince: MonitorStore['faultCountsSince'] = async (fromDay) => {
    const r = await this.pool.query<{ institution_no: string; n: number }>(
      `SELECT institution_no, count(*)::int AS n FROM faults WHERE day >= $1 GROUP BY institution_no`,
      [fromDay],
    );
    return new Map(r.rows.map((x) => [x.institution_no, x.n]));
  };

  logRefusal: MonitorStore['logRefusal'] = async (x) => {
    await this.pool.query(
      `INSERT INTO refusals (at, institution_no, code, status, remote, details) VALUES ($1, $2, $3, $4, $5, $6)`,
      [x.at, x.institutionNo, x.code, x.status, x.remote, JSON.stringify(x.details)],
    );
    const keep = this.pruning.keepAfterLogging();
    if (keep !== undefined)
      await this.pool.query(`DELETE FROM refusals WHERE id <= (SELECT max(id) FROM refusals) - $1`, [keep]);
  };

  recentRefusals: MonitorStore['recentRefusals'] = async (limit) => {
    const r = await this.pool.query(
      `SELECT at, institution_no, code, status, remote, details FROM refusals ORDER BY id DESC LIMIT $1`,
      [limit],
    );
    return r.rows.map(toRefusal);
  };

  close: MonitorStore['close'] = async () => {};
}
