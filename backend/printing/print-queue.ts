// The durable print queue (table print_jobs, migration 002).
// Long on purpose (about 520 lines): one state machine (queued → printing → printed / failed /
// uncertain) whose transitions and their SQL are kept together.
//
// A payment is committed first; its receipt is queued in the same database and printed after.
// Printer off, unplugged or out of paper: the receipt waits here and prints later. Nothing is
// lost (the job is a row, fsynced) and nothing prints twice by accident:
//   - one job per receipt: enqueue(doc, ref) again returns the job already there;
//   - a job is claimed (status 'printing', committed) before any byte is sent and marked
//     'printed' once the printer has accepted the bytes;
//   - a job found 'printing' when the queue starts (the app died mid-print), or whose send failed
//     after bytes may have left (timeout, reset), becomes 'uncertain' and is never resent by
//     itself: the operator looks at the paper and says "printed" or "reprint" (marked 重印);
//   - a reprint request while a copy of that receipt is still waiting returns the waiting job,
//     so pressing 重印 three times with the printer off gives one reprint, not three.
//
// Assumes one PrintQueue per database file (the backend process owns the printer).
import type { Db } from '../../db/open';
import {
  claimPrintJob,
  countQueuedPrintJobs,
  insertPrintJob,
  lastReprintNo,
  listPrintJobs,
  markInterruptedUncertain,
  markPrintJobPrinted,
  noteWhyQueued,
  originalPrintJob,
  printJobById,
  printJobCounts,
  printJobsOfRef,
  queuedPrintJobIds,
  setPrintJobStatus,
  waitingPrintJob,
  type PrintJobRow,
  type PrintJobStatus,
} from '../../db/print-jobs';
import { setSettings, settingsWithPrefix } from '../../db/settings';
import { YizhanError } from '../../shared/errors';
import {
  parseReceiptDoc,
  withReprint,
  RECEIPT_COLUMNS,
  type ReceiptColumns,
  type ReceiptDoc,
  type ReceiptKind,
  type ReceiptStation,
} from '../../shared/receipt';
import { COMMAND_SETS, QR_MODES, renderEscPos, type CommandSet, type QrMode } from './render';
import {
  PrinterError,
  checkDevicePath,
  createTransport,
  parsePrinterTarget,
  toPrinterError,
  type DeviceOptions,
  type PrinterErrorCode,
  type PrinterTransport,
} from './transport';

export type { PrintJobStatus };

/** A job as the API shows it (field names as shared/contract.ts PrintJobDto, plus a few). */
export interface PrintJob {
  jobId: number;
  kind: ReceiptKind;
  ref: string;
  txnId: number | null;
  serial: string;
  /** 0 for the original receipt; n for the n-th reprint (printed 「重印」, 第n次重印). */
  reprintNo: number;
  reprintOf: number | null;
  status: PrintJobStatus;
  attempts: number;
  /** Chinese, for the operator: why it has not printed (yet). */
  lastError: string | null;
  createdAt: string;
  claimedAt: string | null;
  printedAt: string | null;
}

export interface PrintRunResult {
  /** Jobs printed in this run. */
  printed: number;
  /** Jobs tried in this run that did not print (back in the queue, uncertain or failed). */
  failed: number;
  /** Jobs still queued after the run. */
  waiting: number;
  /** What stopped the run, when something did (the printer is off, …). */
  error: { code: PrinterErrorCode; message: string } | null;
  /** The jobs tried in this run, as they are now. */
  jobs: PrintJob[];
}

export interface PrinterSettings {
  /** "tcp://192.168.1.50:9100", "/dev/usb/lp0", "COM3", or "" for none (shared/printer-interface.ts). */
  interface: string;
  columns: ReceiptColumns;
  qr: QrMode;
  commandSet: CommandSet;
  /** A cash drawer on the printer's drawer port (kicked by cash receipts). */
  drawer: boolean;
}

export const PRINTER_SETTING_KEYS: Readonly<Record<keyof PrinterSettings, string>> = {
  interface: 'printer.interface',
  columns: 'printer.columns',
  qr: 'printer.qr',
  commandSet: 'printer.commandSet',
  drawer: 'printer.drawer',
};

