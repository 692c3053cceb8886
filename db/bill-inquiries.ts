// Bills as the central system last described them (table bill_inquiries): a payment is made
// against the inquiry, never against an amount typed at the counter (SRV-2, SRV-4) — except a
// customer-chosen amount (prepaid meter, phone top-up), and then only within the limits the
// inquiry recorded (migration 012).
import type { Fen } from '../shared/money';
import type { ServiceId } from '../shared/catalogue';
import { stmt, type Db } from './open';

export interface InquiryRow {
  bill_id: string;
  service: ServiceId;
  account_no: string;
  payee_masked: string;
  /** The amount due; null when nothing is due and only a chosen amount can be paid. */
  amount_fen: Fen | null;
  fee_fen: Fen;
  period: string | null;
  inquired_at: string;
  paid_txn_id: number | null;
  /** 收费单位 and 客服热线 as the central system gave them (migration 009; null before). */
  biller_name: string | null;
  biller_hotline: string | null;
  /** The limits of a customer-chosen amount, both or neither (migration 012; null before). */
  choose_min_fen: Fen | null;
  choose_max_fen: Fen | null;
}

/** Records (or refreshes) what the central system said about a bill. */
export function upsertInquiry(db: Db, r: Omit<InquiryRow, 'paid_txn_id'> & { operator_id: string }): void {
  stmt(
    db,
    `INSERT INTO bill_inquiries (bill_id, service, account_no, payee_masked, amount_fen, fee_fen, period, inquired_at, operator_id,
                                 biller_name, biller_hotline, choose_min_fen, choose_max_fen)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(bill_id) DO UPDATE SET payee_masked = excluded.payee_masked, amount_fen = excluded.amount_fen,
       fee_fen = excluded.fee_fen, period = excluded.period, inquired_at = excluded.inquired_at, operator_id = excluded.operator_id,
       biller_name = excluded.biller_name, biller_hotline = excluded.biller_hotline,
       choose_min_fen = excluded.choose_min_fen, choose_max_fen = excluded.choose_max_fen`,
  ).run(
    r.bill_id,
    r.service,
    r.account_no,
    r.payee_masked,
    r.amount_fen,
    r.fee_fen,
    r.period,
    r.inquired_at,
    r.operator_id,
    r.biller_name,
    r.biller_hotline,
    r.choose_min_fen,
    r.choose_max_fen,
  );
}

export function inquiryByBill(db: Db, billId: string): InquiryRow | undefined {
  return stmt(db, `SELECT * FROM bill_inquiries WHERE bill_id = ?`).get(billId) as InquiryRow | undefined;
}

/** The bill is paid by this transaction (its amount due; never a chosen amount). */
export function markInquiryPaid(db: Db, billId: string, txnId: number): void {
  stmt(db, `UPDATE bill_inquiries SET paid_txn_id = ? WHERE bill_id = ?`).run(txnId, billId);
}

/** The payment was reversed: the bill may be paid again. */
export function clearInquiryPayment(db: Db, txnId: number): void {
  stmt(db, `UPDATE bill_inquiries SET paid_txn_id = NULL WHERE paid_txn_id = ?`).run(txnId);
}
