// Migration 012: customer-chosen amounts (issue 13). Prepaid electricity and phone top-ups take an
// amount of the customer's choice within the biller's limits; such a bill may have nothing due.
// A looked-up bill keeps the limits (choose_min_fen, choose_max_fen, both or neither), and its
// amount due may be NULL — but only when it offers a chosen amount. SQLite cannot relax a NOT NULL
// or a CHECK in place: the table is rebuilt with its rows (new table, copy, drop, rename — nothing
// else refers to it), and its two guards (migrations 006 and 009) are put back, the refresh
// trigger now refreshing the limits too.
import { billInquiriesNoReplace } from './restated';

export const version = 12;

export const sql = /* sql */ `
DROP TRIGGER bill_inquiries_no_replace;
DROP TRIGGER bill_inquiries_key_fixed;

CREATE TABLE bill_inquiries_v12 (
  bill_id TEXT PRIMARY KEY,
  service TEXT NOT NULL,
  account_no TEXT NOT NULL,
  payee_masked TEXT NOT NULL,
  -- The amount due; NULL when nothing is due and only a chosen amount can be paid.
  amount_fen INTEGER CHECK (amount_fen IS NULL OR amount_fen > 0),
  fee_fen INTEGER NOT NULL CHECK (fee_fen >= 0),
  period TEXT,
  inquired_at TEXT NOT NULL,
  operator_id TEXT NOT NULL REFERENCES operators(id),
  -- The payment that settled this bill (cleared again by its reversal): a quick "already paid?".
  -- A chosen amount never sets it: it is a top-up of its own, the customer may top up again.
  paid_txn_id INTEGER REFERENCES txns(id),
  biller_name TEXT,
  biller_hotline TEXT,
  -- The limits of a customer-chosen amount (prepaid meter, phone top-up); NULL: the amount due only.
  choose_min_fen INTEGER CHECK (choose_min_fen IS NULL OR choose_min_fen > 0),
  choose_max_fen INTEGER CHECK (choose_max_fen IS NULL OR choose_max_fen >= choose_min_fen),
  CHECK ((choose_min_fen IS NULL) = (choose_max_fen IS NULL)),
  CHECK (amount_fen IS NOT NULL OR choose_min_fen IS NOT NULL)
) STRICT;

INSERT INTO bill_inquiries_v12 (bill_id, service, account_no, payee_masked, amount_fen, fee_fen, period,
                                inquired_at, operator_id, paid_txn_id, biller_name, biller_hotline)
SELECT bill_id, service, account_no, payee_masked, amount_fen, fee_fen, period,
       inquired_at, operator_id, paid_txn_id, biller_name, biller_hotline
  FROM bill_inquiries;
DROP TABLE bill_inquiries;
ALTER TABLE bill_inquiries_v12 RENAME TO bill_inquiries;

-- A looked-up bill: looking it up again refreshes it (its limits too), but never forgets that it
-- was paid (006, 009).
${billInquiriesNoReplace([
  'biller_name = NEW.biller_name, biller_hotline = NEW.biller_hotline',
  'choose_min_fen = NEW.choose_min_fen, choose_max_fen = NEW.choose_max_fen',
])}
-- Its key never changes (006).
CREATE TRIGGER bill_inquiries_key_fixed BEFORE UPDATE OF bill_id, service, account_no ON bill_inquiries
WHEN NEW.bill_id IS NOT OLD.bill_id OR NEW.service IS NOT OLD.service OR NEW.account_no IS NOT OLD.account_no
BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;
`;
