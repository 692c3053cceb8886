// Receipt layout on 58 mm (32 columns) and 80 mm (48 columns) paper, Chinese text included.
// Widths are measured twice: on receiptline's text rendering and on the ESC/POS bytes decoded
// back (GB18030), where a Chinese character takes two columns.
import { describe, expect, it } from 'vitest';
import { qrcode } from 'receiptline';
import {
  parseReceiptDoc,
  ReceiptDocError,
  toReceiptline,
  withReprint,
  type ReceiptColumns,
  type ReceiptDoc,
} from '../../shared/receipt';
import { renderEscPos, renderSvg, renderText } from '../../backend/printing/render';
import { decodeEscPos, imageToModules } from '../helpers/escpos-decoder';
import { allDocs, billPayment, reversal, topUpGreenCard, topUpVoucher } from '../fixtures/receipts';

const COLUMNS: ReceiptColumns[] = [32, 48];

/** Columns on the paper: ASCII one, anything else two (independent of the code under test). */
function paperWidth(s: string): number {
  let w = 0;
  for (const c of s) w += c.codePointAt(0)! < 0x80 ? 1 : 2;
  return w;
}

function textLines(doc: ReceiptDoc, columns: ReceiptColumns): string[] {
  return renderText(doc, { columns }).split('\n');
}

function decodedLines(doc: ReceiptDoc, columns: ReceiptColumns): string[] {
  return decodeEscPos(renderEscPos(doc, { columns })).lines.map((l) => l.text);
}

const reprinted = withReprint(
  { ...billPayment, demo: true },
  { count: 2, time: '2026-11-28T03:00:00.000Z', operatorName: '王秀兰' },
);
const gasWithFee: ReceiptDoc = {
  ...billPayment,
  serviceNameZh: '燃气费',
  fee: '1.00',
  total: '97.50',
  change: '2.50',
};
const testPage: ReceiptDoc = {
  kind: 'test_page',
  station: billPayment.station,
  demo: false,
  serial: 'TEST-20261128',
  time: billPayment.time,
  operatorName: '王秀兰',
};
const docs: [string, ReceiptDoc][] = [
  ...Object.entries(allDocs),
  ['reprinted', reprinted],
  ['gasWithFee', gasWithFee],
  ['testPage', testPage],
];

describe('receipt layout', () => {
  for (const columns of COLUMNS) {
    for (const [name, doc] of docs) {
      it(`${name} at ${columns} columns: no line is wider than the paper (text rendering and decoded bytes)`, () => {
        const text = textLines(doc, columns);
        expect(text.length).toBeGreaterThan(10);
        for (const line of text) expect(paperWidth(line), line).toBeLessThanOrEqual(columns);

        const job = decodeEscPos(renderEscPos(doc, { columns }));
        expect(job.unknown).toEqual([]);
        for (const line of job.lines) expect(line.widthColumns, line.text).toBeLessThanOrEqual(columns);
        // The ruler-width lines really use the whole paper: the layout is not just narrow.
        expect(Math.max(...job.lines.map((l) => l.widthColumns))).toBe(columns);
      });
    }
  }

  it('the test page ruler is exactly as wide as the paper', () => {
    for (const columns of COLUMNS) {
      const ruler = decodedLines(testPage, columns).find((l) => /^1234567890/.test(l));
      expect(ruler).toBe('1234567890'.repeat(5).slice(0, columns));
    }
  });

  it('a long Chinese payee wraps inside the paper instead of overflowing (32 columns)', () => {
    const lines = textLines(billPayment, 32);
    const i = lines.findIndex((l) => l.startsWith('户名'));
    expect(i).toBeGreaterThanOrEqual(0);
    const joined = lines
      .slice(i, i + 4)
      .join('')
      .replace(/\s+/g, '');
    expect(joined).toContain('北京市自来水集团有限责任公司客户*建国');
  });
});

describe('SRV-1: 唱收唱付 — the receipt prints 收您 and 找您', () => {
  for (const columns of COLUMNS) {
    it(`SRV-1: 收您 100.00 元 and 找您 3.50 元 are printed (${columns} columns)`, () => {
      for (const lines of [textLines(billPayment, columns), decodedLines(billPayment, columns)]) {
        expect(lines.some((l) => /^收您\s+100\.00 元$/.test(l))).toBe(true);
        expect(lines.some((l) => /^找您\s+3\.50 元$/.test(l))).toBe(true);
        expect(lines.some((l) => /^合计\s+96\.50 元$/.test(l))).toBe(true);
      }
    });
  }

  it('SRV-1: 收您 and 找您 are printed double height (GS ! 0x01)', () => {
    const bytes = renderEscPos(billPayment, { columns: 32 }).toString('latin1');
    // GS ! 1 directly before the GB18030 text of 收您 (ESC t 0, FS &, then the bytes).
    const shouNin = Buffer.from([0xca, 0xd5, 0xc4, 0xfa]).toString('latin1');
    expect(bytes).toContain(`\x1d!\x01\x1bt\x00\x1c&${shouNin}`);
  });
});

