// Migration 013: operators log in with a PIN (issue 12, PPL-3). One row per operator: the PIN's
// argon2id hash (never the PIN), when it was set, failed attempts since the last success and the
// time the operator is locked until (5 wrong PINs: 5 minutes). The row is updated in place (the
// counter moves), but never deleted, never replaced wholesale, and a hash is never blanked.
import { noReplaceTrigger, refuseTrigger } from '../../shared/ddl';

export const version = 13;

export const sql = /* sql */ `
CREATE TABLE operator_pins (
  operator_id TEXT PRIMARY KEY REFERENCES operators(id),
  pin_hash TEXT NOT NULL CHECK (pin_hash LIKE '$argon2id$%'),
  set_at TEXT NOT NULL,
  failures INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
  locked_until TEXT
) STRICT;
${noReplaceTrigger('operator_pins', 'operator_id = NEW.operator_id', 'operator_pins: a PIN is changed, not replaced')}
${refuseTrigger('operator_pins_no_delete', 'DELETE', 'operator_pins', 'operator_pins: never deleted')}
${refuseTrigger('operator_pins_fixed', 'UPDATE', 'operator_pins', 'operator_pins: the operator is fixed', 'NEW.operator_id IS NOT OLD.operator_id')}
`;
