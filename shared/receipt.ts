// The receipt document model and its layout as receiptline markup (runtime-neutral).
// SRV-3 「相关单式交用户核对」: every payment, reversal and top-up prints a slip; this file says what
// is on it. The bytes (ESC/POS, GB18030) and the on-screen SVG are made from the markup by
// backend/printing/render.ts, so paper and preview cannot disagree.
//
// Money fields are decimal strings ("96.50"), never floats. Labels are Chinese: the slip is for
// the customer. Amounts are written with 元, never "¥" (U+00A5 is not in GBK: see PRINTING.md).
import { z } from 'zod';
import { isMoneyString, toFen } from './money';
import { RECEIPT_COLUMNS, esc, kvLines, ruleLine, yuan, type ReceiptColumns } from './receipt-markup';
import { TRAINING_LINE, X_SLIP_TITLE, Z_SLIP_TITLE, zSerial, zSlipMarkup } from './receipt-z';
import { SHIFT_SLIP_TITLE, shiftSlipMarkup } from './receipt-shift';

export { zSerial, TRAINING_LINE };
import type { DayReportDto } from './contract';
import { shanghaiDateTime } from './business-day';

export { RECEIPT_COLUMNS, displayWidth, esc, sanitizeText, type ReceiptColumns } from './receipt-markup';

/** Serial numbers go into the QR code and into receiptline property values: ASCII letters,
 *  digits, '-' and '_' only (no receiptline specials `\ | { } : ;`, nothing a cheap printer's
 *  QR command could mangle). 40 characters is far more than any ledger serial needs. */
export const SERIAL_RE = /^[0-9A-Za-z][0-9A-Za-z_-]{0,39}$/;
/** Free text printed on a slip (names, reasons) is cut here: a slip is a slip, not a letter. */
export const MAX_TEXT_CHARS = 60;
/** A reprint count this high means something is looping, not an operator at the counter. */
export const MAX_REPRINT_COUNT = 99;

const money = z.string().refine(isMoneyString, { message: 'not a decimal money string like "96.50"' });
/** A money string that may be negative ("-3.50"): a difference, a shift's net cash. */
const signedMoney = z
  .string()
  .refine((v) => isMoneyString(v.replace(/^-/, '')), { message: 'not a decimal money string like "-3.50"' });
const text = z.string().min(1).max(MAX_TEXT_CHARS);
const serial = z.string().regex(SERIAL_RE);
/** An ISO-8601 instant ("2026-11-28T01:15:02.000Z"); printed as Asia/Shanghai local time. */
const instant = z.string().refine((s) => Number.isFinite(Date.parse(s)), { message: 'not an ISO instant' });

const stationSchema = z.object({
  name: text,
  /** 机构号 */
  institutionNo: text,
});

/** 「重印」: a reprint of a slip printed before. count = 1 for the first reprint. */
const reprintSchema = z.object({
  count: z.number().int().min(1).max(MAX_REPRINT_COUNT),
  time: instant,
  operatorName: text.optional(),
});

const common = {
  station: stationSchema,
  /** A demo (or training) station: its slips say 演示 and are not proof of payment. */
  demo: z.boolean(),
  /** Printed in training mode (练习模式, PPL-2): the slip says 练习 at its top and bottom. */
  training: z.boolean().optional(),
  serial,
  /** When the business happened (not when the slip was printed). */
  time: instant,
  operatorName: text,
  reprint: reprintSchema.optional(),
};

/** 便民缴费凭证: a bill paid in cash. */
const billPaymentSchema = z.object({
  kind: z.literal('bill_payment'),
  ...common,
  serviceNameZh: text,
  accountNo: text,
  /** Masked by the gateway or the bill lookup (e.g. 张*三); printed as given. */
  payeeMasked: text,
  /** 账期, when the biller gives one. */
  period: text.optional(),
  amount: money,
  /** SRV-4: from the catalogue; printed even when "0.00". */
  fee: money,
  total: money,
  /** SRV-1 收您 */
  cashReceived: money,
  /** SRV-1 找您 */
  change: money,
  /** 收费单位 and 客服热线, as the central system named the biller with the bill. */
  billerNameZh: text.optional(),
  hotline: text.optional(),
  /** 中心流水号: the central system's reference for the payment, to quote when asking about it. */
  centralRef: text.optional(),
  // No float balance: that is the station's business, not the customer's (issue 13 problem 8).
});