/** 58 mm paper is what small stations buy; 80 mm is a setting away. */
export const DEFAULT_PRINTER_SETTINGS: Readonly<PrinterSettings> = {
  interface: '',
  columns: 32,
  qr: 'image',
  commandSet: 'generic',
  drawer: false,
};

export function readPrinterSettings(db: Db): PrinterSettings {
  const rows = settingsWithPrefix(db, 'printer.');
  const get = (k: keyof PrinterSettings) => rows.get(PRINTER_SETTING_KEYS[k]);
  const columns = Number(get('columns'));
  const qr = get('qr');
  const commandSet = get('commandSet');
  return {
    interface: get('interface') ?? DEFAULT_PRINTER_SETTINGS.interface,
    columns: (RECEIPT_COLUMNS as readonly number[]).includes(columns)
      ? (columns as ReceiptColumns)
      : DEFAULT_PRINTER_SETTINGS.columns,
    qr: (QR_MODES as readonly string[]).includes(qr ?? '') ? (qr as QrMode) : DEFAULT_PRINTER_SETTINGS.qr,
    commandSet: (COMMAND_SETS as readonly string[]).includes(commandSet ?? '')
      ? (commandSet as CommandSet)
      : DEFAULT_PRINTER_SETTINGS.commandSet,
    drawer: get('drawer') === '1',
  };
}

/** Validates and stores printer settings; returns them all. Throws PrinterError
 *  (PRINTER_BAD_INTERFACE) for an interface that is neither a network printer nor a printer
 *  device (a device path that exists must resolve to a character device; see transport.ts). */
export function writePrinterSettings(
  db: Db,
  patch: Partial<PrinterSettings>,
  opts: { devices?: DeviceOptions } = {},
): PrinterSettings {
  if (patch.interface !== undefined && patch.interface.trim() !== '') {
    const d = opts.devices ?? {};
    const target = parsePrinterTarget(patch.interface, d.platform, d.devDir);
    if (target.kind === 'device') checkDevicePath(target.path, d);
  }
  if (patch.columns !== undefined && !RECEIPT_COLUMNS.includes(patch.columns))
    throw new YizhanError('INVALID_INPUT', { field: 'columns' });
  if (patch.qr !== undefined && !QR_MODES.includes(patch.qr))
    throw new YizhanError('INVALID_INPUT', { field: 'qr' });
  if (patch.commandSet !== undefined && !COMMAND_SETS.includes(patch.commandSet))
    throw new YizhanError('INVALID_INPUT', { field: 'commandSet' });
  if (patch.drawer !== undefined && typeof patch.drawer !== 'boolean')
    throw new YizhanError('INVALID_INPUT', { field: 'drawer' });
  const values: [string, string][] = [];
  for (const k of Object.keys(PRINTER_SETTING_KEYS) as (keyof PrinterSettings)[]) {
    const v = patch[k];
    if (v !== undefined)
      values.push([
        PRINTER_SETTING_KEYS[k],
        k === 'interface' ? String(v).trim() : k === 'drawer' ? (v ? '1' : '0') : String(v),
      ]);
  }
  setSettings(db, values);
  return readPrinterSettings(db);
}

/** A cash receipt opens the drawer: a payment (cash taken) or a reversal (cash given back), the
 *  first time it prints. A reprint, a top-up slip, a Z slip or a test page does not. */
export function kicksDrawer(doc: ReceiptDoc): boolean {
  return (doc.kind === 'bill_payment' || doc.kind === 'reversal') && !doc.reprint;
}

/** A receipt reference: a transaction id (number) or a free string (test pages). */
export type PrintRef = number | string;

export interface PrintQueueOptions {
  /** Clock, for tests. */
  now?: () => Date;
  /** Device rules, for tests (a temporary device folder). */
  devices?: DeviceOptions;
  /** The training ledger's queue (练习模式, PPL-2): every document is marked 练习 before it is
   *  stored or rendered, and no cash drawer is kicked — nothing leaves it without 「练习」. */
  training?: boolean;
}

/** Most jobs a list returns: a day's receipts at a busy counter fit many times over. */
export const PRINT_JOBS_LIST_MAX = 500;

