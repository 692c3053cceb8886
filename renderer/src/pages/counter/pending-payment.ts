// A confirmed payment is remembered (with its idempotency key) until its outcome is known, so a
// reload or a crash of the window cannot lose it: the counter reopens on it and the retry uses
// the same key — the backend then replays what happened instead of paying again.
import type { BillDto } from '../../../../shared/contract';

const KEY = 'yizhan.pendingPayment';

export interface PendingPayment {
  idempotencyKey: string;
  bill: BillDto;
  cash: string;
  change: string;
  confirmedAt: string;
}

export function savePending(p: PendingPayment): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(p));
  } catch {
    // no storage: the in-memory key still protects retries in this window
  }
}

export function clearPending(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // ignore
  }
}

export function loadPending(): PendingPayment | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const p = JSON.parse(raw) as Partial<PendingPayment>;
    if (
      typeof p.idempotencyKey !== 'string' ||
      !p.bill?.billId ||
      typeof p.cash !== 'string' ||
      typeof p.change !== 'string'
    )
      return null;
    return p as PendingPayment;
  } catch {
    return null;
  }
}