/** 冲正凭证: SRV-3, a correction that names the transaction it reverses. */
const reversalSchema = z.object({
  kind: z.literal('reversal'),
  ...common,
  originalSerial: serial,
  originalTime: instant.optional(),
  serviceNameZh: text.optional(),
  accountNo: text.optional(),
  reason: text,
  /** The reversed bill amount. */
  amount: money,
  /** The reversed fee (SRV-4: shown even when "0.00"). */
  fee: money,
  /** Handed back to the customer: amount + fee. */
  refundTotal: money,
  billerNameZh: text.optional(),
  hotline: text.optional(),
  /** The reversed payment's 中心流水号. */
  originalCentralRef: text.optional(),
});

const topUpSourceSchema = z.discriminatedUnion('method', [
  /** PAY-2: a deposit at a postal branch against the 机构号, proved by a voucher. */
  z.object({ method: z.literal('voucher'), voucherNo: text, branchCode: text, clerk: text }),
  /** PAY-3: self-service top-up from the bound postal Green Card. */
  z.object({ method: z.literal('green_card'), cardMasked: text, bankRef: text }),
]);

/** 预存款充值凭证: the station's own slip (its float is its business), not a customer's. */
const topUpSchema = z.object({
  kind: z.literal('top_up'),
  ...common,
  source: topUpSourceSchema,
  amount: money,
  floatBalanceAfter: money,
});

/** 打印测试页: checks the printer, the paper width and Chinese output (no money). */
const testPageSchema = z.object({
  kind: z.literal('test_page'),
  ...common,
});

/** A day report on paper, X or Z: the stored report of that kind. */
const reportSlip = <K extends string>(kind: K, reportKind: 'X' | 'Z') =>
  z.object({
    kind: z.literal(kind),
    ...common,
    report: z.custom<DayReportDto>(
      (v) => typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === reportKind,
      { message: reportKind === 'X' ? 'not an X report' : 'not a Z report' },
    ),
  });

/** 日终轧账单: the close of a business day (PAY-4), laid out by shared/receipt-z.ts from the stored
 *  Z report. serial is the Z number ("Z000042"), time the close, operatorName who closed. */
const zSlipSchema = reportSlip('z_slip', 'Z');

/** The X report on paper (issue 13 problem 10): the day's figures so far, the day still open —
 *  not a close. serial "X<day>-<hhmmss>", time when the figures were taken, operatorName who
 *  printed it. Each print is an original (the figures change as the day goes on). */
const xSlipSchema = reportSlip('x_slip', 'X');

/** 交接班X报表 (issue 12 item 4): one operator's shift on paper at the handover, laid out by
 *  shared/receipt-shift.ts. serial "SH<day>-<nn>", time the handover, operatorName whose shift. */
const shiftSlipSchema = z.object({
  kind: z.literal('shift_slip'),
  ...common,
  shift: z.object({
    shiftNo: z.number().int().min(1),
    businessDay: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    startedAt: instant,
    endedAt: instant,
    txnCount: z.number().int().min(0),
    payments: money,
    cashIn: signedMoney,
    countedCash: money,
    expectedCash: signedMoney,
    variance: signedMoney,
  }),
});

export const receiptDocSchema = z.discriminatedUnion('kind', [
  billPaymentSchema,
  reversalSchema,
  topUpSchema,
  testPageSchema,
  zSlipSchema,
  xSlipSchema,
  shiftSlipSchema,
]);

export type ReceiptDoc = z.infer<typeof receiptDocSchema>;
export type ReceiptKind = ReceiptDoc['kind'];
export type BillPaymentReceipt = z.infer<typeof billPaymentSchema>;
export type ReversalSlip = z.infer<typeof reversalSchema>;
export type TopUpSlip = z.infer<typeof topUpSchema>;
export type TopUpSource = z.infer<typeof topUpSourceSchema>;
export type TestPage = z.infer<typeof testPageSchema>;
export type ZSlipReceipt = z.infer<typeof zSlipSchema>;
export type XSlipReceipt = z.infer<typeof xSlipSchema>;
export type ShiftSlipReceipt = z.infer<typeof shiftSlipSchema>;
export type ReprintMark = z.infer<typeof reprintSchema>;
export type ReceiptStation = z.infer<typeof stationSchema>;

