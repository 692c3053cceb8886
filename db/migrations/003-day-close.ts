// Migration 003: the end-of-day close (日终轧帐, PAY-4), blind cash counts, Z numbers, Z-slip prints.
// Independent of 002 (the print queue): it touches only 001's tables.
import { type CarriedOver, DAY_CLOSES_CHECK_ORDER, openingMismatch } from './restated';

export const version = 3;
/**
 * What a close must open `account` with (day_closes_check's OPENING_MISMATCH): the last close's
 * `closing` column plus the days closed without a Z since; before any close, all the account's
 * postings before the day (and `firstOpening`, where the very first
 * close opens with more).
 */
const carriedOver: CarriedOver = (account, closing, firstOpening) => `CASE
            WHEN EXISTS (SELECT 1 FROM day_closes) THEN
              (SELECT c.${closing} + coalesce((SELECT sum(p.amount_fen) FROM postings p
                  WHERE +p.account = '${account}' AND p.business_day > c.day AND p.business_day < NEW.day), 0)
               FROM day_closes c ORDER BY c.z_no DESC LIMIT 1)
            ELSE coalesce((SELECT sum(amount_fen) FROM postings WHERE +account = '${account}' AND business_day < NEW.day), 0)${firstOpening === undefined ? '' : `\n                 + ${firstOpening}`}
          END`;

