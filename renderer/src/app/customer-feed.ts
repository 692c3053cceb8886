// The customer-facing display (issue 13): what the counter shows the customer — the bill, 收您,
// 找您, a thank-you — published live to a second window (Electron: the second screen; browser
// mode: the /customer page). The counter writes the current view to this machine's storage; the
// display reads it and follows the 'storage' event, which every other window of the app gets
// (same origin in browser mode, the app's own pages in Electron). No money moves through here:
// it is a mirror of the counter's screen, nothing more.
import { useEffect } from 'react';
import type { ServiceId } from '../../../shared/catalogue';

export const CUSTOMER_VIEW_KEY = 'yizhan.customer.view';

interface BillPart {
  service: ServiceId;
  payeeMasked: string;
  amountDue: string;
  fee: string;
  total: string;
  demo: boolean;
  /** 练习模式: the customer is told this is practice, not a real payment. */
  training?: boolean;
}

export type CustomerView =
  | { phase: 'idle' }
  | ({ phase: 'bill' } & BillPart)
  | ({ phase: 'callback' | 'done'; cash: string; change: string } & BillPart)
  /** The central system has not answered yet: no change is promised until it does. */
  | ({ phase: 'waiting'; cash: string } & BillPart)
  | ({ phase: 'refund'; cash: string } & BillPart);

function publish(json: string): void {
  try {
    if (localStorage.getItem(CUSTOMER_VIEW_KEY) !== json) localStorage.setItem(CUSTOMER_VIEW_KEY, json);
  } catch {
    // (storage refused: the display keeps what it last showed)
  }
}

export function readCustomerView(): CustomerView {
  try {
    const v = JSON.parse(localStorage.getItem(CUSTOMER_VIEW_KEY) ?? 'null') as CustomerView | null;
    return v && typeof v === 'object' && typeof v.phase === 'string' ? v : { phase: 'idle' };
  } catch {
    return { phase: 'idle' };
  }
}

/** The counter publishes its view whenever it changes. */
export function useCustomerFeed(view: CustomerView): void {
  const json = JSON.stringify(view);
  useEffect(() => publish(json), [json]);
}

/** The display follows the counter: calls `on` with each new view. */
export function subscribeCustomerView(on: (v: CustomerView) => void): () => void {
  const handler = (e: StorageEvent) => {
    if (e.key === CUSTOMER_VIEW_KEY) on(readCustomerView());
  };
  window.addEventListener('storage', handler);
  return () => window.removeEventListener('storage', handler);
}
