// Bytes → printer, through node-thermal-printer used as a transport only (setBuffer / execute /
// clear); its own text and layout functions are not used (PRINTING.md: they count a Chinese
// character as one column and break on ¥).
//
// Interface strings, as stored in the `printer.interface` setting:
//   tcp://host[:port]   network printer, raw port 9100 by default
//   /dev/usb/lp0, COM3  a device path (Linux USB/parallel printer class device, Windows port)
//   printer:NAME        an OS print queue — needs node-thermal-printer's native driver module
//                       (`printer`, rebuilt for Electron), which this app does not ship: refused
//                       with PRINTER_DRIVER_MISSING rather than failing obscurely at print time.
//
// Failures are a closed set of codes with Chinese messages for the operator. Each carries
// `maybeSent`: false when no byte can have reached the printer (connection refused, device
// missing — safe to retry), true when some may have (a timeout or reset mid-write — the print
// queue then asks the operator instead of printing again).
import fs from 'node:fs';
import net from 'node:net';
import { ThermalPrinter, PrinterTypes } from 'node-thermal-printer';

export const PRINTER_ERRORS = {
  PRINTER_NOT_CONFIGURED: '未设置打印机，请在“设置”中选择打印机',
  PRINTER_BAD_INTERFACE: '打印机地址格式不正确（例如 tcp://192.168.1.50:9100 或 /dev/usb/lp0）',
  PRINTER_DRIVER_MISSING: '系统打印机需要本机打印驱动模块，当前版本不支持，请改用网络打印机或USB设备路径',
  PRINTER_OFF: '打印机未开机或拒绝连接，请检查打印机电源',
  PRINTER_UNREACHABLE: '无法连接打印机，请检查网线、USB线或打印机地址',
  PRINTER_NOT_FOUND: '找不到打印机设备，请检查USB线是否插好、打印机是否开机',
  PRINTER_NO_PERMISSION: '没有权限使用打印机设备，请联系技术支持',
  PRINTER_TIMEOUT: '打印机响应超时，请检查打印机是否缺纸、卡纸或开盖',
  PRINTER_CONNECTION_LOST: '打印过程中与打印机的连接中断',
  PRINTER_FAILED: '打印失败，请检查打印机',
} as const;
export type PrinterErrorCode = keyof typeof PRINTER_ERRORS;

export class PrinterError extends Error {
  constructor(
    readonly code: PrinterErrorCode,
    /** True when some bytes may have reached the printer (do not resend without asking). */
    readonly maybeSent: boolean,
    /** The underlying error, for the log (never shown to the operator). */
    readonly detail?: string,
  ) {
    super(PRINTER_ERRORS[code]);
    this.name = 'PrinterError';
  }
}

export type PrinterTarget =
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'device'; path: string }
  | { kind: 'os'; name: string };

const TCP_RE = /^tcp:\/\/([^/:\s]+)(?::(\d{1,5}))?\/?$/i;
const OS_RE = /^printer:([^/]+)$/i;
/** Raw printing port (HP JetDirect / AppSocket). */
export const DEFAULT_TCP_PORT = 9100;

/** Parses an interface string (see the top of this file). */
export function parsePrinterTarget(s: string | null | undefined): PrinterTarget {
  const t = (s ?? '').trim();
  if (t === '') throw new PrinterError('PRINTER_NOT_CONFIGURED', false);
  const tcp = t.match(TCP_RE);
  if (tcp) {
    const port = tcp[2] ? Number(tcp[2]) : DEFAULT_TCP_PORT;
    if (!(port >= 1 && port <= 65535)) throw new PrinterError('PRINTER_BAD_INTERFACE', false, t);
    return { kind: 'tcp', host: tcp[1]!, port };
  }
  if (/^tcp:/i.test(t)) throw new PrinterError('PRINTER_BAD_INTERFACE', false, t);
  const os = t.match(OS_RE);
  if (os) return { kind: 'os', name: os[1]! };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(t)) throw new PrinterError('PRINTER_BAD_INTERFACE', false, t);
  return { kind: 'device', path: t };
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
}

export const SEND_TIMEOUT_MS = 5_000;
export const STATUS_TIMEOUT_MS = 1_500;

