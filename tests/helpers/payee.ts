// SRV-2, what the operator does at 已与客户核对, as the tests do it through either transport
// (tests/helpers/backend.ts in process, tests/e2e/fixtures.ts over HTTP).

export interface LookedUpBill {
  billId: string;
  payeeMasked: string;
  amountDue: string | null;
}

/** bill.confirmPayee's arguments: the looked-up bill confirmed with the customer at its amount due,
 *  or at the customer's chosen `amount`. */
export function confirmPayeeArgs(bill: LookedUpBill, amount?: string) {
  const shown = amount ?? bill.amountDue;
  if (shown === null) throw new Error('confirmPayee: nothing is due on this bill, give the chosen amount');
  return { billId: bill.billId, payeeMasked: bill.payeeMasked, amount: shown };
}
