// Migration 007: the hash chain over transactions and the verification log (issue 9, ledger v2).
// See db/chain.ts. The SQL adds the column and the triggers; up() chains the existing history in
// id order and verifies it (chain, balances, postings against legs) before the station trades.
import type Database from 'better-sqlite3';
import { CHAINED_COLUMNS, chainHash } from '../chain';
import { verifyLedger } from '../chain-verify';
import { insertOnceTriggers } from '../../shared/ddl';

export const version = 7;

export const sql = /* sql */ `
-- 007: tamper evidence.
--   chain_hash      SHA-256 over the previous transaction's chain_hash and this row's content
--                   (id, kind, business_day, created_at, operator_id, operator_name, amount_fen,
--                   fee_fen, service, reverses_id, idempotency_key, request_hash, legs, details:
--                   db/chain.ts CHAINED_COLUMNS, in that order), computed by yz_chain (registered by
--                   the application on every connection; a connection without it cannot post)
--   written once    with the row by the application (checked on insert), or by the database
--                   right after a hand-written insert; an UPDATE may only set it from NULL to the
--                   right value, nothing else, ever
--   verifications   ledger_verifications: each check of the chain and the running balances,
--                   append-only; while the latest one failed, no transaction and no reservation
--                   is accepted (LEDGER_TAMPERED)
ALTER TABLE txns ADD COLUMN chain_hash TEXT;

DROP TRIGGER txns_no_update;
CREATE TRIGGER txns_no_update BEFORE UPDATE ON txns
WHEN OLD.chain_hash IS NOT NULL OR NEW.chain_hash IS NULL OR NEW.id IS NOT OLD.id OR NEW.kind IS NOT OLD.kind OR NEW.business_day IS NOT OLD.business_day OR NEW.created_at IS NOT OLD.created_at
  OR NEW.operator_id IS NOT OLD.operator_id OR NEW.operator_name IS NOT OLD.operator_name OR NEW.amount_fen IS NOT OLD.amount_fen OR NEW.fee_fen IS NOT OLD.fee_fen
  OR NEW.service IS NOT OLD.service OR NEW.reverses_id IS NOT OLD.reverses_id OR NEW.idempotency_key IS NOT OLD.idempotency_key OR NEW.request_hash IS NOT OLD.request_hash
  OR NEW.legs IS NOT OLD.legs OR NEW.details IS NOT OLD.details
  OR NEW.chain_hash IS NOT yz_chain((SELECT chain_hash FROM txns WHERE id < OLD.id ORDER BY id DESC LIMIT 1), OLD.id, OLD.kind, OLD.business_day, OLD.created_at, OLD.operator_id, OLD.operator_name, OLD.amount_fen, OLD.fee_fen, OLD.service, OLD.reverses_id, OLD.idempotency_key, OLD.request_hash, OLD.legs, OLD.details)
BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;

-- The application computes the hash with the row (one hash, no second write): checked here.
-- A row inserted without one (hand-written SQL) gets it from the database right after.
CREATE TRIGGER txns_chain_check BEFORE INSERT ON txns
WHEN NEW.chain_hash IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'APPEND_ONLY')
    WHERE NEW.id <= coalesce((SELECT max(id) FROM txns), 0)
       OR NEW.chain_hash IS NOT yz_chain((SELECT chain_hash FROM txns ORDER BY id DESC LIMIT 1), NEW.id, NEW.kind, NEW.business_day, NEW.created_at, NEW.operator_id, NEW.operator_name, NEW.amount_fen, NEW.fee_fen, NEW.service, NEW.reverses_id, NEW.idempotency_key, NEW.request_hash, NEW.legs, NEW.details);
END;
CREATE TRIGGER txns_chain AFTER INSERT ON txns
WHEN NEW.chain_hash IS NULL
BEGIN
  UPDATE txns SET chain_hash = yz_chain((SELECT chain_hash FROM txns WHERE id < NEW.id ORDER BY id DESC LIMIT 1), NEW.id, NEW.kind, NEW.business_day, NEW.created_at, NEW.operator_id, NEW.operator_name, NEW.amount_fen, NEW.fee_fen, NEW.service, NEW.reverses_id, NEW.idempotency_key, NEW.request_hash, NEW.legs, NEW.details)
  WHERE id = NEW.id;
END;

CREATE TABLE ledger_verifications (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  scope TEXT NOT NULL CHECK (scope IN ('start', 'x', 'z', 'full', 'migration')),
  ok INTEGER NOT NULL CHECK (ok IN (0, 1)),
  from_txn_id INTEGER NOT NULL,            -- verified after this one ...
  to_txn_id INTEGER NOT NULL,              -- ... up to and including this one
  chain_hash TEXT NOT NULL,                -- the head at to_txn_id
  to_posting_id INTEGER NOT NULL,
  balances TEXT NOT NULL CHECK (json_valid(balances)),   -- each account's balance at to_posting_id
  detail TEXT                              -- what was wrong
) STRICT;
${insertOnceTriggers('ledger_verifications', 'id = NEW.id', 'APPEND_ONLY', 'APPEND_ONLY')}

-- Each Z close's anchor: the chain head when the day was closed. It goes into the signed daily
-- upload, so the office holds a point the station cannot rewrite.
CREATE TABLE z_anchors (
  z_no INTEGER PRIMARY KEY REFERENCES day_closes(z_no),
  txn_id INTEGER NOT NULL,                 -- the latest transaction at the close (0: none yet)
  chain_hash TEXT NOT NULL
) STRICT;
CREATE TRIGGER z_anchors_of_close AFTER INSERT ON day_closes
BEGIN
  INSERT INTO z_anchors (z_no, txn_id, chain_hash)
  SELECT NEW.z_no, coalesce(max(id), 0),
         coalesce((SELECT chain_hash FROM txns ORDER BY id DESC LIMIT 1), '${'0'.repeat(64)}')
  FROM txns;
END;
CREATE TRIGGER z_anchors_no_replace BEFORE INSERT ON z_anchors
WHEN EXISTS (SELECT 1 FROM z_anchors WHERE z_no = NEW.z_no)
BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;
CREATE TRIGGER z_anchors_no_update BEFORE UPDATE ON z_anchors BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;
CREATE TRIGGER z_anchors_no_delete BEFORE DELETE ON z_anchors BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;

CREATE TRIGGER txns_not_tampered BEFORE INSERT ON txns
WHEN (SELECT ok FROM ledger_verifications ORDER BY id DESC LIMIT 1) = 0
BEGIN SELECT RAISE(ABORT, 'LEDGER_TAMPERED'); END;
CREATE TRIGGER reservations_not_tampered BEFORE INSERT ON reservations
WHEN (SELECT ok FROM ledger_verifications ORDER BY id DESC LIMIT 1) = 0
BEGIN SELECT RAISE(ABORT, 'LEDGER_TAMPERED'); END;
`;

/** Chains the history there is, in id order, then verifies all of it. */
export function up(db: Database.Database): void {
  const rows = db
    .prepare(`SELECT ${CHAINED_COLUMNS.join(', ')} FROM txns ORDER BY id`)
    .raw()
    .all() as unknown[][];
  const set = db.prepare(`UPDATE txns SET chain_hash = ? WHERE id = ?`);
  let prev: string | null = null;
  for (const r of rows) {
    prev = chainHash(prev, r);
    set.run(prev, r[0]);
  }
  // Closes from before the chain: anchored at the last transaction made before the close.
  db.exec(`
    INSERT INTO z_anchors (z_no, txn_id, chain_hash)
    SELECT c.z_no, coalesce(t.id, 0), coalesce(t.chain_hash, '${'0'.repeat(64)}')
    FROM day_closes c
    LEFT JOIN txns t ON t.id = (SELECT max(id) FROM txns WHERE created_at <= c.closed_at)
    ORDER BY c.z_no`);
  const v = verifyLedger(db, { scope: 'migration', nowIso: new Date().toISOString(), full: true });
  if (!v.ok) console.error(`[yizhan] ledger verification after migration 007 failed: ${v.problem}`);
}
