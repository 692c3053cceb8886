// Bytes → printer, through node-thermal-printer used as a transport only (setBuffer / execute /
// clear); its own text and layout functions are not used (PRINTING.md: they count a Chinese
// character as one column and break on ¥).
//
// Interface strings, as stored in the `printer.interface` setting (shared/printer-interface.ts):
//   tcp://host[:port]   network printer, raw port 9100 by default
//   /dev/usb/lp0, /dev/ttyS0, /dev/ttyUSB0, /dev/ttyACM0   a Linux printer or serial device
//   COM3, \\.\COM3, LPT1   a Windows port
// Nothing else: a device path must still be a printer device after resolving symlinks and be a
// character device when it is opened (checked again on every job — the setting may have been
// written into the database by hand), so receipt bytes can never overwrite a file.
//
// Failures are PrinterErrors (./printer-errors.ts), each saying whether bytes may have been sent.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ThermalPrinter, PrinterTypes } from 'node-thermal-printer';
import {
  DEFAULT_TCP_PORT,
  POSIX_DEVICE_RE,
  parsePrinterInterface,
  type InterfacePlatform,
} from '../../shared/printer-interface';
import {
  codeOfErrno,
  PrinterError,
  toPrinterError,
  withDeadline,
  type PrinterErrorCode,
} from './printer-errors';

export { PRINTER_ERRORS, PrinterError, toPrinterError, type PrinterErrorCode } from './printer-errors';

export type PrinterTarget = { kind: 'tcp'; host: string; port: number } | { kind: 'device'; path: string };

export { DEFAULT_TCP_PORT };

/** Where printer devices may be, and what counts as one. Only tests change the defaults. */
export interface DeviceOptions {
  /** The device folder (default /dev). Tests use a temporary one. */
  devDir?: string;
  /** Accept a FIFO in place of a character device (tests: a stand-in printer). */
  allowFifo?: boolean;
  /** Whose rules (default: this process's platform). */
  platform?: NodeJS.Platform;
}

function platformOf(p: NodeJS.Platform | undefined): InterfacePlatform {
  return (p ?? process.platform) === 'win32' ? 'win32' : 'posix';
}

/** Parses an interface string (see the top of this file). Throws PRINTER_NOT_CONFIGURED for
 *  "", PRINTER_BAD_INTERFACE for anything that is not an accepted form. */
export function parsePrinterTarget(
  s: string | null | undefined,
  platform?: NodeJS.Platform,
  devDir?: string,
): PrinterTarget {
  const t = (s ?? '').trim();
  if (t === '') throw new PrinterError('PRINTER_NOT_CONFIGURED', false);
  const parsed = parsePrinterInterface(t, platformOf(platform), devDir);
  if (!parsed) throw new PrinterError('PRINTER_BAD_INTERFACE', false, t);
  return parsed;
}

/**
 * Checks a device path on disk. A path that does not exist is a printer not plugged in: fine
 * unless `mustExist`. One that exists must resolve (symlinks followed) to a printer device name
 * under the device folder and be a character device. Returns the resolved path to open.
 * Throws PRINTER_BAD_INTERFACE (never anything written) or PRINTER_NOT_FOUND.
 */
export function checkDevicePath(p: string, opts: DeviceOptions = {}, mustExist = false): string {
  if (platformOf(opts.platform) === 'win32') return p; // \\.\COMn names a device, never a file
  const devDir = opts.devDir ?? '/dev';
  let real: string;
  try {
    real = fs.realpathSync(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      if (mustExist) throw new PrinterError('PRINTER_NOT_FOUND', false, p);
      // Not plugged in: the folders that do exist must not lead out of the device folder.
      const parent = path.dirname(p);
      const expected = path.join(realDevDir(devDir), path.relative(devDir, parent));
      if (fs.existsSync(parent) && fs.realpathSync(parent) !== expected)
        throw new PrinterError('PRINTER_BAD_INTERFACE', false, `${p}: its folder resolves elsewhere`);
      return p;
    }
    throw toPrinterError(e, false);
  }
  const root = realDevDir(devDir);
  const rel = real.startsWith(`${root}/`) ? real.slice(root.length + 1) : null;
  if (rel === null || !POSIX_DEVICE_RE.test(rel))
    throw new PrinterError('PRINTER_BAD_INTERFACE', false, `${p} resolves to ${real}`);
  assertDeviceKind(fs.statSync(real), real, opts);
  return real;
}

