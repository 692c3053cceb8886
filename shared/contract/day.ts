// The day-close channels of the API contract (PAY-4, PAY-5): status, the X report, the blind
// count, the Z close and its slip. Assembled into `channels` in ./index.ts.
// Money crosses this boundary only as decimal strings ("96.50").
import type { ShiftDto } from './shift';
import { z } from 'zod';
import { money, idempotencyKey, day, noArgs, remarkText } from '../schemas';
import { MAX_BALANCE_FEN } from '../money';
import type { ServiceId } from '../catalogue';

// ---- building blocks ------------------------------------------------------------------------

/** A remark explains a difference to an inspector: a paragraph, not a letter. */
export const MAX_REMARK_CHARS = 200;
export const remark = remarkText(MAX_REMARK_CHARS);
const columns = z.union([z.literal(32), z.literal(48)]);

// ---- cash denominations (人民币) -----------------------------------------------------------

/** Notes and coins a drawer holds, by value in fen. 2-jiao and fen coins are too rare to list. */
export const DENOMINATIONS = [
  { key: 'y100', fen: 10_000, labelZh: '100元' },
  { key: 'y50', fen: 5_000, labelZh: '50元' },
  { key: 'y20', fen: 2_000, labelZh: '20元' },
  { key: 'y10', fen: 1_000, labelZh: '10元' },
  { key: 'y5', fen: 500, labelZh: '5元' },
  { key: 'y1', fen: 100, labelZh: '1元' },
  { key: 'j5', fen: 50, labelZh: '5角' },
  { key: 'j1', fen: 10, labelZh: '1角' },
] as const;
export type DenominationKey = (typeof DENOMINATIONS)[number]['key'];
/** More pieces of one kind than this in a counter drawer is a typing slip (100,000 × 100元 = 1千万). */
export const MAX_PIECES = 100_000;

const pieces = z
  .number()
  .int('张数应为整数')
  .min(0, '张数不能为负')
  .max(MAX_PIECES, `张数不能超过 ${MAX_PIECES}`);
export const denominationsSchema = z
  .object(
    Object.fromEntries(DENOMINATIONS.map((d) => [d.key, pieces.optional()])) as Record<
      DenominationKey,
      z.ZodOptional<typeof pieces>
    >,
  )
  .strict();
export type Denominations = Partial<Record<DenominationKey, number>>;

/** Integer fen of a count by denomination (exact: integers only). */
export function denominationsTotalFen(d: Denominations): number {
  let total = 0;
  for (const { key, fen } of DENOMINATIONS) total += (d[key] ?? 0) * fen;
  if (!Number.isSafeInteger(total)) throw new Error('denomination total out of range');
  return total;
}

// ---- DTOs -------------------------------------------------------------------------------------

export type DayState = 'open' | 'closed' | 'none';

export type CloseBlockerCode =
  'DAY_CLOSED' | 'FUTURE_DAY' | 'EARLIER_DAYS_OPEN' | 'PENDING_PAYMENTS' | 'NOT_COUNTED' | 'LEDGER_MISMATCH';

export interface CloseBlockerDto {
  code: CloseBlockerCode;
  message: string;
  days?: string[];
  count?: number;
}

export interface CentralBalanceDto {
  /** The central balance at the end of the business day (read − postings dated after it). */
  balance: string;
  /** What the central system (or the operator) said. */
  read: string;
  /** Float postings dated after the day when the balance was read (non-zero on a late close). */
  later: string;
  source: 'gateway' | 'operator';
}

export interface FloatSectionDto {
  /** previous_close: the last Z's closing balance; ledger: first close, from the ledger itself. */
  openingSource: 'previous_close' | 'ledger';
  opening: string;
  topups: string;
  topupCount: number;
  topupVoucher: string;
  topupGreenCard: string;
  payments: string;
  paymentCount: number;
  /** Collected in cash with the payments; shown here, not a float movement. */
  fees: string;
  /** Signed: a reversed payment gives float back (+), a reversed top-up takes it (−). */
  reversals: string;
  reversalCount: number;
  settledToFloat: string;
  expectedClosing: string;
  /** The ledger's running balance at the day's end; equals expectedClosing when it ties out. */
  ledgerClosing: string;
  tiesOut: boolean;
  central: CentralBalanceDto | null;
  /** Why there is no central balance (the gateway could not be reached, or it was skipped). */
  centralMissing: string | null;
  /** central − expected closing; shown, never hidden. Null until a central balance is known. */
  difference: string | null;
  remarkRequired: boolean;
  remark: string | null;
  /** PAY-4: the day's float tied out line by line against the central journal. Null where the
   *  central system keeps no statement or could not be asked; absent in Zs closed before it. */
  tieOut?: TieOutDto | null;
}

