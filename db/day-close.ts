// 日终轧账 at the SQL level: the day's figures (one function for the X report and the Z close, so
// they cannot disagree), cash counts, and the close row itself. Integer fen throughout.
// Migration 003 checks every close again in the database (ties out, carries over, no Z gaps).
// Long on purpose (about 500 lines): the figures and the close that locks them are one unit, so
// the X report, the Z close and the checks cannot drift apart.
import { YizhanError } from '../shared/errors';
import { assertFen, fen, sumFen, type Fen } from '../shared/money';
import { latestBalanceFen } from './ledger';
import type { Db } from './open';
import type { OperatorFigures, ServiceFigures } from './reports';

/** The figures of one business day, in fen. Signed where a column says so. */
export interface DayFigures {
  day: string;
  /** 'none': no business_days row (no business that day). */
  status: 'open' | 'closed' | 'none';
  txnCount: number;
  /** The last close before this day (the opening assertion), if any. */
  prevClose: { zNo: number; day: string } | null;
  /** Open business days before this one: the day cannot be closed until they are. */
  earlierOpenDays: string[];
  /** Bill payments reserved on this day or before whose outcome is not known yet. */
  pendingPayments: number;

  // ---- the float (预存款) ----
  /** 'previous_close': the last close's closing balance; 'ledger': no close before (first day). */
  openingSource: 'previous_close' | 'ledger';
  openingFloatFen: number;
  topupsFen: number;
  topupCount: number;
  topupVoucherFen: number;
  topupGreenCardFen: number;
  paymentsFen: number;
  paymentCount: number;
  /** Fees are collected in cash (fees account); shown beside the float, they do not move it. */
  feesFen: number;
  /** Net effect of the day's reversals on the float (a reversed payment gives float back: +). */
  reversalsFloatFen: number;
  reversalCount: number;
  reversalsOfPaymentsCount: number;
  reversalsOfPaymentsFen: number;
  /** Takings deposited at the branch as a top-up (PAY-5, mode 'deposit'). */
  settledToFloatFen: number;
  closingFloatFen: number;
  /** The ledger's own figure for the day's end: the running balance less postings dated later. */
  ledgerClosingFloatFen: number;
  /** Float postings dated after this day (for reading the central balance on a late close). */
  laterFloatFen: number;
  floatTiesOut: boolean;

  // ---- the cash drawer (营业款, PAY-5) ----
  /** Previous close's counted cash; first close: the cash account before the day (+ change fund). */
  openingCashFen: number;
  cashReceivedFen: number;
  changeGivenFen: number;
  /** Net cash effect of reversals (refunds negative). */
  reversalsCashFen: number;
  /** Takings taken out of the drawer (settled) this day, net. */
  settledFen: number;
  settlementCount: number;
  settledToOwnerFen: number;
  expectedCashFen: number;
  /** Takings not yet settled at the day's end (the cash account's balance). */
  takingsDueFen: number;
  laterCashFen: number;
  cashTiesOut: boolean;

  byService: ServiceFigures[];
  byOperator: OperatorFigures[];
}

export interface CloseRow {
  z_no: number;
  day: string;
  closed_at: string;
  operator_id: string;
  txn_count: number;
  opening_float_fen: number;
  topups_fen: number;
  payments_fen: number;
  reversals_float_fen: number;
  settled_to_float_fen: number;
  closing_float_fen: number;
  central_read_fen: number;
  later_float_fen: number;
  central_float_fen: number;
  central_source: 'gateway' | 'operator';
  float_difference_fen: number;
  float_remark: string | null;
  count_id: number;
  opening_cash_fen: number;
  cash_received_fen: number;
  change_given_fen: number;
  reversals_cash_fen: number;
  settled_fen: number;
  expected_cash_fen: number;
  counted_cash_fen: number;
  cash_variance_fen: number;
  cash_remark: string | null;
  fees_fen: number;
  takings_due_fen: number;
  report: string;
}

export interface CountRow {
  id: number;
  day: string;
  counted_at: string;
  operator_id: string;
  method: 'denominations' | 'total';
  denominations: string | null;
  total_fen: number;
  later_cash_fen: number;
  opening_cash_fen: number | null;
}

/** The most business days one status reply lists (a station left unclosed for a year still gets
 *  an answer of bounded size; the UI says "and n more"). */
