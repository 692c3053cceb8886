// MON-1 「余额查询、交易查询、续费查询…提取每周及每月…的交易情况」: a period's figures from the
// ledger, by service, by operator and by day. Integer fen; reversals are counted on the day they
// were made and cancel what they reverse in the net figures.
import type { Db } from './open';
import { addDays } from '../shared/business-day';

/** The most days one report covers: a month is 31; a guard against a runaway range. */
export const MAX_REPORT_DAYS = 366;

/** Payments of one service over a day or a period, with what was reversed of them. */
export interface ServiceFigures {
  service: string;
  count: number;
  amountFen: number;
  feeFen: number;
  reversedCount: number;
  reversedFen: number;
}

/** Payments taken by one operator over a day or a period. */
export interface OperatorFigures {
  operatorId: string;
  operatorName: string;
  count: number;
  amountFen: number;
  feeFen: number;
}

export interface PeriodFigures {
  from: string;
  to: string;
  txnCount: number;
  payment: { n: number; amountFen: number; feeFen: number };
  reversedPayment: { n: number; amountFen: number; feeFen: number };
  reversedTopup: { n: number; amountFen: number };
  reversalCount: number;
  topup: { n: number; amountFen: number; voucherFen: number; greenCardFen: number };
  settlement: { n: number; amountFen: number };
  byService: ServiceFigures[];
  byOperator: (OperatorFigures & {
    reversalCount: number;
    reversedFen: number;
    topupCount: number;
    topupFen: number;
  })[];
  days: {
    day: string;
    paymentCount: number;
    paymentFen: number;
    feeFen: number;
    reversalCount: number;
    topupFen: number;
    closingFloatFen: number | null;
    zNo: number | null;
  }[];
}