function realDevDir(devDir: string): string {
  try {
    return fs.realpathSync(devDir);
  } catch {
    return devDir;
  }
}

function assertDeviceKind(st: fs.Stats, p: string, opts: DeviceOptions): void {
  if (st.isCharacterDevice() || (opts.allowFifo === true && st.isFIFO())) return;
  throw new PrinterError('PRINTER_BAD_INTERFACE', false, `${p} is not a device`);
}

export interface PrinterStatus {
  connected: boolean;
  code?: PrinterErrorCode;
  message?: string;
}

/** What the print queue needs from a printer. */
export interface PrinterTransport {
  /** The interface string, for display. */
  readonly target: string;
  /** Sends one job's bytes; resolves once the printer (or the OS device) has accepted them.
   *  Throws PrinterError. */
  send(bytes: Buffer): Promise<void>;
  /** A quick reachability check (TCP connect / device present), never throws. */
  status(): Promise<PrinterStatus>;
}

export interface TransportOptions {
  /** Socket idle timeout while sending a job. A receipt is a few KB: 5 s means trouble. */
  sendTimeoutMs?: number;
  /** Timeout of the reachability check; short, it runs before every job and on demand. */
  statusTimeoutMs?: number;
  /** Device rules (tests only). */
  devices?: DeviceOptions;
}

export const SEND_TIMEOUT_MS = 5_000;
export const STATUS_TIMEOUT_MS = 1_500;

/** A transport for an interface string. Throws PrinterError for a bad or unsupported one. */
export function createTransport(iface: string, opts: TransportOptions = {}): PrinterTransport {
  const devices = opts.devices ?? {};
  const target = parsePrinterTarget(iface, devices.platform, devices.devDir);
  const sendTimeoutMs = opts.sendTimeoutMs ?? SEND_TIMEOUT_MS;
  const statusTimeoutMs = opts.statusTimeoutMs ?? STATUS_TIMEOUT_MS;
  switch (target.kind) {
    case 'tcp':
      return new ThermalTransport(
        iface,
        `tcp://${target.host}:${target.port}`,
        sendTimeoutMs,
        statusTimeoutMs,
      );
    case 'device':
      // A path that exists but is no device is refused here already; the rest is checked again
      // on every job, at the moment the device is opened.
      checkDevicePath(target.path, devices);
      // node-thermal-printer's own file interface retries a failed write 1000 times, 200 ms
      // apart, for minutes after reporting failure (a late, duplicate print), and creates a
      // plain file when the device node is missing. Ours tries once, never creates.
      return new ThermalTransport(
        iface,
        new DeviceInterface(target.path, sendTimeoutMs, devices),
        sendTimeoutMs,
        statusTimeoutMs,
      );
  }
}

/** The object interface node-thermal-printer accepts in place of a string. */
interface RawInterface {
  execute(buffer: Buffer): Promise<unknown>;
  isPrinterConnected(): Promise<boolean>;
}

