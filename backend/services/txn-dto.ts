// The API's shapes of transactions, vouchers and cash takings, made from db/queries.ts's rows:
// yuan strings on the wire, serial numbers as the receipt prints them.
import type { Db } from '../../db/open';
import {
  cashSummaryRow,
  txnRow,
  txnRowByKey,
  txnRows,
  voucherRows,
  type TxnFilter,
  type TxnRow,
  type VoucherRow,
} from '../../db/queries';
import { formatFen } from '../../shared/money';
import type { CashSummaryDto, TxnDto, VoucherDto } from '../../shared/contract';
import type { ServiceId } from '../../shared/catalogue';
import { serialOf as serialOfDay } from '../../shared/serial';

/** The training ledgers (练习模式) open in this process: their serials say LX (shared/serial.ts). */
const trainingLedgers = new WeakSet<Db>();

/** Marks a ledger as a training ledger: every serial it gives out begins with LX. */
export function markTrainingLedger(db: Db): void {
  trainingLedgers.add(db);
}

export function isTrainingLedger(db: Db): boolean {
  return trainingLedgers.has(db);
}

type Details = Record<string, string | number | undefined>;

/** A text the details hold under `k`, or undefined. */
function detailText(d: Details, k: string): string | undefined {
  const v = d[k];
  return typeof v === 'string' ? v : undefined;
}

/** An amount in fen the details hold under `k`, as yuan, or undefined. */
function detailYuan(d: Details, k: string): string | undefined {
  const v = d[k];
  return typeof v === 'number' ? formatFen(v) : undefined;
}

// (Helpers at module level, not closures made for every row: a day's list maps hundreds.)
export function txnDto(r: TxnRow, training = false): TxnDto {
  const d = JSON.parse(r.details) as Details;
  return {
    txnId: r.id,
    serial: serialOfDay(r.id, r.business_day, training),
    kind: r.kind,
    businessDay: r.business_day,
    createdAt: r.created_at,
    operatorId: r.operator_id,
    operatorName: r.operator_name,
    amount: formatFen(r.amount_fen),
    fee: formatFen(r.fee_fen),
    total: formatFen(r.amount_fen + r.fee_fen),
    floatAfter: formatFen(r.float_after_fen),
    service: (r.service as ServiceId | null) ?? undefined,
    accountNo: detailText(d, 'accountNo'),
    payeeMasked: detailText(d, 'payeeMasked'),
    period: detailText(d, 'period'),
    cashReceived: detailYuan(d, 'cashReceivedFen'),
    change: detailYuan(d, 'changeFen'),
    voucherNo: detailText(d, 'voucherNo'),
    branchCode: detailText(d, 'branchCode'),
    clerk: detailText(d, 'clerk'),
    depositedAt: detailText(d, 'depositedAt'),
    bankRef: detailText(d, 'bankRef'),
    cardMasked: detailText(d, 'cardMasked'),
    gatewayRef: detailText(d, 'gatewayRef'),
    billerName: detailText(d, 'billerName'),
    billerHotline: detailText(d, 'billerHotline'),
    reason: detailText(d, 'reason'),
    reversesTxnId: r.reverses_id ?? undefined,
    reversesSerial:
      r.reverses_id && r.reverses_day ? serialOfDay(r.reverses_id, r.reverses_day, training) : undefined,
    reversedByTxnId: r.reversed_by ?? undefined,
    reversedBySerial:
      r.reversed_by && r.reversed_by_day
        ? serialOfDay(r.reversed_by, r.reversed_by_day, training)
        : undefined,
  };
}

export function getTxn(db: Db, id: number): TxnDto | undefined {
  const r = txnRow(db, id);
  return r && txnDto(r, isTrainingLedger(db));
}

export function getTxnByKey(db: Db, key: string): TxnDto | undefined {
  const r = txnRowByKey(db, key);
  return r && txnDto(r, isTrainingLedger(db));
}

export function listTxns(db: Db, f: TxnFilter): { items: TxnDto[]; nextBeforeId: number | null } {
  const { rows, nextBeforeId } = txnRows(db, f);
  const training = isTrainingLedger(db);
  return { items: rows.map((r) => txnDto(r, training)), nextBeforeId };
}

function voucherDto(r: VoucherRow, training: boolean): VoucherDto {
  return {
    voucherNo: r.voucher_no,
    branchCode: r.branch_code,
    clerk: r.clerk,
    amount: formatFen(r.amount_fen),
    depositedAt: r.deposited_at,
    txnId: r.txn_id,
    serial: serialOfDay(r.txn_id, r.business_day, training),
    reversed: r.reversed === 1,
  };
}

export function listVouchers(db: Db, f: Parameters<typeof voucherRows>[1]): VoucherDto[] {
  const training = isTrainingLedger(db);
  return voucherRows(db, f).map((r) => voucherDto(r, training));
}

export function cashSummary(db: Db, day: string): CashSummaryDto {
  const r = cashSummaryRow(db, day);
  return {
    businessDay: r.business_day,
    cashReceived: formatFen(r.cash_received_fen),
    changeGiven: formatFen(r.change_given_fen),
    takings: formatFen(r.takings_fen),
    payments: r.payments,
    reversals: r.reversals,
  };
}
