// The central accounts' rules, written once over the engine-neutral transaction (sql.ts) and
// run by both stores. The database refuses what must never happen (overdraw, edits of the
// journal, a second credit for a voucher); this code turns those refusals into typed errors
// and implements idempotency by the caller's request key.
// Long on purpose (about 590 lines): one class implements the whole AccountStore interface, each
// operation one transaction whose statements read best together; PostgreSQL's faster payment
// path (pg-payments.ts) overrides two of them.
import type { Param, SqlRunner, Tx } from './sql';
import { dbRefusalOf } from './sql';
import {
  AccountRefusal,
  IdempotencyConflictError,
  InsufficientBalanceError,
  UnknownAccountError,
  type AccountBalance,
  type AccountStore,
  type BeginPaymentRequest,
  type ConfirmVoucherRequest,
  type DepositRequest,
  type GreenCardBinding,
  type GreenCardTransferRequest,
  type JournalEntry,
  type JournalKind,
  type PaymentRecord,
  type PaymentSettlement,
  type TransferRecord,
  type VoucherRecord,
} from './types';

/** 存款凭证 numbers: CK + 10 digits (canonical form: no separators, upper case). */
export const VOUCHER_PREFIX = 'CK';
export const voucherNoOf = (n: number): string => `${VOUCHER_PREFIX}${String(n).padStart(10, '0')}`;

interface AccountRow {
  institution_no: string;
  balance_fen: number;
  credit_limit_fen: number;
  last_entry_no: number;
}
interface JournalRow {
  institution_no: string;
  entry_no: number;
  kind: JournalKind;
  amount_fen: number;
  balance_after_fen: number;
  ref: string;
  at: string;
}
interface VoucherRow {
  voucher_no: string;
  institution_no: string;
  amount_fen: number;
  depositor: string;
  branch_id: string;
  clerk: string;
  issued_at: string;
  reprints: number;
  confirmed_at: string | null;
  confirm_key: string | null;
}
/** A payments row (PostgreSQL's composite text gives amount_fen as a string). */
export interface PaymentRow {
  institution_no: string;
  payment_key: string;
  request_sha256: string;
  biller_id: string;
  account_no: string;
  bill_id: string;
  amount_fen: number | string;
  state: PaymentRecord['state'];
  biller_ref: string | null;
  reason: string | null;
  created_at: string;
  settled_at: string | null;
}
interface TransferRow {
  institution_no: string;
  bank_ref: string;
  amount_fen: number;
  card_masked: string;
  at: string;
  request_key: string;
}

const VOUCHER_COLS = `voucher_no, institution_no, amount_fen, depositor, branch_id, clerk, issued_at, reprints, confirmed_at, confirm_key`;
const PAYMENT_COLS = `institution_no, payment_key, request_sha256, biller_id, account_no, bill_id, amount_fen, state, biller_ref, reason, created_at, settled_at`;
const TRANSFER_COLS = `institution_no, bank_ref, amount_fen, card_masked, at, request_key`;

const toVoucher = (r: VoucherRow): VoucherRecord => ({
  voucherNo: r.voucher_no,
  institutionNo: r.institution_no,
  amountFen: r.amount_fen,
  depositor: r.depositor,
  branchId: r.branch_id,
  clerk: r.clerk,
  issuedAt: r.issued_at,
  reprints: r.reprints,
  confirmedAt: r.confirmed_at,
  confirmKey: r.confirm_key,
});
export const toPayment = (r: PaymentRow): PaymentRecord => ({
  institutionNo: r.institution_no,
  paymentKey: r.payment_key,
  requestSha256: r.request_sha256,
  billerId: r.biller_id,
  accountNo: r.account_no,
  billId: r.bill_id,
  amountFen: Number(r.amount_fen),
  state: r.state,
  billerRef: r.biller_ref,
  reason: r.reason,
  createdAt: r.created_at,
  settledAt: r.settled_at,
});
/** A payment request's fields in the order every begin-payment statement binds them. */
export const BEGIN_PAYMENT_FIELDS = [
  'institutionNo',
  'paymentKey',
  'requestSha256',
  'billerId',
  'accountNo',
  'billId',
  'amountFen',
  'at',
] as const satisfies ReadonlyArray<keyof BeginPaymentRequest>;
const toTransfer = (r: TransferRow): TransferRecord => ({
  institutionNo: r.institution_no,
  bankRef: r.bank_ref,
  amountFen: r.amount_fen,
  cardMasked: r.card_masked,
  at: r.at,
  requestKey: r.request_key,
});

