// The station API of the postal platform (issue 10 item 5): what a station asks the central
// system, signed like the monitor upload (shared/monitor-protocol.ts).
//
// POST /v1/stations/<机构号>/<op path>   (every call is a POST: the body is what is signed)
//   body:   UTF-8 JSON: { institutionNo, op, requestKey, sentAt, ...the op's fields }
//   header: x-yizhan-signature: base64(Ed25519 signature over the EXACT body bytes)
// `op` names the operation, so a signed body cannot be replayed at another path. `requestKey`
// is the station's idempotency key: the same key with the same request replays the first
// answer; with another request it is IDEMPOTENCY_CONFLICT (409). For a bill payment the key IS
// the payment's key (status and reversal name it). Money: decimal strings ("96.50").
// Replies: { ok: true, data } or { ok: false, error: { code, message, details } }.
import { z } from 'zod';
import { SERVICE_IDS, ACCOUNT_NO_RE, type ServiceId } from './catalogue';
import { isMoneyString } from './money';
import { FAULT_KINDS, institutionNoSchema, type FaultKind } from './monitor-protocol';
import type { SignedProfile } from './station-profile';

export { SIGNATURE_HEADER } from './monitor-protocol';

/** Station API bodies are small. */
export const MAX_STATION_API_BYTES = 16 * 1024;

/** PAY-2: voucher numbers and bank references compared in one form — trimmed, upper-cased,
 *  separators (spaces, - _ / . ·) removed, full-width letters and digits folded to ASCII. */
export function canonicalRef(input: string): string {
  return input
    .normalize('NFKC')
    .trim()
    .replace(/[\s\-_/.·]/g, '')
    .toUpperCase();
}

const REF_RE = /^[0-9A-Z]{4,40}$/;
/** A voucher number or bank reference as typed; canonical after parsing. */
export const refSchema = z
  .string()
  .max(80)
  .transform((s) => canonicalRef(s))
  .refine((s) => REF_RE.test(s), '凭证号/银行流水号应为 4–40 位字母或数字（可含空格、横线）');

export const requestKeySchema = z
  .string()
  .min(8, '业务编号太短')
  .max(64, '业务编号太长')
  .regex(/^[A-Za-z0-9_:-]+$/, '业务编号只能包含字母、数字、:、- 和 _');

/** Decimal string, positive, ≤ 50,000.00 (checked again as fen where it is used). */
export const amountSchema = z
  .string()
  .max(20)
  .refine(
    (s) => isMoneyString(s) && !/^0(\.0{1,2})?$/.test(s),
    '金额格式不正确：最多两位小数的正数，例如 96.50',
  );

const isoInstant = z.iso.datetime({ offset: true, error: '时间应为 ISO 8601 格式' });

/** MON-3: where the office is with a fault a station reported — received, then handled or
 *  escalated (上报), then closed (platform/provisioning: prov_fault_events). */
export const FAULT_STATUSES = ['received', 'handled', 'escalated', 'closed'] as const;
export type FaultStatus = (typeof FAULT_STATUSES)[number];

/** A fault as both sides name it: `<at>|<kind>`, `at` being the fault's first occurrence in UTC
 *  ISO with milliseconds — how the station keeps it and how the platform stores what it received. */
export const faultRefOf = (at: string, kind: FaultKind): string => `${new Date(at).toISOString()}|${kind}`;
export const FAULT_REF_RE = new RegExp(
  `^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z\\|(${FAULT_KINDS.join('|')})$`,
);
/** The faults one status request asks about: the station shows its latest 20. */
export const MAX_FAULT_STATUS_REFS = 50;

const base = {
  institutionNo: institutionNoSchema,
  requestKey: requestKeySchema,
  sentAt: isoInstant,
};

