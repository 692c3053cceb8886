// Migration 006: closes the holes a hostile test found (issue 9, defects 2–6). See the SQL.
import { insertOnceTriggers, noUpdateNoDeleteTriggers } from '../../shared/ddl';
import { billInquiriesNoReplace, TXNS_CHECK_LEGS, TXNS_CHECK_ONCE_OPEN_DAY } from './restated';

export const version = 6;
export const sql = /* sql */ `
-- 006: hardening. What the database refuses from here on, whatever the application does:
--
--   REPLACE (defect 2)      INSERT OR REPLACE deletes the old row WITHOUT firing delete triggers
--                           (unless recursive_triggers is on, which a hostile connection leaves
--                           off). Every protected table therefore refuses, in a BEFORE INSERT
--                           trigger, a row whose key (primary key or any UNIQUE column set) is
--                           already there: the trigger runs before the conflict is resolved, so
--                           nothing is deleted. Two tables are "upsert by design" (the outbox and
--                           the fault log: a repeat means "once more"): there an insert of an
--                           existing key becomes the bump it stands for and is then ignored, and
--                           a row that claims an acknowledgement is refused. An UPDATE OR REPLACE
--                           can delete another row too when a key column changes: key columns of
--                           the tables that allow updates are fixed.
--   counts (defect 4)       a cash count is taken for the day it is (its own Shanghai day) or
--                           for the oldest unclosed business day that had business — never for an
--                           arbitrary past date (which then became a business day, a Z, an upload)
--   references (defect 5)   voucher numbers and Green Card bank references are compared in one
--                           canonical form: trimmed, upper case, separators (space, tab, - _ . /)
--                           removed; what was typed is kept as typed
--   pending bill (defect 6) one pending reservation per bill: a second one (under another key)
--                           is refused with PAYMENT_PENDING
--   people (defect 3)       the station and its operators are append-only with versions: a change
--                           is a new version with its time and its reason; one holder, ever;
--                           each transaction carries the operator's name as it was then

-- ---- defect 2: REPLACE ---------------------------------------------------------------------------

CREATE TRIGGER accounts_no_replace BEFORE INSERT ON accounts
WHEN EXISTS (SELECT 1 FROM accounts WHERE code = NEW.code)
BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;

${insertOnceTriggers('operator_training', 'operator_id = NEW.operator_id AND service = NEW.service', 'APPEND_ONLY', 'APPEND_ONLY')}

-- A business day is born open (a close closes it). Inserting a day that exists: refused when it
-- is closed (DAY_CLOSED: it cannot be reopened); an "open it if it is not there" of an open day
-- leaves the row as it is (INSERT OR IGNORE, ON CONFLICT DO NOTHING, and REPLACE alike).
CREATE TRIGGER business_days_no_replace BEFORE INSERT ON business_days
BEGIN
  SELECT RAISE(ABORT, 'APPEND_ONLY') WHERE NEW.status IS NOT 'open' OR NEW.closed_at IS NOT NULL;
  SELECT RAISE(ABORT, 'DAY_CLOSED')
    WHERE EXISTS (SELECT 1 FROM business_days WHERE day = NEW.day AND status <> 'open');
  SELECT RAISE(IGNORE) WHERE EXISTS (SELECT 1 FROM business_days WHERE day = NEW.day);
END;
CREATE TRIGGER business_days_key_fixed BEFORE UPDATE OF day ON business_days
WHEN NEW.day IS NOT OLD.day
BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;

CREATE TRIGGER day_counts_no_replace BEFORE INSERT ON day_counts
WHEN EXISTS (SELECT 1 FROM day_counts WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;

CREATE TRIGGER day_closes_no_replace BEFORE INSERT ON day_closes
WHEN EXISTS (SELECT 1 FROM day_closes WHERE z_no = NEW.z_no OR day = NEW.day OR count_id = NEW.count_id)
BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;

CREATE TRIGGER z_prints_no_replace BEFORE INSERT ON z_prints
WHEN EXISTS (SELECT 1 FROM z_prints WHERE id = NEW.id OR (z_no = NEW.z_no AND attempt_no = NEW.attempt_no))
BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;

CREATE TRIGGER print_jobs_no_replace BEFORE INSERT ON print_jobs
WHEN EXISTS (SELECT 1 FROM print_jobs WHERE id = NEW.id OR (ref = NEW.ref AND reprint_no = NEW.reprint_no))
BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;
CREATE TRIGGER print_jobs_id_fixed BEFORE UPDATE OF id ON print_jobs
WHEN NEW.id IS NOT OLD.id
BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;

CREATE TRIGGER reservations_keys_fixed BEFORE UPDATE OF id, txn_id ON reservations
WHEN NEW.id IS NOT OLD.id
  OR (NEW.txn_id IS NOT NULL AND EXISTS (SELECT 1 FROM reservations WHERE txn_id = NEW.txn_id AND id <> OLD.id))
BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;

CREATE TRIGGER vouchers_id_fixed BEFORE INSERT ON vouchers
WHEN EXISTS (SELECT 1 FROM vouchers WHERE id = NEW.id OR txn_id = NEW.txn_id)
BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;

-- The outbox: a day is born unacknowledged; inserting a day that is there is a change to it.
CREATE TRIGGER monitor_outbox_no_replace BEFORE INSERT ON monitor_outbox
BEGIN
  SELECT RAISE(ABORT, 'APPEND_ONLY')
    WHERE NEW.acked_version IS NOT 0 OR NEW.acked_at IS NOT NULL OR NEW.acked_seq IS NOT NULL;
  UPDATE monitor_outbox SET version = version + 1, changed_at = NEW.changed_at WHERE day = NEW.day;
  SELECT RAISE(IGNORE) WHERE EXISTS (SELECT 1 FROM monitor_outbox WHERE day = NEW.day);
END;
CREATE TRIGGER monitor_outbox_key_fixed BEFORE UPDATE OF day ON monitor_outbox
WHEN NEW.day IS NOT OLD.day
BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;

-- The fault log: the same fault again on the same day is one more occurrence.
CREATE TRIGGER monitor_faults_no_replace BEFORE INSERT ON monitor_faults
BEGIN
  SELECT RAISE(ABORT, 'APPEND_ONLY')
    WHERE EXISTS (SELECT 1 FROM monitor_faults WHERE id = NEW.id) OR NEW.occurrences IS NOT 1;
  UPDATE monitor_faults SET occurrences = occurrences + 1, last_at = max(last_at, NEW.last_at)
   WHERE day = NEW.day AND kind = NEW.kind AND detail = NEW.detail;
  SELECT RAISE(IGNORE)
    WHERE EXISTS (SELECT 1 FROM monitor_faults WHERE day = NEW.day AND kind = NEW.kind AND detail = NEW.detail);
END;

CREATE TRIGGER monitor_state_no_replace BEFORE INSERT ON monitor_state
WHEN EXISTS (SELECT 1 FROM monitor_state WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;

-- A looked-up bill: looking it up again refreshes it, but never forgets that it was paid.
${billInquiriesNoReplace([])}
CREATE TRIGGER bill_inquiries_key_fixed BEFORE UPDATE OF bill_id, service, account_no ON bill_inquiries
WHEN NEW.bill_id IS NOT OLD.bill_id OR NEW.service IS NOT OLD.service OR NEW.account_no IS NOT OLD.account_no
BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;

-- ---- defect 3: the station and its operators, versioned ------------------------------------------

CREATE TABLE station_versions (
  version INTEGER PRIMARY KEY CHECK (version >= 1),
  institution_no TEXT NOT NULL,
  name TEXT NOT NULL,
  demo INTEGER NOT NULL CHECK (demo IN (0, 1)),
  green_card_masked TEXT,
  created_at TEXT NOT NULL,                  -- when the station was set up (same in every version)
  valid_from TEXT NOT NULL,                  -- when this version took effect
  reason TEXT NOT NULL CHECK (length(trim(reason)) > 0)
) STRICT;
INSERT INTO station_versions (version, institution_no, name, demo, green_card_masked, created_at, valid_from, reason)
SELECT 1, institution_no, name, demo, green_card_masked, created_at, created_at, '建站' FROM station;
DROP TABLE station;

CREATE TRIGGER station_versions_check BEFORE INSERT ON station_versions
BEGIN
  SELECT RAISE(ABORT, 'APPEND_ONLY')
    WHERE NEW.version IS NOT coalesce((SELECT max(version) FROM station_versions), 0) + 1;
  SELECT RAISE(ABORT, 'APPEND_ONLY')
    WHERE EXISTS (SELECT 1 FROM station_versions WHERE version = 1
                  AND (institution_no IS NOT NEW.institution_no OR created_at IS NOT NEW.created_at));
END;
${noUpdateNoDeleteTriggers('station_versions', 'APPEND_ONLY')}

-- The station as it is now (its latest version). Created once through the view; changed only by
-- a new version with its reason.
CREATE VIEW station AS
SELECT 1 AS id, institution_no, name, demo, green_card_masked, created_at, version, valid_from, reason
FROM station_versions WHERE version = (SELECT max(version) FROM station_versions);
CREATE TRIGGER station_create INSTEAD OF INSERT ON station
BEGIN
  SELECT RAISE(ABORT, 'APPEND_ONLY') WHERE EXISTS (SELECT 1 FROM station_versions);
  INSERT INTO station_versions (version, institution_no, name, demo, green_card_masked, created_at, valid_from, reason)
  VALUES (1, NEW.institution_no, NEW.name, NEW.demo, NEW.green_card_masked, NEW.created_at, NEW.created_at, '建站');
END;

-- An operator's identity (id, role, when added) is fixed; what can change (name, authorisation,
-- active) changes by a new version. The operators row keeps the values it was created with.
CREATE TABLE operator_versions (
  operator_id TEXT NOT NULL REFERENCES operators(id),
  version INTEGER NOT NULL CHECK (version >= 1),
  name TEXT NOT NULL CHECK (length(trim(name)) > 0),
  authorisation_doc TEXT,
  authorised_at TEXT,
  active INTEGER NOT NULL CHECK (active IN (0, 1)),
  valid_from TEXT NOT NULL,
  reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
  PRIMARY KEY (operator_id, version)
) STRICT, WITHOUT ROWID;
INSERT INTO operator_versions (operator_id, version, name, authorisation_doc, authorised_at, active, valid_from, reason)
SELECT id, 1, name, authorisation_doc, authorised_at, active, created_at, '新增操作员' FROM operators;

CREATE TRIGGER operator_versions_check BEFORE INSERT ON operator_versions
BEGIN
  SELECT RAISE(ABORT, 'UNKNOWN_OPERATOR')
    WHERE NOT EXISTS (SELECT 1 FROM operators WHERE id = NEW.operator_id);
  SELECT RAISE(ABORT, 'APPEND_ONLY')
    WHERE NEW.version IS NOT coalesce((SELECT max(version) FROM operator_versions WHERE operator_id = NEW.operator_id), 0) + 1;
  -- A delegate works under a written authorisation (PPL-3), in every version.
  SELECT RAISE(ABORT, 'APPEND_ONLY')
    WHERE (SELECT role FROM operators WHERE id = NEW.operator_id) = 'delegate'
      AND (NEW.authorisation_doc IS NULL OR NEW.authorised_at IS NULL);
END;
${noUpdateNoDeleteTriggers('operator_versions', 'APPEND_ONLY')}

CREATE TRIGGER operators_no_replace BEFORE INSERT ON operators
BEGIN
  SELECT RAISE(ABORT, 'APPEND_ONLY') WHERE EXISTS (SELECT 1 FROM operators WHERE id = NEW.id);
  SELECT RAISE(ABORT, 'SECOND_HOLDER')
    WHERE NEW.role = 'holder' AND EXISTS (SELECT 1 FROM operators WHERE role = 'holder');
  SELECT RAISE(ABORT, 'APPEND_ONLY') WHERE NEW.active IS NOT 1;
END;
-- The first version is the operator as added.
CREATE TRIGGER operators_first_version AFTER INSERT ON operators
BEGIN
  INSERT INTO operator_versions (operator_id, version, name, authorisation_doc, authorised_at, active, valid_from, reason)
  VALUES (NEW.id, 1, NEW.name, NEW.authorisation_doc, NEW.authorised_at, 1, NEW.created_at, '新增操作员');
END;
${noUpdateNoDeleteTriggers('operators', 'APPEND_ONLY')}

-- Each operator as they are now.
CREATE VIEW operators_current AS
SELECT o.id, v.name, o.role, v.authorisation_doc, v.authorised_at, v.active, o.created_at, v.version, v.valid_from
FROM operators o JOIN operator_versions v ON v.operator_id = o.id
WHERE v.version = (SELECT max(version) FROM operator_versions WHERE operator_id = o.id);

-- Who did it, as they were then: the name is written with the transaction (and must be the
-- operator's name at that moment). Transactions from before this migration have none: they show
-- the name the operator had when this migration ran (kept unchanged in operators.name).
ALTER TABLE txns ADD COLUMN operator_name TEXT;

-- ---- defect 5: canonical voucher numbers and bank references -------------------------------------

ALTER TABLE vouchers ADD COLUMN voucher_key TEXT GENERATED ALWAYS AS (
  upper(replace(replace(replace(replace(replace(replace(replace(replace(voucher_no,
    ' ', ''), char(9), ''), char(10), ''), char(13), ''), '-', ''), '_', ''), '.', ''), '/', ''))) VIRTUAL;
DROP INDEX vouchers_no;
CREATE INDEX vouchers_key ON vouchers(voucher_key);
DROP TRIGGER vouchers_once;
CREATE TRIGGER vouchers_once BEFORE INSERT ON vouchers
BEGIN
  SELECT RAISE(ABORT, 'DUPLICATE_VOUCHER')
    WHERE EXISTS (SELECT 1 FROM vouchers v
                  WHERE v.voucher_key = upper(replace(replace(replace(replace(replace(replace(replace(replace(NEW.voucher_no,
                          ' ', ''), char(9), ''), char(10), ''), char(13), ''), '-', ''), '_', ''), '.', ''), '/', ''))
                    AND NOT EXISTS (SELECT 1 FROM txns r WHERE r.reverses_id = v.txn_id));
END;

DROP INDEX txns_bank_ref;
CREATE INDEX txns_bank_ref_key ON txns(
  upper(replace(replace(replace(replace(replace(replace(replace(replace(json_extract(details, '$.bankRef'),
    ' ', ''), char(9), ''), char(10), ''), char(13), ''), '-', ''), '_', ''), '.', ''), '/', '')))
WHERE kind = 'topup_green_card';

-- txns_check again, with the canonical bank reference and the operator's name as it is now.
DROP TRIGGER txns_check;
CREATE TRIGGER txns_check BEFORE INSERT ON txns
BEGIN
${TXNS_CHECK_ONCE_OPEN_DAY}
  SELECT RAISE(ABORT, 'UNKNOWN_OPERATOR')
    WHERE NEW.operator_name IS NOT NULL AND NEW.operator_name IS NOT
      (SELECT v.name FROM operator_versions v WHERE v.operator_id = NEW.operator_id ORDER BY v.version DESC LIMIT 1);
${TXNS_CHECK_LEGS}
  -- PAY-3: a Green Card bank reference is credited once (unless that credit was reversed), in its
  -- canonical form.
  SELECT RAISE(ABORT, 'DUPLICATE_BANK_REF')
    WHERE NEW.kind = 'topup_green_card' AND EXISTS (
      SELECT 1 FROM txns t
      WHERE t.kind = 'topup_green_card'
        AND upper(replace(replace(replace(replace(replace(replace(replace(replace(json_extract(t.details, '$.bankRef'),
              ' ', ''), char(9), ''), char(10), ''), char(13), ''), '-', ''), '_', ''), '.', ''), '/', ''))
          = upper(replace(replace(replace(replace(replace(replace(replace(replace(json_extract(NEW.details, '$.bankRef'),
              ' ', ''), char(9), ''), char(10), ''), char(13), ''), '-', ''), '_', ''), '.', ''), '/', ''))
        AND NOT EXISTS (SELECT 1 FROM txns r WHERE r.reverses_id = t.id));
END;

-- ---- defect 4: which day a count is for ----------------------------------------------------------

-- The day it is (the count's own Shanghai day), or the oldest unclosed business day that had
-- business (a transaction, or a count taken on that day itself).
CREATE TRIGGER day_counts_which_day BEFORE INSERT ON day_counts
WHEN NEW.day IS NOT date(NEW.counted_at, '+8 hours')
BEGIN
  SELECT RAISE(ABORT, 'DAY_NOT_COUNTABLE')
    WHERE NEW.day IS NOT (
      SELECT min(b.day) FROM business_days b
      WHERE b.status = 'open'
        AND (EXISTS (SELECT 1 FROM txns t WHERE t.business_day = b.day)
             OR EXISTS (SELECT 1 FROM day_counts c WHERE c.day = b.day AND date(c.counted_at, '+8 hours') = b.day)));
END;

-- ---- defect 6: one pending payment per bill ------------------------------------------------------

CREATE INDEX reservations_pending_bill ON reservations(json_extract(request, '$.billId'))
WHERE status = 'pending';
CREATE TRIGGER reservations_one_pending_per_bill BEFORE INSERT ON reservations
WHEN json_extract(NEW.request, '$.billId') IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'PAYMENT_PENDING')
    WHERE EXISTS (SELECT 1 FROM reservations
                  WHERE status = 'pending' AND json_extract(request, '$.billId') = json_extract(NEW.request, '$.billId'));
END;
`;
