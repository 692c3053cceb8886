// Printing end to end: receipt document → print queue (SQLite) → node-thermal-printer over TCP →
// a fake printer on 127.0.0.1 → bytes decoded back as GB18030.
// Long on purpose (about 410 lines): a catalogue of independent cases that share the fake printer
// and the queue set up at the top of the file.
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { qrcode } from 'receiptline';
import { openDatabase, schemaVersion, type Db } from '../../db/open';
import { MIGRATIONS } from '../../db/migrations/index';
import { PrintQueue, readPrinterSettings, writePrinterSettings } from '../../backend/printing/print-queue';
import {
  PRINTER_ERRORS,
  PrinterError,
  createTransport,
  parsePrinterTarget,
  type PrinterTransport,
} from '../../backend/printing/transport';
import { decodeEscPos, imageToModules } from '../helpers/escpos-decoder';
import { FakePrinter, deviceBytes } from '../helpers/fake-printer';
import { billPayment, reversal, topUpVoucher } from '../fixtures/receipts';

let dir: string;
let db: Db;
let printer: FakePrinter;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yizhan-print-'));
  db = openDatabase(path.join(dir, 'station.sqlite'));
  printer = await FakePrinter.start();
});

afterEach(async () => {
  await printer.stop();
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function queueFor(opts: { qr?: 'image' | 'native'; columns?: 32 | 48 } = {}): PrintQueue {
  writePrinterSettings(db, {
    interface: printer.iface,
    columns: opts.columns ?? 32,
    qr: opts.qr ?? 'native',
  });
  return new PrintQueue(db);
}

describe('printing to a network printer', () => {
  it('SRV-1/SRV-3: a payment receipt reaches the printer: 收您, 找您, serial, QR = serial, one cut, no unknown command', async () => {
    const q = queueFor({ qr: 'native' });
    const job = await q.enqueueAndPrint(billPayment, 42);
    expect(job.status).toBe('printed');
    expect(job.txnId).toBe(42);
    const [bytes] = await printer.waitForJobs(1);
    const d = decodeEscPos(bytes!);
    expect(d.unknown).toEqual([]);
    expect(d.cuts).toBe(1);
    expect(d.lines.some((l) => /^收您\s+100\.00 元$/.test(l.text))).toBe(true);
    expect(d.lines.some((l) => /^找您\s+3\.50 元$/.test(l.text))).toBe(true);
    expect(d.lines.some((l) => /^手续费\s+0\.00 元$/.test(l.text))).toBe(true);
    expect(d.lines.some((l) => l.text.trim() === billPayment.serial)).toBe(true);
    expect(d.qrPayloads).toEqual([billPayment.serial]);
    for (const l of d.lines) expect(l.widthColumns).toBeLessThanOrEqual(32);
    // The status check before the job opened and closed a connection with nothing in it.
    expect(printer.emptyConnections).toBeGreaterThanOrEqual(1);
    expect(printer.jobs).toHaveLength(1);
  });

  it('QR as an image (the default): the raster is the QR code of the serial; 48 columns', async () => {
    const q = queueFor({ qr: 'image', columns: 48 });
    await q.enqueueAndPrint(reversal, 43);
    const [bytes] = await printer.waitForJobs(1);
    const d = decodeEscPos(bytes!);
    expect(d.unknown).toEqual([]);
    expect(d.cuts).toBe(1);
    expect(d.qrPayloads).toEqual([]);
    expect(d.images).toHaveLength(1);
    const expected = qrcode
      .generate({ data: reversal.serial, type: 'qrcode', cell: 5, level: 'm' })
      .map((r) => Array.from(r));
    expect(imageToModules(d.images[0]!, 5)).toEqual(expected);
    expect(d.lines.some((l) => new RegExp(`^原交易流水号\\s+${reversal.originalSerial}$`).test(l.text))).toBe(
      true,
    );
    for (const l of d.lines) expect(l.widthColumns).toBeLessThanOrEqual(48);
  });

  it('printer off: the job stays queued with a clear error; back on: printPending prints it once', async () => {
    const q = queueFor();
    await printer.goDown();
    const queued = q.enqueue(billPayment, 42);
    expect(queued.status).toBe('queued');

    const down = await q.printPending();
    expect(down.printed).toBe(0);
    expect(down.error?.code).toBe('PRINTER_OFF');
    const waiting = q.get(queued.jobId)!;
    expect(waiting.status).toBe('queued');
    expect(waiting.lastError).toBe(PRINTER_ERRORS.PRINTER_OFF);
    expect(waiting.lastError).toMatch(/打印机未开机/);
    expect(down.waiting).toBe(1);
    expect((await q.printerStatus()).connected).toBe(false);

    // A second receipt while the printer is off waits too, and shows why.
    const second = q.enqueue(topUpVoucher, 44);
    await q.printPending();
    expect(q.get(second.jobId)!.lastError).toBe(PRINTER_ERRORS.PRINTER_OFF);

    await printer.comeBack();
    expect((await q.printerStatus()).connected).toBe(true);
    const up = await q.printPending();
    expect(up.printed).toBe(2);
    expect(up.error).toBeNull();
    expect(q.get(queued.jobId)!.status).toBe('printed');
    expect(q.get(queued.jobId)!.lastError).toBeNull();
    await printer.waitForJobs(2);

    const again = await q.printPending();
    expect(again.printed).toBe(0);
    expect(again.jobs).toEqual([]);
    expect(await printer.settle()).toBe(2);
    // Oldest first: the payment, then the top-up.
    expect(decodeEscPos(printer.jobs[0]!).text).toContain('便民缴费凭证');
    expect(decodeEscPos(printer.jobs[1]!).text).toContain('预存款充值凭证');
  });

  it('queueing the same receipt again does not print it twice', async () => {
    const q = queueFor();
    const a = await q.enqueueAndPrint(billPayment, 42);
    const b = await q.enqueueAndPrint(billPayment, 42);
    expect(b.jobId).toBe(a.jobId);
    expect(await printer.settle()).toBe(1);
    expect(() => q.enqueue({ ...billPayment, operatorName: '李四' }, 42)).toThrow(/同一笔业务/);
  });

  it('a reprint is a new job marked 重印 with its count', async () => {
    const q = queueFor();
    await q.enqueueAndPrint(billPayment, 42);
    const r1 = await q.reprintAndPrint(42, { operatorName: '王秀兰' });
    const r2 = await q.reprintAndPrint(42);
    expect([r1.reprintNo, r2.reprintNo]).toEqual([1, 2]);
    expect(r1.status).toBe('printed');
    expect(r1.reprintOf).toBe(q.jobsFor(42)[0]!.jobId);
    const jobs = await printer.waitForJobs(3);
    const [orig, first, second] = jobs.map((b) => decodeEscPos(b));
    expect(orig!.text).not.toContain('重印');
    expect(first!.lines[0]!.text).toMatch(/重印\s+第1次重印/);
    expect(second!.lines[0]!.text).toMatch(/重印\s+第2次重印/);
    expect(first!.qrPayloads).toEqual([billPayment.serial]);
    expect(first!.cuts).toBe(1);
    expect(q.jobsFor(42).map((j) => j.reprintNo)).toEqual([0, 1, 2]);
  });

  it('pressing 重印 again while the printer is off does not pile up copies', async () => {
    const q = queueFor();
    await q.enqueueAndPrint(billPayment, 42);
    await printer.waitForJobs(1);
    await printer.goDown();
    const a = q.reprint(42);
    const b = q.reprint(42);
    expect(b.jobId).toBe(a.jobId);
    await q.printPending();
    await printer.comeBack();
    await q.printPending();
    await printer.waitForJobs(2);
    expect(await printer.settle()).toBe(2);
  });

  it('reprint of an unknown receipt is NOT_FOUND', () => {
    const q = queueFor();
    expect(() => q.reprint(999)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});

describe('nothing prints twice by accident', () => {
  /** A receipt job claimed for printing (after `attempts` sends, if given) when the app died; the
   *  job and the queue the restarted app opens. */
  function crashedWhilePrinting(attempts?: number) {
    const job = queueFor().enqueue(billPayment, 42);
    db.prepare(
      "UPDATE print_jobs SET status = 'printing', claimed_at = ?, attempts = coalesce(?, attempts) WHERE id = ?",
    ).run(new Date().toISOString(), attempts ?? null, job.jobId);
    return { job, q2: new PrintQueue(db) };
  }

  it('a job left "printing" by a crash becomes uncertain and is not re-sent; the operator reprints it (重印)', async () => {
    // The app died after claiming the job (bytes may or may not have reached the printer).
    const { job, q2 } = crashedWhilePrinting(1);
    expect(q2.recoveredUncertain).toBe(1);
    expect(q2.get(job.jobId)!.status).toBe('uncertain');
    expect(q2.get(job.jobId)!.lastError).toMatch(/无法确定是否已打出/);
    const run = await q2.printPending();
    expect(run.printed).toBe(0);
    expect(await printer.settle()).toBe(0);

    const re = q2.resolveUncertain(job.jobId, 'reprint', { operatorName: '王秀兰' });
    expect(re.reprintNo).toBe(1);
    expect(q2.get(job.jobId)!.status).toBe('failed');
    await q2.printPending();
    const [bytes] = await printer.waitForJobs(1);
    expect(decodeEscPos(bytes!).lines[0]!.text).toMatch(/重印\s+第1次重印/);
    expect(await printer.settle()).toBe(1);
  });

  it('the operator can confirm an uncertain job was printed', () => {
    const { job, q2 } = crashedWhilePrinting();
    expect(q2.resolveUncertain(job.jobId, 'printed').status).toBe('printed');
    expect(() => q2.resolveUncertain(job.jobId, 'printed')).toThrow();
  });

  it('a send that fails after bytes may have left (timeout) leaves the job uncertain, not queued', async () => {
    let sends = 0;
    const flaky: PrinterTransport = {
      target: 'flaky',
      send: async () => {
        sends++;
        throw new PrinterError('PRINTER_TIMEOUT', true);
      },
      status: async () => ({ connected: true }),
    };
    const q = new PrintQueue(db, flaky);
    const job = q.enqueue(billPayment, 42);
    const run = await q.printPending();
    expect(run.error?.code).toBe('PRINTER_TIMEOUT');
    expect(q.get(job.jobId)!.status).toBe('uncertain');
    await q.printPending();
    expect(sends).toBe(1);
  });

  it('a send refused before any byte left keeps the job queued and retries it later', async () => {
    let fail = true;
    const sent: Buffer[] = [];
    const t: PrinterTransport = {
      target: 'stub',
      send: async (b) => {
        if (fail) throw new PrinterError('PRINTER_NOT_FOUND', false);
        sent.push(b);
      },
      status: async () => ({ connected: !fail }),
    };
    const q = new PrintQueue(db, t);
    const job = q.enqueue(billPayment, 42);
    await q.printPending();
    expect(q.get(job.jobId)).toMatchObject({
      status: 'queued',
      attempts: 1,
      lastError: PRINTER_ERRORS.PRINTER_NOT_FOUND,
    });
    fail = false;
    await q.printPending();
    await q.printPending();
    expect(sent).toHaveLength(1);
    expect(q.get(job.jobId)).toMatchObject({ status: 'printed', attempts: 2 });
  });

  it('concurrent printPending calls send each job once', async () => {
    const q = queueFor();
    q.enqueue(billPayment, 42);
    q.enqueue(reversal, 43);
    const runs = await Promise.all([q.printPending(), q.printPending(), q.printPending()]);
    expect(runs.reduce((n, r) => n + r.printed, 0)).toBe(2);
    await printer.waitForJobs(2);
    expect(await printer.settle()).toBe(2);
  });

  it('the database refuses to move a printed job back (trigger), or to delete or rewrite a job', async () => {
    const q = queueFor();
    const job = await q.enqueueAndPrint(billPayment, 42);
    expect(() => db.prepare("UPDATE print_jobs SET status = 'queued' WHERE id = ?").run(job.jobId)).toThrow(
      /PRINT_JOB_TRANSITION/,
    );
    expect(() => db.prepare('DELETE FROM print_jobs WHERE id = ?').run(job.jobId)).toThrow(/APPEND_ONLY/);
    const other = q.enqueue(reversal, 43);
    expect(() => db.prepare("UPDATE print_jobs SET document = '{}' WHERE id = ?").run(other.jobId)).toThrow(
      /APPEND_ONLY/,
    );
    expect(() =>
      db.prepare("UPDATE print_jobs SET status = 'queued' WHERE id = ?").run(other.jobId),
    ).not.toThrow();
    db.prepare("UPDATE print_jobs SET status = 'printing', claimed_at = 'x' WHERE id = ?").run(other.jobId);
    db.prepare("UPDATE print_jobs SET status = 'uncertain' WHERE id = ?").run(other.jobId);
    expect(() => db.prepare("UPDATE print_jobs SET status = 'queued' WHERE id = ?").run(other.jobId)).toThrow(
      /PRINT_JOB_TRANSITION/,
    );
  });
});

describe('printer settings, status and interfaces', () => {
  it('settings live in the settings table, with defaults', () => {
    expect(readPrinterSettings(db)).toEqual({
      interface: '',
      columns: 32,
      qr: 'image',
      commandSet: 'generic',
      drawer: false,
    });
    writePrinterSettings(db, { interface: ' tcp://10.0.0.5:9100 ', columns: 48 });
    expect(readPrinterSettings(db)).toMatchObject({ interface: 'tcp://10.0.0.5:9100', columns: 48 });
    expect(db.prepare("SELECT value FROM settings WHERE key = 'printer.columns'").pluck().get()).toBe('48');
    expect(() => writePrinterSettings(db, { interface: 'tcp://host:99999' })).toThrow(PrinterError);
  });

  it('no printer configured: jobs wait with a clear message', async () => {
    const q = new PrintQueue(db);
    const job = q.enqueue(billPayment, 42);
    const run = await q.printPending();
    expect(run.error?.code).toBe('PRINTER_NOT_CONFIGURED');
    expect(q.get(job.jobId)).toMatchObject({
      status: 'queued',
      attempts: 0,
      lastError: PRINTER_ERRORS.PRINTER_NOT_CONFIGURED,
    });
    expect(await q.printerStatus()).toMatchObject({ configured: false, connected: false });
  });

  it('printer:NAME (an OS print queue) is not an accepted interface', async () => {
    expect(() => createTransport('printer:XP-58')).toThrow(
      expect.objectContaining({ code: 'PRINTER_BAD_INTERFACE' }),
    );
    expect(() => writePrinterSettings(db, { interface: 'printer:XP-58' })).toThrow(PrinterError);
  });

  it('interface strings parse', () => {
    expect(parsePrinterTarget('tcp://192.168.1.50')).toEqual({
      kind: 'tcp',
      host: '192.168.1.50',
      port: 9100,
    });
    expect(parsePrinterTarget('tcp://printer.local:9101')).toEqual({
      kind: 'tcp',
      host: 'printer.local',
      port: 9101,
    });
    expect(parsePrinterTarget('/dev/usb/lp0', 'linux')).toEqual({ kind: 'device', path: '/dev/usb/lp0' });
    expect(parsePrinterTarget('\\\\.\\COM3', 'win32')).toEqual({ kind: 'device', path: '\\\\.\\COM3' });
    expect(() => parsePrinterTarget('http://x')).toThrow(
      expect.objectContaining({ code: 'PRINTER_BAD_INTERFACE' }),
    );
    expect(() => parsePrinterTarget('')).toThrow(expect.objectContaining({ code: 'PRINTER_NOT_CONFIGURED' }));
  });

  it('status of a network printer: connected, then off (refused) with a Chinese message', async () => {
    const t = createTransport(printer.iface);
    expect(await t.status()).toEqual({ connected: true });
    await printer.goDown();
    expect(await t.status()).toMatchObject({
      connected: false,
      code: 'PRINTER_OFF',
      message: PRINTER_ERRORS.PRINTER_OFF,
    });
    await expect(t.send(Buffer.from('x'))).rejects.toMatchObject({ code: 'PRINTER_OFF', maybeSent: false });
  });

  it('a device path: written once, never created when missing', async () => {
    // A temporary device folder with a FIFO standing in for the printer's character device.
    const devices = { devDir: path.join(dir, 'dev'), allowFifo: true };
    fs.mkdirSync(path.join(devices.devDir, 'usb'), { recursive: true });
    const dev = path.join(devices.devDir, 'usb', 'lp0');
    const missing = createTransport(path.join(devices.devDir, 'ttyUSB7'), { devices });
    await expect(missing.send(Buffer.from('x'))).rejects.toMatchObject({
      code: 'PRINTER_NOT_FOUND',
      maybeSent: false,
    });
    expect((await missing.status()).connected).toBe(false);
    const absent = createTransport(dev, { devices });
    await expect(absent.send(Buffer.from('x'))).rejects.toMatchObject({ code: 'PRINTER_NOT_FOUND' });
    expect(fs.existsSync(dev)).toBe(false); // node-thermal-printer's file interface would create it

    execFileSync('mkfifo', [dev]); // "plugged in"
    const received = deviceBytes(dev);
    writePrinterSettings(db, { interface: dev, qr: 'native' }, { devices });
    const q = new PrintQueue(db, undefined, { devices });
    expect((await q.enqueueAndPrint(billPayment, 42)).status).toBe('printed');
    const d = decodeEscPos(await received);
    expect(d.qrPayloads).toEqual([billPayment.serial]);
    expect(d.cuts).toBe(1);
  });

  it('a test page prints through the queue', async () => {
    const q = queueFor({ columns: 48 });
    const job = await q.printTestPage({ station: billPayment.station, demo: true, operatorName: '王秀兰' });
    expect(job).toMatchObject({ kind: 'test_page', status: 'printed', txnId: null });
    const [bytes] = await printer.waitForJobs(1);
    const d = decodeEscPos(bytes!);
    expect(d.text).toContain('打印测试页');
    expect(d.lines.some((l) => l.text === '1234567890'.repeat(5).slice(0, 48))).toBe(true);
    expect(d.unknown).toEqual([]);
  });
});

describe('migration 002', () => {
  it('migrates a version-1 database to version 2 with print_jobs', () => {
    const file = path.join(dir, 'old.sqlite');
    const v1 = openDatabase(file, {
      migrations: MIGRATIONS.filter((m) => m.version === 1),
      backupDir: path.join(dir, 'b'),
    });
    expect(schemaVersion(v1)).toBe(1);
    v1.close();
    const v2 = openDatabase(file, { backupDir: path.join(dir, 'b') });
    expect(schemaVersion(v2)).toBeGreaterThanOrEqual(2);
    expect(v2.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'print_jobs'").pluck().get()).toBe(1);
    v2.close();
  });
});
