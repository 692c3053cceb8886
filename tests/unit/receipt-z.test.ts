// The Z slip's layout (PAY-4): fits 32 and 48 columns, says what was closed, marks reprints.
import { describe, expect, it } from 'vitest';
import { transform } from 'receiptline';
import { zSlipMarkup, type ZSlipDoc } from '../../shared/receipt-z';
import { displayWidth } from '../../shared/receipt';
import type { DayReportDto } from '../../shared/contract';

const report: DayReportDto = {
  kind: 'Z',
  businessDay: '2026-11-28',
  status: 'closed',
  generatedAt: '2026-11-28T11:00:00.000Z',
  zNo: 42,
  closedAt: '2026-11-28T11:00:00.000Z',
  closedBy: '店主',
  txnCount: 37,
  closable: false,
  blockers: [],
  float: {
    openingSource: 'previous_close',
    opening: '12345.67',
    topups: '5000.00',
    topupCount: 2,
    topupVoucher: '5000.00',
    topupGreenCard: '0.00',
    payments: '4321.09',
    paymentCount: 30,
    fees: '12.00',
    reversals: '88.10',
    reversalCount: 1,
    settledToFloat: '1000.00',
    expectedClosing: '14112.68',
    ledgerClosing: '14112.68',
    tiesOut: true,
    central: { balance: '14100.00', read: '14100.00', later: '0.00', source: 'gateway' },
    centralMissing: null,
    difference: '-12.68',
    remarkRequired: true,
    remark: '中心系统尚未入账一笔网点存款，凭证号 V20261128-0001 已核对，明日复核',
  },
  cash: {
    openingSource: 'previous_close',
    opening: '500.00',
    cashReceived: '5000.00',
    changeGiven: '666.91',
    reversals: '-89.10',
    settled: '3000.00',
    settlementCount: 2,
    settledToFloat: '1000.00',
    settledToOwner: '2000.00',
    expected: '1743.99',
    counted: '1743.90',
    variance: '-0.09',
    remarkRequired: true,
    remark: '找零少收一角',
    takingsDue: '1243.99',
    fees: '12.00',
    tiesOut: true,
  },
  count: {
    countId: 3,
    countedAt: '2026-11-28T10:55:00.000Z',
    operatorName: '店主',
    method: 'denominations',
    denominations: { y100: 17, y20: 2, j1: 9 },
    total: '1743.90',
    later: '0.00',
    forDay: '1743.90',
    openingCash: null,
    countsSoFar: 2,
    txnsAfterCount: 0,
  },
  byService: [
    {
      service: 'gas',
      nameZh: '燃气费',
      count: 12,
      amount: '2000.00',
      fee: '12.00',
      reversedCount: 1,
      reversed: '88.10',
    },
    {
      service: 'water',
      nameZh: '水费',
      count: 18,
      amount: '2321.09',
      fee: '0.00',
      reversedCount: 0,
      reversed: '0.00',
    },
  ],
  byOperator: [],
};
const doc: ZSlipDoc = {
  station: { name: '福州市鼓楼区东街口便民服务站', institutionNo: '35010099001' },
  demo: false,
  report,
};

const text = (markup: string, cpl: 32 | 48) =>
  transform(markup, { command: 'text', encoding: 'gb18030', cpl });

describe('Z slip layout', () => {
  for (const cols of [32, 48] as const) {
    it(`PAY-4: the Z slip fits ${cols} columns and shows the float, the cash and the remarks`, () => {
      const out = text(zSlipMarkup(doc, { columns: cols }), cols);
      for (const line of out.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(cols);
      const flat = out.replace(/\s+/g, '');
      for (const s of [
        '日终轧账单',
        'Z000042',
        '2026-11-28',
        '期末余额',
        '14112.68元',
        '差额',
        '-12.68元',
        '实点现金',
        '1743.90元',
        '长短款',
        '-0.09元',
        '找零少收一角',
        '100元',
        '17张',
        '清点次数2',
        '待结算营业款',
      ]) {
        expect(flat).toContain(s);
      }
      expect(flat).toContain('中心系统尚未入账');
      expect(flat).not.toContain('重印');
    });
  }

  it('PAY-4: a reprint is marked 重印 with its count; a demo slip says 演示', () => {
    const out = text(
      zSlipMarkup(
        { ...doc, demo: true, reprint: { count: 2, time: '2026-11-29T01:00:00.000Z' } },
        { columns: 32 },
      ),
      32,
    ).replace(/\s+/g, '');
    expect(out).toContain('第2次重印');
    expect(out).toContain('演示');
  });

  it('PPL-2: a Z or X slip printed in training mode says 练习 on its first and last line', () => {
    const x = { ...report, kind: 'X' as const, zNo: null, closedAt: null, closedBy: null };
    for (const r of [report, x]) {
      const lines = text(zSlipMarkup({ ...doc, report: r, training: true }, { columns: 32 }), 32)
        .split('\n')
        .filter((l) => l.trim() !== '');
      expect(lines[0]).toMatch(/练习\s+TRAINING — 非正式凭证/);
      expect(lines.at(-1)).toMatch(/练习\s+TRAINING — 非正式凭证/);
      expect(text(zSlipMarkup({ ...doc, report: r }, { columns: 32 }), 32)).not.toContain('练习');
    }
  });

  it('an X report makes an X slip (issue 13 problem 10): 未轧账, no Z number, no closer; a Z report without its number is refused', () => {
    const x = zSlipMarkup(
      {
        ...doc,
        report: { ...report, kind: 'X', zNo: null, closedAt: null, closedBy: null },
        operatorName: '王秀兰',
      },
      { columns: 32 },
    );
    expect(x).toContain('X报表（未轧账）');
    expect(x).toContain('制表人');
    expect(x).not.toContain('Z号');
    expect(x).not.toContain('轧账人');
    expect(() => zSlipMarkup({ ...doc, report: { ...report, zNo: null } }, { columns: 32 })).toThrow();
  });
});