/** The fields of a request that claim its key (the `requests` table). */
interface ClaimedRequest {
  institutionNo: string;
  requestKey: string;
  requestSha256: string;
  at: string;
}

/** The next voucher number, from the engine's sequence. */
async function nextVoucherNo(tx: Tx): Promise<string> {
  const n = await tx.one<{ id: number }>(
    tx.engine === 'pg'
      ? `SELECT nextval('voucher_numbers') AS id`
      : `INSERT INTO voucher_numbers DEFAULT VALUES RETURNING id`,
  );
  return voucherNoOf(n!.id);
}

export class SqlAccountStore implements AccountStore {
  constructor(private readonly sql: SqlRunner) {}

  // ---- reading

  balance(institutionNo: string): Promise<AccountBalance | undefined> {
    return this.sql.read(async (tx) => {
      const r = await tx.one<AccountRow>(
        `SELECT institution_no, balance_fen, credit_limit_fen, last_entry_no FROM accounts WHERE institution_no = $1`,
        [institutionNo],
      );
      return (
        r && {
          institutionNo: r.institution_no,
          balanceFen: r.balance_fen,
          creditLimitFen: r.credit_limit_fen,
          lastEntryNo: r.last_entry_no,
        }
      );
    });
  }

  statement(
    institutionNo: string,
    q: { fromAt?: string; toAt?: string; limit?: number } = {},
  ): Promise<JournalEntry[]> {
    return this.sql.read(async (tx) => {
      const rows = await tx.all<JournalRow>(
        `SELECT institution_no, entry_no, kind, amount_fen, balance_after_fen, ref, at FROM journal
         WHERE institution_no = $1 AND at >= $2 AND at < $3 ORDER BY entry_no LIMIT $4`,
        [institutionNo, q.fromAt ?? '', q.toAt ?? '\uffff', q.limit ?? 10_000],
      );
      return rows.map((r) => ({
        institutionNo: r.institution_no,
        entryNo: r.entry_no,
        kind: r.kind,
        amountFen: r.amount_fen,
        balanceAfterFen: r.balance_after_fen,
        ref: r.ref,
        at: r.at,
      }));
    });
  }

  // ---- the journal (inside a write transaction)