export const MAX_OPEN_DAYS_LISTED = 31;

const one = <T>(db: Db, sql: string, ...params: unknown[]): T =>
  db
    .prepare(sql)
    .pluck()
    .get(...params) as T;

/** Sum of an account's postings (its legs) over business days, through the days' transactions
 *  (txns_day). */
function sumPostings(db: Db, account: 'float' | 'cash', where: string, ...params: unknown[]): Fen {
  return fen(
    one<number>(
      db,
      `SELECT coalesce(sum(json_extract(j.value, '$[1]')), 0) FROM txns t, json_each(t.legs) j
       WHERE ${where} AND json_extract(j.value, '$[0]') = ?`,
      ...params,
      account,
    ),
  );
}

/** Sum of an account's postings dated after `day` (for a late close and the central balance). */
export function postingsAfter(db: Db, account: 'float' | 'cash', day: string): Fen {
  return sumPostings(db, account, 't.business_day > ?', day);
}

export function dayStatus(db: Db, day: string): 'open' | 'closed' | 'none' {
  return (
    one<'open' | 'closed' | undefined>(db, `SELECT status FROM business_days WHERE day = ?`, day) ?? 'none'
  );
}

export function closeRowOf(db: Db, day: string): CloseRow | undefined {
  return db.prepare(`SELECT * FROM day_closes WHERE day = ?`).get(day) as CloseRow | undefined;
}

export function closeRowByZ(db: Db, zNo: number): CloseRow | undefined {
  return db.prepare(`SELECT * FROM day_closes WHERE z_no = ?`).get(zNo) as CloseRow | undefined;
}

export function lastClose(db: Db): CloseRow | undefined {
  return db.prepare(`SELECT * FROM day_closes ORDER BY z_no DESC LIMIT 1`).get() as CloseRow | undefined;
}

export function listCloses(db: Db, limit: number): CloseRow[] {
  return db.prepare(`SELECT * FROM day_closes ORDER BY z_no DESC LIMIT ?`).all(limit) as CloseRow[];
}

export function openDaysBefore(db: Db, day: string, limit = MAX_OPEN_DAYS_LISTED): string[] {
  return db
    .prepare(`SELECT day FROM business_days WHERE status = 'open' AND day < ? ORDER BY day LIMIT ?`)
    .pluck()
    .all(day, limit) as string[];
}

export function openDays(db: Db, limit = MAX_OPEN_DAYS_LISTED): string[] {
  return db
    .prepare(`SELECT day FROM business_days WHERE status = 'open' ORDER BY day LIMIT ?`)
    .pluck()
    .all(limit) as string[];
}

export function countOpenDays(db: Db): number {
  return one<number>(db, `SELECT count(*) FROM business_days WHERE status = 'open'`);
}

export function pendingPaymentsUpTo(db: Db, day: string): number {
  return one<number>(
    db,
    `SELECT count(*) FROM reservations WHERE status = 'pending' AND date(created_at, '+8 hours') <= ?`,
    day,
  );
}

export function latestCount(db: Db, day: string): CountRow | undefined {
  return db.prepare(`SELECT * FROM day_counts WHERE day = ? ORDER BY id DESC LIMIT 1`).get(day) as
    CountRow | undefined;
}

export function countsOf(db: Db, day: string): number {
  return one<number>(db, `SELECT count(*) FROM day_counts WHERE day = ?`, day);
}

/** Transactions of the day posted after a moment (a count taken then is out of date). */
export function txnsPostedAfter(db: Db, day: string, at: string): number {
  return one<number>(db, `SELECT count(*) FROM txns WHERE business_day = ? AND created_at > ?`, day, at);
}

/** The day's figures. `firstOpeningCashFen`: the change fund declared with the count, used only
 *  when there is no previous close. Read-only; call inside a transaction for a consistent view. */
