// A confirmed payment is remembered (with its idempotency key) until its outcome is known, so a
// reload or a crash of the window cannot lose it: the counter reopens on it and the retry uses
// the same key — the backend then replays what happened instead of paying again.
import type { PayableBill } from './chosen-amount';

const KEY = 'yizhan.pendingPayment';

export interface PendingPayment {
  idempotencyKey: string;
  /** With the customer's chosen amount, if any: a retry must send the very same request. */
  bill: PayableBill;
  cash: string;
  change: string;
  /** SRV-2: the payee confirmation the payment is sent with (a retry sends it again: the same
   *  request); null when none was recorded (saved before confirmations). */
  confirmedPayee: string | null;
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
    // Saved before chosen amounts (issue 13): the amount due; before confirmations: none.
    return {
      ...p,
      bill: { ...p.bill, chosenAmount: p.bill.chosenAmount ?? null },
      confirmedPayee: p.confirmedPayee ?? null,
    } as PendingPayment;
  } catch {
    return null;
  }
}

// ---- set aside (挂起) --------------------------------------------------------------------------
// A payment whose outcome is unknown can be set aside so the counter serves the next customer.
// The backend's `payment.pending` is the source of truth for what is still waiting; this list
// only remembers what this window set aside, so that a payment whose request may never have
// reached the backend (a lost connection) is not forgotten. It keeps its idempotency key: a
// set-aside payment is only ever retried with that key, never with a new one.

const SET_ASIDE_KEY = 'yizhan.setAsidePayments';

export interface SetAsidePayment extends PendingPayment {
  setAsideAt: string;
  /** The backend has listed it as pending at least once (so its reservation exists). */
  seenPending?: boolean;
}

export function loadSetAside(): SetAsidePayment[] {
  try {
    const raw = localStorage.getItem(SET_ASIDE_KEY);
    if (!raw) return [];
    const list = JSON.parse(raw) as unknown;
    if (!Array.isArray(list)) return [];
    return list.filter(
      (p: Partial<SetAsidePayment> | null): p is SetAsidePayment =>
        !!p &&
        typeof p.idempotencyKey === 'string' &&
        !!p.bill?.billId &&
        typeof p.cash === 'string' &&
        typeof p.change === 'string',
    );
  } catch {
    return [];
  }
}

function storeSetAside(list: SetAsidePayment[]): void {
  try {
    if (list.length === 0) localStorage.removeItem(SET_ASIDE_KEY);
    else localStorage.setItem(SET_ASIDE_KEY, JSON.stringify(list));
  } catch {
    // no storage: the backend's list still shows every payment it reserved
  }
}

export function addSetAside(p: SetAsidePayment): void {
  storeSetAside([...loadSetAside().filter((x) => x.idempotencyKey !== p.idempotencyKey), p]);
}

export function removeSetAside(idempotencyKey: string): void {
  const list = loadSetAside();
  if (list.some((x) => x.idempotencyKey === idempotencyKey))
    storeSetAside(list.filter((x) => x.idempotencyKey !== idempotencyKey));
}

export function markSetAsideSeen(keys: ReadonlySet<string>): SetAsidePayment[] {
  const list = loadSetAside();
  let changed = false;
  const next = list.map((x) => {
    if (x.seenPending || !keys.has(x.idempotencyKey)) return x;
    changed = true;
    return { ...x, seenPending: true };
  });
  if (changed) storeSetAside(next);
  return next;
}

// ---- outcomes shown on the 待确认缴费 card until the operator acknowledges them ---------------

const OUTCOMES_KEY = 'yizhan.pendingOutcomes';

export interface PendingItemSummary {
  idempotencyKey: string;
  service: PayableBill['service'];
  accountNo: string;
  payeeMasked: string;
  total: string;
  cashReceived: string;
}

export type PendingOutcome =
  | {
      kind: 'paid';
      item: PendingItemSummary;
      txnId: number;
      serial: string;
      /** Found settled by the backend on its own (not by the operator's 查询结果). */
      auto: boolean;
      at: string;
    }
  | {
      kind: 'refused';
      item: PendingItemSummary;
      code: string;
      message: string;
      auto: boolean;
      at: string;
    }
  | { kind: 'settled'; item: PendingItemSummary; auto: boolean; at: string };

export function loadOutcomes(): PendingOutcome[] {
  try {
    const raw = localStorage.getItem(OUTCOMES_KEY);
    const list = raw ? (JSON.parse(raw) as unknown) : [];
    return Array.isArray(list)
      ? list.filter((o: Partial<PendingOutcome> | null): o is PendingOutcome => !!o?.item?.idempotencyKey)
      : [];
  } catch {
    return [];
  }
}

export function storeOutcomes(list: PendingOutcome[]): void {
  try {
    if (list.length === 0) localStorage.removeItem(OUTCOMES_KEY);
    else localStorage.setItem(OUTCOMES_KEY, JSON.stringify(list));
  } catch {
    // ignore: they stay on screen in this window
  }
}