describe('SRV-4: 杜绝乱加收费用 — the fee is shown, even when zero', () => {
  for (const columns of COLUMNS) {
    it(`SRV-4: fee 0.00 元 is printed (${columns} columns)`, () => {
      expect(billPayment.fee).toBe('0.00');
      expect(decodedLines(billPayment, columns).some((l) => /^手续费\s+0\.00 元$/.test(l))).toBe(true);
    });
  }
  it('SRV-4: a catalogue fee of 1.00 is printed and counted in the total', () => {
    const lines = decodedLines(gasWithFee, 32);
    expect(lines.some((l) => /^手续费\s+1\.00 元$/.test(l))).toBe(true);
    expect(lines.some((l) => /^合计\s+97\.50 元$/.test(l))).toBe(true);
  });
  it('SRV-4: a reversal slip shows the refunded fee, even when zero', () => {
    expect(decodedLines(reversal, 32).some((l) => /^退还手续费\s+0\.00 元$/.test(l))).toBe(true);
  });
});

describe('SRV-3: 单式交用户核对 — a reversal prints its own slip naming the original', () => {
  for (const columns of COLUMNS) {
    it(`SRV-3: the reversal slip names the original serial (${columns} columns)`, () => {
      const lines = decodedLines(reversal, columns);
      expect(lines.some((l) => /^冲正凭证$/.test(l.trim()))).toBe(true);
      expect(lines.some((l) => new RegExp(`^原交易流水号\\s+${reversal.originalSerial}$`).test(l))).toBe(
        true,
      );
      expect(lines.some((l) => /^冲正原因/.test(l))).toBe(true);
      expect(lines.some((l) => /^退您\s+96\.50 元$/.test(l))).toBe(true);
      // Its own serial is a different one, in the QR code too.
      expect(lines.some((l) => new RegExp(`^流水号\\s+${reversal.serial}$`).test(l))).toBe(true);
    });
  }
  it('SRV-3: every payment receipt asks the customer to check it', () => {
    expect(decodedLines(billPayment, 32).some((l) => l.includes('请当面核对'))).toBe(true);
  });
  it('SRV-3: a reversal cannot carry its own serial as the original', () => {
    expect(() => parseReceiptDoc({ ...reversal, originalSerial: reversal.serial })).toThrow(ReceiptDocError);
  });
});

describe('top-up slips (PAY-2, PAY-3)', () => {
  it('PAY-2: a voucher top-up prints voucher no., branch and clerk', () => {
    const lines = decodedLines(topUpVoucher, 32);
    expect(lines.some((l) => /^存款凭证号\s+PZ2026112800017$/.test(l))).toBe(true);
    expect(lines.some((l) => /^网点号\s+110102001$/.test(l))).toBe(true);
    expect(lines.some((l) => /^经办柜员\s+李建华$/.test(l))).toBe(true);
    expect(lines.some((l) => /^充值金额\s+5000\.00 元$/.test(l))).toBe(true);
  });
  it('PAY-3: a Green Card top-up prints the masked card and the bank reference', () => {
    const lines = decodedLines(topUpGreenCard, 48);
    expect(lines.some((l) => /^绿卡卡号\s+6217 \*{4} \*{4} 1234$/.test(l))).toBe(true);
    expect(lines.some((l) => /^银行流水号\s+B20261128084000123$/.test(l))).toBe(true);
  });
});

