// The demo gateway's own database: what the simulated central system (backend/gateway/demo.ts)
// remembers — payments, declines and top-ups — in a file of its own, apart from the station's
// ledger. Rows only; the simulated behaviour lives in the gateway.
import Database from 'better-sqlite3';
import { applyPragmas, stmt, type Db } from './open';

export interface CentralPaymentRow {
  payment_ref: string;
  bill_id: string;
  amount_fen: number;
  institution_no: string;
  gateway_ref: string;
  status: 'paid' | 'reversed';
  at: string;
}

export class DemoCentralStore {
  private readonly db: Db;

  constructor(file: string) {
    this.db = new Database(file);
    applyPragmas(this.db, 5_000);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS payments (
        payment_ref TEXT PRIMARY KEY, bill_id TEXT NOT NULL UNIQUE, amount_fen INTEGER NOT NULL,
        institution_no TEXT NOT NULL, gateway_ref TEXT NOT NULL, status TEXT NOT NULL, at TEXT NOT NULL) STRICT;
      CREATE TABLE IF NOT EXISTS declined (payment_ref TEXT PRIMARY KEY, reason TEXT NOT NULL) STRICT;
      CREATE TABLE IF NOT EXISTS topups (
        kind TEXT NOT NULL, ref TEXT NOT NULL, amount_fen INTEGER NOT NULL, institution_no TEXT NOT NULL,
        reversed INTEGER NOT NULL DEFAULT 0, at TEXT NOT NULL, PRIMARY KEY (kind, ref)) STRICT;
    `);
  }

  billPaid(billId: string): boolean {
    return !!stmt(this.db, `SELECT 1 FROM payments WHERE bill_id = ? AND status = 'paid'`).get(billId);
  }

  payment(paymentRef: string): CentralPaymentRow | undefined {
    return stmt(this.db, `SELECT * FROM payments WHERE payment_ref = ?`).get(paymentRef) as
      CentralPaymentRow | undefined;
  }

  recordPayment(p: Omit<CentralPaymentRow, 'status'>): void {
    stmt(this.db, `INSERT INTO payments VALUES (?, ?, ?, ?, ?, 'paid', ?)`).run(
      p.payment_ref,
      p.bill_id,
      p.amount_fen,
      p.institution_no,
      p.gateway_ref,
      p.at,
    );
  }

  recordDecline(paymentRef: string, reason: string): void {
    stmt(this.db, `INSERT OR IGNORE INTO declined VALUES (?, ?)`).run(paymentRef, reason);
  }

  declineReason(paymentRef: string): string | undefined {
    return stmt(this.db, `SELECT reason FROM declined WHERE payment_ref = ?`).pluck().get(paymentRef) as
      string | undefined;
  }

  /** Marks a paid payment reversed (its bill may be paid again); false when it was not paid. */
  reversePayment(paymentRef: string): boolean {
    return (
      stmt(
        this.db,
        `UPDATE payments SET status = 'reversed', bill_id = bill_id || '#R' || payment_ref WHERE payment_ref = ? AND status = 'paid'`,
      ).run(paymentRef).changes === 1
    );
  }

  /** Top-ups not reversed minus payments made, in fen. */
  balanceFen(institutionNo: string): number {
    const top = stmt(
      this.db,
      `SELECT coalesce(sum(amount_fen), 0) FROM topups WHERE institution_no = ? AND reversed = 0`,
    )
      .pluck()
      .get(institutionNo) as number;
    const paid = stmt(
      this.db,
      `SELECT coalesce(sum(amount_fen), 0) FROM payments WHERE institution_no = ? AND status = 'paid'`,
    )
      .pluck()
      .get(institutionNo) as number;
    return top - paid;
  }

  topUp(kind: string, ref: string): { amount_fen: number; reversed: number } | undefined {
    return stmt(this.db, `SELECT amount_fen, reversed FROM topups WHERE kind = ? AND ref = ?`).get(
      kind,
      ref,
    ) as { amount_fen: number; reversed: number } | undefined;
  }

  /** Records a top-up (again, un-reversed, when the same reference comes back). */
  recordTopUp(t: { kind: string; ref: string; amountFen: number; institutionNo: string; at: string }): void {
    stmt(
      this.db,
      `INSERT INTO topups (kind, ref, amount_fen, institution_no, at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(kind, ref) DO UPDATE SET amount_fen = excluded.amount_fen, reversed = 0`,
    ).run(t.kind, t.ref, t.amountFen, t.institutionNo, t.at);
  }

  /** Reverses the top-ups with this reference; how many were reversed now. */
  reverseTopUp(ref: string): number {
    return stmt(this.db, `UPDATE topups SET reversed = 1 WHERE ref = ? AND reversed = 0`).run(ref).changes;
  }

  topUpReversed(ref: string): boolean {
    return stmt(this.db, `SELECT reversed FROM topups WHERE ref = ?`).pluck().get(ref) === 1;
  }

  close(): void {
    this.db.close();
  }
}
