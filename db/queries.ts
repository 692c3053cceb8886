// Read side: transactions, vouchers and cash takings as rows (integer fen). The API's shapes are
// made from these in backend/services/txn-dto.ts.
import { stmt, type Db } from './open';
import { isMoneyString, toFen } from '../shared/money';
import type { TxnKind } from '../shared/contract';

export interface TxnRow {
  id: number;
  kind: TxnKind;
  business_day: string;
  created_at: string;
  operator_id: string;
  operator_name: string;
  amount_fen: number;
  fee_fen: number;
  service: string | null;
  reverses_id: number | null;
  details: string;
  /** The float after the transaction; for one that does not touch the float, the float before it. */
  float_after_fen: number;
  reversed_by: number | null;
  reversed_by_day: string | null;
  reverses_day: string | null;
}

const TXN_SELECT = `
  SELECT t.id, t.kind, t.business_day, t.created_at, t.operator_id,
         coalesce(t.operator_name, o.name) AS operator_name, -- the name then (issue 9 defect 3)
         t.amount_fen, t.fee_fen,
         t.service, t.reverses_id, t.details,
         t.float_after_fen, -- the float after it (migration 018), touched by it or not
         r.id AS reversed_by, r.business_day AS reversed_by_day,
         (SELECT business_day FROM txns x WHERE x.id = t.reverses_id) AS reverses_day
  FROM txns t
  JOIN operators o ON o.id = t.operator_id
  LEFT JOIN txns r ON r.reverses_id = t.id`;

export function txnRow(db: Db, id: number): TxnRow | undefined {
  return stmt(db, `${TXN_SELECT} WHERE t.id = ?`).get(id) as TxnRow | undefined;
}

export function txnRowByKey(db: Db, key: string): TxnRow | undefined {
  return stmt(db, `${TXN_SELECT} WHERE t.idempotency_key = ?`).get(key) as TxnRow | undefined;
}

export interface TxnFilter {
  day?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  service?: string | undefined;
  operatorId?: string | undefined;
  kind?: string | undefined;
  beforeId?: number | undefined;
  /** 交易查询's search box: an account, a receipt serial, a voucher number or bank reference, or an amount. */
  search?: string | undefined;
  limit: number;
}

/** One search term matched against every way an operator names a transaction. */
function searchCondition(term: string | undefined): { sql: string; params: Record<string, string | number> } {
  const q = term?.trim();
  if (!q) return { sql: '', params: {} };
  const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const parts = [
    `json_extract(t.details, '$.accountNo') LIKE @qLike ESCAPE '\\'`,
    `json_extract(t.details, '$.voucherNo') LIKE @qLike ESCAPE '\\'`,
    `json_extract(t.details, '$.bankRef') LIKE @qLike ESCAPE '\\'`,
    `json_extract(t.details, '$.gatewayRef') LIKE @qLike ESCAPE '\\'`,
  ];
  const params: Record<string, string | number> = { qLike: like };
  const serial = /^(\d{4})(\d{2})(\d{2})-(\d{1,12})$/.exec(q);
  if (serial) {
    parts.push('(t.id = @qId AND t.business_day = @qDay)');
    params['qId'] = Number(serial[4]);
    params['qDay'] = `${serial[1]}-${serial[2]}-${serial[3]}`;
  }
  if (isMoneyString(q) && q.replace('.', '').length <= 11) {
    parts.push('(t.amount_fen = @qFen OR t.amount_fen + t.fee_fen = @qFen)');
    params['qFen'] = toFen(q);
  }
  return { sql: `(${parts.join(' OR ')})`, params };
}