describe('marks and characters', () => {
  it('a demo station prints 演示 at the top and the bottom; a real one never does', () => {
    const demo = decodedLines(topUpGreenCard, 32);
    expect(demo[0]).toContain('演示');
    expect(demo.filter((l) => l.includes('演示')).length).toBe(2);
    expect(decodedLines(billPayment, 32).join('\n')).not.toContain('演示');
  });

  it('PPL-2: a slip printed in training mode says 练习 at its first and last line, on both paper widths, for every kind', () => {
    for (const doc of Object.values(allDocs))
      for (const columns of COLUMNS) {
        const lines = decodedLines({ ...doc, training: true }, columns);
        const marked = lines.filter((l) => /练习\s+TRAINING — 非正式凭证/.test(l));
        expect(marked, `${doc.kind} ${columns}`).toHaveLength(2);
        expect(lines[0]).toContain('练习');
        expect(lines.filter((l) => l.trim() !== '').at(-1)).toContain('练习');
        expect(decodedLines(doc, columns).join('\n')).not.toContain('练习');
      }
  });

  it('a reprint is marked 重印 with its count and time', () => {
    const lines = decodedLines(reprinted, 32);
    expect(lines[0]).toMatch(/重印\s+第2次重印/);
    expect(lines.some((l) => /^重印时间\s+2026-11-28 11:00:00$/.test(l))).toBe(true);
  });

  it('business time is printed in Asia/Shanghai', () => {
    expect(decodedLines(billPayment, 32).some((l) => /^交易时间\s+2026-11-28 09:15:02$/.test(l))).toBe(true);
  });

  it('never U+00A5 ¥ (not in GBK): free text with ¥ prints as ￥ (U+FFE5)', () => {
    const doc: ReceiptDoc = { ...billPayment, payeeMasked: '¥先生' };
    for (const columns of COLUMNS) {
      const markup = toReceiptline(doc, { columns });
      expect(markup).not.toContain('\u00a5');
      expect(markup).toContain('\uffe5先生');
      expect(decodedLines(doc, columns).join('\n')).toContain('\uffe5先生');
    }
  });

  it('characters outside GBK (four-byte GB18030) are replaced, in the bytes and the preview alike', () => {
    const doc: ReceiptDoc = { ...billPayment, payeeMasked: '王\u{20000}*' };
    const text = decodedLines(doc, 32).join('\n');
    expect(text).toContain('王□*');
    expect(renderSvg(doc, { columns: 32 })).not.toContain('\u{20000}');
  });

  it('receiptline special characters in data print literally', () => {
    const doc: ReceiptDoc = { ...billPayment, payeeMasked: 'a|b{c}_~^`"\\=', period: '----' };
    const lines = decodedLines(doc, 48);
    expect(lines.some((l) => l.endsWith('a|b{c}_~^`"\\='))).toBe(true);
    expect(lines.some((l) => /^账期\s+----$/.test(l))).toBe(true);
  });

  it('the QR code carries the serial (ASCII), as an image by default and as GS ( k natively', () => {
    const image = decodeEscPos(renderEscPos(billPayment, { columns: 32 }));
    expect(image.images).toHaveLength(1);
    const expected = qrcode
      .generate({ data: billPayment.serial, type: 'qrcode', cell: 5, level: 'm' })
      .map((r) => Array.from(r));
    expect(imageToModules(image.images[0]!, 5)).toEqual(expected);
    const native = decodeEscPos(renderEscPos(billPayment, { columns: 32, qr: 'native' }));
    expect(native.qrPayloads).toEqual([billPayment.serial]);
    expect(native.images).toHaveLength(0);
  });

  it('exactly one cut per receipt, in every command set and QR mode', () => {
    for (const qr of ['image', 'native'] as const) {
      for (const commandSet of ['generic', 'escpos'] as const) {
        const job = decodeEscPos(renderEscPos(reversal, { columns: 48, qr, commandSet }));
        expect(job.cuts).toBe(1);
        expect(job.unknown).toEqual([]);
        expect(job.inits).toBe(1);
      }
    }
  });

  it('the SVG preview shows the same Chinese text', () => {
    const svg = renderSvg(billPayment, { columns: 32 });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('width="384px"');
    for (const ch of '收您找您手续费元') expect(svg).toContain(`>${ch}<`);
  });
});

describe('document model', () => {
  it('money is a decimal string: a float is refused', () => {
    expect(() => parseReceiptDoc({ ...billPayment, amount: 96.5 })).toThrow(ReceiptDocError);
    expect(() => parseReceiptDoc({ ...billPayment, amount: '96.505' })).toThrow(ReceiptDocError);
  });
  it('SRV-1: change must be received − total, total amount + fee', () => {
    expect(() => parseReceiptDoc({ ...billPayment, change: '3.00' })).toThrow(/change/);
    expect(() => parseReceiptDoc({ ...billPayment, total: '96.00' })).toThrow(/total/);
    expect(() => parseReceiptDoc({ ...billPayment, cashReceived: '50.00', change: '0.00' })).toThrow(
      /cashReceived/,
    );
  });
  it('the serial (QR payload) is ASCII only', () => {
    expect(() => parseReceiptDoc({ ...billPayment, serial: '流水123' })).toThrow(ReceiptDocError);
    expect(() => parseReceiptDoc({ ...billPayment, serial: 'A;B' })).toThrow(ReceiptDocError);
    expect(parseReceiptDoc(billPayment)).toEqual(billPayment);
  });
  it('columns other than 32 or 48 are refused', () => {
    expect(() => toReceiptline(billPayment, { columns: 40 as ReceiptColumns })).toThrow();
  });
});

describe("issue 13 problem 8: what the customer's slip shows", () => {
  it('a payment receipt and a reversal slip name the biller, its hotline and the central reference, at 32 and 48 columns, and print no float balance; a top-up slip (the station’s own) does', async () => {
    for (const columns of [32, 48] as const) {
      const receipt = decodeEscPos(await renderEscPos(billPayment, { columns })).text;
      const slip = decodeEscPos(await renderEscPos(reversal, { columns })).text;
      for (const t of [receipt, slip]) {
        expect(t).not.toContain('预存款余额');
        expect(t.replace(/\s+/g, '')).toContain('收费单位北京市自来水集团有限责任公司');
        expect(t).toMatch(/客服热线\s*96116/);
      }
      expect(receipt).toMatch(/中心流水号\s*ZX20261128011502000123/);
      expect(slip).toMatch(/原中心流水号\s*ZX20261128011502000123/);
      const top = decodeEscPos(await renderEscPos(topUpVoucher, { columns })).text;
      expect(top).toMatch(/预存款余额\s*12442\.10\s*元/);
    }
  });
});
