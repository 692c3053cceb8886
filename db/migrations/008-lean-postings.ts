// Migration 008: lean postings (issue 9, ledger v2). A durable posting used to dirty about 16
// pages: three postings spread over two secondary indexes by account and by day, plus an index by
// kind. Measured one at a time (tests/bench/ledger.bench.ts), those indexes were most of the
// cost. Now each account's running balance is one head row (all of them on one page), the day's
// postings are reached through the day's transactions, and the kind index is gone.
// up() checks that the heads equal the running balances and verifies the ledger from the start.
import type Database from 'better-sqlite3';
import { verifyLedger } from '../chain-verify';
import {
  type CarriedOver,
  DAY_CLOSES_CHECK_COUNT,
  DAY_CLOSES_CHECK_ORDER,
  openingMismatch,
  POSTINGS_CHECK_DECLARED,
  POSTINGS_CHECK_FLOAT,
} from './restated';

export const version = 8;

/**
 * What a close must open `account` with (day_closes_check's OPENING_MISMATCH): the last close's
 * `closing` column plus the days closed without a Z since, through the days' transactions; before
 * any close, all the account's postings before the day (and `firstOpening`, where the very first
 * close opens with more).
 */
const carriedOver: CarriedOver = (account, closing, firstOpening) => `CASE
            WHEN EXISTS (SELECT 1 FROM day_closes) THEN
              (SELECT c.${closing} + coalesce((SELECT sum(p.amount_fen) FROM txns t
                  JOIN postings p ON p.txn_id = t.id AND p.account = '${account}'
                  WHERE t.business_day > c.day AND t.business_day < NEW.day), 0)
               FROM day_closes c ORDER BY c.z_no DESC LIMIT 1)
            ELSE coalesce((SELECT sum(p.amount_fen) FROM txns t
                  JOIN postings p ON p.txn_id = t.id AND p.account = '${account}'
                  WHERE t.business_day < NEW.day), 0)${firstOpening === undefined ? '' : `\n                 + ${firstOpening}`}
          END`;

