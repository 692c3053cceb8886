// The bill switch: a station's bill payment debits its central account first (zero credit,
// refused by the database when the balance is short), then the biller is called. The biller's
// answer settles the payment: paid, or declined (the debit is credited back). When the answer
// is lost (timeout, crash) the payment stays pending, debited; asking for its status re-drives
// the biller with the same key (billers are idempotent by it), and a payment the biller still
// has not got after PENDING_GIVE_UP_MS is declined and credited back.
import type { ServiceId } from '../shared/catalogue';
import { BillerUnavailable, type BillerBill, type Billers } from './billers/types';
import type { PaymentRecord, PlatformStore } from './store/types';
import { AccountRefusal } from './store/types';

/** A pending payment the biller never received is given up (credited back) after this long. */
export const PENDING_GIVE_UP_MS = 10 * 60 * 1000;

export interface SwitchPayRequest {
  institutionNo: string;
  paymentKey: string;
  requestSha256: string;
  service: ServiceId;
  accountNo: string;
  billId: string;
  amountFen: number;
}

export class BillSwitch {
  /** One biller call per payment at a time (a status query during a payment waits for it). */
  private readonly inFlight = new Map<string, Promise<PaymentRecord>>();

  constructor(
    private readonly store: PlatformStore,
    readonly billers: Billers,
    private readonly now: () => Date = () => new Date(),
    private readonly giveUpMs = PENDING_GIVE_UP_MS,
  ) {}

  inquire(service: ServiceId, accountNo: string): Promise<BillerBill | null> {
    return this.billers[service].inquire(accountNo);
  }

  /** May `amountFen` be paid against this bill? The amount due, or a chosen amount within
   *  the biller's limits where it takes one. */
  amountAllowed(service: ServiceId, amountFen: number, bill: BillerBill): boolean {
    if (bill.amountFen !== null && amountFen === bill.amountFen) return true;
    const c = this.billers[service].choose;
    return c !== null && amountFen >= c.minFen && amountFen <= c.maxFen;
  }

  async pay(r: SwitchPayRequest): Promise<{ payment: PaymentRecord; replay: boolean }> {
    const { payment, replay } = await this.store.accounts.beginPayment({
      institutionNo: r.institutionNo,
      paymentKey: r.paymentKey,
      requestSha256: r.requestSha256,
      billerId: r.service,
      accountNo: r.accountNo,
      billId: r.billId,
      amountFen: r.amountFen,
      at: this.now().toISOString(),
    });
    if (payment.state !== 'pending') return { payment, replay };
    return { payment: await this.drive(payment, true), replay };
  }

  /** The payment as the platform knows it; a pending one is re-driven at the biller first. */
  async status(institutionNo: string, paymentKey: string): Promise<PaymentRecord | undefined> {
    const p = await this.store.accounts.payment(institutionNo, paymentKey);
    if (!p || p.state !== 'pending') return p;
    return this.drive(p, false);
  }

  async reverse(institutionNo: string, paymentKey: string, reason: string): Promise<PaymentRecord> {
    let p = await this.status(institutionNo, paymentKey);
    if (!p) throw new AccountRefusal('PAYMENT_NOT_FOUND', { paymentKey });
    if (p.state === 'reversed') return p;
    if (p.state !== 'paid')
      throw new AccountRefusal('PAYMENT_NOT_REVERSIBLE', { paymentKey, state: p.state });
    const ok = await this.billers[p.billerId as ServiceId].reverse(switchKeyOf(p));
    if (!ok) throw new AccountRefusal('PAYMENT_NOT_REVERSIBLE', { paymentKey, biller: 'refused' });
    p = await this.store.accounts.reversePayment(institutionNo, paymentKey, reason, this.now().toISOString());
    return p;
  }

  /** Settles pending payments older than `olderThanMs` (run at start and now and then). */
  async recoverPending(olderThanMs = 30_000, limit = 500): Promise<number> {
    const before = new Date(this.now().getTime() - olderThanMs).toISOString();
    const pending = await this.store.accounts.pendingPayments(before, limit);
    let settled = 0;
    for (const p of pending) {
      const after = await this.drive(p, false).catch(() => p);
      if (after.state !== 'pending') settled++;
    }
    return settled;
  }

  private drive(p: PaymentRecord, fresh: boolean): Promise<PaymentRecord> {
    const id = `${p.institutionNo}:${p.paymentKey}`;
    const running = this.inFlight.get(id);
    if (running) return running;
    const run = this.driveOnce(p, fresh).finally(() => this.inFlight.delete(id));
    this.inFlight.set(id, run);
    return run;
  }

  private async driveOnce(p: PaymentRecord, fresh: boolean): Promise<PaymentRecord> {
    const biller = this.billers[p.billerId as ServiceId];
    const key = switchKeyOf(p);
    const settle = (s: { state: 'paid'; billerRef: string } | { state: 'declined'; reason: string }) =>
      this.store.accounts.settlePayment(p.institutionNo, p.paymentKey, s, this.now().toISOString());
    try {
      if (!fresh) {
        const known = await biller.status(key);
        if (known.status === 'paid') return await settle({ state: 'paid', billerRef: known.billerRef });
        if (known.status === 'declined') return await settle({ state: 'declined', reason: known.reason });
        if (this.now().getTime() - Date.parse(p.createdAt) > this.giveUpMs)
          return await settle({ state: 'declined', reason: '缴费单位未收到这笔缴费，已退回中心账户' });
      }
      const r = await biller.pay({
        switchKey: key,
        billId: p.billId,
        accountNo: p.accountNo,
        amountFen: p.amountFen,
      });
      return await settle(
        r.status === 'paid'
          ? { state: 'paid', billerRef: r.billerRef }
          : { state: 'declined', reason: r.reason },
      );
    } catch (e) {
      if (e instanceof BillerUnavailable) return p; // still pending: ask again by status
      throw e;
    }
  }
}

/** The key the switch uses at the biller: unique across stations. */
export const switchKeyOf = (p: Pick<PaymentRecord, 'institutionNo' | 'paymentKey'>): string =>
  `${p.institutionNo}:${p.paymentKey}`;
