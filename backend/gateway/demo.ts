// 演示 — the demo bill gateway. A deterministic stand-in for the postal central system, with its
// own SQLite state (bills paid, payments, central float), so that anyone can try the counter.
//
// Account numbers: 8–20 digits. Any well-formed number has a bill derived from the number itself
// (same number, same bill). Special numbers, documented in the README:
//   99990000  the gateway times out (inquiry and payment)
//   99990001  the payment is declined by the utility
//   99990002  no bill due
//   99990003  a large bill, 48,000.00 元 (to see the zero-credit refusal)
//   99990004  the payment times out, but the central system did take it (crash/timeout recovery)
// Voucher numbers starting with "X" are unknown to the central system (not confirmed).
import { SIM_ACCOUNTS, SIM_BILLER_IDENTITY, simBill } from '../../shared/sim-billers';
import { createHash } from 'node:crypto';
import type { ServiceId } from '../../shared/catalogue';
import { fen, type Fen } from '../../shared/money';
import { DemoCentralStore } from '../../db/demo-central';
import {
  GatewayUnavailable,
  type BillGateway,
  type GatewayBill,
  type InquiryResult,
  type PayRequest,
  type PayResult,
  type PaymentStatus,
  type TopUpConfirmation,
} from './types';

export const DEMO_ACCOUNTS = SIM_ACCOUNTS;

export interface DemoGatewayOptions {
  /** SQLite file for the central system's state; ':memory:' for throwaway use. */
  file: string;
  /** How long a simulated timeout takes before it fails (ms). */
  timeoutMs?: number;
  /** Current month, for bill periods. */
  now?: () => Date;
}

export class DemoGateway implements BillGateway {
  readonly demo = true;
  private readonly db: DemoCentralStore;
  private readonly timeoutMs: number;
  private readonly now: () => Date;
  /** Tests can take the whole gateway down. */
  offline = false;

  constructor(opts: DemoGatewayOptions) {
    this.db = new DemoCentralStore(opts.file);
    this.timeoutMs = opts.timeoutMs ?? 1_500;
    this.now = opts.now ?? (() => new Date());
  }

  /** The bill an account has this month, derived from the number (deterministic). */
  billFor(service: ServiceId, accountNo: string): GatewayBill {
    const digest = createHash('sha256').update(`${service}:${accountNo}`).digest();
    const bill = simBill(service, accountNo, digest, this.now());
    return { ...bill, service, amountFen: fen(bill.amountFen), biller: SIM_BILLER_IDENTITY[service] };
  }

  async inquire(service: ServiceId, accountNo: string): Promise<InquiryResult> {
    await this.reach();
    if (accountNo === DEMO_ACCOUNTS.timeout) await this.timeout();
    if (accountNo === DEMO_ACCOUNTS.noBill) return { kind: 'no_bill' };
    const bill = this.billFor(service, accountNo);
    if (this.db.billPaid(bill.billId)) return { kind: 'no_bill' };
    return { kind: 'bill', bill };
  }

  async pay(req: PayRequest): Promise<PayResult> {
    await this.reach();
    const existing = this.db.payment(req.paymentRef);
    if (existing?.status === 'paid') return { status: 'paid', gatewayRef: existing.gateway_ref };
    const accountNo = req.billId.slice(2).split('-')[0] ?? '';
    if (accountNo === DEMO_ACCOUNTS.timeout) await this.timeout();
    if (accountNo === DEMO_ACCOUNTS.declined) {
      this.db.recordDecline(req.paymentRef, '户号状态异常，缴费单位拒收');
      return { status: 'declined', reason: '户号状态异常，缴费单位拒收' };
    }
    if (this.db.billPaid(req.billId)) return { status: 'declined', reason: '该账单已缴清' };
    const gatewayRef = `DG${createHash('sha256').update(req.paymentRef).digest('hex').slice(0, 14).toUpperCase()}`;
    this.db.recordPayment({
      payment_ref: req.paymentRef,
      bill_id: req.billId,
      amount_fen: req.amountFen,
      institution_no: req.institutionNo,
      gateway_ref: gatewayRef,
      at: this.now().toISOString(),
    });
    if (accountNo === DEMO_ACCOUNTS.payTimeoutButPaid) await this.timeout();
    return { status: 'paid', gatewayRef };
  }

  async paymentStatus(paymentRef: string): Promise<PaymentStatus> {
    await this.reach();
    const p = this.db.payment(paymentRef);
    if (p?.status === 'paid') return { status: 'paid', gatewayRef: p.gateway_ref };
    if (p?.status === 'reversed') return { status: 'declined', reason: 'reversed' };
    const declined = this.db.declineReason(paymentRef);
    if (declined !== undefined) return { status: 'declined', reason: declined };
    return { status: 'unknown' };
  }

  async reversePayment(paymentRef: string): Promise<{ ok: true } | { ok: false; reason: string }> {
    await this.reach();
    if (this.db.reversePayment(paymentRef)) return { ok: true };
    // Idempotent: a retry after a lost answer finds it already reversed.
    return this.db.payment(paymentRef)?.status === 'reversed'
      ? { ok: true }
      : { ok: false, reason: '中心系统找不到这笔缴费' };
  }

  async centralBalance(institutionNo: string): Promise<Fen> {
    await this.reach();
    return fen(this.db.balanceFen(institutionNo));
  }

  async confirmTopUp(
    c: TopUpConfirmation,
  ): Promise<{ confirmed: true } | { confirmed: false; reason: string }> {
    await this.reach();
    if (c.kind === 'voucher' && c.ref.toUpperCase().startsWith('X')) {
      return { confirmed: false, reason: '中心系统查无此存款凭证' };
    }
    const prior = this.db.topUp(c.kind, c.ref);
    if (prior && prior.reversed === 0 && prior.amount_fen !== c.amountFen) {
      return { confirmed: false, reason: '凭证金额与中心记录不符' };
    }
    this.db.recordTopUp({
      kind: c.kind,
      ref: c.ref,
      amountFen: c.amountFen,
      institutionNo: c.institutionNo,
      at: this.now().toISOString(),
    });
    return { confirmed: true };
  }

  async reverseTopUp(ref: string): Promise<{ ok: true } | { ok: false; reason: string }> {
    await this.reach();
    if (this.db.reverseTopUp(ref) >= 1) return { ok: true };
    // Idempotent: a retry after a lost answer finds it already reversed.
    return this.db.topUpReversed(ref) ? { ok: true } : { ok: false, reason: '中心系统找不到这笔充值' };
  }

  close(): void {
    this.db.close();
  }

  private async reach(): Promise<void> {
    // A real gateway is a network hop away; yield so callers cannot rely on synchronous answers.
    await new Promise<void>((r) => setImmediate(r));
    if (this.offline) throw new GatewayUnavailable('demo gateway offline');
  }

  private async timeout(): Promise<never> {
    await new Promise((r) => setTimeout(r, this.timeoutMs));
    throw new GatewayUnavailable('demo gateway timeout');
  }
}
