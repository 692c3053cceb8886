// MON-1: daily, weekly and monthly reports, on screen and as files (CSV for Excel, XLSX).
import { csvField, csvLines, csvRow } from '../../shared/csv';
import { formatFen } from '../../shared/money';
import { addDays, shanghaiDateTime } from '../../shared/business-day';
import type { ChannelArgs, ExportFileDto, PeriodReportDto, ReportPeriod } from '../../shared/contract';
import type { Handlers } from '../handler';
import { floatForecast } from './forecast';
import { serviceLineDto } from './day-report';
import { periodFigures } from '../../db/reports';
import { station, today, type Ctx } from '../context';

export const PERIOD_NAMES_ZH: Readonly<Record<ReportPeriod, string>> = {
  day: '日报',
  week: '周报',
  month: '月报',
};

/** The period containing `date`: the day; Monday–Sunday; the calendar month. */
export function periodRange(period: ReportPeriod, date: string): { from: string; to: string } {
  if (period === 'day') return { from: date, to: date };
  if (period === 'week') {
    const dow = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
    const from = addDays(date, -((dow + 6) % 7));
    return { from, to: addDays(from, 6) };
  }
  const from = `${date.slice(0, 7)}-01`;
  const next = new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)), 1));
  return { from, to: addDays(next.toISOString().slice(0, 10), -1) };
}

export function periodReport(ctx: Ctx, a: ChannelArgs<'report.period'>): PeriodReportDto {
  const { day, nowIso } = today(ctx);
  const { from, to } = periodRange(a.period, a.date ?? day);
  const st = station(ctx);
  const f = ctx.db.transaction(() => periodFigures(ctx.db, from, to))();
  return {
    period: a.period,
    from,
    to,
    generatedAt: nowIso,
    station: { name: st.name, institutionNo: st.institution_no },
    totals: {
      txnCount: f.txnCount,
      paymentCount: f.payment.n,
      paymentAmount: formatFen(f.payment.amountFen),
      fees: formatFen(f.payment.feeFen),
      reversalCount: f.reversalCount,
      reversedPaymentCount: f.reversedPayment.n,
      reversedAmount: formatFen(f.reversedPayment.amountFen),
      reversedFees: formatFen(f.reversedPayment.feeFen),
      netPaymentCount: f.payment.n - f.reversedPayment.n,
      netPaymentAmount: formatFen(f.payment.amountFen - f.reversedPayment.amountFen),
      topupCount: f.topup.n,
      topupAmount: formatFen(f.topup.amountFen),
      topupVoucher: formatFen(f.topup.voucherFen),
      topupGreenCard: formatFen(f.topup.greenCardFen),
      reversedTopupCount: f.reversedTopup.n,
      reversedTopupAmount: formatFen(f.reversedTopup.amountFen),
      settlementCount: f.settlement.n,
      settledAmount: formatFen(f.settlement.amountFen),
    },
    byService: f.byService.map(serviceLineDto),
    byOperator: f.byOperator.map((o) => ({
      operatorId: o.operatorId,
      operatorName: o.operatorName,
      count: o.count,
      amount: formatFen(o.amountFen),
      fee: formatFen(o.feeFen),
      reversalCount: o.reversalCount,
      reversed: formatFen(o.reversedFen),
      topupCount: o.topupCount,
      topupAmount: formatFen(o.topupFen),
    })),
    days: f.days.map((d) => ({
      day: d.day,
      paymentCount: d.paymentCount,
      paymentAmount: formatFen(d.paymentFen),
      fees: formatFen(d.feeFen),
      reversalCount: d.reversalCount,
      topupAmount: formatFen(d.topupFen),
      closingFloat: d.closingFloatFen === null ? null : formatFen(d.closingFloatFen),
      zNo: d.zNo,
    })),
  };
}

// ---- the report as rows: one table model, two file formats ---------------------------------

type Cell = string | number | null;
interface Section {
  title: string;
  header: string[];
  rows: Cell[][];
  /** Columns holding money (decimal strings): numbers in XLSX with two decimals. */
  money: number[];
}

