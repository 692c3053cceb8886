// The station's link to the postal system (便民驿站管理系统). Its one implementation is the
// platform gateway (platform-gateway.ts): signed requests to the platform's station API — the
// real platform, or the same platform run embedded with simulated billers for the demo and tests.
// Amounts are integer fen, branded `Fen`: an adapter parses the central system's amounts with
// shared/money (parseMoney/toFen/fen) before they reach the station.
import type { ServiceId } from '../../shared/catalogue';
import type { Fen } from '../../shared/money';
import type { BillerIdentity } from '../../shared/sim-billers';
import { unavailableError } from '../../shared/unavailable';

export interface GatewayBill {
  billId: string;
  service: ServiceId;
  accountNo: string;
  payeeMasked: string;
  /** The amount due; null when nothing is due and only a chosen amount can be paid. */
  amountFen: Fen | null;
  period: string | null;
  /** Present when the customer may pay an amount of their choice within these limits (prepaid
   *  meter, phone top-up), besides the amount due. */
  choose: { minFen: Fen; maxFen: Fen } | null;
  /** Who is paid (收费单位, 客服热线), printed on the customer's slip; null if not told. */
  biller: BillerIdentity | null;
}

export type InquiryResult = { kind: 'bill'; bill: GatewayBill } | { kind: 'no_bill' };

export interface PayRequest {
  /** Our idempotency key: the gateway must treat a repeated ref as the same payment. */
  paymentRef: string;
  billId: string;
  /** The amount due, or the customer's chosen amount (within the bill's limits). */
  amountFen: Fen;
  institutionNo: string;
  /** The bill's service and account (the platform's bill switch routes by them). */
  service?: ServiceId;
  accountNo?: string;
}

export type PayResult = { status: 'paid'; gatewayRef: string } | { status: 'declined'; reason: string };

export type PaymentStatus =
  { status: 'paid'; gatewayRef: string } | { status: 'declined'; reason: string } | { status: 'unknown' };

export interface TopUpConfirmation {
  kind: 'voucher' | 'green_card';
  /** Voucher number or bank reference. */
  ref: string;
  amountFen: Fen;
  institutionNo: string;
}

/** One entry of the station's account in the central journal (PAY-4 tie-out). `ref` is the
 *  payment's key (bill_payment, decline, reversal) or the voucher / bank reference (deposit,
 *  green_card). */
export interface CentralEntry {
  entryNo: number;
  kind: string;
  /** Signed: a debit is negative. */
  amountFen: Fen;
  ref: string;
  at: string;
}

/** Thrown when the central system cannot be reached or does not answer in time. */
export class GatewayUnavailable extends unavailableError('GatewayUnavailable', 'gateway unavailable') {}

export interface BillGateway {
  /** True when the platform runs simulated billers (the embedded demo): the UI and receipts then say 「演示」. */
  readonly demo: boolean;
  inquire(service: ServiceId, accountNo: string): Promise<InquiryResult>;
  pay(req: PayRequest): Promise<PayResult>;
  /** After a crash or a timeout: what became of a payment we asked for. */
  paymentStatus(paymentRef: string): Promise<PaymentStatus>;
  /** 冲正: undo a payment at the central system. */
  /** Idempotent: reversing a payment already reversed answers ok (a retry after a lost answer). */
  reversePayment(paymentRef: string, reason: string): Promise<{ ok: true } | { ok: false; reason: string }>;
  /** The float balance as the central system sees it, in fen (for the day's reconciliation). */
  centralBalance(institutionNo: string): Promise<Fen>;
  /** PAY-4: the station's central journal from `fromAt` (ISO instant) on, oldest first;
   *  `complete` is false when the central system cut the list short. Optional: a gateway
   *  without it gives the close no line-by-line tie-out. */
  centralStatement?(fromAt: string): Promise<{ entries: CentralEntry[]; complete: boolean }>;
  /** The branch deposit or Green Card transfer as the central system recorded it. */
  confirmTopUp(c: TopUpConfirmation): Promise<{ confirmed: true } | { confirmed: false; reason: string }>;
  /** Undo a top-up entered by mistake (the central system must agree). */
  /** Idempotent, like reversePayment. */
  reverseTopUp(
    ref: string,
    amountFen: Fen,
    institutionNo: string,
  ): Promise<{ ok: true } | { ok: false; reason: string }>;
  close(): void;
}