export const sql = /* sql */ `
-- 008: lean postings.
--   account_heads   one row per account: its latest posting and the balance after it. The
--                   posting trigger moves it; it may only ever point at the newest posting, of
--                   its own account, with that posting's balance (so it cannot be set by hand to
--                   anything the postings do not say); never deleted, never REPLACEd
--   by account      the balance chain continues from the head (no index by account)
--   by day          postings are reached through txns_day (business_day, id) and their
--                   (txn_id, account) key; posting.business_day stays (equal to its txn's)
--   by kind         transactions of a kind on a day are read through txns_day
--   dirty days      the monitor outbox (a row per day) is read without its partial index

CREATE TABLE account_heads (
  account TEXT PRIMARY KEY REFERENCES accounts(code),
  posting_id INTEGER NOT NULL,             -- 0: no posting yet
  balance_fen INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

INSERT INTO account_heads (account, posting_id, balance_fen)
SELECT a.code, coalesce(l.id, 0), coalesce(p.balance_after_fen, 0)
FROM accounts a
LEFT JOIN (SELECT account, max(id) AS id FROM postings GROUP BY account) l ON l.account = a.code
LEFT JOIN postings p ON p.id = l.id;

DROP INDEX postings_account;
DROP INDEX postings_day;
DROP INDEX txns_kind_day;
-- A payment bumps its day's outbox version; the partial index on dirty days was rewritten by
-- every bump (its condition reads the version). The outbox has one row per day: read it whole.
DROP INDEX monitor_outbox_dirty;

-- A new account starts with an empty head.
CREATE TRIGGER accounts_head AFTER INSERT ON accounts
BEGIN INSERT INTO account_heads (account, posting_id, balance_fen) VALUES (NEW.code, 0, 0); END;

CREATE TRIGGER account_heads_insert BEFORE INSERT ON account_heads
BEGIN
  SELECT RAISE(ABORT, 'APPEND_ONLY')
    WHERE EXISTS (SELECT 1 FROM account_heads WHERE account = NEW.account);
  SELECT RAISE(ABORT, 'BALANCE_CHAIN')
    WHERE NEW.posting_id IS NOT 0 OR NEW.balance_fen IS NOT 0
       OR NOT EXISTS (SELECT 1 FROM accounts WHERE code = NEW.account)
       OR EXISTS (SELECT 1 FROM postings WHERE account = NEW.account);
END;
CREATE TRIGGER account_heads_move BEFORE UPDATE ON account_heads
BEGIN
  SELECT RAISE(ABORT, 'BALANCE_CHAIN')
    WHERE NEW.account IS NOT OLD.account
       OR NEW.posting_id IS NOT (SELECT max(id) FROM postings)
       OR NOT EXISTS (SELECT 1 FROM postings WHERE id = NEW.posting_id AND account = NEW.account
                                              AND balance_after_fen = NEW.balance_fen);
END;
CREATE TRIGGER account_heads_no_delete BEFORE DELETE ON account_heads
BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;

CREATE TRIGGER postings_head AFTER INSERT ON postings
BEGIN
  UPDATE account_heads SET posting_id = NEW.id, balance_fen = NEW.balance_after_fen
  WHERE account = NEW.account;
END;

-- postings_check and txns_post again, continuing from the head.
DROP TRIGGER postings_check;
CREATE TRIGGER postings_check BEFORE INSERT ON postings
BEGIN
${POSTINGS_CHECK_DECLARED}
  SELECT RAISE(ABORT, 'BALANCE_CHAIN')
    WHERE NEW.balance_after_fen <> NEW.amount_fen
          + coalesce((SELECT balance_fen FROM account_heads WHERE account = NEW.account), 0);
${POSTINGS_CHECK_FLOAT}
END;

DROP TRIGGER txns_post;
CREATE TRIGGER txns_post AFTER INSERT ON txns
BEGIN
  INSERT INTO postings (txn_id, account, amount_fen, balance_after_fen, business_day)
  SELECT NEW.id, json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'),
         json_extract(j.value, '$[1]')
           + coalesce((SELECT h.balance_fen FROM account_heads h WHERE h.account = json_extract(j.value, '$[0]')), 0),
         NEW.business_day
  FROM json_each(NEW.legs) j ORDER BY j.key;
END;

-- day_closes_check again: the day's postings through the day's transactions.
DROP TRIGGER day_closes_check;
CREATE TRIGGER day_closes_check BEFORE INSERT ON day_closes
BEGIN
${DAY_CLOSES_CHECK_ORDER}
${DAY_CLOSES_CHECK_COUNT}
  SELECT RAISE(ABORT, 'CLOSE_MISMATCH')
    WHERE NEW.closing_float_fen - NEW.opening_float_fen <>
          (SELECT coalesce(sum(p.amount_fen), 0) FROM txns t JOIN postings p ON p.txn_id = t.id AND p.account = 'float'
           WHERE t.business_day = NEW.day)
       OR NEW.expected_cash_fen - NEW.opening_cash_fen <>
          (SELECT coalesce(sum(p.amount_fen), 0) FROM txns t JOIN postings p ON p.txn_id = t.id AND p.account = 'cash'
           WHERE t.business_day = NEW.day)
       OR NEW.txn_count <> (SELECT count(*) FROM txns WHERE business_day = NEW.day);
${openingMismatch(carriedOver)}
END;
`;

/** Verifies the whole ledger, heads included (db/chain-verify.ts compares each head with the running
 *  balance). Like 007, a failure is recorded (it closes money channels and shows on every
 *  screen) rather than stopping the station from opening. */
export function up(db: Database.Database): void {
  const v = verifyLedger(db, { scope: 'migration', nowIso: new Date().toISOString(), full: true });
  if (!v.ok) console.error(`[yizhan] ledger verification after migration 008 failed: ${v.problem}`);
}
