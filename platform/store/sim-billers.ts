// The simulated billers' memory, engine-neutral (a real biller keeps this on its own side).
import { createHash } from 'node:crypto';
import { GroupCommit } from './group-commit';
import { dbRefusalOf, type SqlRunner } from './sql';
import type { SimBillerStore } from './types';

interface SimPay {
  billerId: string;
  switchKey: string;
  billId: string;
  amountFen: number;
  billerRef: string;
  at: string;
}

export class SqlSimBillerStore implements SimBillerStore {
  /** PostgreSQL: payments arriving together are taken in one statement (group commit). */
  private readonly pays = new GroupCommit<SimPay, string | undefined>((reqs) => this.payBatch(reqs));
  /** PostgreSQL: the inquiries (is this bill paid?) arriving together go as one statement — one
   *  a payment otherwise, the only store call of a payment that was not batched. */
  private readonly paidChecks = new GroupCommit<{ billerId: string; billId: string }, boolean>((reqs) =>
    this.sql.read(async (tx) => {
      const rows = await tx.all<{ i: number; paid: boolean }>(
        // A lookup by the index for each (a scalar subquery: EXISTS may be planned as one
        // scan of the whole table hashed, and the prepared plan kept as the table grows).
        `SELECT r.i, (SELECT true FROM sim_biller_payments s
                       WHERE s.biller_id = r.b AND s.bill_id = r.bill AND s.reversed = 0 LIMIT 1) IS NOT NULL AS paid
           FROM jsonb_to_recordset($1::jsonb) AS r(i int, b text, bill text)`,
        [JSON.stringify(reqs.map((r, i) => ({ i, b: r.billerId, bill: r.billId })))],
      );
      const out: boolean[] = new Array(reqs.length).fill(false);
      for (const r of rows) out[r.i] = r.paid;
      return out;
    }),
  );

  constructor(private readonly sql: SqlRunner) {}

  /** Insert each, or find the earlier payment under its key; nothing for a member whose bill was
   *  paid under another key (the partial unique index). The same key twice: the same answer.
   *  The earlier payment is looked up by key for each member that needs it (a join here was
   *  planned, once for the prepared statement, as a scan of the whole table on every batch). */
  private payBatch(reqs: SimPay[]): Promise<Array<string | undefined>> {
    return this.sql.read(async (tx) => {
      const rows = await tx.all<{ i: number; biller_ref: string | null }>(
        `WITH req AS (
           SELECT * FROM jsonb_to_recordset($1::jsonb)
             AS r(i int, biller_id text, switch_key text, bill_id text, amount_fen bigint, biller_ref text, at text)),
         ins AS (
           INSERT INTO sim_biller_payments (biller_id, switch_key, bill_id, amount_fen, biller_ref, at)
           SELECT biller_id, switch_key, bill_id, amount_fen, biller_ref, at FROM req ORDER BY i
           ON CONFLICT DO NOTHING RETURNING biller_id, switch_key, biller_ref)
         SELECT req.i, coalesce(ins.biller_ref,
                  (SELECT s.biller_ref FROM sim_biller_payments s
                    WHERE s.biller_id = req.biller_id AND s.switch_key = req.switch_key)) AS biller_ref
           FROM req LEFT JOIN ins ON ins.biller_id = req.biller_id AND ins.switch_key = req.switch_key`,
        [
          JSON.stringify(
            reqs.map((r, i) => ({
              i,
              biller_id: r.billerId,
              switch_key: r.switchKey,
              bill_id: r.billId,
              amount_fen: r.amountFen,
              biller_ref: r.billerRef,
              at: r.at,
            })),
          ),
        ],
      );
      const out: Array<string | undefined> = new Array(reqs.length).fill(undefined);
      for (const r of rows) out[r.i] = r.biller_ref ?? undefined;
      return out;
    });
  }

  // Typed from the interface rather than restating its long signature.
  simPay: SimBillerStore['simPay'] = (billerId, switchKey, billId, amountFen, at) => {
    const billerRef = `${billerId.slice(0, 2).toUpperCase()}${createHash('sha256').update(switchKey).digest('hex').slice(0, 14).toUpperCase()}`;
    if (this.sql.engine === 'pg')
      return this.pays.submit({ billerId, switchKey, billId, amountFen, billerRef, at });
    return this.sql.write(async (tx) => {
      const prior = await tx.one<{ biller_ref: string }>(
        `SELECT biller_ref FROM sim_biller_payments WHERE biller_id = $1 AND switch_key = $2`,
        [billerId, switchKey],
      );
      if (prior) return prior.biller_ref;
      try {
        await tx.run(
          `INSERT INTO sim_biller_payments (biller_id, switch_key, bill_id, amount_fen, biller_ref, at) VALUES ($1, $2, $3, $4, $5, $6)`,
          [billerId, switchKey, billId, amountFen, billerRef, at],
        );
      } catch (e) {
        if (dbRefusalOf(e) === 'unique') return undefined; // the bill is paid already
        throw e;
      }
      return billerRef;
    });
  };

  simStatus(
    billerId: string,
    switchKey: string,
  ): Promise<{ billerRef: string; reversed: boolean } | undefined> {
    return this.sql.read(async (tx) => {
      const r = await tx.one<{ biller_ref: string; reversed: number }>(
        `SELECT biller_ref, reversed FROM sim_biller_payments WHERE biller_id = $1 AND switch_key = $2`,
        [billerId, switchKey],
      );
      return r && { billerRef: r.biller_ref, reversed: r.reversed === 1 };
    });
  }

  simBillPaid(billerId: string, billId: string): Promise<boolean> {
    if (this.sql.engine === 'pg') return this.paidChecks.submit({ billerId, billId });
    return this.sql.read(
      async (tx) =>
        (await tx.one(
          `SELECT 1 AS x FROM sim_biller_payments WHERE biller_id = $1 AND bill_id = $2 AND reversed = 0`,
          [billerId, billId],
        )) !== undefined,
    );
  }

  simReverse(billerId: string, switchKey: string): Promise<boolean> {
    return this.sql.write(async (tx) => {
      await tx.run(`UPDATE sim_biller_payments SET reversed = 1 WHERE biller_id = $1 AND switch_key = $2`, [
        billerId,
        switchKey,
      ]);
      return (
        (await tx.one(`SELECT 1 AS x FROM sim_biller_payments WHERE biller_id = $1 AND switch_key = $2`, [
          billerId,
          switchKey,
        ])) !== undefined
      );
    });
  }
}
