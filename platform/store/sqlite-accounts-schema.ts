// Central station accounts on SQLite. The database itself guards the money (the house rule):
//  - zero credit: accounts.balance_fen >= -credit_limit_fen and credit_limit_fen = 0 (CHECKs);
//  - the balance moves only through the journal: a journal row must continue its account's
//    chain (entry_no = last + 1, balance_after = balance + amount) and then updates the account;
//    an UPDATE of the account that does not match its newest journal row is refused;
//  - append-only: UPDATE/DELETE of journal, requests, transfers refused; INSERT OR REPLACE is
//    refused by BEFORE INSERT triggers that see the existing key (REPLACE would otherwise delete
//    silently: delete triggers do not fire for REPLACE without recursive_triggers);
//  - payments and vouchers change only along their allowed paths.
// The same rules in PostgreSQL: pg-migrations.ts.
import {
  type Refusal,
  SQLITE,
  refuseTrigger,
  insertOnceTriggers,
  noUpdateNoDeleteTriggers,
} from '../../shared/ddl';
import { accountsTables } from './accounts-tables';

const A = accountsTables(SQLITE);

/**
 * A row that changes only along its paths: an INSERT refused by `onInsert` (its own trigger), an
 * UPDATE by `onUpdate` (`${table}_paths`), a DELETE always (`deleteMessage`).
 */
const guardedPaths = (
  table: string,
  onInsert: (Refusal & { trigger: string }) | undefined,
  onUpdate: Refusal,
  deleteMessage: string,
): string =>
  [
    ...(onInsert ? [refuseTrigger(onInsert.trigger, 'INSERT', table, onInsert.message, onInsert.when)] : []),
    refuseTrigger(`${table}_paths`, 'UPDATE', table, onUpdate.message, onUpdate.when),
    refuseTrigger(`${table}_no_delete`, 'DELETE', table, deleteMessage),
  ].join('\n');