/** A WHERE clause from the filters that are set: each condition names its own @parameter. */
function whereOf(conditions: [string, string | number | undefined, string][]): {
  sql: string;
  params: Record<string, string | number>;
} {
  const parts: string[] = [];
  const params: Record<string, string | number> = {};
  for (const [name, value, condition] of conditions) {
    if (value === undefined || value === '') continue;
    parts.push(condition);
    params[name] = value;
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

export function txnRows(db: Db, f: TxnFilter): { rows: TxnRow[]; nextBeforeId: number | null } {
  const { sql: where, params } = whereOf([
    ['day', f.day, 't.business_day = @day'],
    ['from', f.from, 't.business_day >= @from'],
    ['to', f.to, 't.business_day <= @to'],
    ['service', f.service, 't.service = @service'],
    ['operatorId', f.operatorId, 't.operator_id = @operatorId'],
    ['kind', f.kind, 't.kind = @kind'],
    ['beforeId', f.beforeId, 't.id < @beforeId'],
  ]);
  const search = searchCondition(f.search);
  const sql = search.sql ? (where ? `${where} AND ${search.sql}` : `WHERE ${search.sql}`) : where;
  Object.assign(params, search.params);
  params['limit'] = f.limit + 1;
  // (Cached per SQL text: the filters given make one of a few dozen texts.)
  const rows = stmt(db, `${TXN_SELECT} ${sql} ORDER BY t.id DESC LIMIT @limit`).all(params) as TxnRow[];
  const more = rows.length > f.limit;
  const page = more ? rows.slice(0, f.limit) : rows;
  return { rows: page, nextBeforeId: more ? page[page.length - 1]!.id : null };
}

export interface VoucherRow {
  voucher_no: string;
  branch_code: string;
  clerk: string;
  amount_fen: number;
  deposited_at: string;
  txn_id: number;
  business_day: string;
  reversed: number;
}

export function voucherRows(
  db: Db,
  f: { search?: string | undefined; from?: string | undefined; to?: string | undefined; limit: number },
): VoucherRow[] {
  const search = f.search ? `%${f.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
  const { sql: where, params } = whereOf([
    ['s', search, `(v.voucher_no LIKE @s ESCAPE '\\' OR v.branch_code LIKE @s ESCAPE '\\')`],
    ['from', f.from, 't.business_day >= @from'],
    ['to', f.to, 't.business_day <= @to'],
  ]);
  params['limit'] = f.limit;
  return stmt(
    db,
    `SELECT v.voucher_no, v.branch_code, v.clerk, v.amount_fen, v.deposited_at, v.txn_id, t.business_day,
              EXISTS (SELECT 1 FROM txns r WHERE r.reverses_id = v.txn_id) AS reversed
       FROM vouchers v JOIN txns t ON t.id = v.txn_id
       ${where} ORDER BY v.id DESC LIMIT @limit`,
  ).all(params) as VoucherRow[];
}

export interface CashSummaryRow {
  business_day: string;
  cash_received_fen: number;
  change_given_fen: number;
  takings_fen: number;
  payments: number;
  reversals: number;
}

/** Cash takings of a business day, from the cash legs of its transactions and the payments' details. */
export function cashSummaryRow(db: Db, day: string): CashSummaryRow {
  const net = stmt(
    db,
    `SELECT coalesce(sum(json_extract(j.value, '$[1]')), 0) FROM txns t, json_each(t.legs) j
              WHERE t.business_day = ? AND t.kind IN ('bill_payment', 'reversal') AND json_extract(j.value, '$[0]') = 'cash'`,
  )
    .pluck()
    .get(day) as number;
  const pay = stmt(
    db,
    `SELECT count(*) AS n, coalesce(sum(json_extract(details, '$.cashReceivedFen')), 0) AS received,
              coalesce(sum(json_extract(details, '$.changeFen')), 0) AS change
       FROM txns WHERE business_day = ? AND kind = 'bill_payment'`,
  ).get(day) as { n: number; received: number; change: number };
  const rev = stmt(db, `SELECT count(*) FROM txns WHERE business_day = ? AND kind = 'reversal'`)
    .pluck()
    .get(day) as number;
  return {
    business_day: day,
    cash_received_fen: pay.received,
    change_given_fen: pay.change,
    takings_fen: net,
    payments: pay.n,
    reversals: rev,
  };
}
