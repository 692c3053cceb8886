// Where the receipt printer is: the only forms the `printer.interface` setting may take.
// Pure syntax (the renderer's form and the contract use it); the backend also checks, when the
// setting is stored and again when bytes are sent, that a device path resolves to a device
// (backend/printing/transport.ts). Anything else is refused: a printer setting that could name
// a file would let receipt bytes overwrite the ledger, the station key or a backup.
//
//   tcp://host:port        a network printer (port 1–65535; 9100 when omitted)
//   /dev/usb/lpN           Linux USB printer class device
//   /dev/ttySN, /dev/ttyUSBN, /dev/ttyACMN   Linux serial ports (built in, USB adapter, USB CDC)
//   COMn, \\.\COMn, LPTn   Windows serial and parallel ports
//   ""                     no printer

export const DEFAULT_TCP_PORT = 9100;

/** A printer device, relative to the device folder (/dev on Linux). */
export const POSIX_DEVICE_RE = /^(?:usb\/lp\d{1,3}|ttyS\d{1,3}|ttyUSB\d{1,3}|ttyACM\d{1,3})$/;
const POSIX_DEV_DIR = '/dev';
const WIN_DEVICE_RE = /^(?:\\\\\.\\)?(COM[1-9]\d{0,2}|LPT[1-9])$/i;
const TCP_RE = /^tcp:\/\/([A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?)(?::(\d{1,5}))?$/i;

export type PrinterInterface =
  | { kind: 'tcp'; host: string; port: number }
  /** `path` is what is opened: `\\.\COM3` for `COM3` on Windows. */
  | { kind: 'device'; path: string };

export type InterfacePlatform = 'posix' | 'win32';

/** The printer interface an (already trimmed) setting names, or null when it names none of the
 *  accepted forms. `devDir` is the device folder (tests use a temporary one). */
export function parsePrinterInterface(
  s: string,
  platform: InterfacePlatform,
  devDir: string = POSIX_DEV_DIR,
): PrinterInterface | null {
  const tcp = s.match(TCP_RE);
  if (tcp) {
    const host = tcp[1]!;
    if (host.includes('..') || host.startsWith('.') || host.startsWith('-')) return null;
    const port = tcp[2] === undefined ? DEFAULT_TCP_PORT : Number(tcp[2]);
    return port >= 1 && port <= 65535 ? { kind: 'tcp', host, port } : null;
  }
  if (platform === 'win32') {
    const m = s.match(WIN_DEVICE_RE);
    return m ? { kind: 'device', path: `\\\\.\\${m[1]!.toUpperCase()}` } : null;
  }
  // Lexically exact: no "..", ".", doubled or trailing slash — `/dev/../x` is not under /dev.
  const prefix = `${devDir}/`;
  if (!s.startsWith(prefix) || !POSIX_DEVICE_RE.test(s.slice(prefix.length))) return null;
  return { kind: 'device', path: s };
}

/** True for a setting the contract lets through (either platform's form, or ""); the backend
 *  then applies its own platform's rules. */
export function isPrinterInterfaceSyntax(s: string): boolean {
  return s === '' || parsePrinterInterface(s, 'posix') !== null || parsePrinterInterface(s, 'win32') !== null;
}

export const PRINTER_INTERFACE_HINT_ZH = '打印机接口格式：tcp://IP:9100、/dev/usb/lp0、/dev/ttyUSB0 或 COM3';
