// The Z slip on screen (SVG) and on paper (ESC/POS, GB18030), both from the same receiptline
// markup (shared/receipt-z.ts) made from the stored Z report. Every print is recorded (z_prints):
// the first is the original, each later one is marked 重印 n.
//
// Z slips do not go through the receipt print queue (migration 002 holds customer receipts and
// its kinds are fixed): a Z slip is printed at the operator's request, at the close, while they
// stand at the printer; a failure is reported at once and they press print again.
import iconv from 'iconv-lite';
import { commands, transform } from 'receiptline';
import { YizhanError } from '../../shared/errors';
import type { ChannelArgs, ChannelOutput } from '../../shared/contract';
import type { DayReportDto, ZSlipDto } from '../../shared/contract';
import { zSlipMarkup, type ZSlipDoc } from '../../shared/receipt-z';
import type { ReceiptColumns } from '../../shared/receipt';
import { closeRowByZ, closeRowOf, recordZPrint, zPrintCount, type CloseRow } from '../../db/day-close';
import { readPrinterSettings } from '../printing/print-queue';
import { createTransport } from '../printing/transport';
import { station, today, type Ctx } from '../context';

function docOf(ctx: Ctx, row: CloseRow, reprint?: { count: number; time: string }): ZSlipDoc {
  const st = station(ctx);
  return {
    station: { name: st.name, institutionNo: st.institution_no },
    demo: st.demo === 1,
    report: JSON.parse(row.report) as DayReportDto,
    reprint,
  };
}

function rowOf(ctx: Ctx, a: { zNo: number } | { day: string }): CloseRow {
  const row = 'zNo' in a ? closeRowByZ(ctx.db, a.zNo) : closeRowOf(ctx.db, a.day);
  if (!row) throw new YizhanError('NOT_FOUND', { ...a }, '没有这张轧帐单：该营业日尚未轧帐');
  return row;
}

/** Characters outside GBK have no glyph in a printer's font: replaced on paper and screen alike. */
function printable(markup: string): string {
  let out = '';
  for (const c of markup) out += c.charCodeAt(0) < 0x80 || iconv.encode(c, 'gb18030').length <= 2 ? c : '□';
  return out;
}

export function zSlipSvg(doc: ZSlipDoc, columns: ReceiptColumns): string {
  return transform(printable(zSlipMarkup(doc, { columns })), {
    command: 'svg',
    encoding: 'gb18030',
    cpl: columns,
  });
}

export function zSlipEscPos(doc: ZSlipDoc, columns: ReceiptColumns): Buffer {
  const out = transform(printable(zSlipMarkup(doc, { columns })), {
    command: commands.generic,
    encoding: 'gb18030',
    cpl: columns,
    cutting: true,
    spacing: false,
  });
  return Buffer.from(out, 'latin1');
}

export function zSlipPreview(ctx: Ctx, a: ChannelArgs<'day.zSlip'>): ZSlipDto {
  const row = rowOf(ctx, a);
  const columns = a.columns ?? readPrinterSettings(ctx.db).columns;
  const prints = zPrintCount(ctx.db, row.z_no);
  // The preview shows what the next print will look like (重印 after the first).
  const doc = docOf(ctx, row, prints > 0 ? { count: prints, time: today(ctx).nowIso } : undefined);
  return { zNo: row.z_no, businessDay: row.day, columns, svg: zSlipSvg(doc, columns), prints };
}

export async function printZSlip(
  ctx: Ctx,
  a: ChannelArgs<'day.printZ'>,
): Promise<ChannelOutput<'day.printZ'>> {
  const row = rowOf(ctx, a);
  const settings = readPrinterSettings(ctx.db);
  const { nowIso } = today(ctx);
  const prints = zPrintCount(ctx.db, row.z_no);
  const doc = docOf(ctx, row, prints > 0 ? { count: prints, time: nowIso } : undefined);
  let outcome: 'sent' | 'failed' | 'no_printer';
  let message: string;
  if (!settings.interface) {
    outcome = 'no_printer';
    message = '未设置打印机：请在打印机设置中配置后重印';
  } else {
    try {
      await createTransport(settings.interface).send(zSlipEscPos(doc, settings.columns));
      outcome = 'sent';
      message = prints > 0 ? `已重印（第${prints}次）` : '已打印';
    } catch (e) {
      outcome = 'failed';
      message = `打印失败：${e instanceof Error ? e.message : String(e)}`;
    }
  }
  // Every attempt is recorded; only one that reached the printer counts towards 重印 n.
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
  return { zNo: row.z_no, reprintNo: prints, outcome, message };
}