export const STATION_OPS = {
  balance: z.strictObject({ ...base, op: z.literal('balance') }),
  statement: z.strictObject({
    ...base,
    op: z.literal('statement'),
    fromAt: isoInstant.optional(),
    toAt: isoInstant.optional(),
  }),
  confirm_voucher: z.strictObject({
    ...base,
    op: z.literal('confirm_voucher'),
    voucherNo: refSchema,
    amount: amountSchema,
  }),
  green_card_transfer: z.strictObject({
    ...base,
    op: z.literal('green_card_transfer'),
    bankRef: refSchema,
    amount: amountSchema,
  }),
  inquire: z.strictObject({
    ...base,
    op: z.literal('inquire'),
    service: z.enum(SERVICE_IDS),
    accountNo: z.string().regex(ACCOUNT_NO_RE, '户号应为 8–20 位数字'),
  }),
  pay: z.strictObject({
    ...base,
    op: z.literal('pay'),
    service: z.enum(SERVICE_IDS),
    accountNo: z.string().regex(ACCOUNT_NO_RE, '户号应为 8–20 位数字'),
    billId: z
      .string()
      .min(1)
      .max(80)
      .regex(/^[0-9A-Za-z#:_-]+$/),
    amount: amountSchema,
  }),
  payment_status: z.strictObject({ ...base, op: z.literal('payment_status'), paymentKey: requestKeySchema }),
  /** The station's signed profile (shared/station-profile.ts), issued now. */
  profile: z.strictObject({ ...base, op: z.literal('profile') }),
  reverse_payment: z.strictObject({
    ...base,
    op: z.literal('reverse_payment'),
    paymentKey: requestKeySchema,
    reason: z.string().trim().min(1).max(200),
  }),
  /** MON-3: how the office is handling these faults of the station (refs: faultRefOf). */
  fault_status: z.strictObject({
    ...base,
    op: z.literal('fault_status'),
    refs: z
      .array(z.string().regex(FAULT_REF_RE, '故障编号应为 <时间>|<类型>'))
      .max(MAX_FAULT_STATUS_REFS, `一次最多查询 ${MAX_FAULT_STATUS_REFS} 条故障`),
  }),
} as const;

export type StationOp = keyof typeof STATION_OPS;
export type StationRequest<O extends StationOp> = z.input<(typeof STATION_OPS)[O]>;

/** The URL path of each op. */
export const STATION_OP_PATHS: Record<StationOp, string> = {
  balance: 'balance',
  statement: 'statement',
  confirm_voucher: 'vouchers/confirm',
  green_card_transfer: 'green-card/transfers',
  inquire: 'bills/inquire',
  pay: 'bills/pay',
  payment_status: 'payments/status',
  profile: 'profile',
  reverse_payment: 'payments/reverse',
  fault_status: 'faults/status',
};

export const stationOpPath = (institutionNo: string, op: StationOp): string =>
  `/v1/stations/${encodeURIComponent(institutionNo)}/${STATION_OP_PATHS[op]}`;

// ---- replies (data of { ok: true, data })

export interface BalanceReply {
  institutionNo: string;
  balance: string;
  creditLimit: string;
  lastEntryNo: number;
}

/** The most entries one statement answers (the platform's store cuts the list there). */
export const STATEMENT_MAX_ENTRIES = 10_000;

export interface StatementReply {
  institutionNo: string;
  entries: Array<{
    entryNo: number;
    kind: string;
    amount: string;
    balanceAfter: string;
    ref: string;
    at: string;
  }>;
}

export interface VoucherReply {
  voucherNo: string;
  amount: string;
  issuedAt: string;
  confirmedAt: string;
  replay: boolean;
}

export interface TransferReply {
  bankRef: string;
  amount: string;
  cardMasked: string;
  at: string;
  replay: boolean;
}

/** A customer-chosen amount (prepaid meter, phone top-up) within the biller's limits. */
export interface AmountChoice {
  min: string;
  max: string;
}

export type InquireReply =
  | {
      kind: 'bill';
      bill: {
        billId: string;
        service: ServiceId;
        accountNo: string;
        payeeMasked: string;
        /** The amount due; null when there is none due and only a chosen amount can be paid. */
        amount: string | null;
        period: string | null;
        /** Present when the customer may pay an amount of their choice instead. */
        choose: AmountChoice | null;
        /** Who is paid: 收费单位 and 客服热线, for the customer's slip. */
        biller: { name: string; hotline: string };
      };
    }
  | { kind: 'no_bill' };

/** paid / declined are final; pending: the biller's answer is not known yet (ask by status). */
export type PaymentReply =
  | { paymentKey: string; status: 'paid'; billerRef: string; amount: string; replay: boolean }
  | { paymentKey: string; status: 'declined'; reason: string; amount: string; replay: boolean }
  | { paymentKey: string; status: 'pending'; amount: string; replay: boolean }
  | { paymentKey: string; status: 'reversed'; billerRef: string; amount: string; replay: boolean };

export type PaymentStatusReply = PaymentReply | { paymentKey: string; status: 'unknown' };

/** MON-3: the faults asked about that the platform has received (one it does not list, it has
 *  not received — not yet, or not any more among the station's latest). `statusAt` is when the
 *  office last moved it and `note` what it wrote then (both null: received, not yet touched). */
export interface FaultStatusReply {
  faults: Array<{ ref: string; status: FaultStatus; statusAt: string | null; note: string | null }>;
}

/** What each op answers (the `data` of { ok: true, data }): the platform's station API sends it,
 *  the station's gateway reads it. */
export interface StationReplies {
  balance: BalanceReply;
  statement: StatementReply;
  confirm_voucher: VoucherReply;
  green_card_transfer: TransferReply;
  inquire: InquireReply;
  pay: PaymentReply;
  payment_status: PaymentStatusReply;
  reverse_payment: PaymentReply;
  profile: SignedProfile;
  fault_status: FaultStatusReply;
}
