// Migration 016: two holes that SQL attacks on issue 12's tables found
// (tests/integration/login-shift-hardening.test.ts). Migrations 013 and 014 stay as shipped.
//  - operator_pins: the CHECK `pin_hash LIKE '$argon2id$%'` let a hash be blanked to the bare
//    prefix (or '$ARGON2ID$…': LIKE ignores case); no PIN verifies against it, so the operator
//    could no longer log in. A hash must now have the whole argon2id form
//    ($argon2id$v=…$m=…,…$salt$hash), case-sensitively (GLOB), on insert and on update.
//  - shifts: nothing stopped a second handover over a span already handed over — the same shift
//    "ended" again with another count, or one starting inside it. A shift of a day that has one
//    already starts exactly where the last handover ended (as shift.end writes it).
export const version = 16;

// The parameters come in the order the hashing library writes them (m=…,p=…,t=… today).
const PIN_HASH_FORM = `'$argon2id$v=[0-9]*$m=[0-9]*$?*$?*'`;

export const sql = /* sql */ `
CREATE TRIGGER operator_pins_hash_form BEFORE INSERT ON operator_pins
WHEN NEW.pin_hash NOT GLOB ${PIN_HASH_FORM}
BEGIN SELECT RAISE(ABORT, 'operator_pins: not an argon2id hash'); END;
CREATE TRIGGER operator_pins_hash_form_update BEFORE UPDATE OF pin_hash ON operator_pins
WHEN NEW.pin_hash NOT GLOB ${PIN_HASH_FORM}
BEGIN SELECT RAISE(ABORT, 'operator_pins: not an argon2id hash'); END;
CREATE TRIGGER shifts_no_overlap BEFORE INSERT ON shifts
WHEN EXISTS (SELECT 1 FROM shifts WHERE business_day = NEW.business_day)
  AND NEW.started_at IS NOT (SELECT max(ended_at) FROM shifts WHERE business_day = NEW.business_day)
BEGIN SELECT RAISE(ABORT, 'shifts: a shift starts where the last handover ended (an ended shift is not ended again)'); END;
`;