export const SQLITE_ACCOUNTS_001 = /* sql */ `
${A.accounts}

CREATE TRIGGER accounts_open_empty BEFORE INSERT ON accounts
WHEN NEW.balance_fen <> 0 OR NEW.last_entry_no <> 0
  OR EXISTS (SELECT 1 FROM accounts WHERE institution_no = NEW.institution_no)
BEGIN SELECT RAISE(ABORT, 'ACCOUNT_OPENS_EMPTY_ONCE'); END;

CREATE TRIGGER accounts_only_through_journal BEFORE UPDATE ON accounts
WHEN NEW.institution_no IS NOT OLD.institution_no
  OR NEW.credit_limit_fen IS NOT OLD.credit_limit_fen
  OR NEW.last_entry_no IS NOT OLD.last_entry_no + 1
  OR NEW.balance_fen IS NOT (SELECT balance_after_fen FROM journal
                             WHERE institution_no = NEW.institution_no AND entry_no = NEW.last_entry_no)
BEGIN SELECT RAISE(ABORT, 'ACCOUNT_CHANGES_ONLY_THROUGH_JOURNAL'); END;

CREATE TRIGGER accounts_no_delete BEFORE DELETE ON accounts
BEGIN SELECT RAISE(ABORT, 'ACCOUNT_NOT_DELETABLE'); END;

-- Every registered station has its account, opened with it.
CREATE TRIGGER stations_open_account AFTER INSERT ON stations
BEGIN INSERT INTO accounts (institution_no) VALUES (NEW.institution_no); END;
INSERT INTO accounts (institution_no) SELECT institution_no FROM stations;

${A.journal}

CREATE TRIGGER journal_chain BEFORE INSERT ON journal
WHEN NEW.entry_no IS NOT (SELECT last_entry_no + 1 FROM accounts WHERE institution_no = NEW.institution_no)
  OR NEW.balance_after_fen IS NOT (SELECT balance_fen + NEW.amount_fen FROM accounts WHERE institution_no = NEW.institution_no)
BEGIN SELECT RAISE(ABORT, 'JOURNAL_OUT_OF_SEQUENCE'); END;

-- The CHECK on accounts refuses the overdraw here, and the whole INSERT with it.
CREATE TRIGGER journal_post AFTER INSERT ON journal
BEGIN
  UPDATE accounts SET balance_fen = NEW.balance_after_fen, last_entry_no = NEW.entry_no
  WHERE institution_no = NEW.institution_no;
END;

${noUpdateNoDeleteTriggers('journal', 'JOURNAL_APPEND_ONLY')}

-- Idempotency: one row per station request key, with a digest of the request it was used for.
${A.requests}
${insertOnceTriggers('requests', 'institution_no = NEW.institution_no AND request_key = NEW.request_key', 'REQUEST_KEY_TAKEN', 'REQUESTS_APPEND_ONLY')}

-- 存款凭证: numbered by the platform, credited with the deposit, confirmed once by the station.
CREATE TABLE voucher_numbers (
  id INTEGER PRIMARY KEY AUTOINCREMENT
) STRICT;
${A.vouchers('voucher_no first')}
${guardedPaths(
  'vouchers',
  {
    trigger: 'vouchers_no_replace',
    when: `EXISTS (SELECT 1 FROM vouchers WHERE voucher_no = NEW.voucher_no)
  OR NEW.reprints <> 0 OR NEW.confirmed_at IS NOT NULL`,
    message: 'VOUCHER_ISSUED_ONCE',
  },
  {
    when: `NEW.voucher_no IS NOT OLD.voucher_no OR NEW.institution_no IS NOT OLD.institution_no
  OR NEW.amount_fen IS NOT OLD.amount_fen OR NEW.depositor IS NOT OLD.depositor
  OR NEW.branch_id IS NOT OLD.branch_id OR NEW.clerk IS NOT OLD.clerk
  OR NEW.issued_at IS NOT OLD.issued_at OR NEW.entry_no IS NOT OLD.entry_no
  OR NEW.reprints < OLD.reprints
  OR (OLD.confirmed_at IS NOT NULL AND (NEW.confirmed_at IS NOT OLD.confirmed_at OR NEW.confirm_key IS NOT OLD.confirm_key))`,
    message: 'VOUCHER_CHANGE_REFUSED',
  },
  'VOUCHER_NOT_DELETABLE',
)}

-- PAY-3: the Green Card bound to a 机构号 (history kept; one active binding).
${A.greenCards}
${guardedPaths(
  'green_cards',
  undefined,
  {
    when: `NEW.institution_no IS NOT OLD.institution_no OR NEW.bound_at IS NOT OLD.bound_at
  OR NEW.card_masked IS NOT OLD.card_masked OR NEW.bound_by IS NOT OLD.bound_by
  OR OLD.unbound_at IS NOT NULL`,
    message: 'GREEN_CARD_CHANGE_REFUSED',
  },
  'GREEN_CARD_HISTORY_KEPT',
)}

${A.transfers}
${insertOnceTriggers('transfers', 'bank_ref = NEW.bank_ref', 'BANK_REF_USED', 'TRANSFERS_APPEND_ONLY')}

-- Bill payments through the switch: debited when begun (pending), then paid, declined (credited
-- back) or, once paid, reversed (credited back).
${A.payments}
${guardedPaths(
  'payments',
  {
    trigger: 'payments_new_pending',
    when: `NEW.state <> 'pending'
  OR EXISTS (SELECT 1 FROM payments WHERE institution_no = NEW.institution_no AND payment_key = NEW.payment_key)`,
    message: 'PAYMENT_BEGINS_PENDING_ONCE',
  },
  {
    when: `NEW.institution_no IS NOT OLD.institution_no OR NEW.payment_key IS NOT OLD.payment_key
  OR NEW.request_sha256 IS NOT OLD.request_sha256 OR NEW.biller_id IS NOT OLD.biller_id
  OR NEW.account_no IS NOT OLD.account_no OR NEW.bill_id IS NOT OLD.bill_id
  OR NEW.amount_fen IS NOT OLD.amount_fen OR NEW.created_at IS NOT OLD.created_at
  OR NEW.debit_entry_no IS NOT OLD.debit_entry_no
  OR NOT ((OLD.state = 'pending' AND NEW.state IN ('paid', 'declined'))
       OR (OLD.state = 'paid' AND NEW.state = 'reversed' AND NEW.biller_ref IS OLD.biller_ref))`,
    message: 'PAYMENT_CHANGE_REFUSED',
  },
  'PAYMENT_NOT_DELETABLE',
)}

-- What the simulated billers remember (a real biller keeps this on its side).
${A.simBillerPayments}
`;