/** The report as titled tables, in the order they appear on screen. */
export function reportSections(r: PeriodReportDto): { heading: Cell[][]; sections: Section[] } {
  const t = r.totals;
  const heading: Cell[][] = [
    [`驿站${PERIOD_NAMES_ZH[r.period]}`, r.station.name],
    ['机构号', r.station.institutionNo],
    ['期间', `${r.from} 至 ${r.to}`],
    // Local (Beijing) time as the operator reads a clock, not the UTC instant (issue 13 problem 10).
    ['生成时间', `${shanghaiDateTime(r.generatedAt)}（北京时间）`],
  ];
  return {
    heading,
    sections: [
      {
        title: '汇总',
        header: ['项目', '笔数', '金额(元)'],
        money: [2],
        rows: [
          ['缴费', t.paymentCount, t.paymentAmount],
          ['手续费', null, t.fees],
          ['冲正(缴费)', t.reversedPaymentCount, t.reversedAmount],
          ['净缴费', t.netPaymentCount, t.netPaymentAmount],
          ['充值', t.topupCount, t.topupAmount],
          ['其中网点存款', null, t.topupVoucher],
          ['其中绿卡充值', null, t.topupGreenCard],
          ['冲正(充值)', t.reversedTopupCount, t.reversedTopupAmount],
          ['营业款结算', t.settlementCount, t.settledAmount],
          ['交易合计', t.txnCount, null],
        ],
      },
      {
        title: '按业务',
        header: ['业务', '缴费笔数', '缴费金额(元)', '手续费(元)', '冲正笔数', '冲正金额(元)'],
        money: [2, 3, 5],
        rows: r.byService.map((s) => [s.nameZh, s.count, s.amount, s.fee, s.reversedCount, s.reversed]),
      },
      {
        title: '按操作员',
        header: [
          '操作员',
          '缴费笔数',
          '缴费金额(元)',
          '手续费(元)',
          '冲正笔数',
          '冲正金额(元)',
          '充值笔数',
          '充值金额(元)',
        ],
        money: [2, 3, 5, 7],
        rows: r.byOperator.map((o) => [
          o.operatorName,
          o.count,
          o.amount,
          o.fee,
          o.reversalCount,
          o.reversed,
          o.topupCount,
          o.topupAmount,
        ]),
      },
      {
        title: '按日',
        header: [
          '日期',
          '缴费笔数',
          '缴费金额(元)',
          '手续费(元)',
          '冲正笔数',
          '充值金额(元)',
          '日终预存款(元)',
          'Z号',
        ],
        money: [2, 3, 5, 6],
        rows: r.days.map((d) => [
          d.day,
          d.paymentCount,
          d.paymentAmount,
          d.fees,
          d.reversalCount,
          d.topupAmount,
          d.closingFloat,
          d.zNo,
        ]),
      },
    ],
  };
}

const MONEY_CELL_RE = /^-?\d+\.\d{2}$/;

/** UTF-8 with a BOM and CRLF line ends, so Excel opens the Chinese text correctly. */
export function reportCsv(r: PeriodReportDto): string {
  const { heading, sections } = reportSections(r);
  const lines: string[] = heading.map(csvRow);
  for (const s of sections) {
    lines.push('', csvField(s.title), csvRow(s.header));
    for (const row of s.rows) lines.push(csvRow(row));
  }
  return csvLines(lines);
}

export async function reportXlsx(r: PeriodReportDto): Promise<Buffer> {
  const { heading, sections } = reportSections(r);
  // Loaded on first use: exceljs is large, and the backend should start fast.
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Yizhan 驿站';
  wb.created = new Date(r.generatedAt);
  const summary = wb.addWorksheet('概况');
  for (const row of heading) summary.addRow(row);
  for (const s of sections) {
    const ws = wb.addWorksheet(s.title);
    const head = ws.addRow(s.header);
    head.font = { bold: true };
    for (const row of s.rows) {
      // The spreadsheet wants numbers to sum; the value comes from the exact decimal string.
      ws.addRow(
        row.map((v, i) =>
          s.money.includes(i) && typeof v === 'string' && MONEY_CELL_RE.test(v) ? Number(v) : v,
        ),
      );
    }
    for (const i of s.money) ws.getColumn(i + 1).numFmt = '#,##0.00';
    ws.columns.forEach((c, i) => (c.width = i === 0 ? 16 : 14));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function exportReport(ctx: Ctx, a: ChannelArgs<'report.export'>): Promise<ExportFileDto> {
  const r = periodReport(ctx, a);
  const base = `yizhan-${r.period}-${r.from}${r.from === r.to ? '' : `_${r.to}`}`;
  if (a.format === 'csv') {
    const buf = Buffer.from(reportCsv(r), 'utf8');
    return {
      filename: `${base}.csv`,
      mimeType: 'text/csv;charset=utf-8',
      base64: buf.toString('base64'),
      bytes: buf.length,
    };
  }
  const buf = await reportXlsx(r);
  return {
    filename: `${base}.xlsx`,
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    base64: buf.toString('base64'),
    bytes: buf.length,
  };
}

export const reportsHandlers: Handlers<'report.period' | 'report.export' | 'float.forecast'> = {
  'report.period': periodReport,
  'report.export': exportReport,
  'float.forecast': floatForecast,
};
