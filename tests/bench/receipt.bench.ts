// Receipts: document → ESC/POS bytes (what every payment pays before the printer is asked) and
// document → SVG (the on-screen preview). The counter must not wait on layout: < 10 ms a receipt.
import { renderEscPos, renderSvg } from '../../backend/printing/render';
import { toReceiptline } from '../../shared/receipt';
import { billPayment } from '../fixtures/receipts';
import { median, percentile, timeMany, type BenchResult, type BenchSuite } from './harness';

const WARMUP = 20;
const N = 300;
const TARGET_MS = 10;

export const suite: BenchSuite = async () => {
  const out: BenchResult[] = [];
  const doc = billPayment;
  const measure = (name: string, fn: () => unknown, target?: number) => {
    for (let i = 0; i < WARMUP; i++) fn();
    const t = timeMany(N, () => void fn());
    const med = median(t);
    out.push({
      suite: 'receipt',
      name: `${name} (median)`,
      value: round(med),
      unit: 'ms',
      ...(target !== undefined ? { target: `< ${target} ms`, pass: med < target } : {}),
      note: `p95 ${round(percentile(t, 95))} ms, n=${N}`,
    });
    return med;
  };

  const markup = measure('document → receiptline markup, 32 col', () => toReceiptline(doc, { columns: 32 }));
  const image = measure(
    'document → ESC/POS, 32 col, QR image (default)',
    () => renderEscPos(doc, { columns: 32 }),
    TARGET_MS,
  );
  measure('document → ESC/POS, 48 col, QR image', () => renderEscPos(doc, { columns: 48 }), TARGET_MS);
  const native = measure(
    'document → ESC/POS, 32 col, native QR',
    () => renderEscPos(doc, { columns: 32, qr: 'native' }),
    TARGET_MS,
  );
  measure('document → SVG preview, 32 col', () => renderSvg(doc, { columns: 32 }), TARGET_MS);

  out.push({
    suite: 'receipt',
    name: 'QR image / native QR render time',
    value: round(image / native),
    unit: '×',
    note: 'the raster QR costs this much more than GS ( k, measured side by side',
  });
  out.push({
    suite: 'receipt',
    name: 'markup share of ESC/POS render',
    value: round((markup / image) * 100),
    unit: '%',
  });
  out.push({
    suite: 'receipt',
    name: 'ESC/POS size, 32 col, QR image',
    value: renderEscPos(doc, { columns: 32 }).length,
    unit: 'bytes',
    note: `native QR: ${renderEscPos(doc, { columns: 32, qr: 'native' }).length} bytes`,
  });
  return out;
};

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