/** A field that breaks the model; thrown by parseReceiptDoc. */
export class ReceiptDocError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid receipt document: ${issues.join('; ')}`);
    this.name = 'ReceiptDocError';
  }
}

/** Checks shape and arithmetic (total = amount + fee, change = received − total, …).
 *  Call it before a document is stored or printed; it returns the document typed. */
export function parseReceiptDoc(input: unknown): ReceiptDoc {
  const parsed = receiptDocSchema.safeParse(input);
  if (!parsed.success) {
    throw new ReceiptDocError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const doc = parsed.data;
  const issues = arithmeticIssues(doc);
  if (issues.length > 0) throw new ReceiptDocError(issues);
  return doc;
}

function arithmeticIssues(doc: ReceiptDoc): string[] {
  const out: string[] = [];
  switch (doc.kind) {
    case 'bill_payment': {
      const total = toFen(doc.amount) + toFen(doc.fee);
      if (toFen(doc.amount) <= 0) out.push('amount: must be > 0');
      if (toFen(doc.total) !== total) out.push(`total: ${doc.total} ≠ amount + fee`);
      if (toFen(doc.cashReceived) < total) out.push('cashReceived: less than total');
      if (toFen(doc.change) !== toFen(doc.cashReceived) - total)
        out.push(`change: ${doc.change} ≠ received − total`);
      break;
    }
    case 'reversal':
      if (toFen(doc.amount) <= 0) out.push('amount: must be > 0');
      if (toFen(doc.refundTotal) !== toFen(doc.amount) + toFen(doc.fee))
        out.push('refundTotal: ≠ amount + fee');
      if (doc.originalSerial === doc.serial) out.push('originalSerial: a reversal has its own serial');
      break;
    case 'top_up':
      if (toFen(doc.amount) <= 0) out.push('amount: must be > 0');
      break;
    case 'test_page':
      break;
    case 'shift_slip': {
      const sh = doc.shift;
      if (toFen(sh.variance) !== toFen(sh.countedCash) - toFen(sh.expectedCash))
        out.push(`shift.variance: ${sh.variance} ≠ counted − expected`);
      if (sh.endedAt < sh.startedAt) out.push('shift.endedAt: before the start');
      if (!doc.serial.startsWith('SH')) out.push(`serial: ${doc.serial} is not a shift serial`);
      break;
    }
    case 'x_slip':
      if (!doc.serial.startsWith('X')) out.push(`serial: ${doc.serial} is not an X serial`);
      break;
    case 'z_slip':
      if (doc.report.zNo === null || doc.serial !== zSerial(doc.report.zNo))
        out.push(`serial: ${doc.serial} ≠ the report's Z number`);
      break;
  }
  return out;
}

/** The same document marked 「重印」 for its count-th reprint. */
export function withReprint<T extends ReceiptDoc>(doc: T, mark: ReprintMark): T {
  return { ...doc, reprint: { ...mark } };
}

export const RECEIPT_TITLES: Readonly<Record<ReceiptKind, string>> = {
  bill_payment: '便民缴费凭证',
  reversal: '冲正凭证',
  top_up: '预存款充值凭证',
  test_page: '打印测试页',
  z_slip: Z_SLIP_TITLE,
  x_slip: X_SLIP_TITLE,
  shift_slip: SHIFT_SLIP_TITLE,
};

// ---------------------------------------------------------------------------------------------
// Layout: receiptline markup (https://github.com/receiptline/receiptline).
// `a | b` puts a on the left and b on the right; a single column is centred; `|a` is left.
// receiptline counts two columns per Chinese character (encoding gb18030) and wraps inside a
// column, so nothing here counts widths except the dashed rule.

export interface ReceiptLayoutOptions {
  columns: ReceiptColumns;
}

/** QR module size in printer dots (203 dpi: 5 dots ≈ 0.6 mm), error correction M. */
const QR_OPTION = 'qrcode,5,m';

