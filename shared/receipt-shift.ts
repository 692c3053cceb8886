// The shift X report on paper (交接班X报表, issue 12 item 4): an operator ends a shift with a
// blind count of the drawer, and the slip shows the shift — who, from when to when, its
// transactions, bill payments and the cash they took in, the count against what the drawer should
// hold and the difference — marked 未轧账 (the day is not closed by a handover). It is one kind
// of slip document (shared/receipt.ts 'shift_slip'), laid out here as receiptline markup; the SVG
// and the printer bytes are made from it by the one renderer (backend/printing/render.ts), and it
// prints through the durable print queue. Amounts are written with 元, never "¥".
import { esc, kvLines, ruleLine, yuan, RECEIPT_COLUMNS, type ReceiptColumns } from './receipt-markup';
import { shanghaiDateTime } from './business-day';
import { slipHead, TRAINING_LINE } from './receipt-z';
import type { ShiftDto } from './contract/shift';

export const SHIFT_SLIP_TITLE = '交接班X报表';

/** What the slip shows of the shift: the shift as shift.end recorded it (the contract's DTO; money
 *  as decimal strings), the operator's name being the document's own. */
export type ShiftSlipFigures = Omit<ShiftDto, 'operatorName'>;

export interface ShiftSlipDoc {
  station: { name: string; institutionNo: string };
  demo: boolean;
  /** Printed in training mode (练习模式): 练习 at the top and the bottom. */
  training?: boolean | undefined;
  serial: string;
  /** The operator whose shift it is. */
  operatorName: string;
  shift: ShiftSlipFigures;
  reprint?: { count: number; time: string } | undefined;
}

/** The serial of a shift slip: "SH", the business day and the shift's number in the day. */
export function shiftSerial(businessDay: string, shiftNo: number): string {
  return `SH${businessDay.replaceAll('-', '')}-${String(shiftNo).padStart(2, '0')}`;
}

export function shiftSlipMarkup(doc: ShiftSlipDoc, opts: { columns: ReceiptColumns }): string {
  if (!RECEIPT_COLUMNS.includes(opts.columns))
    throw new Error(`columns must be 32 or 48, got ${String(opts.columns)}`);
  const s = doc.shift;
  const L: string[] = [];
  const rule = ruleLine(opts.columns);
  const kv = (label: string, value: string, big = false) =>
    L.push(...kvLines(opts.columns, label, value, big));

  L.push(...slipHead(doc, opts.columns));
  L.push(`"${esc(SHIFT_SLIP_TITLE)}`);
  L.push('`~未轧账~`~交接班不关闭营业日');
  kv('机构号', doc.station.institutionNo);
  kv('营业日', s.businessDay);
  kv('班次', `第 ${s.shiftNo} 班`);
  kv('交班人', doc.operatorName);
  kv('开始', shanghaiDateTime(s.startedAt));
  kv('结束', shanghaiDateTime(s.endedAt));
  L.push(rule);
  kv('交易笔数', String(s.txnCount));
  kv('代收金额', yuan(s.payments));
  kv('现金收入', yuan(s.cashIn));
  L.push(rule);
  kv('应有现金', yuan(s.expectedCash));
  kv('实点现金', yuan(s.countedCash), true);
  kv('差额', yuan(s.variance), true);
  L.push(rule);
  kv('流水号', doc.serial);
  L.push(`|${esc('接班人签字：')}`);
  L.push('');
  L.push(esc('本表不是轧账单：营业日结束后请日终轧账'));
  if (doc.demo) L.push('`~演示~`~不作对账凭据');
  if (doc.training) L.push(TRAINING_LINE);
  return L.join('\n') + '\n';
}
