// 演示 — the demo bill gateway. A deterministic stand-in for the postal central system, with its
// own SQLite state (bills paid, payments, central float), so that anyone can try the counter.
//
// Account numbers: 8–20 digits. Any well-formed number has a bill derived from the number itself
// (same number, same bill). Special numbers, documented in the README:
//   99990000  the gateway times out (inquiry and payment)
//   99990001  the payment is declined by the utility
//   99990002  no bill due (electricity and telephone: nothing due, a chosen amount only)
//   99990003  a large bill, 48,000.00 元 (to see the zero-credit refusal)
//   99990004  the payment times out, but the central system did take it (crash/timeout recovery)
// Electricity and telephone also take an amount of the customer's choice (prepaid meter, phone
// top-up) within SIM_CHOOSE_LIMITS, like the platform's simulated billers: such a payment is a
// top-up of its own and does not settle the month's bill.
// Voucher numbers starting with "X" are unknown to the central system (not confirmed).
import { SIM_ACCOUNTS, SIM_BILLER_IDENTITY, SIM_CHOOSE_LIMITS, simBill } from '../../shared/sim-billers';
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
    const limits = SIM_CHOOSE_LIMITS[service];
    return {
      ...bill,
      service,
      amountFen: fen(bill.amountFen),
      choose: limits ? { minFen: fen(limits.minFen), maxFen: fen(limits.maxFen) } : null,
      biller: SIM_BILLER_IDENTITY[service],
    };
  }

  async inquire(service: ServiceId, accountNo: string): Promise<InquiryResult> {
    await this.reach();
    if (accountNo === DEMO_ACCOUNTS.timeout) await this.timeout();
    const bill = this.billFor(service, accountNo);
    // Nothing due: a biller that takes a chosen amount still answers, with no amount due.
    if (accountNo === DEMO_ACCOUNTS.noBill || this.db.billPaid(bill.billId))
      return bill.choose ? { kind: 'bill', bill: { ...bill, amountFen: null } } : { kind: 'no_bill' };
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
    // A chosen amount: anything but the amount due of an open bill, within the biller's limits.
    const due = req.service ? this.billFor(req.service, accountNo) : undefined;
    const limits = due?.choose ?? null;
    const open =
      accountNo !== DEMO_ACCOUNTS.noBill && due?.billId === req.billId && !this.db.billPaid(req.billId);
    const paysTheBill = limits === null || (open && due?.amountFen === req.amountFen);
    if (limits !== null && !paysTheBill && (req.amountFen < limits.minFen || req.amountFen > limits.maxFen))
      return { status: 'declined', reason: '金额超出缴费单位限额' };
    if (paysTheBill && this.db.billPaid(req.billId)) return { status: 'declined', reason: '该账单已缴清' };
    const gatewayRef = `DG${createHash('sha256').update(req.paymentRef).digest('hex').slice(0, 14).toUpperCase()}`;
    this.db.recordPayment({
      payment_ref: req.paymentRef,
      // A chosen amount is a top-up of its own: it does not close the month's bill.
      bill_id: paysTheBill ? req.billId : `${req.billId}#P${req.paymentRef}`,
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
