// A test-only ESC/POS decoder: walks the bytes, skips commands by their parameter counts,
// collects QR payloads (GS ( k), barcodes (GS k), raster images (GS v 0, GS 8 L), counts cuts
// (GS V), decodes text as GB18030 and rebuilds each printed line column by column (print
// positions from GS L, ESC $ and ESC \, character scale from GS !), so a test can check that
// nothing is wider than the paper.
//
// It knows exactly the commands receiptline 4.0.4 emits for `escpos` and `generic` with
// encoding gb18030 (plus our native QR). Anything else lands in `unknown`; tests assert that
// list is empty, so a new command in the bytes is noticed rather than silently skipped.
import iconv from 'iconv-lite';

export interface DecodedImage {
  command: 'GS v 0' | 'GS 8 L';
  widthDots: number;
  heightDots: number;
  /** Row-major, MSB first, (widthDots + 7) >> 3 bytes a row. */
  data: Uint8Array;
}

export interface DecodedLine {
  /** The line as printed: a wide character takes two cells, shown once. */
  text: string;
  /** Columns from the paper's left edge to the end of the last thing printed on the line. */
  widthColumns: number;
}

export interface DecodedJob {
  lines: DecodedLine[];
  /** All lines, joined with '\n'. */
  text: string;
  qrPayloads: string[];
  barcodes: { type: number; data: string }[];
  images: DecodedImage[];
  cuts: number;
  /** Commands not in the table below, e.g. "ESC 0x64 @ 120". */
  unknown: string[];
  /** ESC @ seen (printer initialised). */
  inits: number;
  /** GS r (status request) seen. */
  statusRequests: number;
  /** ESC p (cash drawer pulse) seen, with its pin and on/off times. */
  drawerPulses: { pin: number; onMs: number; offMs: number }[];
}

export interface DecodeOptions {
  /** Dots per column (font A: 12). */
  charWidthDots?: number;
}

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const LF = 0x0a;

// Fixed-length commands: parameter byte counts after the command letter.
const ESC_FIXED: Readonly<Record<number, number>> = {
  0x40: 0, // ESC @     initialise
  0x32: 0, // ESC 2     default line spacing
  0x33: 1, // ESC 3 n   line spacing
  0x20: 1, // ESC SP n  character right spacing
  0x2d: 1, // ESC - n   underline
  0x45: 1, // ESC E n   emphasis
  0x4d: 1, // ESC M n   font
  0x52: 1, // ESC R n   international character set
  0x61: 1, // ESC a n   justification
  0x74: 1, // ESC t n   code page
  0x7b: 1, // ESC { n   upside down
  0x70: 3, // ESC p m t1 t2   drawer pulse (pin m, t1×2 ms on, t2×2 ms off)
  0x24: 2, // ESC $ nL nH   absolute position
  0x5c: 2, // ESC \ nL nH   relative position
};
const GS_FIXED: Readonly<Record<number, number>> = {
  0x21: 1, // GS ! n    character size
  0x42: 1, // GS B n    reverse
  0x48: 1, // GS H n    HRI position
  0x61: 1, // GS a n    automatic status back
  0x68: 1, // GS h n    barcode height
  0x72: 1, // GS r n    transmit status
  0x77: 1, // GS w n    barcode module width
  0x4c: 2, // GS L nL nH  left margin
  0x57: 2, // GS W nL nH  print area width
};
const FS_FIXED: Readonly<Record<number, number>> = {
  0x26: 0, // FS &      Kanji (Chinese) mode on
  0x2e: 0, // FS .      Kanji mode off
  0x2d: 1, // FS - n    Kanji underline
  0x43: 1, // FS C n    Kanji code system
  0x53: 2, // FS S n1 n2  Kanji spacing
};

const hex = (b: number | undefined) => `0x${(b ?? 0).toString(16).padStart(2, '0')}`;

