// MON-1 reports (daily, weekly, monthly; CSV and XLSX) and the PAY-4 low-float forecast.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import path from 'node:path';
import { key, ok, payBill, platformDelegate, testBackend, testClock, topUp } from '../helpers/backend';
import type { Backend } from '../../backend/backend';
import type { FloatForecastDto, PeriodReportDto } from '../../shared/contract';
import { periodRange, reportCsv } from '../../backend/services/reports';
import { openDatabase, schemaVersion } from '../../db/open';
import { MIGRATIONS } from '../../db/migrations/index';
import { tempDir } from '../helpers/backend';

let b: Backend & { dataDir: string };
const clock = testClock();
const at = (day: string, hh = 10) => clock.set(`${day}T${String(hh - 8).padStart(2, '0')}:00:00.000Z`);
const cents = (s: string) => BigInt(s.replace('.', ''));
const sum = (xs: string[]) => xs.reduce((a, x) => a + cents(x), 0n);

beforeEach(async () => {
  at('2026-11-02');
  b = await testBackend({ now: clock.now });
});
afterEach(() => b.close());

describe('periods', () => {
  it('MON-1: a week is Monday to Sunday, a month is the calendar month', () => {
    expect(periodRange('week', '2026-11-28')).toEqual({ from: '2026-11-23', to: '2026-11-29' }); // a Saturday
    expect(periodRange('week', '2026-11-23')).toEqual({ from: '2026-11-23', to: '2026-11-29' }); // Monday
    expect(periodRange('week', '2026-11-29')).toEqual({ from: '2026-11-23', to: '2026-11-29' }); // Sunday
    expect(periodRange('month', '2026-02-14')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(periodRange('month', '2028-02-29')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(periodRange('month', '2026-12-31')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(periodRange('day', '2026-12-31')).toEqual({ from: '2026-12-31', to: '2026-12-31' });
  });
});

describe('reports', () => {
  async function monthOfBusiness() {
    const wifeId = await platformDelegate(b, { name: '李梅', services: ['water', 'gas'] });
    const made: {
      day: string;
      amount: string;
      fee: string;
      service: string;
      operator: string;
      reversed?: boolean;
    }[] = [];
    for (const [i, day] of ['2026-11-02', '2026-11-03', '2026-11-09', '2026-11-30', '2026-12-01'].entries()) {
      at(day);
      ok(await b.call('session.setOperator', { operatorId: 'op-holder' }));
      await topUp(b, '2000');
      const p = await payBill(b, 'gas', `3000000${i}`, '500');
      made.push({ day, amount: p.amount, fee: p.fee, service: 'gas', operator: 'op-holder' });
      ok(await b.call('session.setOperator', { operatorId: wifeId }));
      const q = await payBill(b, 'water', `3100000${i}`);
      made.push({ day, amount: q.amount, fee: q.fee, service: 'water', operator: wifeId });
      if (i === 1) {
        ok(await b.call('txn.reverse', { txnId: q.txnId, reason: '重复缴费', idempotencyKey: key() }));
        made[made.length - 1]!.reversed = true;
      }
    }
    ok(await b.call('session.setOperator', { operatorId: 'op-holder' }));
    return made;
  }

  it('MON-1: the monthly report counts and sums by service, by operator and by day; reversals cancel what they reverse', async () => {
    const made = await monthOfBusiness();
    const nov = made.filter((m) => m.day.startsWith('2026-11'));
    const r = ok<PeriodReportDto>(await b.call('report.period', { period: 'month', date: '2026-11-15' }));
    expect(r).toMatchObject({ period: 'month', from: '2026-11-01', to: '2026-11-30' });
    expect(r.days).toHaveLength(30);
    expect(r.totals.paymentCount).toBe(nov.length);
    expect(cents(r.totals.paymentAmount)).toBe(sum(nov.map((m) => m.amount)));
    expect(cents(r.totals.fees)).toBe(sum(nov.map((m) => m.fee)));
    expect(r.totals).toMatchObject({
      reversalCount: 1,
      reversedPaymentCount: 1,
      netPaymentCount: nov.length - 1,
      topupCount: 4,
      topupAmount: '8000.00',
    });
    const reversed = nov.find((m) => m.reversed)!;
    expect(cents(r.totals.netPaymentAmount)).toBe(sum(nov.map((m) => m.amount)) - cents(reversed.amount));
    const gas = r.byService.find((s) => s.service === 'gas')!;
    expect(gas.count).toBe(4);
    expect(gas.nameZh).toBe('燃气费');
    expect(cents(gas.amount)).toBe(sum(nov.filter((m) => m.service === 'gas').map((m) => m.amount)));
    const water = r.byService.find((s) => s.service === 'water')!;
    expect(water).toMatchObject({ count: 4, reversedCount: 1, reversed: reversed.amount });
    const wife = r.byOperator.find((o) => o.operatorName === '李梅')!;
    expect(wife).toMatchObject({ operatorName: '李梅', count: 4, reversalCount: 1, topupCount: 0 });
    expect(sum(r.days.map((d) => d.paymentAmount))).toBe(cents(r.totals.paymentAmount));
    expect(r.days.find((d) => d.day === '2026-11-03')).toMatchObject({ paymentCount: 2, reversalCount: 1 });
    // The week and the day.
    const w = ok<PeriodReportDto>(await b.call('report.period', { period: 'week', date: '2026-11-04' }));
    expect(w).toMatchObject({ from: '2026-11-02', to: '2026-11-08' });
    expect(w.totals.paymentCount).toBe(4);
    const d = ok<PeriodReportDto>(await b.call('report.period', { period: 'day', date: '2026-12-01' }));
    expect(d.totals.paymentCount).toBe(2);
  });

  it('MON-1: the CSV export (UTF-8 with BOM) and the XLSX export carry the same totals as the screen', async () => {
    await monthOfBusiness();
    const r = ok<PeriodReportDto>(await b.call('report.period', { period: 'month', date: '2026-11-15' }));
    const csvFile = ok(await b.call('report.export', { period: 'month', date: '2026-11-15', format: 'csv' }));
    expect(csvFile.filename).toBe('yizhan-month-2026-11-01_2026-11-30.csv');
    const bytes = Buffer.from(csvFile.base64, 'base64');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = bytes.toString('utf8').slice(1);
    const rows = csv.split('\r\n').map((l) => l.split(','));
    expect(rows.find((x) => x[0] === '缴费')).toEqual([
      '缴费',
      String(r.totals.paymentCount),
      r.totals.paymentAmount,
    ]);
    expect(rows.find((x) => x[0] === '净缴费')).toEqual([
      '净缴费',
      String(r.totals.netPaymentCount),
      r.totals.netPaymentAmount,
    ]);
    expect(rows.find((x) => x[0] === '充值')).toEqual(['充值', '4', '8000.00']);
    expect(rows.find((x) => x[0] === '燃气费')?.slice(0, 3)).toEqual([
      '燃气费',
      '4',
      r.byService.find((s) => s.service === 'gas')!.amount,
    ]);
    expect(rows.filter((x) => /^2026-11-\d\d$/.test(x[0]!))).toHaveLength(30);
    // Same report, same file: the export is the screen's report.
    expect(reportCsv({ ...r, generatedAt: r.generatedAt })).toBe(csv.replace(/^/, '\uFEFF'));

    const xlsxFile = ok(
      await b.call('report.export', { period: 'month', date: '2026-11-15', format: 'xlsx' }),
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(xlsxFile.base64, 'base64') as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['概况', '汇总', '按业务', '按操作员', '按日']);
    const summary = wb.getWorksheet('汇总')!;
    const pay = summary.getRows(1, summary.rowCount)!.find((row) => row.getCell(1).value === '缴费')!;
    expect(pay.getCell(2).value).toBe(r.totals.paymentCount);
    expect((pay.getCell(3).value as number).toFixed(2)).toBe(r.totals.paymentAmount);
    expect(summary.getColumn(3).numFmt).toBe('#,##0.00');
  });

  it('MON-1: text a spreadsheet would run as a formula is defused in the CSV', async () => {
    const xId = await platformDelegate(b, { name: '=HYPERLINK("x")', services: ['water'] });
    await topUp(b, '500');
    ok(await b.call('session.setOperator', { operatorId: xId }));
    await payBill(b, 'water', '32000001');
    const csv = Buffer.from(
      ok(await b.call('report.export', { period: 'day', format: 'csv' })).base64,
      'base64',
    ).toString('utf8');
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
  });
});

describe('low float (PAY-4)', () => {
  it('PAY-4: from the last 14 business days, how long the float lasts and a suggested top-up', async () => {
    const empty = ok<FloatForecastDto>(await b.call('float.forecast', {}));
    expect(empty).toMatchObject({ level: 'critical', available: '0.00', daysLeft: null });
    // 16 business days of payments, one shut day in between (no row: not a business day).
    let day = '2026-11-01';
    let paidFen = 0n;
    let count = 0;
    const window: bigint[] = [];
    for (let i = 0; i < 17; i++) {
      day = `2026-11-${String(i + 1).padStart(2, '0')}`;
      if (i === 5) continue;
      at(day);
      await topUp(b, '400');
      const p = await payBill(b, 'water', `4000${String(i).padStart(4, '0')}`);
      if (i >= 17 - 15) {
        window.push(cents(p.amount));
        paidFen += cents(p.amount);
        count++;
      }
    }
    at('2026-11-18');
    const f = ok<FloatForecastDto>(await b.call('float.forecast', {}));
    expect(f.daysInWindow).toBe(14);
    const avg = paidFen / 14n;
    expect(cents(f.avgDailyPayments) - avg).toBeLessThanOrEqual(1n);
    expect(cents(f.largestPayment)).toBe(window.reduce((a, x) => (x > a ? x : a), 0n));
    const available = cents(f.available);
    expect(Number(f.daysLeft)).toBeCloseTo(Number(available) / Number(paidFen / 14n), 0);
    expect(f.level).toBe('ok'); // 400 a day topped up against < 380 a day paid
    expect(f.paymentsLeft).toBe(Number((available * BigInt(count)) / paidFen));
    // Spend most of it: low, then critical, with a top-up that covers the cover days.
    const spend = available - avg; // leaves about one day
    b.db
      .prepare(
        `INSERT INTO business_days (day, status, opened_at) VALUES ('2026-11-18', 'open', 'x') ON CONFLICT DO NOTHING`,
      )
      .run();
    b.db
      .prepare(
        `INSERT INTO txns (kind, business_day, created_at, operator_id, amount_fen, service, idempotency_key, request_hash, legs) VALUES ('bill_payment', '2026-11-18', ?, 'op-holder', ?, 'water', ?, 'h', ?)`,
      )
      .run(
        clock.now().toISOString(),
        Number(spend),
        key(),
        JSON.stringify([
          ['float', -Number(spend)],
          ['cash', Number(spend)],
        ]),
      );
    const low = ok<FloatForecastDto>(await b.call('float.forecast', { coverDays: 5 }));
    expect(['low', 'critical']).toContain(low.level);
    expect(low.message).toContain('建议充值');
    const suggested = cents(low.suggestedTopUp);
    expect(suggested % 10000n).toBe(0n); // whole hundreds of yuan
    expect(cents(low.available) + suggested).toBeGreaterThanOrEqual((avg * 5n * 120n) / 100n);
    expect(cents(low.available) + suggested - 10000n).toBeLessThan((avg * 5n * 120n) / 100n + 1n);
  });
});

describe('migration 003', () => {
  it('PAY-4: migrates a ledger with history from version 2; its days stay open, to be closed in order', () => {
    const dir = tempDir();
    const file = path.join(dir, 'station.sqlite');
    const v2 = openDatabase(file, { migrations: MIGRATIONS.filter((m) => m.version <= 2) });
    v2.exec(`INSERT INTO station (id, institution_no, name, demo, created_at) VALUES (1, '35010099001', 's', 1, 'x');
             INSERT INTO operators (id, name, role, created_at) VALUES ('op', 'o', 'holder', 'x');
             INSERT INTO business_days (day, status, opened_at) VALUES ('2026-11-01', 'open', 'x');
             INSERT INTO txns (kind, business_day, created_at, operator_id, amount_fen, idempotency_key, request_hash, legs)
               VALUES ('topup_voucher', '2026-11-01', '2026-11-01T02:00:00Z', 'op', 5000, 'k1', 'h', '[["float",5000],["owner",-5000]]');`);
    expect(schemaVersion(v2)).toBe(2);
    v2.close();
    const v3 = openDatabase(file);
    try {
      expect(schemaVersion(v3)).toBe(Math.max(...MIGRATIONS.map((m) => m.version)));
      expect(v3.prepare(`SELECT count(*) FROM day_closes`).pluck().get()).toBe(0);
      expect(v3.prepare(`SELECT status FROM business_days WHERE day = '2026-11-01'`).pluck().get()).toBe(
        'open',
      );
      expect(v3.prepare(`SELECT sum(amount_fen) FROM postings WHERE account = 'float'`).pluck().get()).toBe(
        5000,
      );
      expect(v3.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      v3.close();
    }
  });
});
