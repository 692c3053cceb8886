// Migration 004: the monitor upload outbox (MON-2) and the fault log (MON-3).
// See db/monitor-outbox.ts and backend/services/monitor-upload.ts.
import { monitorFaultsReconciliation } from './restated';

export const version = 4;
export const sql = /* sql */ `
-- 004: what the station still owes the exit-threshold monitor. Written by triggers, so a change
-- and its outbox entry are one statement, one transaction: no code path (nor a hand-written SQL
-- insert) can change a day's count without marking the day, and a refused insert marks nothing.
--   counted               bill payments not reversed, by the ORIGINAL's business day (RULES.md);
--                         top-ups and settlements do not count, so they mark nothing
--   a day is dirty        version > acked_version; every change bumps version
--   ack of an old version an upload remembers the version it read; its ack sets acked_version to
--                         that version, so a day changed while the upload was in flight stays dirty
--   never double-counted  a day is sent as its absolute count (latest seq wins at the monitor)
--   seq only goes up      monitor_state.seq is bumped and committed before any byte is sent

CREATE TABLE monitor_outbox (
  day TEXT PRIMARY KEY CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  version INTEGER NOT NULL CHECK (version >= 1),
  acked_version INTEGER NOT NULL DEFAULT 0 CHECK (acked_version >= 0 AND acked_version <= version),
  changed_at TEXT NOT NULL,
  acked_at TEXT,
  acked_seq INTEGER
) STRICT, WITHOUT ROWID;
-- The dirty days, oldest first (what the uploader reads every few minutes).
CREATE INDEX monitor_outbox_dirty ON monitor_outbox(day) WHERE version > acked_version;

-- A bill payment changes its own day's count.
CREATE TRIGGER monitor_outbox_payment AFTER INSERT ON txns
WHEN NEW.kind = 'bill_payment'
BEGIN
  INSERT INTO monitor_outbox (day, version, changed_at) VALUES (NEW.business_day, 1, NEW.created_at)
  ON CONFLICT(day) DO UPDATE SET version = version + 1, changed_at = excluded.changed_at;
END;

-- A reversal cancels the payment it reverses: the ORIGINAL's day (maybe a past, closed day) drops.
CREATE TRIGGER monitor_outbox_reversal AFTER INSERT ON txns
WHEN NEW.kind = 'reversal'
  AND (SELECT kind FROM txns WHERE id = NEW.reverses_id) = 'bill_payment'
BEGIN
  INSERT INTO monitor_outbox (day, version, changed_at)
  VALUES ((SELECT business_day FROM txns WHERE id = NEW.reverses_id), 1, NEW.created_at)
  ON CONFLICT(day) DO UPDATE SET version = version + 1, changed_at = excluded.changed_at;
END;

-- A closed day is reported even with no business: "0 today" is news for the rule too.
CREATE TRIGGER monitor_outbox_close AFTER INSERT ON day_closes
BEGIN
  INSERT INTO monitor_outbox (day, version, changed_at) VALUES (NEW.day, 1, NEW.closed_at)
  ON CONFLICT(day) DO UPDATE SET version = version + 1, changed_at = excluded.changed_at;
END;

CREATE TRIGGER monitor_outbox_no_delete BEFORE DELETE ON monitor_outbox
BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;
CREATE TRIGGER monitor_outbox_ack_forward BEFORE UPDATE OF acked_version ON monitor_outbox
WHEN NEW.acked_version < OLD.acked_version
BEGIN SELECT RAISE(ABORT, 'OUTBOX_ACK_BACKWARDS'); END;
CREATE TRIGGER monitor_outbox_version_forward BEFORE UPDATE OF version ON monitor_outbox
WHEN NEW.version < OLD.version
BEGIN SELECT RAISE(ABORT, 'OUTBOX_VERSION_BACKWARDS'); END;

-- MON-3 「异常情况…上报」: faults, reported with the next upload as part of their day. The same
-- fault again on the same day folds into its row (occurrences), so a printer left off all day is
-- one line, not hundreds. A new fault or a repeat marks its day dirty.
CREATE TABLE monitor_faults (
  id INTEGER PRIMARY KEY,
  day TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  kind TEXT NOT NULL CHECK (kind IN ('printer', 'network', 'reconciliation', 'gateway', 'power', 'other')),
  at TEXT NOT NULL CHECK (at = strftime('%Y-%m-%dT%H:%M:%fZ', at)),   -- first occurrence, UTC ISO
  last_at TEXT NOT NULL CHECK (last_at = strftime('%Y-%m-%dT%H:%M:%fZ', last_at)),
  occurrences INTEGER NOT NULL DEFAULT 1 CHECK (occurrences >= 1),
  detail TEXT NOT NULL CHECK (length(detail) BETWEEN 1 AND 400),
  source TEXT,                               -- 'print_job:12', 'z:3', 'monitor', …
  UNIQUE (day, kind, detail)
) STRICT;

CREATE TRIGGER monitor_faults_dirty AFTER INSERT ON monitor_faults
BEGIN
  INSERT INTO monitor_outbox (day, version, changed_at) VALUES (NEW.day, 1, NEW.at)
  ON CONFLICT(day) DO UPDATE SET version = version + 1, changed_at = excluded.changed_at;
END;
CREATE TRIGGER monitor_faults_repeat AFTER UPDATE OF occurrences ON monitor_faults
BEGIN
  INSERT INTO monitor_outbox (day, version, changed_at) VALUES (NEW.day, 1, NEW.last_at)
  ON CONFLICT(day) DO UPDATE SET version = version + 1, changed_at = excluded.changed_at;
END;
CREATE TRIGGER monitor_faults_fixed BEFORE UPDATE OF id, day, kind, at, detail, source ON monitor_faults
BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;
CREATE TRIGGER monitor_faults_no_delete BEFORE DELETE ON monitor_faults
BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;

-- Printer faults: a print attempt that did not print (back in the queue, uncertain, or failed).
-- Only moves out of 'printing' count: an attempt was made and it went wrong. Dated when the
-- attempt began (claimed_at, set by the print queue's clock). A fault trigger must never make
-- the change it watches fail: an unreadable time falls back to the creation time, then to now.
CREATE TRIGGER monitor_faults_printer AFTER UPDATE OF status ON print_jobs
WHEN OLD.status = 'printing' AND NEW.status IN ('queued', 'uncertain', 'failed')
BEGIN
  INSERT INTO monitor_faults (day, kind, at, last_at, detail, source)
  SELECT date(t.at, '+8 hours'), 'printer', t.at, t.at,
         substr(coalesce(nullif(trim(NEW.last_error), ''), '打印失败'), 1, 400),
         'print_job:' || NEW.id
  FROM (SELECT coalesce(strftime('%Y-%m-%dT%H:%M:%fZ', NEW.claimed_at),
                        strftime('%Y-%m-%dT%H:%M:%fZ', NEW.created_at),
                        strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) AS at) t
  WHERE true
  ON CONFLICT(day, kind, detail) DO UPDATE SET occurrences = occurrences + 1, last_at = max(last_at, excluded.last_at);
END;

-- Reconciliation differences at the day close (日终轧帐): the float against the central system,
-- the counted cash against the expected. Amounts as yuan text, built from integer fen.
${monitorFaultsReconciliation('帐')}

-- The upload sequence and the last outcome (one row). seq is the last number USED: it is bumped
-- and committed before an upload leaves, so a crash mid-upload never reuses a number.
CREATE TABLE monitor_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL CHECK (seq >= 0),
  last_attempt_at TEXT,
  last_success_at TEXT,
  last_result TEXT CHECK (last_result IN ('applied', 'replay', 'stale', 'refused', 'unreachable')),
  last_error_code TEXT,
  last_error_message TEXT,
  last_days INTEGER
) STRICT;
INSERT INTO monitor_state (id, seq) VALUES (1, 0);
CREATE TRIGGER monitor_state_seq_forward BEFORE UPDATE OF seq ON monitor_state
WHEN NEW.seq < OLD.seq
BEGIN SELECT RAISE(ABORT, 'SEQ_BACKWARDS'); END;
CREATE TRIGGER monitor_state_no_delete BEFORE DELETE ON monitor_state
BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;

-- A ledger from before this migration: every day it has business (or a close) is owed once.
INSERT INTO monitor_outbox (day, version, changed_at)
SELECT day, 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
FROM (SELECT business_day AS day FROM txns WHERE kind = 'bill_payment'
      UNION SELECT day FROM day_closes)
WHERE true
ON CONFLICT(day) DO NOTHING;
`;