  /** Appends one entry; the database checks the chain and refuses an overdraw. */
  private async post(
    tx: Tx,
    institutionNo: string,
    kind: JournalKind,
    amountFen: number,
    ref: string,
    at: string,
  ): Promise<number> {
    const acc = await tx.one<AccountRow>(
      `SELECT institution_no, balance_fen, credit_limit_fen, last_entry_no FROM accounts WHERE institution_no = $1${tx.forUpdate}`,
      [institutionNo],
    );
    if (!acc) throw new UnknownAccountError(institutionNo);
    const entryNo = acc.last_entry_no + 1;
    try {
      await tx.run(
        `INSERT INTO journal (institution_no, entry_no, kind, amount_fen, balance_after_fen, ref, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [institutionNo, entryNo, kind, amountFen, acc.balance_fen + amountFen, ref, at],
      );
    } catch (e) {
      if (dbRefusalOf(e) === 'check' && amountFen < 0)
        throw new InsufficientBalanceError(institutionNo, acc.balance_fen, -amountFen);
      throw e;
    }
    return entryNo;
  }

  /** One idempotent request, `run` in a write transaction once its key is claimed for `op`: the
   *  claim says whether the key was used before (a replay, with that request's ref) or is now
   *  this request's, under `refOf`. Retried when two requests race on one key. */
  private inClaim<T>(
    r: ClaimedRequest,
    op: string,
    refOf: string | ((tx: Tx) => Promise<string>),
    run: (tx: Tx, claim: { replay: boolean; ref: string }) => Promise<T>,
  ): Promise<T> {
    return this.retryOnKeyRace(() =>
      this.sql.write(async (tx) => run(tx, await this.claim(tx, r, op, refOf))),
    );
  }

  /** Claims a request key: 'new' (claimed now), or the ref of the same request made before.
   *  Another request under the key is IdempotencyConflictError. */
  private async claim(
    tx: Tx,
    r: ClaimedRequest,
    op: string,
    refOf: string | ((tx: Tx) => Promise<string>),
  ): Promise<{ replay: boolean; ref: string }> {
    const prior = await tx.one<{ op: string; request_sha256: string; ref: string }>(
      `SELECT op, request_sha256, ref FROM requests WHERE institution_no = $1 AND request_key = $2`,
      [r.institutionNo, r.requestKey],
    );
    if (prior) {
      if (prior.op !== op || prior.request_sha256 !== r.requestSha256)
        throw new IdempotencyConflictError(r.requestKey);
      return { replay: true, ref: prior.ref };
    }
    const ref = typeof refOf === 'string' ? refOf : await refOf(tx);
    try {
      await tx.run(
        `INSERT INTO requests (institution_no, request_key, op, request_sha256, ref, at) VALUES ($1, $2, $3, $4, $5, $6)`,
        [r.institutionNo, r.requestKey, op, r.requestSha256, ref, r.at],
      );
    } catch (e) {
      if (dbRefusalOf(e) === 'foreign_key') throw new UnknownAccountError(r.institutionNo);
      // A concurrent request under the same key won (PostgreSQL): the caller retries and replays.
      throw e;
    }
    return { replay: false, ref };
  }

  private async voucherIn(tx: Tx, voucherNo: string): Promise<VoucherRecord | undefined> {
    const r = await tx.one<VoucherRow>(`SELECT ${VOUCHER_COLS} FROM vouchers WHERE voucher_no = $1`, [
      voucherNo,
    ]);
    return r && toVoucher(r);
  }

  // ---- deposits and vouchers (PAY-2)

  deposit(d: DepositRequest): Promise<{ voucher: VoucherRecord; replay: boolean }> {
    return this.inClaim(d, 'deposit', nextVoucherNo, async (tx, c) => {
      if (c.replay) return { voucher: (await this.voucherIn(tx, c.ref))!, replay: true };
      const voucherNo = c.ref;
      const entryNo = await this.post(tx, d.institutionNo, 'deposit', d.amountFen, voucherNo, d.at);
      await tx.run(
        `INSERT INTO vouchers (voucher_no, institution_no, amount_fen, depositor, branch_id, clerk, issued_at, entry_no)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [voucherNo, d.institutionNo, d.amountFen, d.depositor, d.branchId, d.clerk, d.at, entryNo],
      );
      return { voucher: (await this.voucherIn(tx, voucherNo))!, replay: false };
    });
  }

  voucher(voucherNo: string): Promise<VoucherRecord | undefined> {
    return this.sql.read((tx) => this.voucherIn(tx, voucherNo));
  }

  vouchersOfBranch(branchId: string, fromAt: string, toAt: string): Promise<VoucherRecord[]> {
    return this.sql.read(async (tx) =>
      (
        await tx.all<VoucherRow>(
          `SELECT ${VOUCHER_COLS} FROM vouchers WHERE branch_id = $1 AND issued_at >= $2 AND issued_at < $3 ORDER BY issued_at, voucher_no`,
          [branchId, fromAt, toAt],
        )
      ).map(toVoucher),
    );
  }

  markReprint(voucherNo: string): Promise<VoucherRecord> {
    return this.sql.write(async (tx) => {
      const n = await tx.run(`UPDATE vouchers SET reprints = reprints + 1 WHERE voucher_no = $1`, [
        voucherNo,
      ]);
      if (n !== 1) throw new AccountRefusal('VOUCHER_NOT_FOUND', { voucherNo });
      return (await this.voucherIn(tx, voucherNo))!;
    });
  }

  confirmVoucher(c: ConfirmVoucherRequest): Promise<{ voucher: VoucherRecord; replay: boolean }> {
    return this.inClaim(c, 'confirm_voucher', c.voucherNo, async (tx, claim) => {
      const v = await tx.one<VoucherRow>(
        `SELECT ${VOUCHER_COLS} FROM vouchers WHERE voucher_no = $1${tx.forUpdate}`,
        [c.voucherNo],
      );
      if (claim.replay) return { voucher: toVoucher(v!), replay: true };
      // Another station's voucher is "not found" for this one: it learns nothing about it.
      if (!v || v.institution_no !== c.institutionNo)
        throw new AccountRefusal('VOUCHER_NOT_FOUND', { voucherNo: c.voucherNo });
      if (v.confirmed_at !== null)
        throw new AccountRefusal('VOUCHER_ALREADY_CONFIRMED', {
          voucherNo: c.voucherNo,
          confirmedAt: v.confirmed_at,
        });
      if (v.amount_fen !== c.amountFen)
        throw new AccountRefusal('VOUCHER_AMOUNT_MISMATCH', { voucherNo: c.voucherNo });
      await tx.run(`UPDATE vouchers SET confirmed_at = $1, confirm_key = $2 WHERE voucher_no = $3`, [
        c.at,
        c.requestKey,
        c.voucherNo,
      ]);
      return { voucher: (await this.voucherIn(tx, c.voucherNo))!, replay: false };
    });
  }

  // ---- Green Card (PAY-3)

  bindGreenCard(b: GreenCardBinding): Promise<void> {
    return this.sql.write(async (tx) => {
      await tx.run(
        `UPDATE green_cards SET unbound_at = $1, unbound_by = $2 WHERE institution_no = $3 AND unbound_at IS NULL`,
        [b.boundAt, b.boundBy, b.institutionNo],
      );
      try {
        await tx.run(
          `INSERT INTO green_cards (institution_no, bound_at, card_masked, bound_by) VALUES ($1, $2, $3, $4)`,
          [b.institutionNo, b.boundAt, b.cardMasked, b.boundBy],
        );
      } catch (e) {
        if (dbRefusalOf(e) === 'foreign_key') throw new UnknownAccountError(b.institutionNo);
        throw e;
      }
    });
  }

  unbindGreenCard(institutionNo: string, at: string, by: string): Promise<boolean> {
    return this.sql.write(
      async (tx) =>
        (await tx.run(
          `UPDATE green_cards SET unbound_at = $1, unbound_by = $2 WHERE institution_no = $3 AND unbound_at IS NULL`,
          [at, by, institutionNo],
        )) === 1,
    );
  }

  greenCard(institutionNo: string): Promise<GreenCardBinding | undefined> {
    return this.sql.read(async (tx) => {
      const r = await tx.one<{
        institution_no: string;
        card_masked: string;
        bound_at: string;
        bound_by: string;
      }>(
        `SELECT institution_no, card_masked, bound_at, bound_by FROM green_cards WHERE institution_no = $1 AND unbound_at IS NULL`,
        [institutionNo],
      );
      return (
        r && {
          institutionNo: r.institution_no,
          cardMasked: r.card_masked,
          boundAt: r.bound_at,
          boundBy: r.bound_by,
        }
      );
    });
  }

  greenCardTransfer(t: GreenCardTransferRequest): Promise<{ transfer: TransferRecord; replay: boolean }> {
    return this.inClaim(t, 'green_card', t.bankRef, async (tx, c) => {
      const existing = await tx.one<TransferRow>(
        `SELECT ${TRANSFER_COLS} FROM transfers WHERE bank_ref = $1`,
        [t.bankRef],
      );
      if (c.replay) return { transfer: toTransfer(existing!), replay: true };
      if (existing) throw new AccountRefusal('REFERENCE_USED', { bankRef: t.bankRef });
      const card = await tx.one<{ card_masked: string }>(
        `SELECT card_masked FROM green_cards WHERE institution_no = $1 AND unbound_at IS NULL`,
        [t.institutionNo],
      );
      if (!card) throw new AccountRefusal('NO_GREEN_CARD', { institutionNo: t.institutionNo });
      const entryNo = await this.post(tx, t.institutionNo, 'green_card', t.amountFen, t.bankRef, t.at);
      await tx.run(
        `INSERT INTO transfers (institution_no, bank_ref, amount_fen, card_masked, entry_no, request_key, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [t.institutionNo, t.bankRef, t.amountFen, card.card_masked, entryNo, t.requestKey, t.at],
      );
      return {
        transfer: {
          institutionNo: t.institutionNo,
          bankRef: t.bankRef,
          amountFen: t.amountFen,
          cardMasked: card.card_masked,
          at: t.at,
          requestKey: t.requestKey,
        },
        replay: false,
      };
    });
  }

  transfers(institutionNo: string, limit: number): Promise<TransferRecord[]> {
    return this.sql.read(async (tx) =>
      (
        await tx.all<TransferRow>(
          `SELECT ${TRANSFER_COLS} FROM transfers WHERE institution_no = $1 ORDER BY at DESC, bank_ref LIMIT $2`,
          [institutionNo, limit],
        )
      ).map(toTransfer),
    );
  }

  // ---- bill payments through the switch

  private async paymentIn(
    tx: Tx,
    institutionNo: string,
    key: string,
    lock = false,
  ): Promise<PaymentRecord | undefined> {
    const r = await tx.one<PaymentRow>(
      `SELECT ${PAYMENT_COLS} FROM payments WHERE institution_no = $1 AND payment_key = $2${lock ? tx.forUpdate : ''}`,
      [institutionNo, key],
    );
    return r && toPayment(r);
  }

  beginPayment(p: BeginPaymentRequest): Promise<{ payment: PaymentRecord; replay: boolean }> {
    // A payment's key is its request key.
    return this.inClaim({ ...p, requestKey: p.paymentKey }, 'pay', p.paymentKey, async (tx, c) => {
      if (c.replay)
        return { payment: (await this.paymentIn(tx, p.institutionNo, p.paymentKey))!, replay: true };
      const entryNo = await this.post(tx, p.institutionNo, 'bill_payment', -p.amountFen, p.paymentKey, p.at);
      await tx.run(
        `INSERT INTO payments (institution_no, payment_key, request_sha256, biller_id, account_no, bill_id, amount_fen, state, created_at, debit_entry_no)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9)`,
        [...BEGIN_PAYMENT_FIELDS.map((k) => p[k]), entryNo],
      );
      const payment: PaymentRecord = {
        institutionNo: p.institutionNo,
        paymentKey: p.paymentKey,
        requestSha256: p.requestSha256,
        billerId: p.billerId,
        accountNo: p.accountNo,
        billId: p.billId,
        amountFen: p.amountFen,
        state: 'pending',
        billerRef: null,
        reason: null,
        createdAt: p.at,
        settledAt: null,
      };
      return { payment, replay: false };
    });
  }

  /** The payment, locked for the change about to be made to it; PAYMENT_NOT_FOUND without it. */
  private async paymentToChange(tx: Tx, institutionNo: string, paymentKey: string): Promise<PaymentRecord> {
    const p = await this.paymentIn(tx, institutionNo, paymentKey, true);
    if (!p) throw new AccountRefusal('PAYMENT_NOT_FOUND', { paymentKey });
    return p;
  }

  settlePayment(
    institutionNo: string,
    paymentKey: string,
    s: PaymentSettlement,
    at: string,
  ): Promise<PaymentRecord> {
    return this.sql.write(async (tx) => {
      const p = await this.paymentToChange(tx, institutionNo, paymentKey);
      if (p.state !== 'pending') {
        if (p.state === s.state) return p; // settled the same way before
        throw new Error(`payment ${paymentKey} is ${p.state}, cannot settle as ${s.state}`);
      }
      let creditEntry: number | null = null;
      if (s.state === 'declined')
        creditEntry = await this.post(tx, institutionNo, 'decline', p.amountFen, paymentKey, at);
      await tx.run(
        `UPDATE payments SET state = $1, biller_ref = $2, reason = $3, settled_at = $4, credit_entry_no = $5
         WHERE institution_no = $6 AND payment_key = $7`,
        [
          s.state,
          s.state === 'paid' ? s.billerRef : null,
          s.state === 'declined' ? s.reason : null,
          at,
          creditEntry,
          institutionNo,
          paymentKey,
        ] satisfies Param[],
      );
      return (await this.paymentIn(tx, institutionNo, paymentKey))!;
    });
  }

  payment(institutionNo: string, paymentKey: string): Promise<PaymentRecord | undefined> {
    return this.sql.read((tx) => this.paymentIn(tx, institutionNo, paymentKey));
  }

  pendingPayments(before: string, limit: number): Promise<PaymentRecord[]> {
    return this.sql.read(async (tx) =>
      (
        await tx.all<PaymentRow>(
          `SELECT ${PAYMENT_COLS} FROM payments WHERE state = 'pending' AND created_at < $1 ORDER BY created_at LIMIT $2`,
          [before, limit],
        )
      ).map(toPayment),
    );
  }

  // Typed from the interface rather than restating its long signature (settlePayment stays a
  // method: the PostgreSQL store overrides it).
  reversePayment: AccountStore['reversePayment'] = (institutionNo, paymentKey, reason, at) =>
    this.sql.write(async (tx) => {
      const p = await this.paymentToChange(tx, institutionNo, paymentKey);
      if (p.state === 'reversed') return p;
      if (p.state !== 'paid')
        throw new AccountRefusal('PAYMENT_NOT_REVERSIBLE', { paymentKey, state: p.state });
      const creditEntry = await this.post(tx, institutionNo, 'reversal', p.amountFen, paymentKey, at);
      await tx.run(
        `UPDATE payments SET state = 'reversed', reason = $1, settled_at = $2, credit_entry_no = $3
         WHERE institution_no = $4 AND payment_key = $5`,
        [reason, at, creditEntry, institutionNo, paymentKey],
      );
      return (await this.paymentIn(tx, institutionNo, paymentKey))!;
    });

  /** On PostgreSQL two requests under one key can both miss the prior row; the loser's insert
   *  fails on the primary key, and its retry replays (or conflicts) like any later request. */
  private async retryOnKeyRace<T>(run: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await run();
      } catch (e) {
        if (attempt < 3 && dbRefusalOf(e) === 'unique') continue;
        throw e;
      }
    }
  }
}
