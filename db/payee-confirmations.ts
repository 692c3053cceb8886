// The payee confirmed with the customer before a bill is paid (SRV-2; table payee_confirmations,
// migration 015): what the operator confirmed, who and when, until when, and the payment that
// used it. See backend/services/payee-confirmation.ts.
import type { Fen } from '../shared/money';
import type { ServiceId } from '../shared/catalogue';
import { stmt, type Db } from './open';

export interface PayeeConfirmationRow {
  token: string;
  bill_id: string;
  service: ServiceId;
  account_no: string;
  payee_masked: string;
  /** The amount confirmed: the amount due, or the customer's chosen amount (chosen = 1). */
  amount_fen: Fen;
  chosen: 0 | 1;
  fee_fen: Fen;
  inquired_at: string;
  operator_id: string;
  confirmed_at: string;
  expires_at: string;
  /** The idempotency key of the payment (its reservation) that used the token; null: unused. */
  used_key: string | null;
  used_at: string | null;
}

export function insertPayeeConfirmation(db: Db, r: Omit<PayeeConfirmationRow, 'used_key' | 'used_at'>): void {
  stmt(
    db,
    `INSERT INTO payee_confirmations (token, bill_id, service, account_no, payee_masked, amount_fen, chosen, fee_fen,
                                      inquired_at, operator_id, confirmed_at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    r.token,
    r.bill_id,
    r.service,
    r.account_no,
    r.payee_masked,
    r.amount_fen,
    r.chosen,
    r.fee_fen,
    r.inquired_at,
    r.operator_id,
    r.confirmed_at,
    r.expires_at,
  );
}

export function payeeConfirmation(db: Db, token: string): PayeeConfirmationRow | undefined {
  return stmt(db, `SELECT * FROM payee_confirmations WHERE token = ?`).get(token) as
    PayeeConfirmationRow | undefined;
}

/** Marks the token used by this payment's reservation (in the reservation's transaction); false
 *  when it was used already. */
export function usePayeeConfirmation(db: Db, token: string, key: string, nowIso: string): boolean {
  return (
    stmt(
      db,
      `UPDATE payee_confirmations SET used_key = ?, used_at = ? WHERE token = ? AND used_key IS NULL`,
    ).run(key, nowIso, token).changes === 1
  );
}