export const sql = /* sql */ `
-- 003: closing the day. What the database guarantees here, whatever the application does:
--   a close ties out          the close's float and cash movements equal the day's postings
--   balances carry over       a close opens where the previous close ended (+ any day in between)
--   Z numbers have no gaps    z_no = max + 1, checked on insert; closes are append-only
--   days close in order       no close while an earlier business day is still open
--   no close over pending     no close while a bill payment reserved that day (or before) is pending
--   the close locks the day   inserting the close sets business_days.status = 'closed' (the 001
--                             trigger then refuses any posting dated that day: DAY_CLOSED)
--   a difference is explained a float difference or a cash variance needs a remark
--   nothing after a close     no new business day at or before the last closed day; no bill
--                             payment reserved on a closed day (the central system would pay
--                             something the ledger then refuses to post)

-- A count of the cash drawer (blind: taken before the expected figure is shown). Append-only; a
-- recount is a new row and the close uses the latest one. The drawer is counted when it is
-- counted: for a late close, cash postings dated after the day are recorded with the count so the
-- day's own figure is total_fen - later_cash_fen.
CREATE TABLE day_counts (
  id INTEGER PRIMARY KEY,
  day TEXT NOT NULL REFERENCES business_days(day),
  counted_at TEXT NOT NULL,
  operator_id TEXT NOT NULL REFERENCES operators(id),
  method TEXT NOT NULL CHECK (method IN ('denominations', 'total')),
  denominations TEXT CHECK (denominations IS NULL OR (json_valid(denominations) AND json_type(denominations) = 'object')),
  total_fen INTEGER NOT NULL CHECK (total_fen >= 0),
  later_cash_fen INTEGER NOT NULL,
  -- First close only: the change fund the drawer started with (no previous count to carry over).
  opening_cash_fen INTEGER CHECK (opening_cash_fen IS NULL OR opening_cash_fen >= 0),
  CHECK ((method = 'denominations') = (denominations IS NOT NULL))
) STRICT;
CREATE INDEX day_counts_day ON day_counts(day, id);

CREATE TRIGGER day_counts_open_day BEFORE INSERT ON day_counts
BEGIN
  SELECT RAISE(ABORT, 'DAY_CLOSED')
    WHERE EXISTS (SELECT 1 FROM business_days WHERE day = NEW.day AND status = 'closed');
END;
CREATE TRIGGER day_counts_no_update BEFORE UPDATE ON day_counts BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;
CREATE TRIGGER day_counts_no_delete BEFORE DELETE ON day_counts BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;

-- One Z close per business day, numbered without gaps. Amounts are integer fen; "signed" columns
-- carry their sign (a reversal of a payment gives float back: +).
CREATE TABLE day_closes (
  z_no INTEGER PRIMARY KEY CHECK (z_no >= 1),
  day TEXT NOT NULL UNIQUE REFERENCES business_days(day),
  closed_at TEXT NOT NULL,
  operator_id TEXT NOT NULL REFERENCES operators(id),
  txn_count INTEGER NOT NULL CHECK (txn_count >= 0),
  -- the float (预存款)
  opening_float_fen INTEGER NOT NULL,
  topups_fen INTEGER NOT NULL CHECK (topups_fen >= 0),
  payments_fen INTEGER NOT NULL CHECK (payments_fen >= 0),
  reversals_float_fen INTEGER NOT NULL,                 -- signed
  settled_to_float_fen INTEGER NOT NULL,                -- takings deposited as a top-up (PAY-5)
  closing_float_fen INTEGER NOT NULL CHECK (closing_float_fen >= 0),
  central_read_fen INTEGER NOT NULL,                    -- as the central system said, when asked
  later_float_fen INTEGER NOT NULL,                     -- float postings dated after the day, then
  central_float_fen INTEGER NOT NULL,                   -- the central balance at the day's end
  central_source TEXT NOT NULL CHECK (central_source IN ('gateway', 'operator')),
  float_difference_fen INTEGER NOT NULL,                -- central - ledger
  float_remark TEXT,
  -- the cash drawer (营业款)
  count_id INTEGER NOT NULL UNIQUE REFERENCES day_counts(id),
  opening_cash_fen INTEGER NOT NULL,
  cash_received_fen INTEGER NOT NULL CHECK (cash_received_fen >= 0),
  change_given_fen INTEGER NOT NULL CHECK (change_given_fen >= 0),
  reversals_cash_fen INTEGER NOT NULL,                  -- signed: refunds are negative
  settled_fen INTEGER NOT NULL,                         -- takings taken out of the drawer (PAY-5)
  expected_cash_fen INTEGER NOT NULL,
  counted_cash_fen INTEGER NOT NULL,
  cash_variance_fen INTEGER NOT NULL,                   -- counted - expected
  cash_remark TEXT,
  fees_fen INTEGER NOT NULL CHECK (fees_fen >= 0),
  takings_due_fen INTEGER NOT NULL,                     -- takings not yet settled at the day's end
  report TEXT NOT NULL CHECK (json_valid(report)),      -- the Z report as shown, for reprints
  CHECK (closing_float_fen = opening_float_fen + topups_fen - payments_fen + reversals_float_fen + settled_to_float_fen),
  CHECK (central_float_fen = central_read_fen - later_float_fen),
  CHECK (float_difference_fen = central_float_fen - closing_float_fen),
  CHECK (float_difference_fen = 0 OR length(trim(coalesce(float_remark, ''))) > 0),
  CHECK (expected_cash_fen = opening_cash_fen + cash_received_fen - change_given_fen + reversals_cash_fen - settled_fen),
  CHECK (cash_variance_fen = counted_cash_fen - expected_cash_fen),
  CHECK (cash_variance_fen = 0 OR length(trim(coalesce(cash_remark, ''))) > 0)
) STRICT;

CREATE TRIGGER day_closes_check BEFORE INSERT ON day_closes
BEGIN
${DAY_CLOSES_CHECK_ORDER}
  -- The count: of this day, the latest one, and what it says the day ended with.
  SELECT RAISE(ABORT, 'COUNT_REQUIRED')
    WHERE (SELECT day FROM day_counts WHERE id = NEW.count_id) IS NOT NEW.day
       OR EXISTS (SELECT 1 FROM day_counts WHERE day = NEW.day AND id > NEW.count_id)
       OR NEW.counted_cash_fen <> (SELECT total_fen - later_cash_fen FROM day_counts WHERE id = NEW.count_id);
  -- Ties out: the movements are the day's postings.
  SELECT RAISE(ABORT, 'CLOSE_MISMATCH')
    WHERE NEW.closing_float_fen - NEW.opening_float_fen <>
          (SELECT coalesce(sum(amount_fen), 0) FROM postings WHERE business_day = NEW.day AND account = 'float')
       OR NEW.expected_cash_fen - NEW.opening_cash_fen <>
          (SELECT coalesce(sum(amount_fen), 0) FROM postings WHERE business_day = NEW.day AND account = 'cash')
       OR NEW.txn_count <> (SELECT count(*) FROM txns WHERE business_day = NEW.day);
  -- (Ranges of days use postings_day: '+account' keeps the planner off the account-only index,
  -- which would read every posting of the account.)
  -- Carries over: the opening is the previous close's closing (plus days closed without a Z in
  -- between, if any); the very first close opens at what the ledger held before the day.
${openingMismatch(carriedOver)}
END;

-- The close and the lock are one fact.
CREATE TRIGGER day_closes_lock AFTER INSERT ON day_closes
BEGIN
  UPDATE business_days SET status = 'closed', closed_at = NEW.closed_at WHERE day = NEW.day AND status = 'open';
END;
CREATE TRIGGER day_closes_no_update BEFORE UPDATE ON day_closes BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;
CREATE TRIGGER day_closes_no_delete BEFORE DELETE ON day_closes BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;

-- Days close in order, so a day at or before the last close is closed even if it had no business.
CREATE TRIGGER business_days_after_close BEFORE INSERT ON business_days
BEGIN
  SELECT RAISE(ABORT, 'DAY_CLOSED') WHERE NEW.day <= (SELECT max(day) FROM day_closes);
END;

-- Reserve the float only on an open day: otherwise the central system would pay a bill whose
-- posting the ledger then refuses.
CREATE TRIGGER reservations_day_open BEFORE INSERT ON reservations
BEGIN
  SELECT RAISE(ABORT, 'DAY_CLOSED')
    WHERE date(NEW.created_at, '+8 hours') <= (SELECT max(day) FROM day_closes)
       OR EXISTS (SELECT 1 FROM business_days WHERE day = date(NEW.created_at, '+8 hours') AND status = 'closed');
END;

-- Z-slip print attempts, append-only. The n-th one that reached the printer is the original
-- (n = 0) or the n-th reprint (marked 重印 n on the slip).
CREATE TABLE z_prints (
  id INTEGER PRIMARY KEY,
  z_no INTEGER NOT NULL REFERENCES day_closes(z_no),
  attempt_no INTEGER NOT NULL CHECK (attempt_no >= 1),
  printed_at TEXT NOT NULL,
  operator_id TEXT NOT NULL REFERENCES operators(id),
  outcome TEXT NOT NULL CHECK (outcome IN ('sent', 'failed', 'no_printer')),
  message TEXT,
  UNIQUE (z_no, attempt_no)
) STRICT;
CREATE TRIGGER z_prints_sequence BEFORE INSERT ON z_prints
BEGIN
  SELECT RAISE(ABORT, 'Z_SEQUENCE')
    WHERE NEW.attempt_no <> coalesce((SELECT max(attempt_no) FROM z_prints WHERE z_no = NEW.z_no), 0) + 1;
END;
CREATE TRIGGER z_prints_no_update BEFORE UPDATE ON z_prints BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;
CREATE TRIGGER z_prints_no_delete BEFORE DELETE ON z_prints BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;

`;
