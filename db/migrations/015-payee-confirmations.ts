// Migration 015: the payee confirmed with the customer (SRV-2, issue 12 item 7). Before a bill is
// paid, the operator reads the looked-up bill (payee, masked, and amount) back to the customer and
// confirms it (已与客户核对): `bill.confirmPayee` records that confirmation here — who, when, and
// exactly what was confirmed — and gives back its token, which `bill.pay` requires. A token is
// unguessable (32 random bytes), belongs to one bill at one amount, payee and fee, to the
// operator who confirmed, expires (`expires_at`), and is used by one payment only: the reservation
// that used it is named in `used_key` (set once, in the reservation's own transaction).
//
// Guarded like the other tables (006): a confirmation is born unused and never deleted; what it
// confirmed never changes; `used_key` is set once (never cleared or moved), so INSERT OR REPLACE
// and UPDATE OR REPLACE cannot erase or rewrite one.
export const version = 15;

export const sql = /* sql */ `
CREATE TABLE payee_confirmations (
  token TEXT PRIMARY KEY CHECK (length(token) >= 32),
  -- What the operator confirmed with the customer: the bill as looked up (no reference to
  -- bill_inquiries: that table is rebuilt by migrations, 012), the amount to pay (the amount due
  -- or the customer's chosen amount, then chosen = 1) and the fee.
  bill_id TEXT NOT NULL,
  service TEXT NOT NULL,
  account_no TEXT NOT NULL,
  payee_masked TEXT NOT NULL,
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
  chosen INTEGER NOT NULL CHECK (chosen IN (0, 1)),
  fee_fen INTEGER NOT NULL CHECK (fee_fen >= 0),
  inquired_at TEXT NOT NULL,
  -- Who confirmed, and when; until when the token may be used.
  operator_id TEXT NOT NULL REFERENCES operators(id),
  confirmed_at TEXT NOT NULL,
  expires_at TEXT NOT NULL CHECK (expires_at > confirmed_at),
  -- The payment (its reservation's idempotency key) that used the token, and when.
  used_key TEXT UNIQUE REFERENCES reservations(idempotency_key),
  used_at TEXT,
  CHECK ((used_key IS NULL) = (used_at IS NULL))
) STRICT;

CREATE TRIGGER payee_confirmations_no_replace BEFORE INSERT ON payee_confirmations
WHEN EXISTS (SELECT 1 FROM payee_confirmations WHERE token = NEW.token)
  OR NEW.used_key IS NOT NULL OR NEW.used_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;

-- Only the use is ever written, once: what was confirmed, by whom and when stays as it was.
CREATE TRIGGER payee_confirmations_fixed BEFORE UPDATE ON payee_confirmations
WHEN NEW.token IS NOT OLD.token OR NEW.bill_id IS NOT OLD.bill_id OR NEW.service IS NOT OLD.service
  OR NEW.account_no IS NOT OLD.account_no OR NEW.payee_masked IS NOT OLD.payee_masked
  OR NEW.amount_fen IS NOT OLD.amount_fen OR NEW.chosen IS NOT OLD.chosen OR NEW.fee_fen IS NOT OLD.fee_fen
  OR NEW.inquired_at IS NOT OLD.inquired_at OR NEW.operator_id IS NOT OLD.operator_id
  OR NEW.confirmed_at IS NOT OLD.confirmed_at OR NEW.expires_at IS NOT OLD.expires_at
  OR OLD.used_key IS NOT NULL OR OLD.used_at IS NOT NULL
  OR EXISTS (SELECT 1 FROM payee_confirmations WHERE used_key = NEW.used_key AND token <> OLD.token)
BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;

CREATE TRIGGER payee_confirmations_no_delete BEFORE DELETE ON payee_confirmations
BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;
`;
