// Bill payments (SRV-2, SRV-4, PAY-1), two-phase: reserve the float, ask the central system to
// pay, then post the payment or void the reservation. Only a bill the operator confirmed with the
// customer is paid (SRV-2: `bill.confirmPayee`, ./payee-confirmation.ts). A reservation whose outcome is unknown
// (timeout, crash) stays pending until the central system says what happened — never a guess.
// The settling of a reservation (phase 3, recovery, the pending list) is ./bill-settlement.ts.
import { feeFenOf, serviceGrant } from './grants';
import { YizhanError } from '../../shared/errors';
import type { ServiceId } from '../../shared/catalogue';
import { CASH_OVER_BILL_MAX_FEN, fen, formatFen } from '../../shared/money';
import type { BillDto, ChannelArgs, TxnDto } from '../../shared/contract';
import { accountBalance, pendingKeyOfBill, reservationByKey, reserve } from '../../db/ledger';
import { inquiryByBill, upsertInquiry, type InquiryRow } from '../../db/bill-inquiries';
import { station, today, type Ctx } from '../context';
import type { Handlers } from '../handler';
import { assertFloatCovers } from './float-cover';
import { callGateway } from './gateway-call';
import { assertKeyUnused, type Keyed } from './keyed';
import { assertPayeeConfirmed, recordPayeeConfirmation, takePayeeConfirmation } from './payee-confirmation';
import {
  outcomeUnknown,
  pendingPayments,
  postReservation,
  resolvePending,
  voidReservation,
  type PaymentRequest,
} from './bill-settlement';

export {
  pendingPayments,
  recoverPendingPayments,
  resolvePending,
  UNKNOWN_PAYMENT_GRACE_MS,
} from './bill-settlement';

/** A looked-up bill may be paid for this long; after that the operator looks it up again. */
export const BILL_VALID_MS = 30 * 60 * 1000;

export function assertTrained(ctx: Ctx, service: ServiceId): void {
  // PPL-1 / PPL-2: a service the platform opened to this station, to an operator it recorded as
  // trained on it (the signed profile; backend/services/grants.ts).
  const grant = serviceGrant(ctx, service);
  if (grant === 'not_open') throw new YizhanError('SERVICE_NOT_OPEN', { service });
  if (grant === 'not_trained') throw new YizhanError('NOT_TRAINED', { operatorId: ctx.operatorId, service });
}

export async function inquireBill(ctx: Ctx, a: ChannelArgs<'bill.inquire'>): Promise<BillDto> {
  assertTrained(ctx, a.service);
  const r = await callGateway(ctx, 'inquire', () => ctx.gateway.inquire(a.service, a.account));
  if (r.kind === 'no_bill') throw new YizhanError('NO_BILL_DUE', { service: a.service, account: a.account });
  const b = r.bill;
  if (b.amountFen !== null && !isPositiveFen(b.amountFen))
    throw new YizhanError('INTERNAL', { reason: 'gateway sent a bad amount' });
  const choose = b.choose;
  if (
    choose &&
    !(isPositiveFen(choose.minFen) && isPositiveFen(choose.maxFen) && choose.minFen <= choose.maxFen)
  )
    throw new YizhanError('INTERNAL', { reason: 'gateway sent bad amount limits' });
  // Nothing due and no amount of the customer's choice either: nothing to pay.
  if (b.amountFen === null && !choose)
    throw new YizhanError('NO_BILL_DUE', { service: a.service, account: a.account });
  // SRV-4: the fee is the platform's schedule's, never the operator's or the gateway's.
  const feeFen = feeFenOf(ctx, a.service);
  const { nowIso } = today(ctx);
  upsertInquiry(ctx.db, {
    bill_id: b.billId,
    service: a.service,
    account_no: a.account,
    payee_masked: b.payeeMasked,
    amount_fen: b.amountFen,
    fee_fen: feeFen,
    period: b.period,
    inquired_at: nowIso,
    operator_id: ctx.operatorId,
    biller_name: b.biller?.nameZh ?? null,
    biller_hotline: b.biller?.hotline ?? null,
    choose_min_fen: choose?.minFen ?? null,
    choose_max_fen: choose?.maxFen ?? null,
  });
  const bal = accountBalance(ctx.db, 'float');
  const availableFen = bal.balanceFen - bal.pendingFen;
  return {
    billId: b.billId,
    service: a.service,
    accountNo: a.account,
    payeeMasked: b.payeeMasked,
    period: b.period,
    amountDue: b.amountFen === null ? null : formatFen(b.amountFen),
    fee: formatFen(feeFen),
    total: b.amountFen === null ? null : formatFen(b.amountFen + feeFen),
    floatAfter: b.amountFen === null ? null : formatFen(availableFen - b.amountFen),
    floatAvailable: formatFen(availableFen),
    choose: choose ? { min: formatFen(choose.minFen), max: formatFen(choose.maxFen) } : null,
    demo: ctx.gateway.demo,
  };
}

