// Receipt documents built from the ledger (SRV-1, SRV-3, SRV-4): the same document is printed and
// previewed, and it is rebuilt identically each time (the print queue keys on it).
import { CATALOGUE, type ServiceId } from '../../shared/catalogue';
import type { TxnDto } from '../../shared/contract';
import { YizhanError } from '../../shared/errors';
import type { ReceiptDoc } from '../../shared/receipt';
import { getTxn } from './txn-dto';
import { station, type Ctx } from '../context';

export function receiptFor(ctx: Ctx, t: TxnDto): ReceiptDoc {
  const st = station(ctx);
  const common = {
    station: { name: st.name, institutionNo: st.institution_no },
    demo: st.demo === 1,
    serial: t.serial,
    time: t.createdAt,
    operatorName: t.operatorName,
  };
  const serviceNameZh = t.service ? CATALOGUE[t.service as ServiceId].nameZh : undefined;
  switch (t.kind) {
    case 'bill_payment':
      return {
        kind: 'bill_payment',
        ...common,
        serviceNameZh: serviceNameZh!,
        accountNo: t.accountNo!,
        payeeMasked: t.payeeMasked!,
        ...(t.period ? { period: t.period } : {}),
        amount: t.amount,
        fee: t.fee,
        total: t.total,
        cashReceived: t.cashReceived!,
        change: t.change!,
        ...(t.billerName ? { billerNameZh: t.billerName } : {}),
        ...(t.billerHotline ? { hotline: t.billerHotline } : {}),
        ...(t.gatewayRef ? { centralRef: t.gatewayRef } : {}),
      };
    case 'reversal': {
      const orig = t.reversesTxnId ? getTxn(ctx.db, t.reversesTxnId) : undefined;
      return {
        kind: 'reversal',
        ...common,
        originalSerial: t.reversesSerial!,
        ...(orig ? { originalTime: orig.createdAt } : {}),
        ...(serviceNameZh ? { serviceNameZh } : {}),
        ...(t.accountNo ? { accountNo: t.accountNo } : {}),
        reason: t.reason ?? '—',
        amount: t.amount,
        fee: t.fee,
        refundTotal: t.total,
        ...(orig?.billerName ? { billerNameZh: orig.billerName } : {}),
        ...(orig?.billerHotline ? { hotline: orig.billerHotline } : {}),
        ...(orig?.gatewayRef ? { originalCentralRef: orig.gatewayRef } : {}),
      };
    }
    case 'topup_voucher':
      return {
        kind: 'top_up',
        ...common,
        source: { method: 'voucher', voucherNo: t.voucherNo!, branchCode: t.branchCode!, clerk: t.clerk! },
        amount: t.amount,
        floatBalanceAfter: t.floatAfter,
      };
    case 'topup_green_card':
      return {
        kind: 'top_up',
        ...common,
        source: { method: 'green_card', cardMasked: t.cardMasked!, bankRef: t.bankRef! },
        amount: t.amount,
        floatBalanceAfter: t.floatAfter,
      };
    default:
      throw new YizhanError('NOT_FOUND', { txnId: t.txnId, kind: t.kind, variant: 'noReceipt' });
  }
}

export function txnOrThrow(ctx: Ctx, txnId: number): TxnDto {
  const t = getTxn(ctx.db, txnId);
  if (!t) throw new YizhanError('NOT_FOUND', { txnId });
  return t;
}
