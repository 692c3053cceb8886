// The Z slip (日终轧账单) on screen and on paper. It is a slip document like a receipt
// (shared/receipt.ts 'z_slip', laid out by shared/receipt-z.ts from the stored Z report), made into
// SVG and ESC/POS by the one renderer (printing/render.ts) and printed through the durable print
// queue: a Z slip printed while the printer is off waits there and prints once when it is back.
// The first copy is the original; each later one is a reprint marked 重印 n. Every print request
// is also logged (z_prints) with what happened to it.
import { YizhanError } from '../../shared/errors';
import type { ChannelArgs, ChannelOutput, DayReportDto, ZSlipDto } from '../../shared/contract';
import { withReprint, zSerial, type XSlipReceipt, type ZSlipReceipt } from '../../shared/receipt';
import { xSerial } from '../../shared/receipt-z';
import {
  closeRowByZ,
  closeRowOf,
  recordZPrint,
  zPrintCount,
  zSlipRef,
  type CloseRow,
} from '../../db/day-close';
import { getOperator } from '../../db/station';
import { readPrinterSettings, type PrintJob } from '../printing/print-queue';
import { renderSvg } from '../printing/render';
import { station, today, type Ctx } from '../context';

function docOf(ctx: Ctx, row: CloseRow): ZSlipReceipt {
  const st = station(ctx);
  const report = JSON.parse(row.report) as DayReportDto;
  return {
    kind: 'z_slip',
    station: { name: st.name, institutionNo: st.institution_no },
    demo: st.demo === 1,
    serial: zSerial(row.z_no),
    time: row.closed_at,
    operatorName: report.closedBy || operatorName(ctx, row.operator_id),
    report,
  };
}

function operatorName(ctx: Ctx, id: string): string {
  return getOperator(ctx.db, id)?.name ?? id;
}

function rowOf(ctx: Ctx, a: { zNo: number } | { day: string }): CloseRow {
  const row = 'zNo' in a ? closeRowByZ(ctx.db, a.zNo) : closeRowOf(ctx.db, a.day);
  if (!row) throw new YizhanError('NOT_FOUND', { ...a, variant: 'zSlip' });
  return row;
}

export function zSlipPreview(ctx: Ctx, a: ChannelArgs<'day.zSlip'>): ZSlipDto {
  const row = rowOf(ctx, a);
  const columns = a.columns ?? readPrinterSettings(ctx.db).columns;
  const prints = zPrintCount(ctx.db, row.z_no);
  // The preview shows what the next print will look like (重印 after the first).
  const doc = docOf(ctx, row);
  const marked = ctx.trainingMode ? { ...doc, training: true } : doc;
  const shown = prints > 0 ? withReprint(marked, { count: prints, time: today(ctx).nowIso }) : marked;
  return { zNo: row.z_no, businessDay: row.day, columns, svg: renderSvg(shown, { columns }), prints };
}

export async function printZSlip(
  ctx: Ctx,
  a: ChannelArgs<'day.printZ'>,
): Promise<ChannelOutput<'day.printZ'>> {
  const row = rowOf(ctx, a);
  const ref = zSlipRef(row.z_no);
  const { nowIso } = today(ctx);
  // The first request queues the original; a later one queues a reprint (重印 n) — or, while a
  // copy is still waiting for the printer, returns that copy rather than piling up another.
  const queued =
    ctx.print.jobsFor(ref).length === 0
      ? ctx.print.enqueue(docOf(ctx, row), ref)
      : ctx.print.reprint(ref, { operatorName: operatorName(ctx, ctx.operatorId) });
  const { job, outcome, message } = await printNow(ctx, queued.jobId, '轧账单');
  // Every request is logged; the count of copies on paper comes from the queue (zPrintCount).
  ctx.db
    .transaction(() =>
      recordZPrint(ctx.db, {
        zNo: row.z_no,
        printedAt: nowIso,
        operatorId: ctx.operatorId,
        outcome,
        message,
      }),
    )
    .immediate();
  return { zNo: row.z_no, reprintNo: job.reprintNo, outcome, message };
}

/** Prints what waits (this slip among it) and says what became of this slip. */
async function printNow(
  ctx: Ctx,
  jobId: number,
  what: string,
): Promise<{ job: PrintJob; outcome: 'sent' | 'failed' | 'no_printer'; message: string }> {
  const run = await ctx.print.printPending();
  const job = ctx.print.get(jobId)!;
  if (job.status === 'printed')
    return { job, outcome: 'sent', message: job.reprintNo > 0 ? `已重印（第${job.reprintNo}次）` : '已打印' };
  if (run.error?.code === 'PRINTER_NOT_CONFIGURED')
    return {
      job,
      outcome: 'no_printer',
      message: `未设置打印机：${what}已在打印队列中等候，配置打印机后即可打出`,
    };
  const why = job.lastError ?? run.error?.message ?? '打印机未连接';
  const message =
    job.status === 'queued'
      ? `打印失败：${why}（${what}已在打印队列中等候，打印机恢复后即可打出）`
      : `打印失败：${why}`;
  return { job, outcome: 'failed', message };
}

/** The X report on paper (issue 13 problem 10): printed through the queue as it stands now. */
export async function printXSlip(ctx: Ctx, report: DayReportDto): Promise<ChannelOutput<'day.printX'>> {
  if (report.kind !== 'X')
    throw new YizhanError('DAY_CLOSED', { day: report.businessDay, zNo: report.zNo, variant: 'dayWithZ' });
  const st = station(ctx);
  const serial = xSerial(report.businessDay, report.generatedAt);
  const doc: XSlipReceipt = {
    kind: 'x_slip',
    station: { name: st.name, institutionNo: st.institution_no },
    demo: st.demo === 1,
    serial,
    time: report.generatedAt,
    operatorName: operatorName(ctx, ctx.operatorId),
    report,
  };
  const queued = ctx.print.enqueue(doc, `x:${report.businessDay}:${report.generatedAt}`);
  const { outcome, message } = await printNow(ctx, queued.jobId, 'X报表');
  return { businessDay: report.businessDay, serial, outcome, message };
}
