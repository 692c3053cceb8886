// The ledger, at the SQL level. The database enforces the invariants (see migration 001); this
// module asserts its own assumptions before it writes (TigerBeetle's habit) and turns the
// database's refusals into named errors.
import { YizhanError, type ErrorCode } from '../shared/errors';
import { assertFen, fen, MAX_BALANCE_FEN, type Fen } from '../shared/money';
import type { TxnKind } from '../shared/contract';
import { canonicalRefSql } from '../shared/reference';
import { ACCOUNT_COLUMNS, chainHash } from './chain';
import { stmt, type Db } from './open';

/** The ledger's accounts (fixed since migration 018: each has its balance column on txns). */
export type AccountCode = keyof typeof ACCOUNT_COLUMNS;
export type Leg = readonly [AccountCode, number];

export interface NewTxn {
  kind: TxnKind;
  businessDay: string;
  createdAt: string;
  operatorId: string;
  amountFen: number;
  feeFen: number;
  service?: string | null;
  reversesId?: number | null;
  idempotencyKey: string;
  requestHash: string;
  legs: readonly Leg[];
  details: Record<string, unknown>;
}

/** Messages RAISEd by the triggers that are business refusals rather than bugs. */
const RAISED: Record<string, ErrorCode> = {
  INSUFFICIENT_FLOAT: 'INSUFFICIENT_FLOAT',
  DAY_CLOSED: 'DAY_CLOSED',
  ALREADY_REVERSED: 'ALREADY_REVERSED',
  NOT_REVERSIBLE: 'NOT_REVERSIBLE',
  DUPLICATE_VOUCHER: 'DUPLICATE_VOUCHER',
  DUPLICATE_BANK_REF: 'DUPLICATE_VOUCHER',
  PAYMENT_PENDING: 'PAYMENT_PENDING',
  DAY_NOT_COUNTABLE: 'DAY_NOT_COUNTABLE',
  SECOND_HOLDER: 'SECOND_HOLDER',
  LEDGER_TAMPERED: 'LEDGER_TAMPERED',
};

/** Maps an error thrown by better-sqlite3 to a YizhanError when it is one of our RAISEs. */
export function mapSqliteError(e: unknown): unknown {
  if (e instanceof YizhanError) return e;
  const err = e as { code?: string; message?: string };
  if (typeof err?.code === 'string' && err.code.startsWith('SQLITE_CONSTRAINT')) {
    const code = RAISED[err.message ?? ''];
    if (code) return new YizhanError(code, { source: 'database' });
    if (/UNIQUE constraint failed: txns\.idempotency_key/.test(err.message ?? '')) {
      return new YizhanError('IDEMPOTENCY_CONFLICT', { source: 'database' });
    }
    if (/UNIQUE constraint failed: txns\.reverses_id|txns_reverses_once/.test(err.message ?? '')) {
      return new YizhanError('ALREADY_REVERSED', { source: 'database' });
    }
  }
  return e;
}

/** PAY-2: a voucher number already credited here (and not reversed), in canonical form. */
export function voucherCredited(db: Db, voucherNo: string): boolean {
  return !!stmt(
    db,
    `SELECT 1 FROM vouchers v WHERE v.voucher_key = ${canonicalRefSql('?')}
       AND NOT EXISTS (SELECT 1 FROM txns r WHERE r.reverses_id = v.txn_id)`,
  ).get(voucherNo);
}

/** PAY-3: a Green Card bank reference already credited here (and not reversed), in canonical form. */
export function bankRefCredited(db: Db, bankRef: string): boolean {
  return !!stmt(
    db,
    `SELECT 1 FROM txns t WHERE t.kind = 'topup_green_card'
       AND ${canonicalRefSql("json_extract(details, '$.bankRef')")} = ${canonicalRefSql('?')}
       AND NOT EXISTS (SELECT 1 FROM txns r WHERE r.reverses_id = t.id)`,
  ).get(bankRef);
}

/** The pending bill payment (its key) holding a bill, if any (issue 9 defect 6). */
export function pendingKeyOfBill(db: Db, billId: string): string | undefined {
  return stmt(
    db,
    `SELECT idempotency_key FROM reservations
      WHERE status = 'pending' AND json_extract(request, '$.billId') = ? ORDER BY id LIMIT 1`,
  )
    .pluck()
    .get(billId) as string | undefined;
}

/** Makes sure the business day has its row (a posting references it). Never reopens a closed day. */
export function ensureDay(db: Db, day: string, nowIso: string): void {
  // Read first: the day is there for every posting but its first, and the insert's REPLACE guard
  // (migration 006) costs more than the look-up.
  if (stmt(db, `SELECT status FROM business_days WHERE day = ?`).pluck().get(day) === 'open') return;
  stmt(
    db,
    `INSERT INTO business_days (day, status, opened_at) VALUES (?, 'open', ?) ON CONFLICT(day) DO NOTHING`,
  ).run(day, nowIso);
}

