// Ledger v2 tamper evidence (issue 9). Every transaction row carries chain_hash = SHA-256 over the
// previous row's chain_hash and the row's own canonical content (kind, day, times, operator and
// the operator's name then, amounts, legs, references, details). The application computes it with
// the row and the database checks it on insert (txns_check); a row inserted without one gets it
// from the database right after (txns_fill), through the yz_chain function every connection opened
// by openDatabase registers; nothing may change it after.
//
// Since migration 018 every row also carries each account's balance after it (ACCOUNT_COLUMNS).
// This file holds what the hash, the balances and the guards are; chain-verify.ts walks a ledger
// and checks them.
import crypto from 'node:crypto';
import type Database from 'better-sqlite3';

type Db = Database.Database;

export const GENESIS_HASH = '0'.repeat(64);

/** The columns of txns that the hash covers, in this order (yz_chain's arguments after prev). */
export const CHAINED_COLUMNS = [
  'id',
  'kind',
  'business_day',
  'created_at',
  'operator_id',
  'operator_name',
  'amount_fen',
  'fee_fen',
  'service',
  'reverses_id',
  'idempotency_key',
  'request_hash',
  'legs',
  'details',
] as const;

/** The accounts, each with its balance column on txns (migration 018: every transaction row
 *  carries each account's balance after it). Fixed: the database refuses a new account. */
export const ACCOUNT_COLUMNS = {
  float: 'float_after_fen',
  cash: 'cash_after_fen',
  owner: 'owner_after_fen',
  fees: 'fees_after_fen',
} as const;

/** Where migration 018 keeps the postings and heads of a ledger that did not verify before it
 *  (the evidence, for the office): while they are there, no verification passes. */
export const KEPT_BEFORE_018 = {
  postings: 'postings_before_018',
  account_heads: 'account_heads_before_018',
} as const;

/** SHA-256 (hex) over the previous hash and the row's canonical content. */
export function chainHash(prev: string | null, row: readonly unknown[]): string {
  return crypto
    .createHash('sha256')
    .update(
      `${prev ?? GENESIS_HASH}\n${JSON.stringify(row.map((v) => (typeof v === 'bigint' ? Number(v) : v)))}`,
    )
    .digest('hex');
}

/** Registers yz_chain(prev, id, kind, …) on a connection (openDatabase does it on every open). */
export function registerChainFunction(db: Db): void {
  db.function('yz_chain', { deterministic: true, varargs: true }, (prev: unknown, ...row: unknown[]) =>
    chainHash(typeof prev === 'string' ? prev : null, row),
  );
}

/** The triggers that kept the ledger append-only and chained before migration 018 (its postings
 *  rows): each must be there while an older ledger is migrated. */
export const GUARD_TRIGGERS = [
  'txns_check',
  'txns_chain_check',
  'txns_chain',
  'txns_post',
  'txns_no_update',
  'txns_no_delete',
  'txns_not_tampered',
  'postings_check',
  'postings_zero_credit',
  'postings_no_update',
  'postings_no_delete',
  'reservations_check',
  'reservations_not_tampered',
  'ledger_verifications_no_update',
  'ledger_verifications_no_delete',
] as const;

/** The guards of the one-row ledger (migration 018: the postings and their heads are gone). */
export const ONE_ROW_GUARD_TRIGGERS = [
  'txns_check',
  'txns_fill',
  'txns_no_update',
  'txns_no_delete',
  'accounts_fixed',
  'reservations_check',
  'reservations_not_tampered',
  'ledger_verifications_no_update',
  'ledger_verifications_no_delete',
] as const;

/** Migration 008's guards of the per-account balance heads. */
export const HEAD_TRIGGERS = [
  'account_heads_insert',
  'account_heads_move',
  'account_heads_no_delete',
  'postings_head',
] as const;

/** The chain head (the latest transaction's hash), and its id. */
export function chainHead(db: Db): { txnId: number; hash: string } {
  const r = db.prepare(`SELECT id, chain_hash FROM txns ORDER BY id DESC LIMIT 1`).get() as
    { id: number; chain_hash: string | null } | undefined;
  return { txnId: r?.id ?? 0, hash: r?.chain_hash ?? GENESIS_HASH };
}

/** The chain head as of the end of a business day: the last transaction dated on or before it. */
export function chainHeadOfDay(db: Db, day: string): { txnId: number; hash: string } {
  const r = db
    .prepare(`SELECT id, chain_hash FROM txns WHERE business_day <= ? ORDER BY id DESC LIMIT 1`)
    .get(day) as { id: number; chain_hash: string | null } | undefined;
  return { txnId: r?.id ?? 0, hash: r?.chain_hash ?? GENESIS_HASH };
}
