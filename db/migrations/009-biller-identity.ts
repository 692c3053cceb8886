// Migration 009: who a bill is paid to (issue 13 problem 8). The customer's slip names the biller
// (收费单位) and its service hotline as the central system gave them with the bill; they are kept
// with the looked-up bill and then with the payment's details. Bills looked up before keep NULL
// (their slips print without them).
export const version = 9;

export const sql = /* sql */ `
ALTER TABLE bill_inquiries ADD COLUMN biller_name TEXT;
ALTER TABLE bill_inquiries ADD COLUMN biller_hotline TEXT;

-- bill_inquiries_no_replace again (006), refreshing the biller too.
DROP TRIGGER bill_inquiries_no_replace;
CREATE TRIGGER bill_inquiries_no_replace BEFORE INSERT ON bill_inquiries
WHEN EXISTS (SELECT 1 FROM bill_inquiries WHERE bill_id = NEW.bill_id)
BEGIN
  SELECT RAISE(ABORT, 'APPEND_ONLY') WHERE NEW.paid_txn_id IS NOT NULL;
  UPDATE bill_inquiries SET payee_masked = NEW.payee_masked, amount_fen = NEW.amount_fen, fee_fen = NEW.fee_fen,
         period = NEW.period, inquired_at = NEW.inquired_at, operator_id = NEW.operator_id,
         biller_name = NEW.biller_name, biller_hotline = NEW.biller_hotline
   WHERE bill_id = NEW.bill_id;
  SELECT RAISE(IGNORE);
END;
`;
