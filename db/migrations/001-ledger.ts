// Migration 001: the station, operators and the double-entry ledger. See the comments in the SQL.
import { noUpdateNoDeleteTriggers } from '../../shared/ddl';
import {
  POSTINGS_CHECK_DECLARED,
  POSTINGS_CHECK_FLOAT,
  RESERVATIONS_CHECK_ONCE,
  TXNS_CHECK_LEGS,
  TXNS_CHECK_ONCE_OPEN_DAY,
} from './restated';

export const version = 1;
export const sql = /* sql */ `
-- 001: the station, its operators and the double-entry ledger of the prepaid float.
-- Every invariant the regulation cares about is enforced here, so that neither a UI bug nor a
-- hand-written SQL statement can break it:
--   PAY-1 zero credit         postings.balance_after_fen chain + trigger RAISE(ABORT,'INSUFFICIENT_FLOAT')
--   append-only               triggers reject UPDATE/DELETE of txns and postings
--   reversal once             txns.reverses_id UNIQUE
--   closed days               trigger RAISE(ABORT,'DAY_CLOSED')
--   idempotency               txns.idempotency_key UNIQUE, idempotency table
--   PPL-3 who did it          txns.operator_id NOT NULL REFERENCES operators

CREATE TABLE station (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  institution_no TEXT NOT NULL,          -- 机构号
  name TEXT NOT NULL,
  demo INTEGER NOT NULL CHECK (demo IN (0, 1)),
  green_card_masked TEXT,                -- PAY-3: the bound postal Green Card, masked
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE operators (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('holder', 'delegate')),   -- PPL-3
  authorisation_doc TEXT,                                      -- written authorisation no. (delegates)
  authorised_at TEXT,
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at TEXT NOT NULL,
  CHECK (role = 'holder' OR (authorisation_doc IS NOT NULL AND authorised_at IS NOT NULL))
) STRICT;

-- PPL-1/PPL-2: training per operator and service.
CREATE TABLE operator_training (
  operator_id TEXT NOT NULL REFERENCES operators(id),
  service TEXT NOT NULL,
  trained_at TEXT NOT NULL,
  PRIMARY KEY (operator_id, service)
) STRICT;

CREATE TABLE accounts (
  code TEXT PRIMARY KEY,
  name_zh TEXT NOT NULL,
  no_overdraft INTEGER NOT NULL CHECK (no_overdraft IN (0, 1))
) STRICT;

INSERT INTO accounts (code, name_zh, no_overdraft) VALUES
  ('float', '预存款', 1),       -- prepaid balance held by the post office; zero credit (PAY-1)
  ('cash',  '营业款现金', 0),    -- the cash drawer: takings kept apart (PAY-5)
  ('owner', '经营者资金', 0),    -- the owner's own money (deposits at the branch, Green Card)
  ('fees',  '手续费收入', 0);    -- fees from the catalogue (SRV-4)

${noUpdateNoDeleteTriggers('accounts', 'APPEND_ONLY')}

-- A business day (Asia/Shanghai). A closed day accepts no postings.
CREATE TABLE business_days (
  day TEXT PRIMARY KEY CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
  opened_at TEXT NOT NULL,
  closed_at TEXT,
  CHECK ((status = 'closed') = (closed_at IS NOT NULL))
) STRICT;

CREATE TRIGGER business_days_no_reopen BEFORE UPDATE ON business_days
WHEN OLD.status = 'closed'
BEGIN SELECT RAISE(ABORT, 'DAY_CLOSED'); END;
CREATE TRIGGER business_days_no_delete BEFORE DELETE ON business_days
BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;

-- One row per business transaction. The legs column declares the double-entry postings as JSON
-- [[account, amount_fen], ...]; the triggers below check they balance and write them.
CREATE TABLE txns (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('topup_voucher', 'topup_green_card', 'bill_payment', 'takings_settlement', 'reversal')),
  business_day TEXT NOT NULL REFERENCES business_days(day),
  created_at TEXT NOT NULL,
  operator_id TEXT NOT NULL REFERENCES operators(id),            -- PPL-3
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
  fee_fen INTEGER NOT NULL DEFAULT 0 CHECK (fee_fen >= 0),
  service TEXT,
  reverses_id INTEGER REFERENCES txns(id),                     -- a transaction is reversed once (index below)
  idempotency_key TEXT NOT NULL UNIQUE,
  request_hash TEXT NOT NULL,
  legs TEXT NOT NULL CHECK (json_valid(legs) AND json_type(legs) = 'array'),
  details TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details)),
  CHECK ((kind = 'reversal') = (reverses_id IS NOT NULL)),
  CHECK (kind <> 'bill_payment' OR service IS NOT NULL)
) STRICT;
CREATE INDEX txns_day ON txns(business_day, id);
-- Partial, so that the many transactions that reverse nothing do not write to it.
CREATE UNIQUE INDEX txns_reverses_once ON txns(reverses_id) WHERE reverses_id IS NOT NULL;
CREATE INDEX txns_kind_day ON txns(kind, business_day);

CREATE TRIGGER txns_check BEFORE INSERT ON txns
BEGIN
${TXNS_CHECK_ONCE_OPEN_DAY}
${TXNS_CHECK_LEGS}
  -- PAY-3: a Green Card bank reference is credited once (unless that credit was reversed).
  SELECT RAISE(ABORT, 'DUPLICATE_BANK_REF')
    WHERE NEW.kind = 'topup_green_card' AND EXISTS (
      SELECT 1 FROM txns t
      WHERE t.kind = 'topup_green_card' AND json_extract(t.details, '$.bankRef') = json_extract(NEW.details, '$.bankRef')
        AND NOT EXISTS (SELECT 1 FROM txns r WHERE r.reverses_id = t.id));
END;
CREATE INDEX txns_bank_ref ON txns(json_extract(details, '$.bankRef')) WHERE kind = 'topup_green_card';

CREATE TABLE postings (
  id INTEGER PRIMARY KEY,
  txn_id INTEGER NOT NULL REFERENCES txns(id),
  account TEXT NOT NULL REFERENCES accounts(code),
  amount_fen INTEGER NOT NULL CHECK (amount_fen <> 0),
  balance_after_fen INTEGER NOT NULL,                          -- the stored, running balance
  business_day TEXT NOT NULL,
  UNIQUE (txn_id, account)
) STRICT;
CREATE INDEX postings_account ON postings(account, id);
CREATE INDEX postings_day ON postings(business_day, account);

-- A posting must be one the transaction declared, continue its account's balance chain, and
-- (for the float) never take it below what other pending reservations hold — i.e. never below 0.00.
-- (The reservation a payment settles is not counted against it: it is released in the same transaction.)
CREATE TRIGGER postings_check BEFORE INSERT ON postings
BEGIN
${POSTINGS_CHECK_DECLARED}
  SELECT RAISE(ABORT, 'BALANCE_CHAIN')
    WHERE NEW.balance_after_fen <> NEW.amount_fen + coalesce(
      (SELECT balance_after_fen FROM postings WHERE account = NEW.account ORDER BY id DESC LIMIT 1), 0);
${POSTINGS_CHECK_FLOAT}
END;

-- Last word on zero credit, whatever a trigger might miss: the stored balance itself.
CREATE TRIGGER postings_zero_credit BEFORE INSERT ON postings
WHEN NEW.balance_after_fen < 0 AND (SELECT no_overdraft FROM accounts WHERE code = NEW.account) = 1
BEGIN SELECT RAISE(ABORT, 'INSUFFICIENT_FLOAT'); END;

-- The transaction writes its own postings, all or nothing, in the order declared.
CREATE TRIGGER txns_post AFTER INSERT ON txns
BEGIN
  INSERT INTO postings (txn_id, account, amount_fen, balance_after_fen, business_day)
  SELECT NEW.id, json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'),
         json_extract(j.value, '$[1]') + coalesce(
           (SELECT balance_after_fen FROM postings p WHERE p.account = json_extract(j.value, '$[0]')
            ORDER BY p.id DESC LIMIT 1), 0),
         NEW.business_day
  FROM json_each(NEW.legs) j ORDER BY j.key;
END;

CREATE TRIGGER txns_no_update BEFORE UPDATE ON txns BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;
CREATE TRIGGER txns_no_delete BEFORE DELETE ON txns BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;
CREATE TRIGGER postings_no_update BEFORE UPDATE ON postings BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;
CREATE TRIGGER postings_no_delete BEFORE DELETE ON postings BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;

-- PAY-2: a deposit voucher is credited once (unless that credit was reversed as a mistake).
CREATE TABLE vouchers (
  id INTEGER PRIMARY KEY,
  voucher_no TEXT NOT NULL,
  branch_code TEXT NOT NULL,
  clerk TEXT NOT NULL,
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
  deposited_at TEXT NOT NULL,
  txn_id INTEGER NOT NULL UNIQUE REFERENCES txns(id)
) STRICT;
CREATE INDEX vouchers_no ON vouchers(voucher_no);

CREATE TRIGGER vouchers_once BEFORE INSERT ON vouchers
BEGIN
  SELECT RAISE(ABORT, 'APPEND_ONLY')
    WHERE EXISTS (SELECT 1 FROM vouchers WHERE id = NEW.id) OR EXISTS (SELECT 1 FROM vouchers WHERE txn_id = NEW.txn_id);
  SELECT RAISE(ABORT, 'DUPLICATE_VOUCHER')
    WHERE EXISTS (SELECT 1 FROM vouchers v WHERE v.voucher_no = NEW.voucher_no
                  AND NOT EXISTS (SELECT 1 FROM txns r WHERE r.reverses_id = v.txn_id));
END;
CREATE TRIGGER vouchers_no_update BEFORE UPDATE ON vouchers BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;
CREATE TRIGGER vouchers_no_delete BEFORE DELETE ON vouchers BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;

-- Two-phase bill payments: the float is reserved before the gateway is asked to pay, then the
-- reservation is posted (the payment transaction) or voided. Pending reservations reduce what
-- the float can spend, in the database: see postings_check and the trigger below.
CREATE TABLE reservations (
  id INTEGER PRIMARY KEY,
  idempotency_key TEXT NOT NULL UNIQUE,
  account TEXT NOT NULL DEFAULT 'float' REFERENCES accounts(code),
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
  status TEXT NOT NULL CHECK (status IN ('pending', 'posted', 'voided')),
  request TEXT NOT NULL CHECK (json_valid(request)),
  created_at TEXT NOT NULL,
  resolved_at TEXT,
  resolution TEXT,
  txn_id INTEGER UNIQUE REFERENCES txns(id),
  CHECK ((status = 'pending') = (resolved_at IS NULL)),
  CHECK (status <> 'posted' OR txn_id IS NOT NULL)
) STRICT;
CREATE INDEX reservations_pending ON reservations(account) WHERE status = 'pending';

CREATE TRIGGER reservations_check BEFORE INSERT ON reservations
BEGIN
${RESERVATIONS_CHECK_ONCE}
  SELECT RAISE(ABORT, 'INSUFFICIENT_FLOAT')
    WHERE NEW.status <> 'pending'
       OR coalesce((SELECT balance_after_fen FROM postings WHERE account = NEW.account ORDER BY id DESC LIMIT 1), 0)
          - coalesce((SELECT sum(amount_fen) FROM reservations WHERE account = NEW.account AND status = 'pending'), 0)
          - NEW.amount_fen < 0;
END;
CREATE TRIGGER reservations_resolve_once BEFORE UPDATE ON reservations
WHEN OLD.status <> 'pending' OR NEW.status = 'pending'
  OR NEW.idempotency_key IS NOT OLD.idempotency_key OR NEW.account IS NOT OLD.account
  OR NEW.amount_fen IS NOT OLD.amount_fen OR NEW.request IS NOT OLD.request OR NEW.created_at IS NOT OLD.created_at
BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;
CREATE TRIGGER reservations_no_delete BEFORE DELETE ON reservations BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;

-- Idempotency: every keyed request's outcome, success or refusal. A key is used once.
CREATE TABLE idempotency (
  key TEXT PRIMARY KEY,
  channel TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('done', 'refused')),
  reply TEXT NOT NULL CHECK (json_valid(reply)),
  created_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE TRIGGER idempotency_once BEFORE INSERT ON idempotency
BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY') WHERE EXISTS (SELECT 1 FROM idempotency WHERE key = NEW.key); END;
CREATE TRIGGER idempotency_no_update BEFORE UPDATE ON idempotency BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;
CREATE TRIGGER idempotency_no_delete BEFORE DELETE ON idempotency BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;

-- Bills looked up at the counter (SRV-2). Payment uses what was stored here, never client figures.
CREATE TABLE bill_inquiries (
  bill_id TEXT PRIMARY KEY,
  service TEXT NOT NULL,
  account_no TEXT NOT NULL,
  payee_masked TEXT NOT NULL,
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
  fee_fen INTEGER NOT NULL CHECK (fee_fen >= 0),
  period TEXT,
  inquired_at TEXT NOT NULL,
  operator_id TEXT NOT NULL REFERENCES operators(id),
  -- The payment that settled this bill (cleared again by its reversal): a quick "already paid?".
  paid_txn_id INTEGER REFERENCES txns(id)
) STRICT;

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
`;