export class PrintQueue {
  private readonly now: () => Date;
  private chain: Promise<unknown> = Promise.resolve();
  private cached: { iface: string; transport: PrinterTransport } | null = null;
  private readonly devices: DeviceOptions | undefined;
  private readonly training: boolean;
  /** How many jobs were found mid-print when this queue opened (now 'uncertain'). */
  readonly recoveredUncertain: number;

  /**
   * @param transport a fixed transport (tests, or a caller that manages it), `null` for "no
   *   printer", or omitted to build one from the `printer.interface` setting (rebuilt when the
   *   setting changes).
   */
  constructor(
    private readonly db: Db,
    private transport?: PrinterTransport | null,
    opts: PrintQueueOptions = {},
  ) {
    this.now = opts.now ?? (() => new Date());
    this.devices = opts.devices;
    this.training = opts.training ?? false;
    // Whatever was 'printing' belongs to a process that is gone: it may or may not be on paper.
    this.recoveredUncertain = markInterruptedUncertain(this.db, UNCERTAIN_AFTER_CRASH);
  }

  /** Replaces the transport (undefined: from settings again; null: no printer). */
  setTransport(transport: PrinterTransport | null | undefined): void {
    this.transport = transport;
    this.cached = null;
  }

  /** Queues a receipt once per ref: queueing it again returns the job already there (same
   *  document) or throws IDEMPOTENCY_CONFLICT (a different one). */
  enqueue(doc: ReceiptDoc, ref: PrintRef): PrintJob {
    const valid = parseReceiptDoc(this.training ? { ...doc, training: true } : doc);
    if (valid.reprint) throw new YizhanError('INVALID_INPUT', { field: 'reprint', reason: 'use reprint()' });
    const { key, txnId } = refKey(ref);
    const document = JSON.stringify(valid);
    return this.db
      .transaction((): PrintJob => {
        const existing = originalPrintJob(this.db, key);
        if (existing) {
          if (existing.document !== document) throw new YizhanError('IDEMPOTENCY_CONFLICT', { ref: key });
          return toJob(existing);
        }
        const id = this.insert(valid, key, txnId, 0, null);
        return this.get(id)!;
      })
      .immediate();
  }

  /** A reprint of ref's receipt, marked 「重印」 with its count. If a copy of this receipt is
   *  still waiting to print, that job is returned instead of adding another. */
  reprint(ref: PrintRef, opts: { operatorName?: string } = {}): PrintJob {
    const { key, txnId } = refKey(ref);
    return this.db
      .transaction((): PrintJob => {
        const original = originalPrintJob(this.db, key);
        if (!original) throw new YizhanError('NOT_FOUND', { ref: key });
        const waiting = waitingPrintJob(this.db, key);
        if (waiting) return toJob(waiting);
        const count = lastReprintNo(this.db, key) + 1;
        const doc = withReprint(parseReceiptDoc(JSON.parse(original.document)), {
          count,
          time: this.now().toISOString(),
          ...(opts.operatorName ? { operatorName: opts.operatorName } : {}),
        });
        const id = this.insert(doc, key, txnId ?? original.txn_id, count, original.id);
        return this.get(id)!;
      })
      .immediate();
  }

  /** enqueue() then printPending(); returns the job as it ended up. */
  async enqueueAndPrint(doc: ReceiptDoc, ref: PrintRef): Promise<PrintJob> {
    const job = this.enqueue(doc, ref);
    if (job.status === 'queued') await this.printPending();
    return this.get(job.jobId)!;
  }

  /** reprint() then printPending(). */
  async reprintAndPrint(ref: PrintRef, opts: { operatorName?: string } = {}): Promise<PrintJob> {
    const job = this.reprint(ref, opts);
    await this.printPending();
    return this.get(job.jobId)!;
  }

  /** A test page (no money, no ledger): checks the printer, the width and Chinese output. */
  async printTestPage(info: {
    station: ReceiptStation;
    demo: boolean;
    operatorName: string;
  }): Promise<PrintJob> {
    const t = this.now();
    const serial = `TEST-${t
      .toISOString()
      .replace(/[^0-9]/g, '')
      .slice(0, 17)}`;
    return this.enqueueAndPrint(
      { kind: 'test_page', ...info, serial, time: t.toISOString() },
      `test:${serial}`,
    );
  }