/** Posts one transaction with its legs and every account's balance after it. Returns its id. */
export function postTxn(db: Db, t: NewTxn): number {
  // Assert what we assume before we act.
  if (t.amountFen <= 0) throw new Error('postTxn: amount must be positive');
  assertFen(t.amountFen);
  assertFen(t.feeFen);
  if (t.amountFen > MAX_BALANCE_FEN) throw new Error('postTxn: amount beyond the ledger limit');
  if (!t.idempotencyKey) throw new Error('postTxn: idempotency key required');
  if (!t.operatorId) throw new Error('postTxn: operator required (PPL-3)');
  let sum = 0;
  for (const [, fen] of t.legs) {
    assertFen(fen);
    sum += fen;
  }
  if (sum !== 0) throw new Error('postTxn: legs do not balance');
  try {
    ensureDay(db, t.businessDay, t.createdAt);
    // Ledger v2: the row's hash, chained on the latest one, computed here with the row (the
    // database checks it on insert, migration 007). The id is the next one, explicitly.
    const head = stmt(
      db,
      `SELECT id, chain_hash, float_after_fen AS float, cash_after_fen AS cash, owner_after_fen AS owner,
              fees_after_fen AS fees FROM txns ORDER BY id DESC LIMIT 1`,
    ).get() as ({ id: number; chain_hash: string | null } & Record<AccountCode, number>) | undefined;
    const operatorName = stmt(
      db,
      `SELECT name FROM operator_versions WHERE operator_id = ? ORDER BY version DESC LIMIT 1`,
    )
      .pluck()
      .get(t.operatorId) as string | undefined;
    const row = {
      id: (head?.id ?? 0) + 1,
      kind: t.kind,
      businessDay: t.businessDay,
      createdAt: t.createdAt,
      operatorId: t.operatorId,
      operatorName: operatorName ?? null,
      amountFen: t.amountFen,
      feeFen: t.feeFen,
      service: t.service ?? null,
      reversesId: t.reversesId ?? null,
      idempotencyKey: t.idempotencyKey,
      requestHash: t.requestHash,
      legs: JSON.stringify(t.legs),
      details: JSON.stringify(t.details),
    };
    // (The values in CHAINED_COLUMNS order: the keys above are in that order.)
    const chain = chainHash(head?.chain_hash ?? null, Object.values(row));
    // Each account's balance after it (migration 018): the latest row's plus the legs. The
    // database checks them against the same row and refuses an overdraft.
    const after = {
      float: head?.float ?? 0,
      cash: head?.cash ?? 0,
      owner: head?.owner ?? 0,
      fees: head?.fees ?? 0,
    };
    for (const [account, fen] of t.legs) after[account] += fen;
    const r = stmt(
      db,
      `INSERT INTO txns (id, kind, business_day, created_at, operator_id, operator_name, amount_fen, fee_fen,
                         service, reverses_id, idempotency_key, request_hash, legs, details, chain_hash,
                         float_after_fen, cash_after_fen, owner_after_fen, fees_after_fen)
       VALUES (@id, @kind, @businessDay, @createdAt, @operatorId, @operatorName, @amountFen, @feeFen,
               @service, @reversesId, @idempotencyKey, @requestHash, @legs, @details, @chain,
               @float, @cash, @owner, @fees)`,
    ).run({ ...row, chain, ...after });
    return Number(r.lastInsertRowid);
  } catch (e) {
    throw mapSqliteError(e);
  }
}

export interface Balance {
  balanceFen: Fen;
  pendingFen: Fen;
}

/** The stored running balance of an account: the one on the latest transaction. */
export function latestBalanceFen(db: Db, account: AccountCode): Fen {
  const b = stmt(db, `SELECT ${ACCOUNT_COLUMNS[account]} FROM txns ORDER BY id DESC LIMIT 1`)
    .pluck()
    .get() as number | undefined;
  return fen(b ?? 0);
}

/** The stored running balance of an account and what pending reservations hold. */
export function accountBalance(db: Db, account: AccountCode): Balance {
  const p = stmt(
    db,
    `SELECT coalesce(sum(amount_fen), 0) FROM reservations WHERE account = ? AND status = 'pending'`,
  )
    .pluck()
    .get(account) as number;
  return { balanceFen: latestBalanceFen(db, account), pendingFen: fen(p) };
}

// ---- reservations (two-phase bill payments) ---------------------------------------------------

export interface ReservationRow {
  id: number;
  idempotency_key: string;
  account: AccountCode;
  amount_fen: Fen;
  status: 'pending' | 'posted' | 'voided';
  request: string;
  created_at: string;
  resolved_at: string | null;
  resolution: string | null;
  txn_id: number | null;
}

