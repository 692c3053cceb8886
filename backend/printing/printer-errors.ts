// Printer failures, for ./transport.ts: the mapping from what Node or node-thermal-printer threw,
// and the deadline every printer call runs under.
// Failures are a closed set of codes with Chinese messages for the operator. Each carries
// `maybeSent`: false when no byte can have reached the printer (connection refused, device
// missing — safe to retry), true when some may have (a timeout or reset mid-write — the print
// queue then asks the operator instead of printing again).

export const PRINTER_ERRORS = {
  PRINTER_NOT_CONFIGURED: '未设置打印机，请在“设置”中选择打印机',
  PRINTER_BAD_INTERFACE:
    '打印机地址不正确：只能是网络打印机（例如 tcp://192.168.1.50:9100）或打印机设备（例如 /dev/usb/lp0、COM3）',
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

export class DeadlineError extends Error {}

export function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
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

export function codeOfErrno(code: string | undefined): PrinterErrorCode | undefined {
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
