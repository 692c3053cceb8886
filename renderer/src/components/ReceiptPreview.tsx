// The slip preview (an image of what the printer prints), fetched when first opened.
import { lazyWhenOpen } from './lazy-open';

export { svgDataUrl } from './svg-data-url';

export const ReceiptPreview = lazyWhenOpen<{ txnId: number | null; open: boolean; onClose: () => void }>(
  () => import('./ReceiptPreviewDialog'),
);