export function computeDayFigures(db: Db, day: string, firstOpeningCashFen = 0): DayFigures {
  const status = dayStatus(db, day);
  const prev = db
    .prepare(
      `SELECT z_no, day, closing_float_fen, counted_cash_fen FROM day_closes WHERE day < ? ORDER BY day DESC LIMIT 1`,
    )
    .get(day) as
    { z_no: number; day: string; closing_float_fen: number; counted_cash_fen: number } | undefined;

  // Postings of the day by transaction kind and account.
  const byKind = db
    .prepare(
      `SELECT t.kind, json_extract(j.value, '$[0]') AS account, coalesce(sum(json_extract(j.value, '$[1]')), 0) AS s,
              count(*) AS n
       FROM txns t, json_each(t.legs) j
       WHERE t.business_day = ? AND json_extract(j.value, '$[0]') IN ('float', 'cash')
       GROUP BY 1, 2`,
    )
    .all(day) as { kind: string; account: 'float' | 'cash'; s: number; n: number }[];
  const k = (kind: string, account: 'float' | 'cash') =>
    byKind.find((r) => r.kind === kind && r.account === account)?.s ?? 0;

  const pay = db
    .prepare(
      `SELECT count(*) AS n, coalesce(sum(amount_fen), 0) AS amount, coalesce(sum(fee_fen), 0) AS fee,
              coalesce(sum(json_extract(details, '$.cashReceivedFen')), 0) AS received,
              coalesce(sum(json_extract(details, '$.changeFen')), 0) AS change
       FROM txns WHERE business_day = ? AND kind = 'bill_payment'`,
    )
    .get(day) as { n: number; amount: number; fee: number; received: number; change: number };
  const top = db
    .prepare(
      `SELECT count(*) AS n,
              coalesce(sum(CASE WHEN kind = 'topup_voucher' THEN amount_fen END), 0) AS voucher,
              coalesce(sum(CASE WHEN kind = 'topup_green_card' THEN amount_fen END), 0) AS card
       FROM txns WHERE business_day = ? AND kind IN ('topup_voucher', 'topup_green_card')`,
    )
    .get(day) as { n: number; voucher: number; card: number };
  const rev = db
    .prepare(
      `SELECT count(*) AS n,
              coalesce(sum(CASE WHEN o.kind = 'bill_payment' THEN 1 END), 0) AS pay_n,
              coalesce(sum(CASE WHEN o.kind = 'bill_payment' THEN r.amount_fen END), 0) AS pay_fen,
              coalesce(sum(CASE WHEN o.kind = 'bill_payment' THEN r.fee_fen END), 0) AS pay_fee
       FROM txns r JOIN txns o ON o.id = r.reverses_id
       WHERE r.business_day = ? AND r.kind = 'reversal'`,
    )
    .get(day) as { n: number; pay_n: number; pay_fen: number; pay_fee: number };
  const settle = db
    .prepare(`SELECT count(*) FROM txns WHERE business_day = ? AND kind = 'takings_settlement'`)
    .pluck()
    .get(day) as number;
  const txnCount = one<number>(db, `SELECT count(*) FROM txns WHERE business_day = ?`, day);

  const topupsFen = k('topup_voucher', 'float') + k('topup_green_card', 'float');
  const paymentsFen = -k('bill_payment', 'float');
  const reversalsFloatFen = k('reversal', 'float');
  const settledToFloatFen = k('takings_settlement', 'float');
  const dayFloatFen = sumPostings(db, 'float', 't.business_day = ?', day);
  const dayCashFen = sumPostings(db, 'cash', 't.business_day = ?', day);

  // The ledger's end of the day: the running balance now, less what is dated after the day.
  const laterFloatFen = sumPostings(db, 'float', 't.business_day > ?', day);
  const laterCashFen = sumPostings(db, 'cash', 't.business_day > ?', day);
  const ledgerClosingFloatFen = latestBalanceFen(db, 'float') - laterFloatFen;
  const takingsDueFen = latestBalanceFen(db, 'cash') - laterCashFen;

  let openingFloatFen: number;
  let openingCashFen: number;
  if (prev) {
    // Days closed without a Z between the previous close and this day (none in normal operation).
    openingFloatFen =
      prev.closing_float_fen +
      sumPostings(db, 'float', 't.business_day > ? AND t.business_day < ?', prev.day, day);
    openingCashFen =
      prev.counted_cash_fen +
      sumPostings(db, 'cash', 't.business_day > ? AND t.business_day < ?', prev.day, day);
  } else {
    openingFloatFen = ledgerClosingFloatFen - dayFloatFen;
    openingCashFen = takingsDueFen - dayCashFen + firstOpeningCashFen;
  }
  const earlierOpenDays = openDaysBefore(db, day);

  const closingFloatFen = sumFen([
    openingFloatFen,
    topupsFen,
    -paymentsFen,
    reversalsFloatFen,
    settledToFloatFen,
  ]);
  const reversalsCashFen = k('reversal', 'cash');
  const settledFen = -k('takings_settlement', 'cash');
  const expectedCashFen = sumFen([openingCashFen, pay.received, -pay.change, reversalsCashFen, -settledFen]);

  // Assertions (TigerBeetle's habit): the categories are all of the day's postings, and the
  // details of the payments agree with their cash legs.
  const floatCategoriesTie = topupsFen - paymentsFen + reversalsFloatFen + settledToFloatFen === dayFloatFen;
  const cashCategoriesTie =
    pay.received - pay.change === k('bill_payment', 'cash') &&
    pay.received - pay.change + reversalsCashFen - settledFen === dayCashFen;
  for (const v of [closingFloatFen, expectedCashFen, ledgerClosingFloatFen, takingsDueFen]) assertFen(v);

  const byService = db
    .prepare(
      `SELECT service, sum(CASE WHEN kind = 'bill_payment' THEN 1 ELSE 0 END) AS count,
              coalesce(sum(CASE WHEN kind = 'bill_payment' THEN amount_fen END), 0) AS amountFen,
              coalesce(sum(CASE WHEN kind = 'bill_payment' THEN fee_fen END), 0) AS feeFen,
              sum(CASE WHEN kind = 'reversal' THEN 1 ELSE 0 END) AS reversedCount,
              coalesce(sum(CASE WHEN kind = 'reversal' THEN amount_fen END), 0) AS reversedFen
       FROM txns WHERE business_day = ? AND service IS NOT NULL AND kind IN ('bill_payment', 'reversal')
       GROUP BY service ORDER BY service`,
    )
    .all(day) as DayFigures['byService'];
  const byOperator = db
    .prepare(
      `SELECT t.operator_id AS operatorId, coalesce(max(t.operator_name), o.name) AS operatorName, count(*) AS count,
              coalesce(sum(t.amount_fen), 0) AS amountFen, coalesce(sum(t.fee_fen), 0) AS feeFen
       FROM txns t JOIN operators o ON o.id = t.operator_id
       WHERE t.business_day = ? AND t.kind = 'bill_payment'
       GROUP BY t.operator_id ORDER BY t.operator_id`,
    )
    .all(day) as DayFigures['byOperator'];

  return {
    day,
    status,
    txnCount,
    prevClose: prev ? { zNo: prev.z_no, day: prev.day } : null,
    earlierOpenDays,
    pendingPayments: pendingPaymentsUpTo(db, day),
    openingSource: prev ? 'previous_close' : 'ledger',
    openingFloatFen,
    topupsFen,
    topupCount: top.n,
    topupVoucherFen: top.voucher,
    topupGreenCardFen: top.card,
    paymentsFen,
    paymentCount: pay.n,
    feesFen: pay.fee,
    reversalsFloatFen,
    reversalCount: rev.n,
    reversalsOfPaymentsCount: rev.pay_n,
    reversalsOfPaymentsFen: rev.pay_fen,
    settledToFloatFen,
    closingFloatFen,
    ledgerClosingFloatFen,
    laterFloatFen,
    floatTiesOut: floatCategoriesTie && closingFloatFen === ledgerClosingFloatFen,
    openingCashFen,
    cashReceivedFen: pay.received,
    changeGivenFen: pay.change,
    reversalsCashFen,
    settledFen,
    settlementCount: settle,
    settledToOwnerFen: settledFen - settledToFloatFen,
    expectedCashFen,
    takingsDueFen,
    laterCashFen,
    cashTiesOut: cashCategoriesTie,
    byService,
    byOperator,
  };
}

