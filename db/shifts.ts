// Shift handover (交接班, issue 12): the shifts of a day, and one operator's work since the last.
import { stmt, type Db } from './open';

export interface ShiftRow {
  id: number;
  business_day: string;
  operator_id: string;
  operator_name: string;
  started_at: string;
  ended_at: string;
  txn_count: number;
  payments_fen: number;
  cash_in_fen: number;
  counted_cash_fen: number;
  expected_cash_fen: number;
  variance_fen: number;
}

export function shiftsOfDay(db: Db, day: string): ShiftRow[] {
  return stmt(db, `SELECT * FROM shifts WHERE business_day = ? ORDER BY id`).all(day) as ShiftRow[];
}

export function shiftById(db: Db, id: number): ShiftRow | undefined {
  return stmt(db, `SELECT * FROM shifts WHERE id = ?`).get(id) as ShiftRow | undefined;
}

/** A shift's number in its day (1 for the day's first handover). */
export function shiftNoOf(db: Db, r: Pick<ShiftRow, 'id' | 'business_day'>): number {
  return stmt(db, `SELECT count(*) FROM shifts WHERE business_day = ? AND id <= ?`)
    .pluck()
    .get(r.business_day, r.id) as number;
}

/** Where the next shift of the day starts: the last handover, or the start of the day. */
export function shiftStart(db: Db, day: string, dayStartIso: string): string {
  const last = stmt(db, `SELECT max(ended_at) FROM shifts WHERE business_day = ?`).pluck().get(day) as
    string | null;
  return last ?? dayStartIso;
}

/** The operator's transactions of the day in [fromIso, toIso): count, bill payments and the cash
 *  they took in (received less change, from each transaction's cash leg). */
export function shiftFigures(
  db: Db,
  day: string,
  operatorId: string,
  fromIso: string,
  toIso: string,
): { txnCount: number; paymentsFen: number; cashInFen: number } {
  const rows = stmt(
    db,
    `SELECT kind, amount_fen, legs FROM txns
      WHERE business_day = ? AND operator_id = ? AND created_at >= ? AND created_at < ?`,
  ).all(day, operatorId, fromIso, toIso) as Array<{ kind: string; amount_fen: number; legs: string }>;
  let paymentsFen = 0;
  let cashInFen = 0;
  for (const r of rows) {
    if (r.kind === 'bill_payment') paymentsFen += r.amount_fen;
    for (const [account, fen] of JSON.parse(r.legs) as Array<[string, number]>)
      if (account === 'cash') cashInFen += fen;
  }
  return { txnCount: rows.length, paymentsFen, cashInFen };
}

export function insertShift(db: Db, s: Omit<ShiftRow, 'id'>): number {
  return Number(
    stmt(
      db,
      `INSERT INTO shifts (business_day, operator_id, operator_name, started_at, ended_at, txn_count, payments_fen,
         cash_in_fen, counted_cash_fen, expected_cash_fen, variance_fen)
       VALUES (@business_day, @operator_id, @operator_name, @started_at, @ended_at, @txn_count, @payments_fen,
         @cash_in_fen, @counted_cash_fen, @expected_cash_fen, @variance_fen)`,
    ).run(s).lastInsertRowid,
  );
}