const isPositiveFen = (n: number): boolean => Number.isSafeInteger(n) && n > 0;

/** What this payment pays: the amount due, or a customer-chosen amount within the limits the
 *  inquiry recorded. Refused before anything is written: an amount for a bill that takes none
 *  (AMOUNT_FIXED), none for a bill with nothing due (AMOUNT_REQUIRED), or one outside the limits
 *  (AMOUNT_OUT_OF_RANGE). The amount due itself, given as the amount, pays the bill. */
export function paymentAmount(
  inq: InquiryRow,
  amountFen: number | undefined,
): { amountFen: number; chosen: boolean } {
  const min = inq.choose_min_fen;
  const max = inq.choose_max_fen;
  if (amountFen === undefined || amountFen === inq.amount_fen) {
    if (inq.amount_fen !== null) return { amountFen: inq.amount_fen, chosen: false };
    throw new YizhanError('AMOUNT_REQUIRED', {
      billId: inq.bill_id,
      min: formatFen(min ?? 0),
      max: formatFen(max ?? 0),
      variant: 'limits',
    });
  }
  if (min === null || max === null) {
    throw new YizhanError('AMOUNT_FIXED', {
      billId: inq.bill_id,
      amountDue: formatFen(inq.amount_fen ?? 0),
      amount: formatFen(amountFen),
      variant: 'amounts',
    });
  }
  if (amountFen < min || amountFen > max) {
    throw new YizhanError('AMOUNT_OUT_OF_RANGE', {
      billId: inq.bill_id,
      amount: formatFen(amountFen),
      min: formatFen(min),
      max: formatFen(max),
      variant: 'limits',
    });
  }
  return { amountFen, chosen: true };
}

/** Another key for a bill whose payment is still pending (not final: settles with that payment). */
function paymentPending(billId: string, pendingKey: string): YizhanError {
  return new YizhanError('PAYMENT_PENDING', { billId, pendingKey });
}

/** Runs before every `bill.pay`, replays included: once a reservation exists for this key, only
 *  the central system's answer settles it — a retry never goes through the fresh-payment checks
 *  again (they could refuse a payment already made). */
export async function settleEarlierAttempt(ctx: Ctx, k: Keyed): Promise<void> {
  const reserved = reservationByKey(ctx.db, k.key);
  if (reserved && !ctx.inflight.has(k.key)) {
    if ((JSON.parse(reserved.request) as PaymentRequest).requestHash !== k.hash)
      throw new YizhanError('IDEMPOTENCY_CONFLICT', { key: k.key });
    if (reserved.status === 'pending' && (await resolvePending(ctx, reserved)) === 'pending')
      throw outcomeUnknown();
  }
}

/** A looked-up bill this operator may pay now: the service is theirs, the look-up recent. */
function assertBillPayable(ctx: Ctx, inq: InquiryRow): void {
  assertTrained(ctx, inq.service);
  if (ctx.now().getTime() - Date.parse(inq.inquired_at) > BILL_VALID_MS)
    throw new YizhanError('BILL_EXPIRED', { billId: inq.bill_id });
}

/** `bill.confirmPayee` (SRV-2): the operator confirmed the looked-up bill — payee and amount —
 *  with the customer. Checked as the payment would be (nothing is confirmed that could not be
 *  paid), recorded, and answered with the token `bill.pay` requires (./payee-confirmation.ts). */
export function confirmPayee(
  ctx: Ctx,
  a: ChannelArgs<'bill.confirmPayee'>,
): { confirmedPayee: string; expiresAt: string } {
  const inq = inquiryByBill(ctx.db, a.billId);
  if (!inq) throw new YizhanError('NOT_FOUND', { billId: a.billId, variant: 'bill' });
  assertBillPayable(ctx, inq);
  const pay = paymentAmount(inq, a.amount);
  if (!pay.chosen && inq.paid_txn_id !== null)
    throw new YizhanError('BILL_ALREADY_PAID', { billId: a.billId, txnId: inq.paid_txn_id });
  // What the operator read to the customer is the bill as the station has it now.
  if (a.payeeMasked !== inq.payee_masked)
    throw new YizhanError('PAYEE_NOT_CONFIRMED', { billId: a.billId, variant: 'changed' });
  return recordPayeeConfirmation(ctx, inq, pay);
}

/** The keyed body of `bill.pay` (declared `keyed(payBill, { before: settleEarlierAttempt })`).
 *  A replay of a key never gets here (keyed() answers it), so a confirmation this payment used
 *  already does not stand in its way. */
