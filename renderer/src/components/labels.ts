// Names for codes the backend sends (kinds, print statuses), from the locale files.
import type { TxnKind, PrintJobStatus } from '../../../shared/contract';
import type { ServiceId } from '../../../shared/catalogue';
import { shanghaiDateTime } from '../../../shared/business-day';

export const TXN_KINDS: TxnKind[] = [
  'bill_payment',
  'reversal',
  'topup_voucher',
  'topup_green_card',
  'takings_settlement',
];
export const SERVICE_ORDER: ServiceId[] = ['water', 'electricity', 'gas', 'telephone'];

export const kindKey = (k: TxnKind) => `kind.${k}`;
export const serviceKey = (s: ServiceId) => `service.${s}`;
export const printStatusKey = (s: PrintJobStatus) => `print.status.${s}`;

/** "2026-11-28T01:15:02.000Z" → "2026-11-28 09:15:02", the station's time (Asia/Shanghai). */
export function localTime(iso: string): string {
  return Number.isFinite(Date.parse(iso)) ? shanghaiDateTime(iso) : iso;
}
