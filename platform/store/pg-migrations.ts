// The platform's PostgreSQL schema: named steps like SQLite's (sqlite-migrations.ts), the same
// tables and the same guards, written for PostgreSQL. Every station table has institution_no
// (机构号) leading its primary key, so the fleet can be distributed by station (Citus:
// SELECT create_distributed_table('<table>', 'institution_no')). TRUNCATE is refused too.
import { PROVISIONING_PG_MIGRATIONS } from '../provisioning/pg-schema';
import { PG_ANCHORS_001 } from './chain-anchors';
import { OFFICE_PG_MIGRATIONS } from '../office/pg-schema';
import { PG_MONTH_COUNT_002, PG_PAYMENTS_001, PG_PAYMENTS_BATCH_001 } from './pg-payments';
import type { NamedMigration } from './sqlite-migrations';
import { pgInsertUpdateGuard, pgNoDelete } from './pg-ddl';
import { POSTGRES } from '../../shared/ddl';
import { accountsTables } from './accounts-tables';
import { BY_INSTITUTION_NO, dayCountsTable, monthCountsTable } from './count-tables';

const A = accountsTables(POSTGRES);

const MONITOR_001 = /* sql */ `
CREATE TABLE stations (
  institution_no TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  opening_date TEXT NOT NULL,
  public_key BYTEA NOT NULL CHECK (length(public_key) = 32),
  registered_at TEXT NOT NULL,
  last_seq BIGINT NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
  last_body_sha256 TEXT,
  last_sent_at TEXT,
  last_upload_at TEXT
);
${dayCountsTable(POSTGRES, BY_INSTITUTION_NO)}
${monthCountsTable(POSTGRES, 'month_counts', BY_INSTITUTION_NO)}
CREATE TABLE faults (
  institution_no TEXT NOT NULL REFERENCES stations(institution_no),
  id BIGSERIAL,
  day TEXT NOT NULL,
  kind TEXT NOT NULL,
  at TEXT NOT NULL,
  detail TEXT NOT NULL,
  seq BIGINT NOT NULL,
  PRIMARY KEY (institution_no, id)
);
CREATE INDEX faults_station_day ON faults (institution_no, day);
CREATE INDEX faults_at ON faults (at);
CREATE TABLE refusals (
  id BIGSERIAL PRIMARY KEY,
  at TEXT NOT NULL,
  institution_no TEXT,
  code TEXT NOT NULL,
  status INTEGER NOT NULL,
  remote TEXT,
  details JSONB NOT NULL
);
`;

