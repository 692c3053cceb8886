// The central accounts' tables (accounts-001), one description rendered for SQLite
// (sqlite-accounts-schema.ts) and PostgreSQL (pg-migrations.ts); each adds its own triggers.
import type { Dialect } from '../../shared/ddl';

/** accounts-001's tables, each with its indexes. */
export const accountsTables = (d: Dialect) => ({
  accounts: `CREATE TABLE accounts (
  institution_no TEXT PRIMARY KEY REFERENCES stations(institution_no),
  balance_fen ${d.int64} NOT NULL DEFAULT 0,
  credit_limit_fen ${d.int64} NOT NULL DEFAULT 0 CHECK (credit_limit_fen = 0),
  last_entry_no ${d.int64} NOT NULL DEFAULT 0 CHECK (last_entry_no >= 0),
  CHECK (balance_fen >= -credit_limit_fen)
${d.end};`,

  journal: `CREATE TABLE journal (
  institution_no TEXT NOT NULL REFERENCES accounts(institution_no),
  entry_no ${d.int64} NOT NULL CHECK (entry_no >= 1),
  kind TEXT NOT NULL,
  amount_fen ${d.int64} NOT NULL,
  balance_after_fen ${d.int64} NOT NULL,
  ref TEXT NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (institution_no, entry_no),
  CHECK ((kind IN ('deposit', 'green_card', 'decline', 'reversal') AND amount_fen > 0)
      OR (kind = 'bill_payment' AND amount_fen < 0))
${d.endKeyed};
CREATE INDEX journal_at ON journal (institution_no, at);`,

  requests: `CREATE TABLE requests (
  institution_no TEXT NOT NULL REFERENCES accounts(institution_no),
  request_key TEXT NOT NULL CHECK (length(request_key) BETWEEN 8 AND 128),
  op TEXT NOT NULL,
  request_sha256 TEXT NOT NULL CHECK (length(request_sha256) = 64),
  ref TEXT NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (institution_no, request_key)
${d.endKeyed};`,

  /**
   * 存款凭证. The two dialects' releases list the voucher number and the station in a different
   * order (`leading`, frozen since); the rest is one description.
   */
  vouchers: (leading: 'institution_no first' | 'voucher_no first') => `CREATE TABLE vouchers (
${
  leading === 'voucher_no first'
    ? '  voucher_no TEXT NOT NULL UNIQUE,\n  institution_no TEXT NOT NULL,'
    : '  institution_no TEXT NOT NULL,\n  voucher_no TEXT NOT NULL UNIQUE,'
}
  amount_fen ${d.int64} NOT NULL CHECK (amount_fen > 0),
  depositor TEXT NOT NULL,
  branch_id TEXT NOT NULL,
  clerk TEXT NOT NULL,
  issued_at TEXT NOT NULL,
  entry_no ${d.int64} NOT NULL,
  reprints INTEGER NOT NULL DEFAULT 0 CHECK (reprints >= 0),
  confirmed_at TEXT,
  confirm_key TEXT,
  PRIMARY KEY (institution_no, voucher_no),
  FOREIGN KEY (institution_no, entry_no) REFERENCES journal(institution_no, entry_no),
  CHECK ((confirmed_at IS NULL) = (confirm_key IS NULL))
${d.endKeyed};
CREATE INDEX vouchers_branch ON vouchers (branch_id, issued_at);`,

  greenCards: `CREATE TABLE green_cards (
  institution_no TEXT NOT NULL REFERENCES accounts(institution_no),
  bound_at TEXT NOT NULL,
  card_masked TEXT NOT NULL,
  bound_by TEXT NOT NULL,
  unbound_at TEXT,
  unbound_by TEXT,
  PRIMARY KEY (institution_no, bound_at)
${d.endKeyed};
CREATE UNIQUE INDEX green_cards_active ON green_cards (institution_no) WHERE unbound_at IS NULL;`,

  transfers: `CREATE TABLE transfers (
  institution_no TEXT NOT NULL,
  bank_ref TEXT NOT NULL UNIQUE,
  amount_fen ${d.int64} NOT NULL CHECK (amount_fen > 0),
  card_masked TEXT NOT NULL,
  entry_no ${d.int64} NOT NULL,
  request_key TEXT NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (institution_no, bank_ref),
  FOREIGN KEY (institution_no, entry_no) REFERENCES journal(institution_no, entry_no)
${d.endKeyed};`,

  payments: `CREATE TABLE payments (
  institution_no TEXT NOT NULL,
  payment_key TEXT NOT NULL,
  request_sha256 TEXT NOT NULL,
  biller_id TEXT NOT NULL,
  account_no TEXT NOT NULL,
  bill_id TEXT NOT NULL,
  amount_fen ${d.int64} NOT NULL CHECK (amount_fen > 0),
  state TEXT NOT NULL CHECK (state IN ('pending', 'paid', 'declined', 'reversed')),
  biller_ref TEXT,
  reason TEXT,
  created_at TEXT NOT NULL,
  settled_at TEXT,
  debit_entry_no ${d.int64} NOT NULL,
  credit_entry_no ${d.int64},
  PRIMARY KEY (institution_no, payment_key),
  FOREIGN KEY (institution_no, debit_entry_no) REFERENCES journal(institution_no, entry_no),
  FOREIGN KEY (institution_no, credit_entry_no) REFERENCES journal(institution_no, entry_no),
  CHECK ((state IN ('declined', 'reversed')) = (credit_entry_no IS NOT NULL)),
  CHECK ((state = 'pending') = (settled_at IS NULL)),
  CHECK (state NOT IN ('paid', 'reversed') OR biller_ref IS NOT NULL)
${d.endKeyed};
CREATE INDEX payments_pending ON payments (created_at) WHERE state = 'pending';`,

  simBillerPayments: `CREATE TABLE sim_biller_payments (
  biller_id TEXT NOT NULL,
  switch_key TEXT NOT NULL,
  bill_id TEXT NOT NULL,
  amount_fen ${d.int64} NOT NULL,
  biller_ref TEXT NOT NULL,
  reversed INTEGER NOT NULL DEFAULT 0 CHECK (reversed IN (0, 1)),
  at TEXT NOT NULL,
  PRIMARY KEY (biller_id, switch_key)
${d.endKeyed};
CREATE UNIQUE INDEX sim_biller_bill_paid ON sim_biller_payments (biller_id, bill_id) WHERE reversed = 0;`,
});
