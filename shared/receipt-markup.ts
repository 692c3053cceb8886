// The building blocks of slip markup (receiptline), shared by every slip: receipts
// (shared/receipt.ts) and the Z slip (shared/receipt-z.ts). Runtime-neutral.
// Amounts are written with 元, never "¥" (not in GBK: see PRINTING.md).
import { isMoneyString } from './money';

export const RECEIPT_COLUMNS = [32, 48] as const;
/** Characters per line: 32 on 58 mm paper, 48 on 80 mm paper. */
export type ReceiptColumns = (typeof RECEIPT_COLUMNS)[number];

/** An amount as printed: "96.50 元" (a leading minus is kept). Throws on anything else. */
export function yuan(amount: string): string {
  if (!isMoneyString(amount.replace(/^-/, ''))) throw new Error(`not a money string: ${amount}`);
  return `${amount} 元`;
}

/** Display width on the printer in GB18030 mode: ASCII one column, anything else two (the
 *  printer prints every multi-byte code full width; receiptline measures the same way). */
export function displayWidth(s: string): number {
  let w = 0;
  for (const c of s) {
    const cp = c.codePointAt(0)!;
    w += cp < 0x80 || cp === 0xa0 ? 1 : 2;
  }
  return w;
}

/** `label        value` on one line when both fit (label column exactly as wide as the label,
 *  value right-aligned in the rest); otherwise the label on one line and the value, right-aligned
 *  and wrapped by receiptline, below it. `big` doubles the height (SRV-1: 收您/找您). */
export function kvLines(columns: number, label: string, value: string, big = false): string[] {
  const l = esc(label);
  const v = esc(value);
  const h = big ? '^^' : '';
  const lw = displayWidth(sanitizeText(label));
  if (lw > 0 && lw + 1 + displayWidth(sanitizeText(value)) <= columns) {
    // A width property is kept for the lines after it, single-column ones too: reset it.
    return [`{width:${lw} *}`, `${h}${l} | ${h}${v}`, '{width:auto}'];
  }
  return [`|${h}${l}`, `${h}${v}|`];
}

/** A dashed rule made of text '-' (receiptline's own rule uses box-drawing characters from
 *  code page 1, which Chinese printers map differently). The first '-' is escaped so the
 *  line is text, not a receiptline rule. */
export function ruleLine(columns: number): string {
  return `\\-${'-'.repeat(columns - 1)}`;
}

// Characters that would break a cheap printer or the markup.
// eslint-disable-next-line no-control-regex -- stripping control characters is the point
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const SPECIAL_RE = /[\\|{}\-=~_"`^]/g;

/** Replaces characters known to break GBK printers: U+00A5 ¥ → U+FFE5 ￥, U+2022 • → U+00B7 ·,
 *  control characters → space; trims (leading/trailing spaces steer receiptline's alignment). */
export function sanitizeText(s: string): string {
  return s
    .replace(CONTROL_RE, ' ')
    .replace(/\u00a5/g, '\uffe5')
    .replace(/\u2022/g, '\u00b7')
    .trim();
}

/** Sanitised text with receiptline's special characters escaped, ready for markup. */
export function esc(s: string): string {
  return sanitizeText(s).replace(SPECIAL_RE, (c) => `\\${c}`);
}
