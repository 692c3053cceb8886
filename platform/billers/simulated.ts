// 演示 — the simulated billers, with the demo's behaviours (README 'What is simulated'):
// any well-formed account number (8–20 digits) has a bill derived from the number itself
// (20.00–379.99 元, a masked payee); once paid, nothing is due that period. Special accounts:
//   99990000  the biller times out (inquiry and payment)
//   99990001  the payment is declined by the utility
//   99990002  no bill due
//   99990003  a large bill, 48,000.00 元 (to see the zero-credit refusal)
//   99990004  the payment times out, but the biller did take it (recovery by status)
// Electricity and telephone also take a customer-chosen amount (prepaid meter, phone top-up)
// within their limits. What a biller remembers is kept in the platform store (SimBillerStore).
import { createHash } from 'node:crypto';
import { SERVICE_IDS, type ServiceId } from '../../shared/catalogue';
import {
  SIM_ACCOUNTS,
  SIM_BILLER_IDENTITY,
  SIM_CHOOSE_LIMITS,
  simBill,
  type BillerIdentity,
} from '../../shared/sim-billers';
import type { SimBillerStore } from '../store/types';
import {
  BillerUnavailable,
  type AmountLimits,
  type Biller,
  type BillerBill,
  type BillerPayment,
  type BillerPayResult,
  type Billers,
  type BillerStatus,
} from './types';

export { SIM_ACCOUNTS, SIM_CHOOSE_LIMITS };

export const SIM_DECLINE_REASON = '户号状态异常，缴费单位拒收';

export interface SimulatedBillerOptions {
  store: SimBillerStore;
  now?: () => Date;
  /** How long a simulated timeout takes before it fails (ms). */
  timeoutMs?: number;
}

/** A bill's id: service prefix, account, period; a chosen-amount payment adds `#P<key>`. */
export class SimulatedBiller implements Biller {
  readonly choose: AmountLimits | null;
  readonly identity: BillerIdentity;
  private readonly now: () => Date;
  private readonly timeoutMs: number;
  /** Tests can take a biller down: entirely, or only its payment link (inquiries answer). */
  offline: boolean | 'pay' = false;

  constructor(
    readonly service: ServiceId,
    private readonly opts: SimulatedBillerOptions,
  ) {
    const limits = SIM_CHOOSE_LIMITS[service];
    this.choose = limits ? { ...limits } : null;
    this.identity = SIM_BILLER_IDENTITY[service];
    this.now = opts.now ?? (() => new Date());
    this.timeoutMs = opts.timeoutMs ?? 1_500;
  }

  /** The bill an account has this month, derived from the number (deterministic). */
  billFor(accountNo: string): BillerBill & { amountFen: number } {
    const digest = createHash('sha256').update(`${this.service}:${accountNo}`).digest();
    return simBill(this.service, accountNo, digest, this.now());
  }

  async inquire(accountNo: string): Promise<BillerBill | null> {
    await this.reach();
    if (accountNo === SIM_ACCOUNTS.timeout) await this.timeout();
    if (accountNo === SIM_ACCOUNTS.noBill)
      return this.choose ? { ...this.billFor(accountNo), amountFen: null } : null;
    const bill = this.billFor(accountNo);
    if (await this.opts.store.simBillPaid(this.service, bill.billId))
      return this.choose ? { ...bill, amountFen: null } : null;
    return bill;
  }

  async pay(p: BillerPayment): Promise<BillerPayResult> {
    await this.reach();
    if (this.offline === 'pay') throw new BillerUnavailable(`${this.service} biller: payment link down`);
    if (p.accountNo === SIM_ACCOUNTS.timeout) await this.timeout();
    if (p.accountNo === SIM_ACCOUNTS.declined) return { status: 'declined', reason: SIM_DECLINE_REASON };
    const bill = this.billFor(p.accountNo);
    const paysTheBill =
      p.billId === bill.billId && p.amountFen === bill.amountFen && p.accountNo !== SIM_ACCOUNTS.noBill;
    const chosen =
      this.choose !== null && p.amountFen >= this.choose.minFen && p.amountFen <= this.choose.maxFen;
    if (!paysTheBill && !chosen) return { status: 'declined', reason: '账单号或金额与缴费单位记录不符' };
    // A chosen amount is a top-up of its own: it does not close the month's bill.
    const billId = paysTheBill ? bill.billId : `${bill.billId}#P${p.switchKey}`;
    const billerRef = await this.opts.store.simPay(
      this.service,
      p.switchKey,
      billId,
      p.amountFen,
      this.now().toISOString(),
    );
    if (billerRef === undefined) return { status: 'declined', reason: '该账单已缴清' };
    if (p.accountNo === SIM_ACCOUNTS.payTimeoutButPaid) await this.timeout();
    return { status: 'paid', billerRef };
  }

  async status(switchKey: string): Promise<BillerStatus> {
    await this.reach();
    const s = await this.opts.store.simStatus(this.service, switchKey);
    if (!s) return { status: 'unknown' };
    return s.reversed
      ? { status: 'declined', reason: 'reversed' }
      : { status: 'paid', billerRef: s.billerRef };
  }

  async reverse(switchKey: string): Promise<boolean> {
    await this.reach();
    return this.opts.store.simReverse(this.service, switchKey);
  }

  private async reach(): Promise<void> {
    if (this.offline === true) throw new BillerUnavailable(`${this.service} biller offline`);
  }

  private async timeout(): Promise<never> {
    await new Promise((r) => setTimeout(r, this.timeoutMs));
    throw new BillerUnavailable(`${this.service} biller timeout`);
  }
}

export function simulatedBillers(opts: SimulatedBillerOptions): Billers & Record<ServiceId, SimulatedBiller> {
  return Object.fromEntries(SERVICE_IDS.map((s) => [s, new SimulatedBiller(s, opts)])) as Record<
    ServiceId,
    SimulatedBiller
  >;
}
