// SRV-2 in the API: 「认真核对受理用户的相关信息,在确保信息核对无误的前提下,进行正确地业务操作」.
// A bill is paid only after the operator has read it (payee, masked, and amount) back to the
// customer and confirmed it (已与客户核对).
//
// The design: a separate channel, `bill.confirmPayee`, which the counter calls when the operator
// confirms, records the confirmation in the station's database (who, when, exactly what) and gives
// back a token; `bill.pay` requires that token (`confirmedPayee`). `bill.inquire` gives no token,
// on purpose: had it given one (valid once confirmed), a caller could pay with the look-up's
// answer alone; this way no payment can be made without an explicit confirm call of its own,
// recorded against the operator. A token is
//   - unguessable: 32 random bytes (crypto), base64url;
//   - bound to what was confirmed: this bill, this amount (due or chosen), payee and fee — a
//     look-up since that changed any of them voids it — and to the operator who confirmed;
//   - single use: the payment that reserves the float with it marks it used, in the reservation's
//     own transaction (`used_key` names that reservation). A replay of that payment (same key and
//     request) never reaches this check: keyed() answers it with the recorded outcome first, and a
//     pending payment's retry is settled from its reservation (settleEarlierAttempt);
//   - short-lived: PAYEE_CONFIRMATION_MS (10 minutes) from the confirmation.
// A refusal writes nothing (except, like every final refusal of a keyed request, its own
// idempotency record).
import { randomBytes } from 'node:crypto';
import { YizhanError } from '../../shared/errors';
import { fen, formatFen } from '../../shared/money';
import type { InquiryRow } from '../../db/bill-inquiries';
import {
  insertPayeeConfirmation,
  payeeConfirmation,
  usePayeeConfirmation,
  type PayeeConfirmationRow,
} from '../../db/payee-confirmations';
import type { Ctx } from '../context';

/** A confirmation may be used for this long; after that the operator checks with the customer
 *  again (the bill itself stays payable for BILL_VALID_MS from its look-up). */
export const PAYEE_CONFIRMATION_MS = 10 * 60 * 1000;

/** Records that the operator confirmed this bill at this amount with the customer (the checks
 *  are `bill.confirmPayee`'s, in ./bill.ts), and gives the token `bill.pay` requires. */
export function recordPayeeConfirmation(
  ctx: Ctx,
  inq: InquiryRow,
  pay: { amountFen: number; chosen: boolean },
): { confirmedPayee: string; expiresAt: string } {
  const now = ctx.now();
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + PAYEE_CONFIRMATION_MS).toISOString();
  insertPayeeConfirmation(ctx.db, {
    token,
    bill_id: inq.bill_id,
    service: inq.service,
    account_no: inq.account_no,
    payee_masked: inq.payee_masked,
    amount_fen: fen(pay.amountFen),
    chosen: pay.chosen ? 1 : 0,
    fee_fen: inq.fee_fen,
    inquired_at: inq.inquired_at,
    operator_id: ctx.operatorId,
    confirmed_at: now.toISOString(),
    expires_at: expiresAt,
  });
  return { confirmedPayee: token, expiresAt };
}

/** Before a payment writes anything: the token confirms this bill, at this amount, as it is now,
 *  by this operator, and is neither expired nor used by another payment. */
export function assertPayeeConfirmed(
  ctx: Ctx,
  inq: InquiryRow,
  pay: { amountFen: number; chosen: boolean },
  token: string | undefined,
  key: string,
): PayeeConfirmationRow {
  const billId = inq.bill_id;
  if (token === undefined) throw new YizhanError('PAYEE_NOT_CONFIRMED', { billId });
  const c = payeeConfirmation(ctx.db, token);
  if (!c) throw new YizhanError('PAYEE_NOT_CONFIRMED', { billId, variant: 'unknown' });
  if (c.bill_id !== billId)
    throw new YizhanError('PAYEE_NOT_CONFIRMED', { billId, confirmedBill: c.bill_id, variant: 'otherBill' });
  if (c.used_key !== null && c.used_key !== key)
    throw new YizhanError('PAYEE_CONFIRMATION_USED', { billId, usedAt: c.used_at });
  if (ctx.now().getTime() >= Date.parse(c.expires_at))
    throw new YizhanError('PAYEE_CONFIRMATION_EXPIRED', {
      billId,
      confirmedAt: c.confirmed_at,
      expiresAt: c.expires_at,
      minutes: PAYEE_CONFIRMATION_MS / 60_000,
      variant: 'minutes',
    });
  if (c.operator_id !== ctx.operatorId)
    throw new YizhanError('PAYEE_NOT_CONFIRMED', {
      billId,
      confirmedBy: c.operator_id,
      variant: 'otherOperator',
    });
  // Looked up again since, and the bill is not what the customer agreed to.
  if (
    c.service !== inq.service ||
    c.account_no !== inq.account_no ||
    c.payee_masked !== inq.payee_masked ||
    c.fee_fen !== inq.fee_fen ||
    (c.chosen === 0 && c.amount_fen !== inq.amount_fen)
  )
    throw new YizhanError('PAYEE_NOT_CONFIRMED', { billId, variant: 'changed' });
  if (c.amount_fen !== pay.amountFen || (c.chosen === 1) !== pay.chosen)
    throw new YizhanError('PAYEE_NOT_CONFIRMED', {
      billId,
      confirmed: formatFen(c.amount_fen),
      amount: formatFen(pay.amountFen),
      variant: 'otherAmount',
    });
  return c;
}

/** Inside the reservation's transaction, right after the reservation: the token is this payment's
 *  now. Another payment that took it meanwhile (another process) refuses this one, and the
 *  transaction (the reservation with it) is rolled back. */
export function takePayeeConfirmation(ctx: Ctx, token: string, key: string, nowIso: string): void {
  if (usePayeeConfirmation(ctx.db, token, key, nowIso)) return;
  const c = payeeConfirmation(ctx.db, token);
  if (c?.used_key === key) return;
  throw new YizhanError('PAYEE_CONFIRMATION_USED', { usedAt: c?.used_at ?? null });
}
