// The billers (水、电、燃气、电话) behind one interface: the bill switch (platform/bill-switch.ts)
// debits the station's central account, then calls the biller. A real biller's adapter
// implements this; simulated.ts plays all four for the demo and the tests.
import type { ServiceId } from '../../shared/catalogue';
import type { BillerIdentity } from '../../shared/sim-billers';
import { unavailableError } from '../../shared/unavailable';

export interface AmountLimits {
  minFen: number;
  maxFen: number;
}

export interface BillerBill {
  billId: string;
  accountNo: string;
  payeeMasked: string;
  /** The amount due; null when nothing is due (a chosen amount can still be paid). */
  amountFen: number | null;
  period: string | null;
}

export interface BillerPayment {
  /** The switch's idempotency key at the biller: a repeated key is the same payment. */
  switchKey: string;
  billId: string;
  accountNo: string;
  amountFen: number;
}

export type BillerPayResult = { status: 'paid'; billerRef: string } | { status: 'declined'; reason: string };
export type BillerStatus = BillerPayResult | { status: 'unknown' };

/** The biller could not be reached or did not answer in time: the outcome is unknown. */
export class BillerUnavailable extends unavailableError('BillerUnavailable', 'biller unavailable') {}

export interface Biller {
  readonly service: ServiceId;
  /** Who the customer paid, for the slip: 收费单位 and its 客服热线. */
  readonly identity: BillerIdentity;
  /** Present when the customer may pay an amount of their choice (prepaid meter, phone
   *  top-up) within these limits, besides the amount due. */
  readonly choose: AmountLimits | null;
  /** null: no such account or nothing payable. Throws BillerUnavailable. */
  inquire(accountNo: string): Promise<BillerBill | null>;
  /** Throws BillerUnavailable when the outcome is unknown. */
  pay(p: BillerPayment): Promise<BillerPayResult>;
  status(switchKey: string): Promise<BillerStatus>;
  /** Undo a paid payment; true when it is (or already was) reversed. */
  reverse(switchKey: string): Promise<boolean>;
}

export type Billers = Readonly<Record<ServiceId, Biller>>;
