// The slip preview (an image of what the printer prints), fetched when first opened.
import { lazyWhenOpen } from './lazy-open';

export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

export const ReceiptPreview = lazyWhenOpen<{ txnId: number | null; open: boolean; onClose: () => void }>(
  () => import('./ReceiptPreviewDialog'),
);