  /** Sends every queued job, oldest first, one at a time. Stops at the first printer failure
   *  (the rest keep waiting, with that failure as their last error). Runs are serialised. */
  printPending(): Promise<PrintRunResult> {
    const run = this.chain.then(() => this.runPending());
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** The operator's answer for an 'uncertain' job: it is on paper ('printed'), or it is not
   *  and a reprint (marked 重印) is queued ('reprint'). Returns the job to watch. */
  resolveUncertain(
    jobId: number,
    outcome: 'printed' | 'reprint',
    opts: { operatorName?: string } = {},
  ): PrintJob {
    const job = this.get(jobId);
    if (!job) throw new YizhanError('NOT_FOUND', { jobId });
    if (job.status !== 'uncertain')
      throw new YizhanError('INVALID_INPUT', { jobId, reason: 'not_uncertain', status: job.status });
    const at = this.now().toISOString();
    if (outcome === 'printed') {
      markPrintJobPrinted(this.db, jobId, at);
      return this.get(jobId)!;
    }
    return this.db
      .transaction((): PrintJob => {
        setPrintJobStatus(this.db, jobId, 'failed', NOT_PRINTED_REPRINTED);
        return this.reprint(job.txnId ?? job.ref, opts);
      })
      .immediate();
  }

  get(jobId: number): PrintJob | undefined {
    const r = printJobById(this.db, jobId);
    return r ? toJob(r) : undefined;
  }

  /** All jobs of one receipt (original and reprints), oldest first. */
  jobsFor(ref: PrintRef): PrintJob[] {
    return printJobsOfRef(this.db, refKey(ref).key).map(toJob);
  }

  /** Newest first; by default everything not yet printed, then the latest printed. */
  list(opts: { status?: PrintJobStatus | PrintJobStatus[]; limit?: number } = {}): PrintJob[] {
    const limit = Math.min(Math.max(1, opts.limit ?? 100), PRINT_JOBS_LIST_MAX);
    const statuses =
      opts.status === undefined ? null : Array.isArray(opts.status) ? opts.status : [opts.status];
    return listPrintJobs(this.db, statuses, limit).map(toJob);
  }

  /** How many jobs are in each state. */
  counts(): Record<PrintJobStatus, number> {
    const out: Record<PrintJobStatus, number> = {
      queued: 0,
      printing: 0,
      printed: 0,
      failed: 0,
      uncertain: 0,
    };
    for (const r of printJobCounts(this.db)) out[r.status] = r.n;
    return out;
  }

  /** For printer.status: configured at all, reachable now, and a Chinese sentence. */
  async printerStatus(): Promise<{
    configured: boolean;
    connected: boolean;
    code: PrinterErrorCode | null;
    message: string;
  }> {
    let transport: PrinterTransport;
    try {
      transport = this.currentTransport();
    } catch (e) {
      const pe = toPrinterError(e, false);
      return {
        configured: pe.code !== 'PRINTER_NOT_CONFIGURED',
        connected: false,
        code: pe.code,
        message: pe.message,
      };
    }
    const s = await transport.status();
    return s.connected
      ? { configured: true, connected: true, code: null, message: '打印机已连接' }
      : {
          configured: true,
          connected: false,
          code: s.code ?? 'PRINTER_FAILED',
          message: s.message ?? '打印机未连接',
        };
  }

  // ---- internals ---------------------------------------------------------------------------

  private async runPending(): Promise<PrintRunResult> {
    const result: PrintRunResult = { printed: 0, failed: 0, waiting: 0, error: null, jobs: [] };
    const ids = queuedPrintJobIds(this.db);
    if (ids.length === 0) return result;

    let transport: PrinterTransport | null = null;
    try {
      transport = this.currentTransport();
    } catch (e) {
      const pe = toPrinterError(e, false);
      result.error = { code: pe.code, message: pe.message };
    }
    const settings = readPrinterSettings(this.db);

    for (const id of ids) {
      if (!transport) break;
      const row = printJobById(this.db, id);
      if (!row || row.status !== 'queued') continue;
      let bytes: Buffer;
      try {
        const stored = parseReceiptDoc(JSON.parse(row.document));
        const doc = this.training ? { ...stored, training: true } : stored;
        bytes = renderEscPos(doc, {
          ...settings,
          drawer: settings.drawer && !this.training && kicksDrawer(doc),
        });
      } catch (e) {
        // A document that cannot be laid out will never print: say so, keep the row.
        claimPrintJob(this.db, id, this.now().toISOString());
        setPrintJobStatus(
          this.db,
          id,
          'failed',
          `${RENDER_FAILED}：${e instanceof Error ? e.message.slice(0, 200) : String(e)}`,
        );
        result.failed++;
        result.jobs.push(this.get(id)!);
        continue;
      }
      // Claimed and committed before a byte leaves: a crash from here on leaves 'printing',
      // which the next start turns into 'uncertain' — never a silent second print.
      if (!claimPrintJob(this.db, id, this.now().toISOString())) continue;
      try {
        await transport.send(bytes);
        markPrintJobPrinted(this.db, id, this.now().toISOString());
        result.printed++;
      } catch (e) {
        const pe = toPrinterError(e, true);
        setPrintJobStatus(
          this.db,
          id,
          pe.maybeSent ? 'uncertain' : 'queued',
          pe.maybeSent ? `${pe.message}（${MAYBE_PRINTED}）` : pe.message,
        );
        result.failed++;
        result.error = { code: pe.code, message: pe.message };
        result.jobs.push(this.get(id)!);
        break; // the printer is in trouble: the rest wait, in order
      }
      result.jobs.push(this.get(id)!);
    }

    if (result.error) {
      // Every job still waiting shows why (without counting an attempt it did not have).
      noteWhyQueued(this.db, result.error.message);
    }
    result.waiting = countQueuedPrintJobs(this.db);
    return result;
  }

  private currentTransport(): PrinterTransport {
    if (this.transport === null) throw new PrinterError('PRINTER_NOT_CONFIGURED', false);
    if (this.transport !== undefined) return this.transport;
    const iface = readPrinterSettings(this.db).interface;
    if (this.cached?.iface !== iface)
      this.cached = { iface, transport: createTransport(iface, { devices: this.devices ?? {} }) };
    return this.cached.transport;
  }

  private insert(
    doc: ReceiptDoc,
    ref: string,
    txnId: number | null,
    reprintNo: number,
    reprintOf: number | null,
  ): number {
    return insertPrintJob(this.db, {
      kind: doc.kind,
      ref,
      txnId,
      serial: doc.serial,
      document: JSON.stringify(doc),
      createdAt: this.now().toISOString(),
      reprintNo,
      reprintOf,
    });
  }
}

const UNCERTAIN_AFTER_CRASH = '程序在打印过程中中断，无法确定是否已打出，请查看纸质凭证后确认或重印';
const MAYBE_PRINTED = '可能已部分打出，请查看后确认或重印';
const NOT_PRINTED_REPRINTED = '操作员确认未打出，已重印';
const RENDER_FAILED = '无法生成打印内容';

function refKey(ref: PrintRef): { key: string; txnId: number | null } {
  if (typeof ref === 'number') {
    if (!Number.isSafeInteger(ref) || ref <= 0) throw new YizhanError('INVALID_INPUT', { field: 'ref' });
    return { key: `txn:${ref}`, txnId: ref };
  }
  const key = ref.trim();
  if (key === '' || key.length > 100 || /^txn:/.test(key))
    throw new YizhanError('INVALID_INPUT', { field: 'ref' });
  return { key, txnId: null };
}

function toJob(r: PrintJobRow): PrintJob {
  return {
    jobId: r.id,
    kind: r.kind,
    ref: r.ref,
    txnId: r.txn_id,
    serial: r.serial,
    reprintNo: r.reprint_no,
    reprintOf: r.reprint_of,
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: r.created_at,
    claimedAt: r.claimed_at,
    printedAt: r.printed_at,
  };
}
