// One transaction in full (TxnDetailDrawerBody.tsx), fetched when first opened.
import type { TxnDto } from '../../../shared/contract';
import { lazyWhenOpen } from './lazy-open';

export const TxnDetailDrawer = lazyWhenOpen<{
  txn: TxnDto | null;
  open: boolean;
  onClose: () => void;
  onChanged?: () => void;
}>(() => import('./TxnDetailDrawerBody'));