const ACCOUNTS_001 = /* sql */ `
CREATE FUNCTION yz_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END $$;

${A.accounts}

${A.journal}

${pgInsertUpdateGuard(
  'accounts',
  { when: `NEW.balance_fen <> 0 OR NEW.last_entry_no <> 0`, message: 'ACCOUNT_OPENS_EMPTY_ONCE' },
  {
    when: `NEW.institution_no IS DISTINCT FROM OLD.institution_no
     OR NEW.credit_limit_fen IS DISTINCT FROM OLD.credit_limit_fen
     OR NEW.last_entry_no IS DISTINCT FROM OLD.last_entry_no + 1
     OR NEW.balance_fen IS DISTINCT FROM (SELECT j.balance_after_fen FROM journal j
          WHERE j.institution_no = NEW.institution_no AND j.entry_no = NEW.last_entry_no)`,
    message: 'ACCOUNT_CHANGES_ONLY_THROUGH_JOURNAL',
  },
)}
${pgNoDelete('accounts', 'ACCOUNT_NOT_DELETABLE')}

CREATE FUNCTION yz_open_account() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO accounts (institution_no) VALUES (NEW.institution_no); RETURN NEW; END $$;
CREATE TRIGGER stations_open_account AFTER INSERT ON stations FOR EACH ROW EXECUTE FUNCTION yz_open_account();
INSERT INTO accounts (institution_no) SELECT institution_no FROM stations;

CREATE FUNCTION yz_journal_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE a accounts%ROWTYPE;
BEGIN
  SELECT * INTO a FROM accounts WHERE institution_no = NEW.institution_no;
  IF NOT FOUND OR NEW.entry_no IS DISTINCT FROM a.last_entry_no + 1
     OR NEW.balance_after_fen IS DISTINCT FROM a.balance_fen + NEW.amount_fen THEN
    RAISE EXCEPTION 'JOURNAL_OUT_OF_SEQUENCE';
  END IF;
  RETURN NEW;
END $$;
-- The CHECK on accounts refuses an overdraw here, and the INSERT with it.
CREATE FUNCTION yz_journal_post() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE accounts SET balance_fen = NEW.balance_after_fen, last_entry_no = NEW.entry_no
  WHERE institution_no = NEW.institution_no;
  RETURN NULL;
END $$;
CREATE TRIGGER journal_chain BEFORE INSERT ON journal FOR EACH ROW EXECUTE FUNCTION yz_journal_chain();
CREATE TRIGGER journal_post AFTER INSERT ON journal FOR EACH ROW EXECUTE FUNCTION yz_journal_post();
CREATE TRIGGER journal_no_update BEFORE UPDATE OR DELETE ON journal FOR EACH ROW EXECUTE FUNCTION yz_refuse('JOURNAL_APPEND_ONLY');
CREATE TRIGGER journal_no_truncate BEFORE TRUNCATE ON journal FOR EACH STATEMENT EXECUTE FUNCTION yz_refuse('JOURNAL_APPEND_ONLY');

${A.requests}
CREATE TRIGGER requests_append_only BEFORE UPDATE OR DELETE ON requests FOR EACH ROW EXECUTE FUNCTION yz_refuse('REQUESTS_APPEND_ONLY');
CREATE TRIGGER requests_no_truncate BEFORE TRUNCATE ON requests FOR EACH STATEMENT EXECUTE FUNCTION yz_refuse('REQUESTS_APPEND_ONLY');

CREATE SEQUENCE voucher_numbers;
${A.vouchers('institution_no first')}
${pgInsertUpdateGuard(
  'vouchers',
  { when: `NEW.reprints <> 0 OR NEW.confirmed_at IS NOT NULL`, message: 'VOUCHER_ISSUED_ONCE' },
  {
    when: `NEW.voucher_no IS DISTINCT FROM OLD.voucher_no OR NEW.institution_no IS DISTINCT FROM OLD.institution_no
     OR NEW.amount_fen IS DISTINCT FROM OLD.amount_fen OR NEW.depositor IS DISTINCT FROM OLD.depositor
     OR NEW.branch_id IS DISTINCT FROM OLD.branch_id OR NEW.clerk IS DISTINCT FROM OLD.clerk
     OR NEW.issued_at IS DISTINCT FROM OLD.issued_at OR NEW.entry_no IS DISTINCT FROM OLD.entry_no
     OR NEW.reprints < OLD.reprints
     OR (OLD.confirmed_at IS NOT NULL AND (NEW.confirmed_at IS DISTINCT FROM OLD.confirmed_at
                                          OR NEW.confirm_key IS DISTINCT FROM OLD.confirm_key))`,
    message: 'VOUCHER_CHANGE_REFUSED',
  },
)}
${pgNoDelete('vouchers', 'VOUCHER_NOT_DELETABLE')}

${A.greenCards}
CREATE FUNCTION yz_green_cards_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.institution_no IS DISTINCT FROM OLD.institution_no OR NEW.bound_at IS DISTINCT FROM OLD.bound_at
     OR NEW.card_masked IS DISTINCT FROM OLD.card_masked OR NEW.bound_by IS DISTINCT FROM OLD.bound_by
     OR OLD.unbound_at IS NOT NULL THEN
    RAISE EXCEPTION 'GREEN_CARD_CHANGE_REFUSED';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER green_cards_guard BEFORE UPDATE ON green_cards FOR EACH ROW EXECUTE FUNCTION yz_green_cards_guard();
CREATE TRIGGER green_cards_no_delete BEFORE DELETE ON green_cards FOR EACH ROW EXECUTE FUNCTION yz_refuse('GREEN_CARD_HISTORY_KEPT');

${A.transfers}
CREATE TRIGGER transfers_append_only BEFORE UPDATE OR DELETE ON transfers FOR EACH ROW EXECUTE FUNCTION yz_refuse('TRANSFERS_APPEND_ONLY');
CREATE TRIGGER transfers_no_truncate BEFORE TRUNCATE ON transfers FOR EACH STATEMENT EXECUTE FUNCTION yz_refuse('TRANSFERS_APPEND_ONLY');

${A.payments}
${pgInsertUpdateGuard(
  'payments',
  { when: `NEW.state <> 'pending'`, message: 'PAYMENT_BEGINS_PENDING_ONCE' },
  {
    when: `NEW.institution_no IS DISTINCT FROM OLD.institution_no OR NEW.payment_key IS DISTINCT FROM OLD.payment_key
     OR NEW.request_sha256 IS DISTINCT FROM OLD.request_sha256 OR NEW.biller_id IS DISTINCT FROM OLD.biller_id
     OR NEW.account_no IS DISTINCT FROM OLD.account_no OR NEW.bill_id IS DISTINCT FROM OLD.bill_id
     OR NEW.amount_fen IS DISTINCT FROM OLD.amount_fen OR NEW.created_at IS DISTINCT FROM OLD.created_at
     OR NEW.debit_entry_no IS DISTINCT FROM OLD.debit_entry_no
     OR NOT ((OLD.state = 'pending' AND NEW.state IN ('paid', 'declined'))
          OR (OLD.state = 'paid' AND NEW.state = 'reversed' AND NEW.biller_ref IS NOT DISTINCT FROM OLD.biller_ref))`,
    message: 'PAYMENT_CHANGE_REFUSED',
  },
)}
${pgNoDelete('payments', 'PAYMENT_NOT_DELETABLE')}

${A.simBillerPayments}
`;

export const PG_MIGRATIONS: NamedMigration[] = [
  { id: 'monitor-001', sql: MONITOR_001 },
  { id: 'accounts-001', sql: ACCOUNTS_001 },
  ...OFFICE_PG_MIGRATIONS,
  // 经营者, shown to the branch clerk with the station's name before a deposit.
  {
    id: 'stations-002-holder',
    sql: `ALTER TABLE stations ADD COLUMN holder TEXT CHECK (holder IS NULL OR length(holder) BETWEEN 1 AND 32);`,
  },
  // The payment's begin and settle as one call each (pg-payments.ts).
  { id: 'payments-002-pg-functions', sql: PG_PAYMENTS_001 },
  // Each closed day's chain head as first uploaded; later different ones (chain-anchors.ts).
  { id: 'anchors-001', sql: PG_ANCHORS_001 },
  // Stations, people, training, fees, certificates, fault handling (issue 11).
  ...PROVISIONING_PG_MIGRATIONS,
  // Concurrent payments' begins (settles) as one call per batch (pg-payments.ts, GroupCommit).
  { id: 'payments-003-pg-batch', sql: PG_PAYMENTS_BATCH_001 },
  // MON-2's month count without searching the station's journal on every payment (pg-payments.ts).
  { id: 'payments-004-pg-month-count', sql: PG_MONTH_COUNT_002 },
];
