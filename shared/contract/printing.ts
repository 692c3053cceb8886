// The receipt and printer channels of the API contract: preview, print once, reprint (重印),
// the durable queue, the printer's settings. Assembled into `channels` in ./index.ts.
import { z } from 'zod';
import { noArgs } from '../schemas';

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
  /** "tcp://192.168.1.50:9100", "/dev/usb/lp0", "printer:NAME", or "" for none. */
  interface: string;
  columns: 32 | 48;
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
      interface: z
        .string()
        .trim()
        .max(200)
        .regex(
          /^$|^tcp:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$|^printer:.+$|^\/dev\/[A-Za-z0-9/_.-]+$|^\\\\\.\\COM\d+$/,
          '打印机接口格式：tcp://IP:9100、/dev/usb/lp0 或 printer:名称',
        ),
      columns: z.union([z.literal(32), z.literal(48)]),
    }),
    output: {} as PrinterSettingsDto,
  },
  'printer.status': { input: noArgs, output: {} as PrinterStatusDto },
  'printer.test': { input: noArgs, output: {} as { job: PrintJobDto } },
} as const;
