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

export function txnDto(r: TxnRow, training = false): TxnDto {
  const serialOf = (id: number, day: string) => serialOfDay(id, day, training);
  const d = JSON.parse(r.details) as Record<string, string | number | undefined>;
  const str = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : undefined);
  const fen = (k: string) => (typeof d[k] === 'number' ? formatFen(d[k] as number) : undefined);
  return {
    txnId: r.id,
    serial: serialOf(r.id, r.business_day),
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
    accountNo: str('accountNo'),
    payeeMasked: str('payeeMasked'),
    period: str('period'),
    cashReceived: fen('cashReceivedFen'),
    change: fen('changeFen'),
    voucherNo: str('voucherNo'),
    branchCode: str('branchCode'),
    clerk: str('clerk'),
    depositedAt: str('depositedAt'),
    bankRef: str('bankRef'),
    cardMasked: str('cardMasked'),
    gatewayRef: str('gatewayRef'),
    billerName: str('billerName'),
    billerHotline: str('billerHotline'),
    reason: str('reason'),
    reversesTxnId: r.reverses_id ?? undefined,
    reversesSerial: r.reverses_id && r.reverses_day ? serialOf(r.reverses_id, r.reverses_day) : undefined,
    reversedByTxnId: r.reversed_by ?? undefined,
    reversedBySerial:
      r.reversed_by && r.reversed_by_day ? serialOf(r.reversed_by, r.reversed_by_day) : undefined,
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
