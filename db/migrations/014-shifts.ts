// Migration 014: shift handover (交接班, issue 12). An operator ends a shift with a blind count of
// the drawer; the row keeps the shift's span, its figures as the shift X report showed them and
// the count against what the drawer should hold. Append-only: no UPDATE, no DELETE, no INSERT OR
// REPLACE over a row; a shift of a closed day cannot be added.
import { noUpdateNoDeleteTriggers } from '../../shared/ddl';

export const version = 14;

export const sql = /* sql */ `
CREATE TABLE shifts (
  id INTEGER PRIMARY KEY,
  business_day TEXT NOT NULL REFERENCES business_days(day),
  operator_id TEXT NOT NULL REFERENCES operators(id),
  operator_name TEXT NOT NULL,
  started_at TEXT NOT NULL,
  ended_at TEXT NOT NULL CHECK (ended_at >= started_at),
  txn_count INTEGER NOT NULL CHECK (txn_count >= 0),
  payments_fen INTEGER NOT NULL CHECK (payments_fen >= 0),
  cash_in_fen INTEGER NOT NULL,
  counted_cash_fen INTEGER NOT NULL CHECK (counted_cash_fen >= 0),
  expected_cash_fen INTEGER NOT NULL,
  variance_fen INTEGER NOT NULL,
  CHECK (variance_fen = counted_cash_fen - expected_cash_fen)
) STRICT;
CREATE INDEX shifts_day ON shifts (business_day, id);
${noUpdateNoDeleteTriggers('shifts', 'shifts: append-only')}
CREATE TRIGGER shifts_check BEFORE INSERT ON shifts
WHEN EXISTS (SELECT 1 FROM shifts WHERE id = NEW.id)
  OR EXISTS (SELECT 1 FROM day_closes WHERE day = NEW.business_day)
BEGIN SELECT RAISE(ABORT, 'shifts: append-only, and a closed day takes no shift'); END;
`;