/** One key the station and the central system disagree on, for the day. */
export interface TieOutLineDto {
  /** `pay:<payment key>`, `ref:<voucher or bank ref>`, or a lone txn/entry. */
  key: string;
  /** The payment key or the canonical voucher / bank reference. */
  ref: string;
  what: 'payment' | 'topup' | 'other';
  side: 'centralOnly' | 'stationOnly' | 'amount';
  /** Net float movement on each side for the key, signed yuan. */
  station: string;
  central: string;
  /** central − station. */
  difference: string;
  txnIds: number[];
  entryNos: number[];
}

export interface TieOutDto {
  /** The business day's window (Asia/Shanghai) as instants. */
  fromAt: string;
  toAt: string;
  /** False when the central statement was cut short: the list may miss keys. */
  complete: boolean;
  /** Keys on which both sides agree. */
  matchedCount: number;
  lines: TieOutLineDto[];
  /** The sum of the lines' differences. */
  explained: string;
  /** The float difference the lines do not account for (an earlier day's, or a timing); null
   *  without a central balance. */
  unexplained: string | null;
}

export interface CashCountDto {
  countId: number;
  countedAt: string;
  operatorName: string;
  method: 'denominations' | 'total';
  denominations: Denominations | null;
  /** The drawer as counted. */
  total: string;
  /** Cash postings dated after the day at the time of the count (a late close). */
  later: string;
  /** What the count says the drawer held at the day's end: total − later. */
  forDay: string;
  /** First close only: the change fund declared with the count. */
  openingCash: string | null;
  /** How many counts this day has had (recounts are kept, and shown on the Z slip). */
  countsSoFar: number;
  /** Transactions of the day made after the count: the drawer has changed, count again. */
  txnsAfterCount: number;
}

export interface CashSectionDto {
  openingSource: 'previous_close' | 'ledger';
  opening: string;
  cashReceived: string;
  changeGiven: string;
  /** Signed: refunds of reversed payments are negative. */
  reversals: string;
  settled: string;
  settlementCount: number;
  settledToFloat: string;
  settledToOwner: string;
  expected: string;
  counted: string;
  /** counted − expected. */
  variance: string;
  remarkRequired: boolean;
  remark: string | null;
  /** PAY-5: takings not yet settled at the day's end. */
  takingsDue: string;
  fees: string;
  tiesOut: boolean;
}

export interface ServiceLineDto {
  service: ServiceId | string;
  nameZh: string;
  count: number;
  amount: string;
  fee: string;
  reversedCount: number;
  reversed: string;
}

export interface OperatorLineDto {
  operatorId: string;
  operatorName: string;
  count: number;
  amount: string;
  fee: string;
}

/** The X report (any time, read-only) and the Z report (the close) are the same figures. */
export interface DayReportDto {
  kind: 'X' | 'Z';
  businessDay: string;
  status: DayState;
  generatedAt: string;
  zNo: number | null;
  closedAt: string | null;
  closedBy: string | null;
  txnCount: number;
  closable: boolean;
  blockers: CloseBlockerDto[];
  float: FloatSectionDto;
  /** Null until the drawer is counted for the day (blind count): the expected cash is never
   *  shown before the count. */
  cash: CashSectionDto | null;
  count: CashCountDto | null;
  byService: ServiceLineDto[];
  byOperator: OperatorLineDto[];
  /** The day's shift handovers (交接班, issue 12); absent in a Z stored before shifts existed. */
  shifts?: ShiftDto[];
}

export interface DayStatusDto {
  today: string;
  todayStatus: DayState;
  /** Open business days, earliest first (at most 31 listed). */
  openDays: string[];
  openDayCount: number;
  /** Open days before today: the operator forgot to close them. */
  unclosedBeforeToday: string[];
  /** The day the next close must be (days close in order). */
  nextToClose: string | null;
  lastClose: { zNo: number; day: string; closedAt: string } | null;
  pendingPayments: number;
}

