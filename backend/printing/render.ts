// Receipt document → printer bytes (ESC/POS, GB18030) and → SVG for the on-screen preview.
// Both are made by receiptline from the same markup (shared/receipt.ts), so the preview shows
// what the paper will show.
import iconv from 'iconv-lite';
import { commands, transform, type BaseCommand, type QRCode } from 'receiptline';
import { toReceiptline, type ReceiptColumns, type ReceiptDoc } from '../../shared/receipt';

/**
 * How the QR code (payload = the serial) is sent:
 * - `image` (default): a raster image, `GS v 0`. Cheap Chinese printers (Xprinter, Zywell …)
 *   print raster images reliably but not always the native QR command (PRINTING.md).
 * - `native`: the printer's own QR command `GS ( k` (model 2). Sharper and smaller, for printers
 *   known to support it (Epson TM and most recent clones); tests decode its payload directly.
 */
export const QR_MODES = ['image', 'native'] as const;
export type QrMode = (typeof QR_MODES)[number];

/**
 * receiptline's ESC/POS dialect:
 * - `generic` (default): plain ESC/POS with `GS v 0` raster images, what clones implement.
 * - `escpos`: Epson TM style; its raster images use `GS 8 L` / `GS ( L`, which clones often lack.
 */
export const COMMAND_SETS = ['generic', 'escpos'] as const;
export type CommandSet = (typeof COMMAND_SETS)[number];

export interface RenderOptions {
  columns: ReceiptColumns;
  qr?: QrMode;
  commandSet?: CommandSet;
  /** Kick the cash drawer on the printer's drawer port (pin 2) before the receipt prints. */
  drawer?: boolean;
}

/** ESC p 0 25 250: a 50 ms pulse on drawer pin 2, then 500 ms off — what drawers on receipt
 *  printers expect (ESC/POS "generate pulse"). */
export const DRAWER_PULSE = Buffer.from([0x1b, 0x70, 0x00, 0x19, 0xfa]);

/** Characters GB18030 encodes in four bytes (outside GBK) have no glyph in a printer's font:
 *  they print as '?' or garbage. They are replaced before printing and in the preview alike. */
export const UNPRINTABLE_REPLACEMENT = '□';

/** The markup actually printed: receiptline markup with characters outside GBK replaced. */
export function printableMarkup(doc: ReceiptDoc, columns: ReceiptColumns): string {
  return replaceOutsideGbk(toReceiptline(doc, { columns }));
}

/** ESC/POS bytes for one receipt: initialise, GB18030 text (ESC t 0 + FS &), the QR code,
 *  then exactly one cut (`GS V B 0`, from receiptline's `cutting` option) and `GS r 1`. */
export function renderEscPos(doc: ReceiptDoc, opts: RenderOptions): Buffer {
  const qr = opts.qr ?? 'image';
  const set = opts.commandSet ?? 'generic';
  const base = commands[set];
  const command: BaseCommand = qr === 'native' ? Object.assign({}, base, { qrcode: nativeQrcode }) : base;
  const out = transform(printableMarkup(doc, opts.columns), {
    command,
    encoding: 'gb18030',
    cpl: opts.columns,
    cutting: true,
    spacing: false,
    // Images here are QR codes, not photos: threshold, no dithering.
    gradient: false,
  });
  // receiptline returns a binary string: one char per byte.
  const bytes = Buffer.from(out, 'latin1');
  return opts.drawer ? Buffer.concat([DRAWER_PULSE, bytes]) : bytes;
}

/** SVG of the receipt at the paper's width (12 px a column), for the on-screen preview. */
export function renderSvg(doc: ReceiptDoc, opts: { columns: ReceiptColumns }): string {
  return transform(printableMarkup(doc, opts.columns), {
    command: 'svg',
    encoding: 'gb18030',
    cpl: opts.columns,
  });
}

/** Plain text of the receipt (no QR), for logs and layout tests. */
export function renderText(doc: ReceiptDoc, opts: { columns: ReceiptColumns }): string {
  return transform(printableMarkup(doc, opts.columns), {
    command: 'text',
    encoding: 'gb18030',
    cpl: opts.columns,
  });
}

const QR_LEVEL: Readonly<Record<QRCode['level'], number>> = { l: 48, m: 49, q: 50, h: 51 };
/** The largest QR payload we send: a serial is ≤ 40 characters (shared/receipt.ts SERIAL_RE). */
const MAX_QR_DATA = 64;

/** Native QR: GS ( k — model 2, module size, error level, store data, print.
 *  `this` is receiptline's command object (alignment was set with ESC a before the call). */
function nativeQrcode(symbol: QRCode): string {
  const data = symbol.data;
  if (data.length === 0) return '';
  // Non-ASCII data corrupts the command on many printers (PRINTING.md): refuse it here.
  if (!/^[\x20-\x7e]+$/.test(data) || data.length > MAX_QR_DATA)
    throw new Error('QR data must be short printable ASCII');
  const cell = Math.min(8, Math.max(3, symbol.cell));
  const store = data.length + 3;
  const $ = String.fromCharCode;
  return [
    '\x1d(k\x04\x00\x31\x41\x32\x00', // model 2
    '\x1d(k\x03\x00\x31\x43' + $(cell), // module size
    '\x1d(k\x03\x00\x31\x45' + $(QR_LEVEL[symbol.level]), // error correction
    '\x1d(k' + $(store & 255, store >> 8) + '\x31\x50\x30' + data, // store the data
    '\x1d(k\x03\x00\x31\x51\x30', // print it
  ].join('');
}

const gbkCache = new Map<string, boolean>();

function inGbk(c: string): boolean {
  let ok = gbkCache.get(c);
  if (ok === undefined) {
    // Two bytes in GB18030 = inside GBK; four bytes = outside any printer font we know of.
    ok = iconv.encode(c, 'gb18030').length <= 2;
    gbkCache.set(c, ok);
  }
  return ok;
}

function replaceOutsideGbk(markup: string): string {
  let out = '';
  for (const c of markup) out += c.charCodeAt(0) < 0x80 || inGbk(c) ? c : UNPRINTABLE_REPLACEMENT;
  return out;
}
