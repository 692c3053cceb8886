// Issue 9, ledger v2 at the office: each closed day's hash-chain head as the station first
// uploaded it (its Z close's anchor). The station cannot rewrite what the office holds: a later
// upload that carries another head for the same day means the station's history changed under a
// closed day, and is kept as an alert for the office. Engine-neutral SQL (sql.ts); both tables
// are append-only in the database itself.
import type { ChainAnchor } from '../../shared/monitor-protocol';
import type { SqlRunner } from './sql';

const TABLES = (bigint: string) => /* sql */ `
CREATE TABLE chain_anchors (
  institution_no TEXT NOT NULL,
  day TEXT NOT NULL,
  z_no ${bigint} NOT NULL,
  txn_id ${bigint} NOT NULL,
  head TEXT NOT NULL,
  first_seq ${bigint} NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (institution_no, day)
);
CREATE TABLE chain_alerts (
  institution_no TEXT NOT NULL,
  day TEXT NOT NULL,
  seq ${bigint} NOT NULL,
  z_no ${bigint} NOT NULL,
  txn_id ${bigint} NOT NULL,
  head TEXT NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (institution_no, day, seq)
);
`;

export const SQLITE_ANCHORS_001 = `${TABLES('INTEGER')}
${['chain_anchors', 'chain_alerts']
  .flatMap((t) =>
    ['UPDATE', 'DELETE'].map(
      (op) =>
        `CREATE TRIGGER ${t}_no_${op.toLowerCase()} BEFORE ${op} ON ${t} BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;`,
    ),
  )
  .join('\n')}`;

export const PG_ANCHORS_001 = `${TABLES('BIGINT')}
${['chain_anchors', 'chain_alerts']
  .map(
    (t) =>
      `CREATE TRIGGER ${t}_append_only BEFORE UPDATE OR DELETE ON ${t} FOR EACH ROW EXECUTE FUNCTION yz_refuse('APPEND_ONLY');`,
  )
  .join('\n')}`;

export interface HistoryAlert {
  institutionNo: string;
  day: string;
  /** What the office holds (the first upload of the day's anchor). */
  first: ChainAnchor & { seq: number; at: string };
  /** What a later upload claimed. */
  later: ChainAnchor & { seq: number; at: string };
}

interface AnchorRow {
  z_no: number | string;
  txn_id: number | string;
  head: string;
  first_seq: number | string;
  at: string;
}

export class SqlChainAnchorStore {
  constructor(private readonly sql: SqlRunner) {}

  /** The day's anchor: kept the first time; the same again is nothing; another is an alert. */
  record(
    institutionNo: string,
    day: string,
    a: ChainAnchor,
    seq: number,
    at: string,
  ): Promise<'new' | 'same' | 'changed'> {
    return this.sql.write(async (tx) => {
      const prior = await tx.one<AnchorRow>(
        `SELECT z_no, txn_id, head, first_seq, at FROM chain_anchors WHERE institution_no = $1 AND day = $2`,
        [institutionNo, day],
      );
      if (!prior) {
        await tx.run(
          `INSERT INTO chain_anchors (institution_no, day, z_no, txn_id, head, first_seq, at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [institutionNo, day, a.zNo, a.txnId, a.head, seq, at],
        );
        return 'new';
      }
      if (prior.head === a.head && Number(prior.z_no) === a.zNo && Number(prior.txn_id) === a.txnId)
        return 'same';
      await tx.run(
        `INSERT INTO chain_alerts (institution_no, day, seq, z_no, txn_id, head, at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT DO NOTHING`,
        [institutionNo, day, seq, a.zNo, a.txnId, a.head, at],
      );
      return 'changed';
    });
  }

  /** Stations whose history changed under a closed day, newest first (one station, or all). */
  alerts(institutionNo?: string, limit = 200): Promise<HistoryAlert[]> {
    return this.sql.read(async (tx) => {
      const rows = await tx.all<
        AnchorRow & {
          institution_no: string;
          day: string;
          seq: number | string;
          l_z: number | string;
          l_txn: number | string;
          l_head: string;
          l_at: string;
        }
      >(
        `SELECT a.institution_no, a.day, a.z_no, a.txn_id, a.head, a.first_seq, a.at,
                l.seq, l.z_no AS l_z, l.txn_id AS l_txn, l.head AS l_head, l.at AS l_at
           FROM chain_alerts l JOIN chain_anchors a ON a.institution_no = l.institution_no AND a.day = l.day
          WHERE ($1 = '' OR l.institution_no = $1)
          ORDER BY l.at DESC, l.institution_no, l.day LIMIT $2`,
        [institutionNo ?? '', limit],
      );
      return rows.map((r) => ({
        institutionNo: r.institution_no,
        day: r.day,
        first: {
          zNo: Number(r.z_no),
          txnId: Number(r.txn_id),
          head: r.head,
          seq: Number(r.first_seq),
          at: r.at,
        },
        later: { zNo: Number(r.l_z), txnId: Number(r.l_txn), head: r.l_head, seq: Number(r.seq), at: r.l_at },
      }));
    });
  }
}