export interface ZSummaryDto {
  zNo: number;
  businessDay: string;
  closedAt: string;
  operatorName: string;
  closingFloat: string;
  floatDifference: string;
  countedCash: string;
  cashVariance: string;
  prints: number;
}
export interface ZSlipDto {
  zNo: number;
  businessDay: string;
  columns: 32 | 48;
  svg: string;
  /** How many times the slip has been printed (the next print is reprint n when n ≥ 1). */
  prints: number;
}

// ---- channels ---------------------------------------------------------------------------------

export const Z_LIST_MAX = 400;

const centralInput = z.discriminatedUnion('source', [
  z.object({ source: z.literal('gateway') }),
  /** Typed in from the postal system when the gateway cannot be reached. */
  z.object({ source: z.literal('operator'), balance: money({ allowZero: true, maxFen: MAX_BALANCE_FEN }) }),
]);

const countBase = {
  day: day.optional(),
  /** First close only: the change fund the drawer started with. */
  openingCash: money({ allowZero: true, maxFen: MAX_BALANCE_FEN }).optional(),
};

export const dayChannels = {
  /** What is open, what must be closed next, the last Z. */
  'day.status': { input: noArgs, output: {} as DayStatusDto },
  /** X report: any time, read-only. The cash section stays empty until the drawer is counted. */
  'day.xReport': {
    input: z
      .object({
        day: day.optional(),
        /** The central balance typed in by the operator (when the gateway is unreachable). */
        centralBalance: money({ allowZero: true, maxFen: MAX_BALANCE_FEN }).optional(),
        /** Do not ask the gateway (a quick look). */
        skipCentral: z.boolean().optional(),
      })
      .default({}),
    output: {} as DayReportDto,
  },
  /** Blind count of the drawer (by denomination or total); returns the report with the cash
   *  section — the first moment the expected cash is shown. A recount is a new count. */
  'day.count': {
    input: z.discriminatedUnion('method', [
      z.object({
        method: z.literal('total'),
        total: money({ allowZero: true, maxFen: MAX_BALANCE_FEN }),
        ...countBase,
      }),
      z.object({ method: z.literal('denominations'), denominations: denominationsSchema, ...countBase }),
    ]),
    output: {} as DayReportDto,
  },
  /** Z close (日终轧账): final, numbered, once per business day. */
  'day.close': {
    input: z.object({
      day: day.optional(),
      /** The count this close is based on (must be the day's latest). */
      countId: z.number().int().positive(),
      central: centralInput,
      floatRemark: remark.optional(),
      cashRemark: remark.optional(),
      idempotencyKey,
    }),
    output: {} as DayReportDto,
  },
  'day.zList': {
    input: z.object({ limit: z.number().int().min(1).max(Z_LIST_MAX).default(60) }).default({ limit: 60 }),
    output: {} as { items: ZSummaryDto[] },
  },
  /** The stored Z report of a closed day (exactly as closed). */
  'day.zReport': {
    input: z.union([z.object({ zNo: z.number().int().positive() }), z.object({ day })]),
    output: {} as DayReportDto,
  },
  /** SVG preview of the Z slip (receiptline), for the screen. */
  'day.zSlip': {
    input: z.union([
      z.object({ zNo: z.number().int().positive(), columns: columns.optional() }),
      z.object({ day, columns: columns.optional() }),
    ]),
    output: {} as ZSlipDto,
  },
  /** Print the X report as it stands (the day still open; issue 13): a slip through the print
   *  queue, each print an original. A closed day has its Z slip instead (DAY_CLOSED). */
  'day.printX': {
    input: z
      .object({
        day: day.optional(),
        centralBalance: money({ allowZero: true, maxFen: MAX_BALANCE_FEN }).optional(),
      })
      .default({}),
    output: {} as {
      businessDay: string;
      serial: string;
      outcome: 'sent' | 'failed' | 'no_printer';
      message: string;
    },
  },
  /** Print (or reprint, marked 重印 n) the Z slip on the configured printer. */
  'day.printZ': {
    input: z.object({ zNo: z.number().int().positive() }),
    output: {} as {
      zNo: number;
      reprintNo: number;
      outcome: 'sent' | 'failed' | 'no_printer';
      message: string;
    },
  },
} as const;