export function toReceiptline(doc: ReceiptDoc, opts: ReceiptLayoutOptions): string {
  if (!RECEIPT_COLUMNS.includes(opts.columns))
    throw new Error(`columns must be 32 or 48, got ${String(opts.columns)}`);
  if (!SERIAL_RE.test(doc.serial)) throw new Error('serial must be ASCII letters, digits, - or _');
  if (doc.kind === 'z_slip' || doc.kind === 'x_slip') return zSlipMarkup(doc, opts);
  if (doc.kind === 'shift_slip') return shiftSlipMarkup(doc, opts);
  const L: string[] = [];
  const rule = ruleLine(opts.columns);
  const kv = (label: string, value: string) => kvLines(opts.columns, label, value);
  const kvBig = (label: string, value: string) => kvLines(opts.columns, label, value, true);

  if (doc.reprint) {
    L.push(`\`^^~重印~\`~${esc(`第${doc.reprint.count}次重印`)}`);
    L.push(...kv('重印时间', shanghaiDateTime(doc.reprint.time)));
  }
  if (doc.training) L.push(TRAINING_LINE);
  if (doc.demo) L.push('`~演示~`~演示站 非真实交易');
  L.push(`^^${esc(doc.station.name)}`);
  L.push(`"${esc(RECEIPT_TITLES[doc.kind])}`);
  L.push(...kv('机构号', doc.station.institutionNo));
  L.push(rule);

  switch (doc.kind) {
    case 'bill_payment':
      L.push(...kv('缴费项目', doc.serviceNameZh));
      if (doc.billerNameZh) L.push(...kv('收费单位', doc.billerNameZh));
      L.push(...kv('户号', doc.accountNo));
      L.push(...kv('户名', doc.payeeMasked));
      if (doc.period) L.push(...kv('账期', doc.period));
      L.push(rule);
      L.push(...kv('缴费金额', yuan(doc.amount)));
      L.push(...kv('手续费', yuan(doc.fee))); // SRV-4: even when 0.00
      L.push(...kvBig('合计', yuan(doc.total)));
      L.push(...kvBig('收您', yuan(doc.cashReceived))); // SRV-1 唱收
      L.push(...kvBig('找您', yuan(doc.change))); // SRV-1 唱付
      if (doc.centralRef) L.push(...kv('中心流水号', doc.centralRef));
      break;
    case 'reversal':
      L.push(...kv('原交易流水号', doc.originalSerial)); // SRV-3: names the original
      if (doc.originalTime) L.push(...kv('原交易时间', shanghaiDateTime(doc.originalTime)));
      if (doc.originalCentralRef) L.push(...kv('原中心流水号', doc.originalCentralRef));
      if (doc.serviceNameZh) L.push(...kv('缴费项目', doc.serviceNameZh));
      if (doc.billerNameZh) L.push(...kv('收费单位', doc.billerNameZh));
      if (doc.accountNo) L.push(...kv('户号', doc.accountNo));
      L.push(...kv('冲正原因', doc.reason));
      L.push(rule);
      L.push(...kv('冲正金额', yuan(doc.amount)));
      L.push(...kv('退还手续费', yuan(doc.fee)));
      L.push(...kvBig('退您', yuan(doc.refundTotal)));
      break;
    case 'top_up':
      if (doc.source.method === 'voucher') {
        L.push(...kv('充值方式', '网点存款'));
        L.push(...kv('存款凭证号', doc.source.voucherNo));
        L.push(...kv('网点号', doc.source.branchCode));
        L.push(...kv('经办柜员', doc.source.clerk));
      } else {
        L.push(...kv('充值方式', '邮政绿卡'));
        L.push(...kv('绿卡卡号', doc.source.cardMasked));
        L.push(...kv('银行流水号', doc.source.bankRef));
      }
      L.push(rule);
      L.push(...kvBig('充值金额', yuan(doc.amount)));
      L.push(...kv('预存款余额', yuan(doc.floatBalanceAfter)));
      break;
    case 'test_page':
      // A ruler exactly as wide as the paper: a shorter or wrapped line means a wrong setting.
      L.push('|' + '1234567890'.repeat(5).slice(0, opts.columns));
      L.push(...kv('纸宽', `${opts.columns} 列`));
      L.push(...kv('中文', '收您 找您 手续费 元 ￥'));
      L.push(esc('看到本页说明打印机工作正常'));
      break;
  }

  L.push(rule);
  L.push(...kv('操作员', doc.operatorName));
  L.push(...kv('交易时间', shanghaiDateTime(doc.time)));
  L.push(...kv('流水号', doc.serial));
  L.push(`{code:${doc.serial}; option:${QR_OPTION}}`);
  L.push(esc(doc.serial));
  L.push(rule);
  if ((doc.kind === 'bill_payment' || doc.kind === 'reversal') && doc.hotline)
    L.push(...kv('客服热线', doc.hotline));
  if (doc.kind !== 'test_page')
    L.push(esc(doc.kind === 'top_up' ? '请妥善保管本凭证备查' : '请当面核对 如有差错请及时提出'));
  if (doc.demo) L.push('`~演示~`~不作缴费凭据');
  if (doc.training) L.push(TRAINING_LINE);
  // No `=` line: the one cut comes from the printer's `cutting` option when the job closes.
  return L.join('\n') + '\n';
}
