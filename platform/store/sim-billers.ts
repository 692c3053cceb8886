// The simulated billers' memory, engine-neutral (a real biller keeps this on its own side).
import { createHash } from 'node:crypto';
import { dbRefusalOf, type SqlRunner } from './sql';
import type { SimBillerStore } from './types';

export class SqlSimBillerStore implements SimBillerStore {
  constructor(private readonly sql: SqlRunner) {}

  simPay(
    billerId: string,
    switchKey: string,
    billId: string,
    amountFen: number,
    at: string,
  ): Promise<string | undefined> {
    const billerRef = `${billerId.slice(0, 2).toUpperCase()}${createHash('sha256').update(switchKey).digest('hex').slice(0, 14).toUpperCase()}`;
    if (this.sql.engine === 'pg')
      // One statement: insert, or find the earlier payment under this key; nothing when the
      // bill was paid under another key (the partial unique index).
      return this.sql.read(async (tx) => {
        const r = await tx.one<{ biller_ref: string }>(
          `WITH ins AS (
             INSERT INTO sim_biller_payments (biller_id, switch_key, bill_id, amount_fen, biller_ref, at)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING biller_ref)
           SELECT biller_ref FROM ins
           UNION ALL SELECT biller_ref FROM sim_biller_payments WHERE biller_id = $1 AND switch_key = $2
           LIMIT 1`,
          [billerId, switchKey, billId, amountFen, billerRef, at],
        );
        return r?.biller_ref;
      });
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
  }

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
