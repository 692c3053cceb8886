// The Z slip (日终轧账单): the close of a business day on paper, as receiptline markup
// (runtime-neutral). It is made from the stored Z report, so a reprint shows exactly what was
// closed, marked 「重印」 with its count. It is one kind of slip document (shared/receipt.ts
// 'z_slip'): the SVG preview and the printer bytes are made from this markup by the one renderer
// (backend/printing/render.ts), and it prints through the durable print queue like a receipt.
// Amounts are written with 元, never "¥" (not in GBK: see PRINTING.md).
import { esc, kvLines, ruleLine, yuan, RECEIPT_COLUMNS, type ReceiptColumns } from './receipt-markup';
import { shanghaiDateTime } from './business-day';
import { DENOMINATIONS, type DayReportDto } from './contract';

export interface ZSlipDoc {
  station: { name: string; institutionNo: string };
  demo: boolean;
  /** Printed in training mode (练习模式): 练习 at the top and the bottom. */
  training?: boolean | undefined;
  report: DayReportDto;
  /** For an X slip: when the figures were taken, and who printed them. */
  time?: string;
  operatorName?: string;
  /** 「重印」: count ≥ 1 for a reprint. */
  reprint?: { count: number; time: string } | undefined;
}

/** The line a slip printed in training mode (练习模式, PPL-2) carries at its top and bottom:
 *  「练习」 inverted, then what it is — a practice slip, not a voucher. */
export const TRAINING_LINE = '`~练习~`~TRAINING — 非正式凭证';

/** The top of a report slip (Z, X, shift X): 重印 n and its time on a reprint, 练习 in training,
 *  演示 at the demo station, then the station's name. */
export function slipHead(
  doc: {
    reprint?: { count: number; time: string } | undefined;
    training?: boolean | undefined;
    demo: boolean;
    station: { name: string };
  },
  cols: ReceiptColumns,
): string[] {
  const L: string[] = [];
  if (doc.reprint) {
    L.push(`\`^^~重印~\`~${esc(`第${doc.reprint.count}次重印`)}`);
    L.push(...kvLines(cols, '重印时间', shanghaiDateTime(doc.reprint.time)));
  }
  if (doc.training) L.push(TRAINING_LINE);
  if (doc.demo) L.push('`~演示~`~演示站 非真实交易');
  L.push(`^^${esc(doc.station.name)}`);
  return L;
}

export const Z_SLIP_TITLE = '日终轧账单';
export const X_SLIP_TITLE = 'X报表（未轧账）';

/** The serial of an X slip: "X", the business day and the Beijing time of the figures. */
export function xSerial(businessDay: string, atIso: string): string {
  const hms = shanghaiDateTime(atIso).slice(11).replaceAll(':', '');
  return `X${businessDay.replaceAll('-', '')}-${hms}`;
}

/** The serial of a Z slip: "Z" and the Z number on six digits. */
export function zSerial(zNo: number): string {
  return `Z${String(zNo).padStart(6, '0')}`;
}

export function zSlipMarkup(doc: ZSlipDoc, opts: { columns: ReceiptColumns }): string {
  const r = doc.report;
  if (!RECEIPT_COLUMNS.includes(opts.columns))
    throw new Error(`columns must be 32 or 48, got ${String(opts.columns)}`);
  const x = r.kind === 'X';
  if (!x && (r.zNo === null || r.closedAt === null))
    throw new Error('a Z slip is made from a closed day (Z report)');
  const cols = opts.columns;
  const L: string[] = [];
  const rule = ruleLine(cols);
  const kv = (label: string, value: string, big = false) => L.push(...kvLines(cols, label, value, big));
  const money = (label: string, amount: string, big = false) => kv(label, yuan(amount), big);

  L.push(...slipHead(doc, cols));
  L.push(`"${esc(x ? X_SLIP_TITLE : Z_SLIP_TITLE)}`);
  if (x) L.push('`~未轧账~`~仅供核对 营业日尚未关闭');
  kv('机构号', doc.station.institutionNo);
  if (!x) kv('Z号', zSerial(r.zNo!), true);
  kv('营业日', r.businessDay);
  kv('交易笔数', String(r.txnCount));
  L.push(rule);

  const f = r.float;
  L.push(`"${esc('预存款')}`);
  money(f.openingSource === 'previous_close' ? '期初余额(上日结存)' : '期初余额', f.opening);
  money(`充值 ${f.topupCount} 笔`, f.topups);
  money(`缴费 ${f.paymentCount} 笔`, neg(f.payments));
  money(`冲正 ${f.reversalCount} 笔`, f.reversals);
  if (f.settledToFloat !== '0.00') money('营业款存入', f.settledToFloat);
  money('期末余额', f.expectedClosing, true);
  if (f.central) {
    money(f.central.source === 'gateway' ? '中心余额' : '中心余额(手工录入)', f.central.balance);
    money('差额', f.difference ?? '0.00', true);
    if (f.remark) kv('差额说明', f.remark);
  }
  money('手续费(现金)', f.fees);
  L.push(rule);

  const c = r.cash;
  if (c) {
    L.push(`"${esc('营业款现金')}`);
    money('期初现金', c.opening);
    money('收款', c.cashReceived);
    money('找零', neg(c.changeGiven));
    if (c.reversals !== '0.00') money('冲正退款', c.reversals);
    money(`结算 ${c.settlementCount} 笔`, neg(c.settled));
    money('应有现金', c.expected);
    money('实点现金', c.counted, true);
    money('长短款', c.variance, true);
    if (c.remark) kv('长短款说明', c.remark);
    money('待结算营业款', c.takingsDue);
    if (r.count?.method === 'denominations' && r.count.denominations) {
      const d = r.count.denominations;
      for (const { key, labelZh } of DENOMINATIONS) {
        const n = d[key] ?? 0;
        if (n > 0) kv(`  ${labelZh}`, `${n} 张`);
      }
    }
    if (r.count && r.count.countsSoFar > 1) kv('清点次数', String(r.count.countsSoFar));
    L.push(rule);
  }

  if (r.byService.length > 0) {
    L.push(`"${esc('分业务')}`);
    for (const s of r.byService) {
      kv(`${s.nameZh} ${s.count} 笔`, yuan(s.amount));
      if (s.reversedCount > 0) kv(`  其中冲正 ${s.reversedCount} 笔`, yuan(s.reversed));
    }
    L.push(rule);
  }

  if (x) {
    kv('制表人', doc.operatorName ?? '');
    kv('制表时间', shanghaiDateTime(doc.time ?? r.generatedAt));
    L.push(rule);
    L.push(esc('本表不是轧账单：营业日结束后请日终轧账'));
    if (doc.demo) L.push('`~演示~`~不作对账凭据');
    if (doc.training) L.push(TRAINING_LINE);
    return L.join('\n') + '\n';
  }
  kv('轧账人', r.closedBy ?? '');
  kv('轧账时间', shanghaiDateTime(r.closedAt!));
  L.push(rule);
  L.push(`|${esc('经营者签字：')}`);
  L.push('');
  L.push('');
  L.push(esc('本单请妥善保管备查'));
  if (doc.demo) L.push('`~演示~`~不作对账凭据');
  if (doc.training) L.push(TRAINING_LINE);
  return L.join('\n') + '\n';
}

function neg(amount: string): string {
  return amount === '0.00' || amount.startsWith('-') ? amount.replace(/^-/, '') : `-${amount}`;
}
