// The report and low-float channels of the API contract (MON-1, PAY-4): period reports, their
// export, the float forecast. Assembled into `channels` in ./index.ts.
// Money crosses this boundary only as decimal strings ("96.50").
import { z } from 'zod';
import { day } from '../schemas';
import type { OperatorLineDto, ServiceLineDto } from './day';

// ---- DTOs -------------------------------------------------------------------------------------

export type ReportPeriod = 'day' | 'week' | 'month';

export interface ReportTotalsDto {
  txnCount: number;
  paymentCount: number;
  paymentAmount: string;
  fees: string;
  reversalCount: number;
  reversedPaymentCount: number;
  /** Bill amounts given back by reversals of payments. */
  reversedAmount: string;
  reversedFees: string;
  /** Payments less reversed payments (MON-2 counts: a reversal cancels what it reverses). */
  netPaymentCount: number;
  netPaymentAmount: string;
  topupCount: number;
  topupAmount: string;
  topupVoucher: string;
  topupGreenCard: string;
  reversedTopupCount: number;
  reversedTopupAmount: string;
  settlementCount: number;
  settledAmount: string;
}

export interface ReportDayDto {
  day: string;
  paymentCount: number;
  paymentAmount: string;
  fees: string;
  reversalCount: number;
  topupAmount: string;
  /** The Z close's closing balance, when the day is closed. */
  closingFloat: string | null;
  zNo: number | null;
}

export interface PeriodReportDto {
  period: ReportPeriod;
  from: string;
  to: string;
  generatedAt: string;
  station: { name: string; institutionNo: string };
  totals: ReportTotalsDto;
  byService: ServiceLineDto[];
  byOperator: (OperatorLineDto & {
    reversalCount: number;
    reversed: string;
    topupCount: number;
    topupAmount: string;
  })[];
  days: ReportDayDto[];
}

export interface ExportFileDto {
  filename: string;
  mimeType: string;
  /** The file's bytes, base64 (the renderer turns it into a download in browser mode). */
  base64: string;
  bytes: number;
}

export type FloatLevel = 'ok' | 'low' | 'critical' | 'unknown';

export interface FloatForecastDto {
  /** What the rate is estimated from: past business days, or (a new station) today so far. */
  basis: 'recent_days' | 'today_so_far';
  level: FloatLevel;
  balance: string;
  pending: string;
  available: string;
  /** Business days looked back on (at most 14), and how many of them there were. */
  lookbackDays: number;
  daysInWindow: number;
  /** Net bill payments per business day over the window. */
  avgDailyPayments: string;
  avgPaymentsPerDay: string;
  avgPayment: string;
  largestPayment: string;
  /** How many business days / average payments the available float lasts (null: no history). */
  daysLeft: string | null;
  paymentsLeft: number | null;
  coverDays: number;
  /** A top-up to last coverDays at the average rate with a safety margin, rounded up to 100 元. */
  suggestedTopUp: string;
  message: string;
}

// ---- channels ---------------------------------------------------------------------------------

const reportQuery = {
  period: z.enum(['day', 'week', 'month']),
  /** Any day inside the period (default today): the week is Monday–Sunday, the month a calendar month. */
  date: day.optional(),
};

export const reportsChannels = {
  /** MON-1: daily, weekly and monthly figures by service and operator, with a series per day. */
  'report.period': { input: z.object(reportQuery), output: {} as PeriodReportDto },
  /** The same report as a file: CSV (UTF-8 with BOM, for Excel) or XLSX. */
  'report.export': {
    input: z.object({ ...reportQuery, format: z.enum(['csv', 'xlsx']) }),
    output: {} as ExportFileDto,
  },
  /** PAY-4: how long the float lasts at the recent rate, and a suggested top-up. */
  'float.forecast': {
    input: z.object({ coverDays: z.number().int().min(1).max(30).optional() }).default({}),
    output: {} as FloatForecastDto,
  },
} as const;
