// Migration 013: operators log in with a PIN (issue 12, PPL-3). One row per operator: the PIN's
// argon2id hash (never the PIN), when it was set, failed attempts since the last success and the
// time the operator is locked until (5 wrong PINs: 5 minutes). The row is updated in place (the
// counter moves), but never deleted, never replaced wholesale, and a hash is never blanked.
export const version = 13;

export const sql = /* sql */ `
CREATE TABLE operator_pins (
  operator_id TEXT PRIMARY KEY REFERENCES operators(id),
  pin_hash TEXT NOT NULL CHECK (pin_hash LIKE '$argon2id$%'),
  set_at TEXT NOT NULL,
  failures INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
  locked_until TEXT
) STRICT;
CREATE TRIGGER operator_pins_no_replace BEFORE INSERT ON operator_pins
WHEN EXISTS (SELECT 1 FROM operator_pins WHERE operator_id = NEW.operator_id)
BEGIN SELECT RAISE(ABORT, 'operator_pins: a PIN is changed, not replaced'); END;
CREATE TRIGGER operator_pins_no_delete BEFORE DELETE ON operator_pins
BEGIN SELECT RAISE(ABORT, 'operator_pins: never deleted'); END;
CREATE TRIGGER operator_pins_fixed BEFORE UPDATE ON operator_pins
WHEN NEW.operator_id IS NOT OLD.operator_id
BEGIN SELECT RAISE(ABORT, 'operator_pins: the operator is fixed'); END;
`;