export function reserve(db: Db, key: string, amountFen: number, request: object, nowIso: string): number {
  if (amountFen <= 0) throw new Error('reserve: amount must be positive');
  try {
    const r = stmt(
      db,
      `INSERT INTO reservations (idempotency_key, account, amount_fen, status, request, created_at)
         VALUES (?, 'float', ?, 'pending', ?, ?)`,
    ).run(key, amountFen, JSON.stringify(request), nowIso);
    return Number(r.lastInsertRowid);
  } catch (e) {
    const mapped = mapSqliteError(e);
    if (mapped instanceof YizhanError && mapped.code === 'PAYMENT_PENDING') {
      const billId = (request as { billId?: unknown }).billId;
      const pendingKey = typeof billId === 'string' ? pendingKeyOfBill(db, billId) : undefined;
      throw new YizhanError('PAYMENT_PENDING', { billId, pendingKey, source: 'database' });
    }
    throw mapped;
  }
}

export function reservationByKey(db: Db, key: string): ReservationRow | undefined {
  return stmt(db, `SELECT * FROM reservations WHERE idempotency_key = ?`).get(key) as
    ReservationRow | undefined;
}

export function pendingReservations(db: Db): ReservationRow[] {
  return stmt(
    db,
    `SELECT * FROM reservations WHERE status = 'pending' ORDER BY id`,
  ).all() as ReservationRow[];
}

export function resolveReservation(
  db: Db,
  id: number,
  status: 'posted' | 'voided',
  resolution: string,
  txnId: number | null,
  nowIso: string,
): void {
  const r = stmt(
    db,
    `UPDATE reservations SET status = ?, resolution = ?, txn_id = ?, resolved_at = ? WHERE id = ? AND status = 'pending'`,
  ).run(status, resolution, txnId, nowIso, id);
  if (r.changes !== 1) throw new Error(`reservation ${id} is not pending`);
}

// ---- idempotency --------------------------------------------------------------------------------

export interface IdempotencyRow {
  key: string;
  channel: string;
  request_hash: string;
  outcome: 'done' | 'refused';
  reply: string;
  created_at: string;
}

export function idempotencyRow(db: Db, key: string): IdempotencyRow | undefined {
  return stmt(db, `SELECT * FROM idempotency WHERE key = ?`).get(key) as IdempotencyRow | undefined;
}

export function recordIdempotency(
  db: Db,
  key: string,
  channel: string,
  requestHash: string,
  outcome: 'done' | 'refused',
  reply: unknown,
  nowIso: string,
): void {
  stmt(
    db,
    `INSERT INTO idempotency (key, channel, request_hash, outcome, reply, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(key, channel, requestHash, outcome, JSON.stringify(reply), nowIso);
}

/** The transaction posted under an idempotency key, with the hash of its request. */
export function txnOfKey(db: Db, key: string): { id: number; request_hash: string } | undefined {
  return stmt(db, `SELECT id, request_hash FROM txns WHERE idempotency_key = ?`).get(key) as
    { id: number; request_hash: string } | undefined;
}

/** What a reversal needs of the transaction it reverses. */
export interface ReversibleTxnRow {
  id: number;
  kind: TxnKind;
  amount_fen: Fen;
  fee_fen: Fen;
  service: string | null;
  idempotency_key: string;
  legs: string;
  details: string;
}

export function reversibleTxn(db: Db, txnId: number): ReversibleTxnRow | undefined {
  return stmt(
    db,
    `SELECT id, kind, amount_fen, fee_fen, service, idempotency_key, legs, details FROM txns WHERE id = ?`,
  ).get(txnId) as ReversibleTxnRow | undefined;
}

/** The id of the reversal of a transaction, if it has been reversed. */
export function reversalOf(db: Db, txnId: number): number | undefined {
  return stmt(db, `SELECT id FROM txns WHERE reverses_id = ?`).pluck().get(txnId) as number | undefined;
}

export function isDayClosed(db: Db, day: string): boolean {
  return !!stmt(db, `SELECT 1 FROM business_days WHERE day = ? AND status = 'closed'`).get(day);
}

/** The voucher behind a top-up (PAY-2); the database refuses a voucher credited before
 *  (raises DUPLICATE_VOUCHER). */
export interface NewVoucher {
  voucherNo: string;
  branchCode: string;
  clerk: string;
  amountFen: number;
  depositedAt: string;
  txnId: number;
}

export function insertVoucher(db: Db, v: NewVoucher): void {
  stmt(
    db,
    `INSERT INTO vouchers (voucher_no, branch_code, clerk, amount_fen, deposited_at, txn_id) VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(v.voucherNo, v.branchCode, v.clerk, v.amountFen, v.depositedAt, v.txnId);
}
