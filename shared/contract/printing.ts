// The receipt and printer channels of the API contract: preview, print once, reprint (重印),
// the durable queue, the printer's settings. Assembled into `channels` in ./index.ts.
import { z } from 'zod';
import { noArgs, text } from '../schemas';
import { isPrinterInterfaceSyntax, PRINTER_INTERFACE_HINT_ZH } from '../printer-interface';

// ---- DTOs -------------------------------------------------------------------------------------

export type PrintJobStatus = 'queued' | 'printing' | 'printed' | 'failed' | 'uncertain';

export interface PrintJobDto {
  jobId: number;
  txnId: number | null;
  serial: string | null;
  /** 0 for the original receipt; n for the n-th reprint (printed as 「重印」 n). */
  reprintNo: number;
  status: PrintJobStatus;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  printedAt: string | null;
}

export interface PrinterSettingsDto {
  /** "tcp://192.168.1.50:9100", "/dev/usb/lp0", "COM3", or "" for none (shared/printer-interface.ts). */
  interface: string;
  columns: 32 | 48;
  /** A cash drawer hangs on the printer's drawer port: it is kicked open when a cash receipt
   *  (a payment, or a reversal's refund) prints — not for reprints or top-ups. */
  drawer: boolean;
}

export interface PrinterStatusDto {
  configured: boolean;
  connected: boolean;
  message: string;
}

// ---- channels ---------------------------------------------------------------------------------

export const printingChannels = {
  'receipt.preview': {
    input: z.object({
      txnId: z.number().int().positive(),
      columns: z.union([z.literal(32), z.literal(48)]).optional(),
    }),
    output: {} as { svg: string; columns: 32 | 48 },
  },
  /** Queue the receipt of a transaction (once per transaction) and try to print it now. */
  'print.txn': {
    input: z.object({ txnId: z.number().int().positive() }),
    output: {} as { job: PrintJobDto },
  },
  /** A reprint of any past receipt, marked 「重印」 with its reprint count. */
  'print.reprint': {
    input: z.object({ txnId: z.number().int().positive() }),
    output: {} as { job: PrintJobDto },
  },
  /** Try again every job still waiting (after the printer is back). */
  'print.retry': { input: noArgs, output: {} as { printed: number; failed: number; jobs: PrintJobDto[] } },
  'print.queue': { input: noArgs, output: {} as { jobs: PrintJobDto[] } },
  'printer.get': { input: noArgs, output: {} as PrinterSettingsDto },
  'printer.set': {
    input: z.object({
      interface: text().trim().max(200).refine(isPrinterInterfaceSyntax, PRINTER_INTERFACE_HINT_ZH),
      columns: z.union([z.literal(32), z.literal(48)]),
      /** Absent: unchanged. */
      drawer: z.boolean().optional(),
    }),
    output: {} as PrinterSettingsDto,
  },
  'printer.status': { input: noArgs, output: {} as PrinterStatusDto },
  'printer.test': { input: noArgs, output: {} as { job: PrintJobDto } },
} as const;
