// The platform's storage: ONE async interface, two implementations — embedded SQLite
// (platform/store/sqlite.ts: one office, the demo, tests) and PostgreSQL (platform/store/pg.ts:
// a real office). Every table is keyed by 机构号 (institution_no) where it belongs to a station,
// so the fleet can later be distributed by station (e.g. Citus, distribution column
// institution_no).
//
// The store is split by area, each a property of PlatformStore with its own file per engine:
//   stations  the monitor's registry, signed uploads, standing inputs, refusals (stations.ts)
//   accounts  central station accounts: zero credit, append-only journal, vouchers, Green Card,
//             bill payments (this file)
//   office    users, sessions, audit of the office console (platform/office/, added there)
// Each engine keeps its migrations as a list of NAMED steps (platform/store/migrations.ts):
// an area appends its own steps; a step runs once, in list order, recorded in
// platform_migrations. Money is integer fen everywhere here; decimal strings only on the wire.
import type { MonitorStore } from './stations';

export type {
  ApplyOutcome,
  FaultRecord,
  MonitorStore,
  NewStation,
  RefusalRecord,
  StationMonths,
  StationRecord,
  UploadToApply,
} from './stations';
export { StationExistsError } from './stations';

// ---------------------------------------------------------------- accounts

/** What moved money on a central account. Signs: deposit/green_card/reversal credit (+),
 *  bill_payment debits (−), decline credits back a declined payment's debit (+). */
export type JournalKind = 'deposit' | 'green_card' | 'bill_payment' | 'decline' | 'reversal';

export interface JournalEntry {
  institutionNo: string;
  /** 1, 2, 3… per account, no gaps. */
  entryNo: number;
  kind: JournalKind;
  /** Signed: + credit, − debit. */
  amountFen: number;
  balanceAfterFen: number;
  /** Voucher number, bank reference or payment key this entry belongs to. */
  ref: string;
  at: string;
}

export interface AccountBalance {
  institutionNo: string;
  balanceFen: number;
  /** Always 0 (the seed: 信誉额度必须为零); stored so the database can check it. */
  creditLimitFen: number;
  lastEntryNo: number;
}

/** Idempotency: the same key with the same request replays; another request is a conflict. */
export class IdempotencyConflictError extends Error {
  constructor(readonly key: string) {
    super(`idempotency key ${key} was used for another request`);
    this.name = 'IdempotencyConflictError';
  }
}

/** The database refused a debit that would take the balance below the credit limit (0). */
export class InsufficientBalanceError extends Error {
  constructor(
    readonly institutionNo: string,
    readonly balanceFen: number,
    readonly amountFen: number,
  ) {
    super(`account ${institutionNo}: balance ${balanceFen} fen cannot cover ${amountFen} fen`);
    this.name = 'InsufficientBalanceError';
  }
}

export class UnknownAccountError extends Error {
  constructor(readonly institutionNo: string) {
    super(`no account for ${institutionNo}`);
    this.name = 'UnknownAccountError';
  }
}

/** A refusal a store decides on: its code (the platform's error code) and what it was about. */
export abstract class StoreRefusal<C extends string> extends Error {
  constructor(
    readonly code: C,
    readonly details: Record<string, unknown> = {},
  ) {
    super(code);
    this.name = new.target.name;
  }
}

/** A refusal the account store decides on (voucher not found, already confirmed...). */
export class AccountRefusal extends StoreRefusal<
  | 'VOUCHER_NOT_FOUND'
  | 'VOUCHER_ALREADY_CONFIRMED'
  | 'VOUCHER_AMOUNT_MISMATCH'
  | 'NO_GREEN_CARD'
  | 'PAYMENT_NOT_FOUND'
  | 'PAYMENT_NOT_REVERSIBLE'
  | 'REFERENCE_USED'
> {}

/** A branch deposit (存款凭证). */
export interface DepositRequest {
  institutionNo: string;
  amountFen: number;
  depositor: string;
  /** Branch and clerk as the console knows them (opaque to the store). */
  branchId: string;
  clerk: string;
  /** The console's idempotency key (a form nonce): a double submit issues one voucher. */
  requestKey: string;
  requestSha256: string;
  at: string;
}

export interface VoucherRecord {
  /** Canonical voucher number (shared/voucher.ts canonicalRef). */
  voucherNo: string;
  institutionNo: string;
  amountFen: number;
  depositor: string;
  branchId: string;
  clerk: string;
  issuedAt: string;
  /** Times printed after the first (the reprint says 重印). */
  reprints: number;
  confirmedAt: string | null;
  confirmKey: string | null;
}

export interface ConfirmVoucherRequest {
  institutionNo: string;
  /** Canonical form. */
  voucherNo: string;
  amountFen: number;
  requestKey: string;
  requestSha256: string;
  at: string;
}

export interface GreenCardBinding {
  institutionNo: string;
  cardMasked: string;
  boundAt: string;
  boundBy: string;
}

export interface GreenCardTransferRequest {
  institutionNo: string;
  amountFen: number;
  /** The bank reference the station gives (canonical form): credited once per reference. */
  bankRef: string;
  requestKey: string;
  requestSha256: string;
  at: string;
}

export interface TransferRecord {
  institutionNo: string;
  bankRef: string;
  amountFen: number;
  cardMasked: string;
  at: string;
  requestKey: string;
}

