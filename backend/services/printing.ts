// The printing domain: receipt preview, print once per transaction, reprint (重印), the durable
// queue, the printer's settings. (The queue and the renderer themselves are in backend/printing/.)
import type { PrintJobDto } from '../../shared/contract';
import { YizhanError } from '../../shared/errors';
import { getOperator } from '../../db/station';
import { renderSvg } from '../printing/render';
import { readPrinterSettings, writePrinterSettings, type PrintJob } from '../printing/print-queue';
import { receiptFor, txnOrThrow } from './receipts';
import { station, type Ctx } from '../context';
import type { Handlers } from '../handler';

export function jobDto(j: PrintJob): PrintJobDto {
  return {
    jobId: j.jobId,
    txnId: j.txnId,
    serial: j.serial,
    reprintNo: j.reprintNo,
    status: j.status,
    attempts: j.attempts,
    lastError: j.lastError,
    createdAt: j.createdAt,
    printedAt: j.printedAt,
  };
}

function operatorName(ctx: Ctx): string {
  return getOperator(ctx.db, ctx.operatorId)?.name ?? ctx.operatorId;
}

export const printingHandlers: Handlers<
  | 'receipt.preview'
  | 'print.txn'
  | 'print.reprint'
  | 'print.retry'
  | 'print.queue'
  | 'printer.get'
  | 'printer.set'
  | 'printer.status'
  | 'printer.test'
> = {
  'receipt.preview': (ctx, a) => {
    const columns = a.columns ?? readPrinterSettings(ctx.db).columns;
    const doc = receiptFor(ctx, txnOrThrow(ctx, a.txnId));
    // In training mode the preview shows what the paper shows: 「练习」 (PPL-2).
    return { svg: renderSvg(ctx.trainingMode ? { ...doc, training: true } : doc, { columns }), columns };
  },
  'print.txn': async (ctx, a) => {
    const doc = receiptFor(ctx, txnOrThrow(ctx, a.txnId));
    return { job: jobDto(await ctx.print.enqueueAndPrint(doc, a.txnId)) };
  },
  'print.reprint': async (ctx, a) => {
    const t = txnOrThrow(ctx, a.txnId);
    // A transaction never printed before gets its original receipt first; 重印 needs an original.
    if (ctx.print.jobsFor(a.txnId).length === 0) ctx.print.enqueue(receiptFor(ctx, t), a.txnId);
    return { job: jobDto(await ctx.print.reprintAndPrint(a.txnId, { operatorName: operatorName(ctx) })) };
  },
  'print.retry': async (ctx) => {
    const r = await ctx.print.printPending();
    return { printed: r.printed, failed: r.failed, jobs: r.jobs.map(jobDto) };
  },
  'print.queue': (ctx) => ({ jobs: ctx.print.list({ limit: 200 }).map(jobDto) }),
  'printer.get': (ctx) => {
    const s = readPrinterSettings(ctx.db);
    return { interface: s.interface, columns: s.columns, drawer: s.drawer };
  },
  'printer.set': (ctx, a) => {
    try {
      const s = writePrinterSettings(ctx.db, {
        interface: a.interface,
        columns: a.columns,
        ...(a.drawer !== undefined ? { drawer: a.drawer } : {}),
      });
      return { interface: s.interface, columns: s.columns, drawer: s.drawer };
    } catch (e) {
      if (e instanceof YizhanError) throw e;
      throw new YizhanError(
        'INVALID_INPUT',
        e instanceof Error
          ? { field: 'interface', problem: e.message, variant: 'printerInterfaceProblem' }
          : { field: 'interface', variant: 'printerInterface' },
      );
    }
  },
  'printer.status': async (ctx) => {
    const s = await ctx.print.printerStatus();
    return { configured: s.configured, connected: s.connected, message: s.message };
  },
  'printer.test': async (ctx) => {
    const st = station(ctx);
    const job = await ctx.print.printTestPage({
      station: { name: st.name, institutionNo: st.institution_no },
      demo: st.demo === 1,
      operatorName: operatorName(ctx),
    });
    return { job: jobDto(job) };
  },
};