export async function payBill(
  ctx: Ctx,
  a: ChannelArgs<'bill.pay'>,
  k: Keyed,
): Promise<TxnDto & { change: string }> {
  const inq = inquiryByBill(ctx.db, a.billId);
  if (!inq) throw new YizhanError('NOT_FOUND', { billId: a.billId, variant: 'bill' });
  assertBillPayable(ctx, inq);
  const { amountFen, chosen } = paymentAmount(inq, a.amount);
  const totalFen = amountFen + inq.fee_fen;
  // SRV-1: the cash handed over must cover the bill and its fee.
  if (a.cashReceived < totalFen) {
    throw new YizhanError('CASH_SHORT', {
      total: formatFen(totalFen),
      cashReceived: formatFen(a.cashReceived),
      missing: formatFen(totalFen - a.cashReceived),
      variant: 'amounts',
    });
  }
  // A sanity limit on the other side: change beyond CASH_OVER_BILL_MAX_FEN is a typing slip.
  if (a.cashReceived > totalFen + CASH_OVER_BILL_MAX_FEN) {
    throw new YizhanError('CASH_TOO_MUCH', {
      total: formatFen(totalFen),
      cashReceived: formatFen(a.cashReceived),
      maxOver: formatFen(CASH_OVER_BILL_MAX_FEN),
      maxCash: formatFen(totalFen + CASH_OVER_BILL_MAX_FEN),
      variant: 'amounts',
    });
  }
  // A chosen amount is a top-up of its own: the customer may top up again after a paid bill.
  if (!chosen && inq.paid_txn_id !== null)
    throw new YizhanError('BILL_ALREADY_PAID', { billId: a.billId, txnId: inq.paid_txn_id });
  // SRV-2: only a bill the operator confirmed with the customer, at this amount (after the
  // request's own checks, before anything is reserved).
  const confirmedPayee = assertPayeeConfirmed(ctx, inq, { amountFen, chosen }, a.confirmedPayee, k.key).token;
  // A payment of this bill whose outcome is still unknown: never send the bill again under
  // another key (the database refuses the reservation too: issue 9 defect 6).
  const pendingKey = pendingKeyOfBill(ctx.db, inq.bill_id);
  if (pendingKey !== undefined && pendingKey !== k.key) throw paymentPending(inq.bill_id, pendingKey);
  const req: PaymentRequest = {
    billId: inq.bill_id,
    service: inq.service,
    accountNo: inq.account_no,
    payeeMasked: inq.payee_masked,
    period: inq.period,
    billerName: inq.biller_name,
    billerHotline: inq.biller_hotline,
    amountFen,
    feeFen: inq.fee_fen,
    cashReceivedFen: a.cashReceived,
    operatorId: ctx.operatorId,
    requestHash: k.hash,
    ...(chosen ? { chosen: true } : {}),
    confirmedPayee,
  };
  // Phase 1: reserve the float (PAY-1 — the database refuses a reservation it cannot cover).
  const { nowIso } = today(ctx);
  const reservationId = ctx.db
    .transaction(() => {
      assertKeyUnused(ctx, k);
      assertFloatCovers(ctx.db, amountFen, 'payment');
      if (reservationByKey(ctx.db, k.key)) throw outcomeUnknown({ reason: 'reserved by another attempt' });
      const pendingNow = pendingKeyOfBill(ctx.db, inq.bill_id);
      if (pendingNow !== undefined) throw paymentPending(inq.bill_id, pendingNow);
      const id = reserve(ctx.db, k.key, amountFen, req, nowIso);
      takePayeeConfirmation(ctx, confirmedPayee, k.key, nowIso);
      return id;
    })
    .immediate();
  // Phase 2: the central system pays the utility.
  const st = station(ctx);
  let result;
  try {
    result = await callGateway(ctx, 'pay', () =>
      ctx.gateway.pay({
        paymentRef: k.key,
        billId: inq.bill_id,
        amountFen: fen(amountFen),
        institutionNo: st.institution_no,
        service: inq.service,
        accountNo: inq.account_no,
      }),
    );
  } catch (e) {
    // Outcome unknown: keep the reservation; a retry with the same key, or recovery, settles it.
    if (e instanceof YizhanError && e.code === 'GATEWAY_UNAVAILABLE') throw outcomeUnknown(e.details);
    throw e;
  }
  const row = reservationByKey(ctx.db, k.key)!;
  if (row.id !== reservationId) throw new Error('reservation changed under us');
  if (result.status === 'declined') {
    voidReservation(ctx, row, `declined: ${result.reason}`);
    throw new YizhanError('PAYMENT_DECLINED', { reason: result.reason, variant: 'reason' });
  }
  return withChange(postReservation(ctx, row, result.gatewayRef));
}

/** A bill payment's reply always says the change given. */
function withChange(t: TxnDto): TxnDto & { change: string } {
  if (t.change === undefined) throw new Error('a bill payment without change recorded');
  return { ...t, change: t.change };
}

/** The bill domain's plain channels; `bill.pay` is keyed in the table. */
export const billHandlers: Handlers<'bill.inquire' | 'bill.confirmPayee' | 'payment.pending'> = {
  'bill.inquire': inquireBill,
  'bill.confirmPayee': confirmPayee,
  'payment.pending': (ctx) => ({ items: pendingPayments(ctx) }),
};