class ThermalTransport implements PrinterTransport {
  private readonly printer: ThermalPrinter;
  private readonly probe: ThermalPrinter;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    readonly target: string,
    iface: string | RawInterface,
    private readonly sendTimeoutMs: number,
    private readonly statusTimeoutMs: number,
  ) {
    // One instance sends jobs; a second, with a short socket timeout, answers status checks.
    // Its typings only allow a string interface: the object form is documented, hence the cast.
    const make = (timeout: number) =>
      new ThermalPrinter({ type: PrinterTypes.EPSON, interface: iface as string, options: { timeout } });
    this.printer = make(sendTimeoutMs);
    this.probe = make(statusTimeoutMs);
  }

  status(): Promise<PrinterStatus> {
    return this.check().then(
      () => ({ connected: true }),
      (e: unknown) => {
        const err = toPrinterError(e, false);
        return { connected: false, code: err.code, message: err.message };
      },
    );
  }

  /** Jobs go one at a time: the library keeps the bytes in one shared buffer. */
  send(bytes: Buffer): Promise<void> {
    const run = this.chain.then(() => this.sendNow(bytes));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async sendNow(bytes: Buffer): Promise<void> {
    // A refused or absent printer is found before any byte leaves, so such a job is known
    // not to have printed and can wait in the queue.
    await this.check();
    this.printer.clear();
    this.printer.setBuffer(bytes);
    try {
      // execute() has no deadline of its own for devices and only an idle timeout for TCP.
      await withDeadline(this.printer.execute(), this.sendTimeoutMs * 2, 'send');
    } catch (e) {
      throw toPrinterError(e, true);
    } finally {
      this.printer.clear(); // execute() does not clear the buffer (PRINTING.md)
    }
  }

  /** Resolves when the printer answers; rejects with PrinterError (maybeSent false). */
  private async check(): Promise<void> {
    let ok: boolean;
    try {
      ok = await withDeadline(this.probe.isPrinterConnected(), this.statusTimeoutMs + 500, 'status');
    } catch (e) {
      throw toPrinterError(e, false);
    }
    if (!ok) {
      // The library's check says only true/false; for TCP one more connect tells why.
      throw new PrinterError(
        this.target.startsWith('tcp:') ? await this.whyTcpDown() : 'PRINTER_NOT_FOUND',
        false,
      );
    }
  }

  /** isPrinterConnected() swallows the reason; one more short connect tells refused from silent. */
  private whyTcpDown(): Promise<PrinterErrorCode> {
    const t = parsePrinterInterface(this.target.trim(), 'posix');
    if (t?.kind !== 'tcp') return Promise.resolve('PRINTER_UNREACHABLE');
    return new Promise<PrinterErrorCode>((resolve) => {
      const sock = net.connect({ host: t.host, port: t.port });
      const done = (code: PrinterErrorCode) => {
        sock.destroy();
        resolve(code);
      };
      sock.setTimeout(this.statusTimeoutMs, () => done('PRINTER_TIMEOUT'));
      sock.once('connect', () => done('PRINTER_UNREACHABLE'));
      sock.once('error', (e: NodeJS.ErrnoException) => done(codeOfErrno(e.code) ?? 'PRINTER_UNREACHABLE'));
    });
  }
}

/** A device path written once with open(O_WRONLY) — no create, no truncate, no retries — and
 *  only after the opened descriptor is seen to be a device. */
class DeviceInterface implements RawInterface {
  constructor(
    private readonly path: string,
    private readonly timeoutMs: number,
    private readonly devices: DeviceOptions,
  ) {}

  async isPrinterConnected(): Promise<boolean> {
    let real: string;
    try {
      real = checkDevicePath(this.path, this.devices, true);
    } catch (e) {
      if (e instanceof PrinterError && e.code === 'PRINTER_NOT_FOUND') return false;
      throw e;
    }
    try {
      await fs.promises.access(real, fs.constants.W_OK);
      return true;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM') throw new PrinterError('PRINTER_NO_PERMISSION', false, code);
      return false;
    }
  }

  async execute(buffer: Buffer): Promise<void> {
    // Resolved and checked now, not when the setting was stored; opened without following a
    // symlink swapped in since, and checked once more on the open descriptor itself.
    const real = checkDevicePath(this.path, this.devices, true);
    const flags = fs.constants.O_WRONLY | (fs.constants.O_NOCTTY ?? 0) | (fs.constants.O_NOFOLLOW ?? 0);
    let fh: fs.promises.FileHandle;
    try {
      fh = await fs.promises.open(real, flags);
    } catch (e) {
      // Nothing written yet.
      if ((e as NodeJS.ErrnoException).code === 'ELOOP')
        throw new PrinterError('PRINTER_BAD_INTERFACE', false, `${real} became a symlink`);
      throw toPrinterError(e, false);
    }
    try {
      if (platformOf(this.devices.platform) !== 'win32')
        assertDeviceKind(await fh.stat(), real, this.devices);
      // A USB printer out of paper blocks the write; the deadline turns that into a timeout.
      // The blocked write may still complete later: the job is then "uncertain", not resent.
      await withDeadline(fh.write(buffer, 0, buffer.length), this.timeoutMs, 'device write');
    } finally {
      void fh.close().catch(() => undefined);
    }
  }
}