export function decodeEscPos(input: Uint8Array, opts: DecodeOptions = {}): DecodedJob {
  const bytes = input;
  const dotsPerCol = opts.charWidthDots ?? 12;
  const job: DecodedJob = {
    lines: [],
    text: '',
    qrPayloads: [],
    barcodes: [],
    images: [],
    cuts: 0,
    unknown: [],
    inits: 0,
    statusRequests: 0,
    drawerPulses: [],
  };

  // Printer state that affects where text lands.
  let chinese = false;
  let leftDots = 0;
  let posDots = 0; // from the left margin
  let scaleW = 1;
  let cells: (string | undefined)[] = [];
  let lineEnd = 0;
  let run: number[] = [];
  let qrStore: string | undefined;

  const u16 = (i: number) => (bytes[i] ?? 0) | ((bytes[i + 1] ?? 0) << 8);
  const s16 = (i: number) => {
    const v = u16(i);
    return v >= 0x8000 ? v - 0x10000 : v;
  };

  const flushRun = () => {
    if (run.length === 0) return;
    const buf = Buffer.from(run);
    run = [];
    const s = chinese ? iconv.decode(buf, 'gb18030') : singleByte(buf);
    for (const ch of s) {
      const cp = ch.codePointAt(0)!;
      const w = (cp < 0x80 ? 1 : 2) * scaleW;
      const col = Math.round((leftDots + posDots) / dotsPerCol);
      cells[col] = ch;
      for (let k = 1; k < w; k++) cells[col + k] = '';
      posDots += w * dotsPerCol;
      // Trailing spaces are paper too (receiptline pads with them), so they count.
      lineEnd = Math.max(lineEnd, col + w);
    }
  };
  const endLine = () => {
    flushRun();
    let text = '';
    for (let c = 0; c < cells.length; c++) {
      const v = cells[c];
      text += v === undefined ? ' ' : v;
    }
    job.lines.push({ text: text.replace(/\s+$/, ''), widthColumns: lineEnd });
    cells = [];
    lineEnd = 0;
    posDots = 0;
  };
  const unknown = (i: number, what: string) => job.unknown.push(`${what} @ ${i}`);

  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b === LF) {
      endLine();
      i += 1;
      continue;
    }
    if (b >= 0x20 && b !== 0x7f) {
      run.push(b);
      i += 1;
      continue;
    }
    flushRun();
    const c = bytes[i + 1];
    if (b === ESC && c !== undefined && c in ESC_FIXED) {
      if (c === 0x40) {
        job.inits++;
        chinese = false;
        leftDots = 0;
        posDots = 0;
        scaleW = 1;
      } else if (c === 0x70)
        job.drawerPulses.push({ pin: bytes[i + 2]!, onMs: bytes[i + 3]! * 2, offMs: bytes[i + 4]! * 2 });
      else if (c === 0x24) posDots = u16(i + 2);
      else if (c === 0x5c) posDots += s16(i + 2);
      i += 2 + ESC_FIXED[c]!;
      continue;
    }
    if (b === FS && c !== undefined && c in FS_FIXED) {
      if (c === 0x26) chinese = true;
      else if (c === 0x2e) chinese = false;
      i += 2 + FS_FIXED[c]!;
      continue;
    }
    if (b === FS && c === 0x28 && bytes[i + 2] === 0x41) {
      // FS ( A pL pH fn m — select Kanji character font
      i += 5 + u16(i + 3);
      continue;
    }
    if (b === GS && c !== undefined && c in GS_FIXED) {
      if (c === 0x21) scaleW = ((bytes[i + 2] ?? 0) >> 4) + 1;
      else if (c === 0x4c) leftDots = u16(i + 2);
      else if (c === 0x72) job.statusRequests++;
      i += 2 + GS_FIXED[c]!;
      continue;
    }
    if (b === GS && c === 0x56) {
      // GS V m [n]: m 0/1/48/49 — cut; 65/66 (and 97/98, 103/104) — feed n then cut.
      const m = bytes[i + 2] ?? 0;
      job.cuts++;
      i += [0, 1, 48, 49].includes(m) ? 3 : 4;
      continue;
    }
    if (b === GS && c === 0x6b) {
      // GS k m: m 0–6 data NUL-terminated; m 65–79 n then n bytes.
      const m = bytes[i + 2] ?? 0;
      if (m <= 6) {
        let j = i + 3;
        while (j < bytes.length && bytes[j] !== 0) j++;
        job.barcodes.push({ type: m, data: Buffer.from(bytes.subarray(i + 3, j)).toString('latin1') });
        i = j + 1;
      } else {
        const n = bytes[i + 3] ?? 0;
        job.barcodes.push({
          type: m,
          data: Buffer.from(bytes.subarray(i + 4, i + 4 + n)).toString('latin1'),
        });
        i += 4 + n;
      }
      continue;
    }
    if (b === GS && c === 0x28 && bytes[i + 2] === 0x6b) {
      // GS ( k pL pH cn fn … — 2D codes; only QR (cn 49) is expected.
      const p = u16(i + 3);
      const cn = bytes[i + 5];
      const fn = bytes[i + 6];
      if (cn !== 49) unknown(i, `GS ( k cn=${String(cn)}`);
      else if (fn === 80) qrStore = Buffer.from(bytes.subarray(i + 8, i + 5 + p)).toString('latin1');
      else if (fn === 81) {
        if (qrStore !== undefined) job.qrPayloads.push(qrStore);
      } else if (fn !== 65 && fn !== 67 && fn !== 69) unknown(i, `GS ( k QR fn=${String(fn)}`);
      i += 5 + p;
      continue;
    }
    if (b === GS && c === 0x28 && bytes[i + 2] === 0x4c) {
      // GS ( L pL pH m fn — graphics: receiptline sends only fn 50 (print the buffer).
      const fn = bytes[i + 6];
      if (fn !== 50) unknown(i, `GS ( L fn=${String(fn)}`);
      i += 5 + u16(i + 3);
      continue;
    }
    if (b === GS && c === 0x38 && bytes[i + 2] === 0x4c) {
      // GS 8 L p1 p2 p3 p4 m fn a bx by c xL xH yL yH d… — store raster graphics
      const p =
        (bytes[i + 3] ?? 0) +
        (bytes[i + 4] ?? 0) * 256 +
        (bytes[i + 5] ?? 0) * 65536 +
        (bytes[i + 6] ?? 0) * 16777216;
      const h = i + 7; // m
      const w = u16(h + 6);
      const hh = u16(h + 8);
      job.images.push({
        command: 'GS 8 L',
        widthDots: w,
        heightDots: hh,
        data: bytes.slice(h + 10, i + 7 + p),
      });
      i += 7 + p;
      continue;
    }
    if (b === GS && c === 0x76 && bytes[i + 2] === 0x30) {
      // GS v 0 m xL xH yL yH d… — raster image, xL/xH in bytes
      const bpr = u16(i + 4);
      const h = u16(i + 6);
      const len = bpr * h;
      job.images.push({
        command: 'GS v 0',
        widthDots: bpr * 8,
        heightDots: h,
        data: bytes.slice(i + 8, i + 8 + len),
      });
      i += 8 + len;
      continue;
    }
    unknown(
      i,
      `${b === ESC ? 'ESC' : b === GS ? 'GS' : b === FS ? 'FS' : 'byte'} ${b === ESC || b === GS || b === FS ? hex(c) : hex(b)}`,
    );
    i += 1;
  }
  if (run.length > 0 || cells.length > 0) endLine();
  job.text = job.lines.map((l) => l.text).join('\n');
  return job;
}

/** Outside Kanji mode: ASCII as is; receiptline's box-drawing bytes (code page 1) as '─'. */
function singleByte(buf: Buffer): string {
  let s = '';
  for (const b of buf) s += b < 0x80 ? String.fromCharCode(b) : '─';
  return s;
}

/** The QR module matrix drawn in a raster image by receiptline (cell × cell dots a module,
 *  starting at the image's top-left). 1 = dark. */
export function imageToModules(img: DecodedImage, cellDots: number): number[][] {
  const bpr = (img.widthDots + 7) >> 3;
  const n = Math.floor(img.heightDots / cellDots);
  const out: number[][] = [];
  for (let y = 0; y < n; y++) {
    const row: number[] = [];
    for (let x = 0; x < n; x++) {
      const py = y * cellDots;
      const px = x * cellDots;
      const byte = img.data[py * bpr + (px >> 3)] ?? 0;
      row.push((byte >> (7 - (px & 7))) & 1);
    }
    out.push(row);
  }
  return out;
}
