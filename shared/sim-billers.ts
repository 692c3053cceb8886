// 演示 — who the simulated billers say they are: the name and service hotline a customer's slip
// prints for a payment made through them, their special accounts and the bills they derive from
// an account number. The platform's simulated billers (platform/billers/simulated.ts) answer with
// these; a real biller's adapter answers with its own. The station's tests name the special
// accounts from here too.
import type { ServiceId } from './catalogue';

export interface BillerIdentity {
  /** 收费单位, as printed on the customer's slip. */
  nameZh: string;
  /** 客服热线 for questions about the payment. */
  hotline: string;
}

export const SIM_BILLER_IDENTITY: Readonly<Record<ServiceId, BillerIdentity>> = {
  water: { nameZh: '演示自来水公司', hotline: '11185' },
  electricity: { nameZh: '演示供电公司', hotline: '11185' },
  gas: { nameZh: '演示燃气公司', hotline: '11185' },
  telephone: { nameZh: '演示电信公司', hotline: '11185' },
};

/** Limits of an amount the customer chooses (fen): prepaid meter, phone top-up. */
export interface AmountLimits {
  minFen: number;
  maxFen: number;
}

/** The billers that also take a customer-chosen amount, and their limits: prepaid electricity
 *  10.00–5,000.00 元, phone top-up 10.00–1,000.00 元. Water and gas take the amount due only. */
export const SIM_CHOOSE_LIMITS: Readonly<Partial<Record<ServiceId, AmountLimits>>> = {
  electricity: { minFen: 1_000, maxFen: 500_000 },
  telephone: { minFen: 1_000, maxFen: 100_000 },
};

/** The special account numbers of the simulation (README 'What is simulated'). */
export const SIM_ACCOUNTS = {
  timeout: '99990000',
  declined: '99990001',
  /** No bill due. With electricity and telephone: nothing due, a chosen amount only. */
  noBill: '99990002',
  large: '99990003',
  payTimeoutButPaid: '99990004',
} as const;

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明';

/** The bill an account has this month, derived from the number (same number, same bill):
 *  20.00–379.99 元 (48,000.00 for SIM_ACCOUNTS.large) and a masked payee. `digest` is SHA-256
 *  of `${service}:${accountNo}` (passed in: this module stays free of Node's crypto). */
export function simBill(
  service: ServiceId,
  accountNo: string,
  digest: Uint8Array,
  now: Date,
): { billId: string; accountNo: string; payeeMasked: string; amountFen: number; period: string } {
  const period = now.toISOString().slice(0, 7);
  const word = ((digest[0]! << 24) | (digest[1]! << 16) | (digest[2]! << 8) | digest[3]!) >>> 0;
  const amountFen = accountNo === SIM_ACCOUNTS.large ? 4_800_000 : 2_000 + (word % 36_000);
  return {
    billId: `${service.slice(0, 2).toUpperCase()}${accountNo}-${period}`,
    accountNo,
    payeeMasked: `${SURNAMES[digest[4]! % SURNAMES.length]}*${GIVEN[digest[5]! % GIVEN.length]}`,
    amountFen,
    period,
  };
}