/** The oldest business day not closed yet that had business (a transaction, or a count taken on
 *  that day itself): besides today, the only day a count may be for (issue 9 defect 4). */
export function oldestUnclosedRealDay(db: Db): string | undefined {
  return (
    (db
      .prepare(
        `SELECT min(b.day) FROM business_days b
          WHERE b.status = 'open'
            AND (EXISTS (SELECT 1 FROM txns t WHERE t.business_day = b.day)
                 OR EXISTS (SELECT 1 FROM day_counts c WHERE c.day = b.day AND date(c.counted_at, '+8 hours') = b.day))`,
      )
      .pluck()
      .get() as string | null) ?? undefined
  );
}

export interface NewCount {
  day: string;
  countedAt: string;
  operatorId: string;
  method: 'denominations' | 'total';
  denominations: Record<string, number> | null;
  totalFen: number;
  openingCashFen: number | null;
}

/** Records a count of the drawer, with the cash postings dated after the day at that moment. */
export function insertCount(db: Db, c: NewCount): CountRow {
  assertFen(c.totalFen);
  if (c.totalFen < 0) throw new Error('insertCount: negative total');
  try {
    const later = sumPostings(db, 'cash', 't.business_day > ?', c.day);
    const r = db
      .prepare(
        `INSERT INTO day_counts (day, counted_at, operator_id, method, denominations, total_fen, later_cash_fen, opening_cash_fen)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        c.day,
        c.countedAt,
        c.operatorId,
        c.method,
        c.denominations ? JSON.stringify(c.denominations) : null,
        c.totalFen,
        later,
        c.openingCashFen,
      );
    return db.prepare(`SELECT * FROM day_counts WHERE id = ?`).get(Number(r.lastInsertRowid)) as CountRow;
  } catch (e) {
    throw mapCloseError(e);
  }
}

/** Inserts the close (its z_no must be the next one); the database locks the day in the same
 *  statement and checks everything again. */
export function insertClose(db: Db, c: CloseRow): void {
  const cols = Object.keys(c) as (keyof CloseRow)[];
  try {
    db.prepare(
      `INSERT INTO day_closes (${cols.join(', ')}) VALUES (${cols.map((k) => `@${k}`).join(', ')})`,
    ).run(c);
  } catch (e) {
    throw mapCloseError(e);
  }
}

/** Records one print attempt of a Z slip. */
export function recordZPrint(
  db: Db,
  p: {
    zNo: number;
    printedAt: string;
    operatorId: string;
    outcome: 'sent' | 'failed' | 'no_printer';
    message: string | null;
  },
): void {
  const attempt =
    (one<number | null>(db, `SELECT max(attempt_no) FROM z_prints WHERE z_no = ?`, p.zNo) ?? 0) + 1;
  db.prepare(
    `INSERT INTO z_prints (z_no, attempt_no, printed_at, operator_id, outcome, message) VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(p.zNo, attempt, p.printedAt, p.operatorId, p.outcome, p.message);
}

/** The print queue's reference of a Z slip (print_jobs.ref). */
export function zSlipRef(zNo: number): string {
  return `z:${zNo}`;
}

/** How many copies of the Z slip reached the printer: the next print is reprint n when n >= 1.
 *  Counted in the print queue (migration 005); z_prints 'sent' rows cover slips printed before. */
export function zPrintCount(db: Db, zNo: number): number {
  return one<number>(
    db,
    `SELECT max((SELECT count(*) FROM print_jobs WHERE ref = ? AND status = 'printed'),
                (SELECT count(*) FROM z_prints WHERE z_no = ? AND outcome = 'sent'))`,
    zSlipRef(zNo),
    zNo,
  );
}

/** The database's refusals for closes and counts, as named errors. */
const CLOSE_RAISED = {
  DAY_CLOSED: 'DAY_CLOSED',
  DAY_NOT_CLOSABLE: 'DAY_NOT_CLOSABLE',
  PENDING_PAYMENTS: 'PENDING_PAYMENTS',
  COUNT_REQUIRED: 'COUNT_REQUIRED',
  CLOSE_MISMATCH: 'RECONCILIATION_FAILED',
  OPENING_MISMATCH: 'RECONCILIATION_FAILED',
  Z_SEQUENCE: 'RECONCILIATION_FAILED',
} as const;

export function mapCloseError(e: unknown): unknown {
  if (e instanceof YizhanError) return e;
  const err = e as { code?: string; message?: string };
  if (typeof err?.code === 'string' && err.code.startsWith('SQLITE_CONSTRAINT')) {
    const code = CLOSE_RAISED[(err.message ?? '') as keyof typeof CLOSE_RAISED];
    if (code) return new YizhanError(code, { source: 'database', raised: err.message });
    if (/CHECK constraint failed/.test(err.message ?? '') && /remark/.test(err.message ?? '')) {
      return new YizhanError('REMARK_REQUIRED', { source: 'database' });
    }
  }
  return e;
}
