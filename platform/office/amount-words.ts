// 金额大写: the amount in Chinese financial numerals, as printed on a deposit voucher next to
// the figures (「人民币伍佰元整」). Works on integer fen; no floats.
import { assertFen } from '../../shared/money';

const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const SMALL_UNITS = ['', '拾', '佰', '仟'];
const GROUP_UNITS = ['', '万', '亿'];
/** 9,999 亿 9,999 万 9,999 元: far above anything a branch deposit can be. */
const MAX_YUAN = 999_999_999_999;

/** A group of up to four digits, e.g. 1005 → 壹仟零伍; zeros inside collapse to one 零. */
function group(n: number): string {
  let out = '';
  let zero = false;
  for (let i = 3; i >= 0; i--) {
    const d = Math.floor(n / 10 ** i) % 10;
    if (d === 0) {
      if (out) zero = true;
      continue;
    }
    if (zero) out += '零';
    zero = false;
    out += DIGITS[d]! + SMALL_UNITS[i]!;
  }
  return out;
}

export function amountInWords(fen: number): string {
  assertFen(fen);
  if (fen < 0) throw new Error('amountInWords: negative amount');
  const yuan = Math.floor(fen / 100);
  if (yuan > MAX_YUAN) throw new Error('amountInWords: amount too large');
  const jiao = Math.floor(fen / 10) % 10;
  const cent = fen % 10;
  let words = '';
  if (yuan > 0) {
    const groups: number[] = [];
    for (let y = yuan; y > 0; y = Math.floor(y / 10_000)) groups.push(y % 10_000);
    let needZero = false;
    for (let g = groups.length - 1; g >= 0; g--) {
      const v = groups[g]!;
      if (v === 0) {
        needZero = words !== '';
        continue;
      }
      // A group below 1000 after a higher group reads with a 零 (壹万零伍佰).
      if (words && (needZero || v < 1000)) words += '零';
      words += group(v) + GROUP_UNITS[g]!;
      needZero = false;
    }
    words += '元';
  }
  if (jiao === 0 && cent === 0) return `人民币${words || '零元'}整`;
  if (jiao > 0) words += `${DIGITS[jiao]!}角`;
  else if (yuan > 0) words += '零';
  if (cent > 0) words += `${DIGITS[cent]!}分`;
  else words += '整';
  return `人民币${words}`;
}