export function periodFigures(db: Db, from: string, to: string): PeriodFigures {
  if (from > to) throw new Error('periodFigures: from after to');
  const kinds = db
    .prepare(
      `SELECT kind, count(*) AS n, coalesce(sum(amount_fen), 0) AS a, coalesce(sum(fee_fen), 0) AS f
       FROM txns WHERE business_day BETWEEN ? AND ? GROUP BY kind`,
    )
    .all(from, to) as { kind: string; n: number; a: number; f: number }[];
  const kind = (k: string) => kinds.find((r) => r.kind === k) ?? { n: 0, a: 0, f: 0 };
  const revs = db
    .prepare(
      `SELECT o.kind, count(*) AS n, coalesce(sum(r.amount_fen), 0) AS a, coalesce(sum(r.fee_fen), 0) AS f
       FROM txns r JOIN txns o ON o.id = r.reverses_id
       WHERE r.kind = 'reversal' AND r.business_day BETWEEN ? AND ? GROUP BY o.kind`,
    )
    .all(from, to) as { kind: string; n: number; a: number; f: number }[];
  const rev = (k: string[]) =>
    revs
      .filter((r) => k.includes(r.kind))
      .reduce((s, r) => ({ n: s.n + r.n, a: s.a + r.a, f: s.f + r.f }), { n: 0, a: 0, f: 0 });
  const pay = kind('bill_payment');
  const rp = rev(['bill_payment']);
  const rt = rev(['topup_voucher', 'topup_green_card']);
  const tv = kind('topup_voucher');
  const tg = kind('topup_green_card');
  const st = kind('takings_settlement');

  const byService = db
    .prepare(
      `SELECT service, sum(kind = 'bill_payment') AS count,
              coalesce(sum(CASE WHEN kind = 'bill_payment' THEN amount_fen END), 0) AS amountFen,
              coalesce(sum(CASE WHEN kind = 'bill_payment' THEN fee_fen END), 0) AS feeFen,
              sum(kind = 'reversal') AS reversedCount,
              coalesce(sum(CASE WHEN kind = 'reversal' THEN amount_fen END), 0) AS reversedFen
       FROM txns WHERE kind IN ('bill_payment', 'reversal') AND business_day BETWEEN ? AND ? AND service IS NOT NULL
       GROUP BY service ORDER BY service`,
    )
    .all(from, to) as PeriodFigures['byService'];
  const byOperator = db
    .prepare(
      `SELECT t.operator_id AS operatorId, o.name AS operatorName,
              sum(t.kind = 'bill_payment') AS count,
              coalesce(sum(CASE WHEN t.kind = 'bill_payment' THEN t.amount_fen END), 0) AS amountFen,
              coalesce(sum(CASE WHEN t.kind = 'bill_payment' THEN t.fee_fen END), 0) AS feeFen,
              sum(t.kind = 'reversal') AS reversalCount,
              coalesce(sum(CASE WHEN t.kind = 'reversal' THEN t.amount_fen END), 0) AS reversedFen,
              sum(t.kind IN ('topup_voucher', 'topup_green_card')) AS topupCount,
              coalesce(sum(CASE WHEN t.kind IN ('topup_voucher', 'topup_green_card') THEN t.amount_fen END), 0) AS topupFen
       FROM txns t JOIN operators o ON o.id = t.operator_id
       WHERE t.business_day BETWEEN ? AND ?
       GROUP BY t.operator_id ORDER BY o.name, t.operator_id`,
    )
    .all(from, to) as PeriodFigures['byOperator'];
  const perDay = db
    .prepare(
      `SELECT business_day AS day, sum(kind = 'bill_payment') AS paymentCount,
              coalesce(sum(CASE WHEN kind = 'bill_payment' THEN amount_fen END), 0) AS paymentFen,
              coalesce(sum(CASE WHEN kind = 'bill_payment' THEN fee_fen END), 0) AS feeFen,
              sum(kind = 'reversal') AS reversalCount,
              coalesce(sum(CASE WHEN kind IN ('topup_voucher', 'topup_green_card') THEN amount_fen END), 0) AS topupFen
       FROM txns WHERE business_day BETWEEN ? AND ? GROUP BY business_day`,
    )
    .all(from, to) as Omit<PeriodFigures['days'][number], 'closingFloatFen' | 'zNo'>[];
  const closes = db
    .prepare(`SELECT day, z_no, closing_float_fen FROM day_closes WHERE day BETWEEN ? AND ?`)
    .all(from, to) as { day: string; z_no: number; closing_float_fen: number }[];
  // Every calendar day of the period, so a chart shows the quiet days too.
  const days: PeriodFigures['days'] = [];
  for (let d = from, i = 0; d <= to && i < MAX_REPORT_DAYS; d = addDays(d, 1), i++) {
    const row = perDay.find((r) => r.day === d);
    const close = closes.find((c) => c.day === d);
    days.push({
      day: d,
      paymentCount: row?.paymentCount ?? 0,
      paymentFen: row?.paymentFen ?? 0,
      feeFen: row?.feeFen ?? 0,
      reversalCount: row?.reversalCount ?? 0,
      topupFen: row?.topupFen ?? 0,
      closingFloatFen: close?.closing_float_fen ?? null,
      zNo: close?.z_no ?? null,
    });
  }
  return {
    from,
    to,
    txnCount: kinds.reduce((s, r) => s + r.n, 0),
    payment: { n: pay.n, amountFen: pay.a, feeFen: pay.f },
    reversedPayment: { n: rp.n, amountFen: rp.a, feeFen: rp.f },
    reversedTopup: { n: rt.n, amountFen: rt.a },
    reversalCount: kind('reversal').n,
    topup: { n: tv.n + tg.n, amountFen: tv.a + tg.a, voucherFen: tv.a, greenCardFen: tg.a },
    settlement: { n: st.n, amountFen: st.a },
    byService,
    byOperator,
    days,
  };
}

/** Net bill payments per business day over the last `n` business days before `beforeDay`
 *  (days with a business_days row), for the low-float forecast (PAY-4). */
export function recentDailyPayments(
  db: Db,
  beforeDay: string,
  n: number,
): { days: string[]; netFen: number; count: number; largestFen: number } {
  const days = (
    db
      .prepare(`SELECT day FROM business_days WHERE day < ? ORDER BY day DESC LIMIT ?`)
      .pluck()
      .all(beforeDay, n) as string[]
  ).reverse();
  if (days.length === 0) return { days, netFen: 0, count: 0, largestFen: 0 };
  const from = days[0]!;
  const pay = db
    .prepare(
      `SELECT count(*) AS n, coalesce(sum(amount_fen), 0) AS a, coalesce(max(amount_fen), 0) AS m
       FROM txns WHERE kind = 'bill_payment' AND business_day >= ? AND business_day < ?`,
    )
    .get(from, beforeDay) as { n: number; a: number; m: number };
  const rev = db
    .prepare(
      `SELECT count(*) AS n, coalesce(sum(r.amount_fen), 0) AS a FROM txns r JOIN txns o ON o.id = r.reverses_id
       WHERE r.kind = 'reversal' AND o.kind = 'bill_payment' AND r.business_day >= ? AND r.business_day < ?`,
    )
    .get(from, beforeDay) as { n: number; a: number };
  return { days, netFen: pay.a - rev.a, count: pay.n - rev.n, largestFen: pay.m };
}