/** A transport for an interface string. Throws PrinterError for a bad or unsupported one. */
export function createTransport(iface: string, opts: TransportOptions = {}): PrinterTransport {
  const target = parsePrinterTarget(iface);
  const sendTimeoutMs = opts.sendTimeoutMs ?? SEND_TIMEOUT_MS;
  const statusTimeoutMs = opts.statusTimeoutMs ?? STATUS_TIMEOUT_MS;
  switch (target.kind) {
    case 'os':
      // node-thermal-printer needs `driver: require('printer')` (a native module rebuilt for
      // Electron's ABI) for printer:NAME. We do not ship one.
      throw new PrinterError('PRINTER_DRIVER_MISSING', false, iface);
    case 'tcp':
      return new ThermalTransport(
        iface,
        `tcp://${target.host}:${target.port}`,
        sendTimeoutMs,
        statusTimeoutMs,
      );
    case 'device':
      // node-thermal-printer's own file interface retries a failed write 1000 times, 200 ms
      // apart, for minutes after reporting failure (a late, duplicate print), and creates a
      // plain file when the device node is missing. Ours tries once, never creates.
      return new ThermalTransport(
        iface,
        new DeviceInterface(target.path, sendTimeoutMs),
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
    const m = this.target.match(TCP_RE);
    if (!m) return Promise.resolve('PRINTER_UNREACHABLE');
    return new Promise<PrinterErrorCode>((resolve) => {
      const sock = net.connect({ host: m[1]!, port: Number(m[2] ?? DEFAULT_TCP_PORT) });
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

/** A device path written once with open(O_WRONLY) — no create, no truncate, no retries. */
class DeviceInterface implements RawInterface {
  constructor(
    private readonly path: string,
    private readonly timeoutMs: number,
  ) {}

  async isPrinterConnected(): Promise<boolean> {
    try {
      await fs.promises.access(this.path, fs.constants.W_OK);
      return true;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM') throw new PrinterError('PRINTER_NO_PERMISSION', false, code);
      return false;
    }
  }

  async execute(buffer: Buffer): Promise<void> {
    let fh: fs.promises.FileHandle;
    try {
      fh = await fs.promises.open(this.path, fs.constants.O_WRONLY);
    } catch (e) {
      // Nothing written yet.
      throw toPrinterError(e, false);
    }
    try {
      // A USB printer out of paper blocks the write; the deadline turns that into a timeout.
      // The blocked write may still complete later: the job is then "uncertain", not resent.
      await withDeadline(fh.write(buffer, 0, buffer.length), this.timeoutMs, 'device write');
    } finally {
      void fh.close().catch(() => undefined);
    }
  }
}

class DeadlineError extends Error {}

function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new DeadlineError(`${what} timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}

function codeOfErrno(code: string | undefined): PrinterErrorCode | undefined {
  switch (code) {
    case 'ECONNREFUSED':
      return 'PRINTER_OFF';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EADDRNOTAVAIL':
      return 'PRINTER_UNREACHABLE';
    case 'ETIMEDOUT':
      return 'PRINTER_TIMEOUT';
    case 'ENOENT':
    case 'ENODEV':
    case 'ENXIO':
      return 'PRINTER_NOT_FOUND';
    case 'EACCES':
    case 'EPERM':
      return 'PRINTER_NO_PERMISSION';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'EIO':
      return 'PRINTER_CONNECTION_LOST';
    default:
      return undefined;
  }
}

/** Maps whatever node-thermal-printer or Node threw to a PrinterError. `maybeSent` is the
 *  caller's knowledge of whether bytes could have left; refused connections and missing
 *  devices are never "sent". */
export function toPrinterError(e: unknown, maybeSent: boolean): PrinterError {
  if (e instanceof PrinterError) return e;
  const detail = e instanceof Error ? e.message : String(e);
  if (e instanceof DeadlineError || /timeout/i.test(detail))
    return new PrinterError('PRINTER_TIMEOUT', maybeSent, detail);
  const errno = (e as NodeJS.ErrnoException | undefined)?.code;
  const code = codeOfErrno(errno);
  if (code) {
    const neverSent =
      code === 'PRINTER_OFF' ||
      code === 'PRINTER_UNREACHABLE' ||
      code === 'PRINTER_NOT_FOUND' ||
      code === 'PRINTER_NO_PERMISSION';
    return new PrinterError(code, maybeSent && !neverSent, detail);
  }
  // The library's file interface rejects with the bare string 'Printer Error'.
  return new PrinterError('PRINTER_FAILED', maybeSent, detail);
}
