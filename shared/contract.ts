// The API contract: one table of channels, each with the zod schema of its argument and the type
// of its result. Both transports (Electron IPC, loopback HTTP) and the renderer's client use it.
// Money crosses this boundary only as decimal strings ("96.50").
import { z } from 'zod';
import type { ServiceId } from './catalogue';
import { isMoneyString, MAX_TRANSACTION_FEN } from './money';
import { money, idempotencyKey, serviceId, accountNo, day, noArgs, shortText } from './schemas';
import { YizhanError } from './errors';
import { dayChannels } from './contract-day'; // day close, takings, reports, low float (issue 4)
import { monitorChannels } from './contract-monitor'; // standing, monitor uploads (issue 5)

// ---- building blocks: shared/schemas.ts ----------------------------------------------------

export { money, idempotencyKey, serviceId, accountNo, day, noArgs };

// ---- DTOs -------------------------------------------------------------------------------------

export type TxnKind =
  'topup_voucher' | 'topup_green_card' | 'bill_payment' | 'takings_settlement' | 'reversal';

export interface TxnDto {
  txnId: number;
  /** Printed serial, e.g. "20261128-000042": business day + transaction id. */
  serial: string;
  kind: TxnKind;
  businessDay: string;
  createdAt: string;
  operatorId: string;
  operatorName: string;
  amount: string;
  fee: string;
  /** amount + fee: what the customer owes for a payment. */
  total: string;
  floatAfter: string;
  service?: ServiceId | undefined;
  accountNo?: string | undefined;
  payeeMasked?: string | undefined;
  period?: string | undefined;
  cashReceived?: string | undefined;
  change?: string | undefined;
  voucherNo?: string | undefined;
  branchCode?: string | undefined;
  clerk?: string | undefined;
  depositedAt?: string | undefined;
  bankRef?: string | undefined;
  cardMasked?: string | undefined;
  gatewayRef?: string | undefined;
  reversesTxnId?: number | undefined;
  reversesSerial?: string | undefined;
  reason?: string | undefined;
  /** Set on a transaction that has been reversed. */
  reversedByTxnId?: number | undefined;
  reversedBySerial?: string | undefined;
}

export interface StationDto {
  institutionNo: string;
  name: string;
  demo: boolean;
  greenCardMasked: string | null;
  businessDay: string;
}

export interface OperatorDto {
  id: string;
  name: string;
  role: 'holder' | 'delegate';
  trainedServices: ServiceId[];
}

export interface BillDto {
  billId: string;
  service: ServiceId;
  accountNo: string;
  payeeMasked: string;
  period: string | null;
  amountDue: string;
  fee: string;
  total: string;
  /** Float left after paying this bill (may be negative: then the payment would be refused). */
  floatAfter: string;
  demo: boolean;
}

export interface VoucherDto {
  voucherNo: string;
  branchCode: string;
  clerk: string;
  amount: string;
  depositedAt: string;
  txnId: number;
  serial: string;
  reversed: boolean;
}

export interface CashSummaryDto {
  businessDay: string;
  cashReceived: string;
  changeGiven: string;
  /** Net cash the drawer gained from payments (less reversals) this day. */
  takings: string;
  payments: number;
  reversals: number;
}

export interface TxnListDto {
  items: TxnDto[];
  /** Pass as `beforeId` for the next page. */
  nextBeforeId: number | null;
}

export interface PendingPaymentDto {
  idempotencyKey: string;
  billId: string;
  service: ServiceId;
  accountNo: string;
  payeeMasked: string;
  amount: string;
  fee: string;
  total: string;
  cashReceived: string;
  /** When the float was reserved. */
  createdAt: string;
  operatorId: string;
}

export interface CatalogueItemDto {
  id: ServiceId;
  nameZh: string;
  fee: string;
  hotkey: string;
  trained: boolean;
}

export type PrintJobStatus = 'queued' | 'printing' | 'printed' | 'failed' | 'uncertain';

export interface PrintJobDto {
  jobId: number;
  txnId: number | null;
  serial: string | null;
  /** 0 for the original receipt; n for the n-th reprint (printed as 「重印」 n). */
  reprintNo: number;
  status: PrintJobStatus;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  printedAt: string | null;
}

export interface PrinterSettingsDto {
  /** "tcp://192.168.1.50:9100", "/dev/usb/lp0", "printer:NAME", or "" for none. */
  interface: string;
  columns: 32 | 48;
}

export interface PrinterStatusDto {
  configured: boolean;
  connected: boolean;
  message: string;
}

// ---- channels ---------------------------------------------------------------------------------

export const TXN_LIST_MAX = 500;