export type PaymentState = 'pending' | 'paid' | 'declined' | 'reversed';

/** A bill payment as the station asked for it. */
interface PaymentAsked {
  institutionNo: string;
  /** The station's idempotency key for the payment. */
  paymentKey: string;
  requestSha256: string;
  billerId: string;
  accountNo: string;
  billId: string;
  amountFen: number;
}

export interface PaymentRecord extends PaymentAsked {
  state: PaymentState;
  billerRef: string | null;
  reason: string | null;
  createdAt: string;
  settledAt: string | null;
}

export interface BeginPaymentRequest extends PaymentAsked {
  at: string;
}

export type PaymentSettlement = { state: 'paid'; billerRef: string } | { state: 'declined'; reason: string };

export interface AccountStore {
  balance(institutionNo: string): Promise<AccountBalance | undefined>;
  /** Journal entries, oldest first, `at` within [fromAt, toAt). */
  statement(
    institutionNo: string,
    q?: { fromAt?: string; toAt?: string; limit?: number },
  ): Promise<JournalEntry[]>;

  /** Credits the account at once and issues the next voucher number. Idempotent by requestKey
   *  (per branch): a replay returns the same voucher. */
  deposit(d: DepositRequest): Promise<{ voucher: VoucherRecord; replay: boolean }>;
  /** By canonical number. */
  voucher(voucherNo: string): Promise<VoucherRecord | undefined>;
  /** Deposits of a branch in [fromAt, toAt), oldest first (the clerk's day list). */
  vouchersOfBranch(branchId: string, fromAt: string, toAt: string): Promise<VoucherRecord[]>;
  /** Counts a reprint and returns the voucher with `reprints` raised by one. */
  markReprint(voucherNo: string): Promise<VoucherRecord>;
  /** PAY-2: the station confirms a voucher it was given; once per canonical number. No money
   *  moves (the deposit credited the account already). */
  confirmVoucher(c: ConfirmVoucherRequest): Promise<{ voucher: VoucherRecord; replay: boolean }>;

  bindGreenCard(b: GreenCardBinding): Promise<void>;
  unbindGreenCard(institutionNo: string, at: string, by: string): Promise<boolean>;
  greenCard(institutionNo: string): Promise<GreenCardBinding | undefined>;
  /** PAY-3: credits the account from the bound card, once per bank reference. */
  greenCardTransfer(t: GreenCardTransferRequest): Promise<{ transfer: TransferRecord; replay: boolean }>;
  transfers(institutionNo: string, limit: number): Promise<TransferRecord[]>;

  /** Debits the account (the database refuses an overdraw: InsufficientBalanceError) and
   *  records the payment as pending. A replay returns the existing payment unchanged. */
  beginPayment(p: BeginPaymentRequest): Promise<{ payment: PaymentRecord; replay: boolean }>;
  /** pending → paid | declined (a decline credits the debit back). Settling an already settled
   *  payment the same way is a no-op; another way throws. */
  settlePayment(
    institutionNo: string,
    paymentKey: string,
    s: PaymentSettlement,
    at: string,
  ): Promise<PaymentRecord>;
  payment(institutionNo: string, paymentKey: string): Promise<PaymentRecord | undefined>;
  /** Pending payments created before `before` (recovery after a crash). */
  pendingPayments(before: string, limit: number): Promise<PaymentRecord[]>;
  /** paid → reversed, crediting the amount back. Idempotent: reversing a reversed payment
   *  returns it. */
  reversePayment(
    institutionNo: string,
    paymentKey: string,
    reason: string,
    at: string,
  ): Promise<PaymentRecord>;
}

// ---------------------------------------------------------------- simulated billers' own state

/** What a simulated biller remembers (a real biller keeps this on its side). */
export interface SimBillerStore {
  /** Records the bill as paid under the switch's key; a replay returns the first billerRef.
   *  Returns undefined when the bill was already paid under another key. */
  simPay(
    billerId: string,
    switchKey: string,
    billId: string,
    amountFen: number,
    at: string,
  ): Promise<string | undefined>;
  simStatus(
    billerId: string,
    switchKey: string,
  ): Promise<{ billerRef: string; reversed: boolean } | undefined>;
  simBillPaid(billerId: string, billId: string): Promise<boolean>;
  simReverse(billerId: string, switchKey: string): Promise<boolean>;
}

// ---------------------------------------------------------------- office (console helper)

/** Users, roles, sessions, audit: defined and implemented under platform/office/. */
import type { OfficeStore } from '../office/types';
import type { SqlChainAnchorStore } from './chain-anchors';
import type { ProvisioningStore } from '../provisioning/types';
export type { OfficeStore };

// ---------------------------------------------------------------- the whole store

export type StoreEngine = 'sqlite' | 'pg';

export interface PlatformStore {
  readonly engine: StoreEngine;
  readonly stations: MonitorStore;
  readonly accounts: AccountStore;
  readonly billers: SimBillerStore;
  /** Closed days' chain heads as first uploaded, and later different ones (issue 9). */
  readonly anchors: SqlChainAnchorStore;
  readonly office: OfficeStore;
  /** Stations, people, training, fees, certificates, fault handling (platform/provisioning/). */
  readonly provisioning: ProvisioningStore;
  close(): Promise<void>;
}
