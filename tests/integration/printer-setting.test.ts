// Issue 9, defect 1: the printer setting must never turn into "write receipt bytes over any
// file". printer.set accepts only a network printer or a real printer device; a setting written
// by hand into the database is checked again when a receipt is printed, and a path that is not
// a device when it is opened is never written.
import fs from 'node:fs';
import path from 'node:path';
import { deviceBytes } from '../helpers/fake-printer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { billPayArgs, ok, tempDir, testBackend, topUp } from '../helpers/backend';
import type { Backend } from '../../backend/backend';
import { openDatabase, type Db } from '../../db/open';
import { PrintQueue, writePrinterSettings } from '../../backend/printing/print-queue';
import { createTransport, parsePrinterTarget } from '../../backend/printing/transport';
import { billPayment } from '../fixtures/receipts';

const VICTIM = 'ledger copy — must survive\n';

let dir: string;
beforeEach(() => {
  dir = tempDir('yizhan-printer-set-');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('defect 1: any file can be overwritten through the printer setting', () => {
  let b: Backend & { dataDir: string };
  beforeEach(async () => {
    b = await testBackend();
  });
  afterEach(() => b.close());

  it('printer.set refuses every path that is not a printer device, with INVALID_INPUT, and stores nothing', async () => {
    const victim = path.join(dir, 'victim');
    fs.writeFileSync(victim, VICTIM);
    const link = path.join(dir, 'lp0');
    fs.symlinkSync(victim, link);
    const hostile = [
      `/dev/..${victim}`, // the reproduced attack: resolves to the file
      '/dev/../etc/passwd',
      '/etc/passwd',
      victim,
      link, // a symlink to a file
      '/dev/usb/lp0/../../../tmp/x',
      '/dev/usb/../../tmp/x',
      '/dev//usb/lp0',
      '/dev/./usb/lp0',
      '/dev/null',
      '/dev/stdout', // a symlink to the process's own output
      '/dev/fd/1',
      '/dev/shm/x',
      'COM3', // on this platform a relative file name in the working directory
      'lp0',
      './lp0',
      'printer:XP-58',
      'file:///tmp/x',
      'tcp://host:0',
      'tcp://host:65536',
      'tcp://host:9100/../x',
      'tcp://-host:9100',
      'tcp://host:9100@evil',
    ];
    for (const iface of hostile) {
      const r = await b.call('printer.set', { interface: iface, columns: 32 });
      expect(r.ok ? `accepted ${iface}` : r.error.code, iface).toBe('INVALID_INPUT');
    }
    expect(ok(await b.call('printer.get', undefined)).interface).toBe('');
    expect(fs.readFileSync(victim, 'utf8')).toBe(VICTIM);
  });

  it('printer.set accepts tcp://host:port and the printer device paths (present or not yet plugged in)', async () => {
    for (const iface of [
      'tcp://192.168.1.50:9100',
      'tcp://printer.local:1',
      'tcp://10.0.0.7:65535',
      '/dev/usb/lp0',
      '/dev/usb/lp12',
      '/dev/ttyS0',
      '/dev/ttyUSB0',
      '/dev/ttyACM3',
      '',
    ]) {
      expect(ok(await b.call('printer.set', { interface: iface, columns: 32 })).interface).toBe(iface);
    }
  });

  it('a printer setting written by hand into the database is checked again at print time: the file is never written', async () => {
    const victim = path.join(dir, 'station.key');
    fs.writeFileSync(victim, VICTIM);
    await topUp(b, '500');
    const bill = ok(await b.call('bill.inquire', { service: 'water', account: '3501001234' }));
    const paid = ok(await b.call('bill.pay', await billPayArgs(b, bill, { cash: bill.total })));
    for (const iface of [`/dev/..${victim}`, victim, 'printer:XP-58']) {
      b.db
        .prepare(
          "INSERT INTO settings (key, value) VALUES ('printer.interface', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        )
        .run(iface);
      const r = ok(await b.call('print.retry', undefined));
      expect(r.printed, iface).toBe(0);
      const job = ok(await b.call('print.reprint', { txnId: paid.txnId })).job;
      expect(job.status, iface).toBe('queued');
      expect(job.lastError, iface).toMatch(/打印机地址/);
      const status = ok(await b.call('printer.status', undefined));
      expect(status.connected, iface).toBe(false);
      expect(fs.readFileSync(victim, 'utf8'), iface).toBe(VICTIM);
    }
  });
});

describe('defect 1: a device path is a device when it is opened', () => {
  // The device folder is a temporary one here (the rules are the same as for /dev): the tests
  // must not touch the machine's own devices.
  let devDir: string;
  let db: Db;
  beforeEach(() => {
    devDir = path.join(dir, 'dev');
    fs.mkdirSync(path.join(devDir, 'usb'), { recursive: true });
    db = openDatabase(path.join(dir, 'station.sqlite'));
  });
  afterEach(() => db.close());

  it('a symlink named like a printer that points at a file is refused and the file is untouched', async () => {
    const victim = path.join(dir, 'backup.sqlite');
    fs.writeFileSync(victim, VICTIM);
    const lp = path.join(devDir, 'usb', 'lp0');
    const devices = { devDir };
    // Set while nothing is there (a printer not plugged in), then the symlink appears.
    const transport = createTransport(lp, { devices });
    fs.symlinkSync(victim, lp);
    await expect(transport.send(Buffer.from('RECEIPT'))).rejects.toMatchObject({
      code: 'PRINTER_BAD_INTERFACE',
      maybeSent: false,
    });
    expect(await transport.status()).toMatchObject({ connected: false, code: 'PRINTER_BAD_INTERFACE' });
    expect(() => createTransport(lp, { devices })).toThrow(/打印机地址/);
    expect(() => writePrinterSettings(db, { interface: lp }, { devices })).toThrow(/打印机地址/);
    expect(fs.readFileSync(victim, 'utf8')).toBe(VICTIM);
  });

  it('a plain file put where the printer device should be is refused at print time, never written', async () => {
    const lp = path.join(devDir, 'usb', 'lp1');
    const q = new PrintQueue(db, undefined, { devices: { devDir } });
    // Accepted while the printer is unplugged; then a file appears under its name.
    writePrinterSettings(db, { interface: lp }, { devices: { devDir } });
    fs.writeFileSync(lp, VICTIM);
    const job = await q.enqueueAndPrint(billPayment, 42);
    expect(job.status).toBe('queued');
    expect(job.lastError).toMatch(/打印机地址/);
    expect(fs.readFileSync(lp, 'utf8')).toBe(VICTIM);
  });

  it('a path that leaves the device folder after resolving is refused', () => {
    fs.mkdirSync(path.join(dir, 'elsewhere'));
    fs.symlinkSync(path.join(dir, 'elsewhere'), path.join(devDir, 'usb2'));
    for (const p of [
      path.join(devDir, 'usb2', 'lp0'), // under a symlinked folder
      `${devDir}/../x`,
      `${devDir}/usb/../../x`,
      `${devDir}/usb/lp0/..`,
      `${devDir}/ttyS0x`,
      `${devDir}/tty0`,
    ]) {
      expect(() => writePrinterSettings(db, { interface: p }, { devices: { devDir } }), p).toThrow(
        /打印机地址/,
      );
    }
  });

  it('Windows port names are printer devices only on Windows', () => {
    for (const p of ['COM1', 'COM12', '\\\\.\\COM3', 'LPT1', 'com4']) {
      expect(parsePrinterTarget(p, 'win32'), p).toMatchObject({ kind: 'device' });
      expect(() => parsePrinterTarget(p, 'linux'), p).toThrow(/打印机地址/);
    }
    for (const p of ['COM', 'COM1x', '\\\\.\\C:\\x', 'LPT', 'C:\\ledger.sqlite', '\\\\server\\share\\x']) {
      expect(() => parsePrinterTarget(p, 'win32'), p).toThrow(/打印机地址/);
    }
    expect(parsePrinterTarget('COM3', 'win32')).toEqual({ kind: 'device', path: '\\\\.\\COM3' });
  });

  it('unrefused: a real character device under the printer name is written', async () => {
    // A FIFO stands in for the printer's character device (allowed only through this option).
    const lp = path.join(devDir, 'usb', 'lp2');
    const { execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [lp]);
    const devices = { devDir, allowFifo: true };
    const got = deviceBytes(lp);
    writePrinterSettings(db, { interface: lp }, { devices });
    await createTransport(lp, { devices }).send(Buffer.from('RECEIPT'));
    expect((await got).toString()).toBe('RECEIPT');
  });
});