export const channels = {
  'station.get': { input: noArgs, output: {} as StationDto },
  'session.get': { input: noArgs, output: {} as { operator: OperatorDto; operators: OperatorDto[] } },
  'session.setOperator': {
    input: z.object({ operatorId: z.string().min(1).max(64) }),
    output: {} as { operator: OperatorDto },
  },
  'catalogue.list': { input: noArgs, output: {} as { items: CatalogueItemDto[] } },
  'float.balance': { input: noArgs, output: {} as { balance: string; pending: string; available: string } },
  'cash.summary': { input: z.object({ day: day.optional() }).default({}), output: {} as CashSummaryDto },
  'topup.voucher': {
    input: z.object({
      voucherNo: z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9-]{6,32}$/, '凭证号应为 6–32 位字母或数字'),
      branchCode: z
        .string()
        .trim()
        .regex(/^[0-9]{6,12}$/, '网点号应为 6–12 位数字'),
      clerk: shortText(20, '网点经办人'),
      amount: money(),
      depositedAt: z.iso.datetime({ offset: true }).optional(),
      idempotencyKey,
    }),
    output: {} as TxnDto,
  },
  'topup.greenCard': {
    input: z.object({
      amount: money(),
      bankRef: z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9-]{6,40}$/, '银行流水号应为 6–40 位字母或数字'),
      idempotencyKey,
    }),
    output: {} as TxnDto,
  },
  'bill.inquire': { input: z.object({ service: serviceId, account: accountNo }), output: {} as BillDto },
  'bill.pay': {
    input: z.object({
      billId: z.string().min(1).max(64),
      cashReceived: money({ maxFen: MAX_TRANSACTION_FEN * 2 }),
      idempotencyKey,
    }),
    output: {} as TxnDto & { change: string; floatAfter: string },
  },
  'txn.reverse': {
    input: z.object({
      txnId: z.number().int().positive(),
      reason: shortText(100, '冲正原因'),
      idempotencyKey,
    }),
    output: {} as TxnDto,
  },
  'txn.get': {
    input: z.union([
      z.object({ txnId: z.number().int().positive() }),
      z.object({ serial: z.string().regex(/^\d{8}-\d{6,}$/) }),
    ]),
    output: {} as TxnDto,
  },
  'txn.list': {
    input: z
      .object({
        day: day.optional(),
        from: day.optional(),
        to: day.optional(),
        service: serviceId.optional(),
        operatorId: z.string().max(64).optional(),
        kind: z
          .enum(['topup_voucher', 'topup_green_card', 'bill_payment', 'takings_settlement', 'reversal'])
          .optional(),
        beforeId: z.number().int().positive().optional(),
        /** Account, receipt serial, voucher number / bank reference, or amount (交易查询). */
        search: z.string().trim().max(40).optional(),
        limit: z.number().int().min(1).max(TXN_LIST_MAX).default(100),
      })
      .default({ limit: 100 }),
    output: {} as TxnListDto,
  },
  /** Payments whose outcome the central system has not told us yet (their float is reserved).
   *  Retry one with `bill.pay` and the same idempotency key. */
  'payment.pending': { input: noArgs, output: {} as { items: PendingPaymentDto[] } },
  'voucher.list': {
    input: z
      .object({
        search: z.string().max(32).optional(),
        from: day.optional(),
        to: day.optional(),
        limit: z.number().int().min(1).max(TXN_LIST_MAX).default(200),
      })
      .default({ limit: 200 }),
    output: {} as { items: VoucherDto[] },
  },
  'receipt.preview': {
    input: z.object({
      txnId: z.number().int().positive(),
      columns: z.union([z.literal(32), z.literal(48)]).optional(),
    }),
    output: {} as { svg: string; columns: 32 | 48 },
  },
  /** Queue the receipt of a transaction (once per transaction) and try to print it now. */
  'print.txn': {
    input: z.object({ txnId: z.number().int().positive() }),
    output: {} as { job: PrintJobDto },
  },
  /** A reprint of any past receipt, marked 「重印」 with its reprint count. */
  'print.reprint': {
    input: z.object({ txnId: z.number().int().positive() }),
    output: {} as { job: PrintJobDto },
  },
  /** Try again every job still waiting (after the printer is back). */
  'print.retry': { input: noArgs, output: {} as { printed: number; failed: number; jobs: PrintJobDto[] } },
  'print.queue': { input: noArgs, output: {} as { jobs: PrintJobDto[] } },
  'printer.get': { input: noArgs, output: {} as PrinterSettingsDto },
  'printer.set': {
    input: z.object({
      interface: z
        .string()
        .trim()
        .max(200)
        .regex(
          /^$|^tcp:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$|^printer:.+$|^\/dev\/[A-Za-z0-9/_.-]+$|^\\\\\.\\COM\d+$/,
          '打印机接口格式：tcp://IP:9100、/dev/usb/lp0 或 printer:名称',
        ),
      columns: z.union([z.literal(32), z.literal(48)]),
    }),
    output: {} as PrinterSettingsDto,
  },
  'printer.status': { input: noArgs, output: {} as PrinterStatusDto },
  'printer.test': { input: noArgs, output: {} as { job: PrintJobDto } },
  ...dayChannels,
  ...monitorChannels,
} as const;

export type Channels = typeof channels;
export type Channel = keyof Channels;
export type ChannelInput<C extends Channel> = z.input<Channels[C]['input']>;
export type ChannelArgs<C extends Channel> = z.output<Channels[C]['input']>;
export type ChannelOutput<C extends Channel> = Channels[C]['output'];

export function isChannel(name: string): name is Channel {
  return Object.prototype.hasOwnProperty.call(channels, name);
}

/** Parses a channel's argument; a failure is INVALID_INPUT with the first problem in Chinese. */
export function parseArgs<C extends Channel>(channel: C, raw: unknown): ChannelArgs<C> {
  const schema = channels[channel].input as z.ZodType;
  const r = schema.safeParse(raw);
  if (r.success) return r.data as ChannelArgs<C>;
  const issues = r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const first = issues[0];
  throw new YizhanError(
    'INVALID_INPUT',
    { issues },
    first ? `输入有误：${first.path ? `${first.path}：` : ''}${first.message}` : undefined,
  );
}

/** The renderer's view of the backend: `window.yizhan`. */
export interface YizhanApi {
  send<C extends Channel>(
    channel: C,
    args?: ChannelInput<C>,
  ): Promise<import('./errors').ApiReply<ChannelOutput<C>>>;
}

export { isMoneyString };
