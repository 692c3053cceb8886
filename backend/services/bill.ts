// Bill payments (SRV-2, SRV-4, PAY-1), two-phase: reserve the float, ask the central system to
// pay, then post the payment or void the reservation. Only a bill the operator confirmed with the
// customer is paid (SRV-2: `bill.confirmPayee`, ./payee-confirmation.ts). A reservation whose outcome is unknown
// (timeout, crash) stays pending until the central system says what happened — never a guess.
import { feeFenOf, serviceGrant } from './grants';
import { YizhanError } from '../../shared/errors';
import type { ServiceId } from '../../shared/catalogue';
import { CASH_OVER_BILL_MAX_FEN, fen, formatFen } from '../../shared/money';
import type { BillDto, ChannelArgs, PendingPaymentDto, TxnDto } from '../../shared/contract';
import {
  accountBalance,
  idempotencyRow,
  isDayClosed,
  pendingKeyOfBill,
  pendingReservations,
  recordIdempotency,
  postTxn,
  reservationByKey,
  reserve,
  resolveReservation,
  type ReservationRow,
} from '../../db/ledger';
import { getTxn } from './txn-dto';
import { inquiryByBill, markInquiryPaid, upsertInquiry, type InquiryRow } from '../../db/bill-inquiries';
import { businessDayOf } from '../../shared/business-day';
import { station, today, type Ctx } from '../context';
import type { Handlers } from '../handler';
import { callGateway } from './gateway-call';
import { assertKeyUnused, type Keyed } from './keyed';
import { assertPayeeConfirmed, recordPayeeConfirmation, takePayeeConfirmation } from './payee-confirmation';

/** A payment the central system has no record of is taken as never received only after this
 *  long: far beyond any request still in transit (the gateway call itself gives up after 10 s). */
export const UNKNOWN_PAYMENT_GRACE_MS = 10 * 60 * 1000;

/** A looked-up bill may be paid for this long; after that the operator looks it up again. */
export const BILL_VALID_MS = 30 * 60 * 1000;

/** What the reservation remembers, so a payment can be posted after a restart. */
interface PaymentRequest {
  billId: string;
  service: ServiceId;
  accountNo: string;
  payeeMasked: string;
  period: string | null;
  /** 收费单位 and 客服热线 (absent for a reservation made before the slip carried them). */
  billerName?: string | null;
  billerHotline?: string | null;
  amountFen: number;
  feeFen: number;
  cashReceivedFen: number;
  operatorId: string;
  requestHash: string;
  /** A customer-chosen amount (prepaid meter, phone top-up): a top-up of its own, which never
   *  marks the bill paid (absent: the amount due). */
  chosen?: boolean;
  /** The payee confirmation (SRV-2) the payment used, part of its request: a retry sends it
   *  again (absent: reserved before migration 015). */
  confirmedPayee?: string;
}

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

/** The central system gave no answer about a payment we asked for: keep the float reserved, and
 *  never invite the operator to take the money again (not final: the key stays usable). */
/** Another key for a bill whose payment is still pending (not final: settles with that payment). */
function paymentPending(billId: string, pendingKey: string): YizhanError {
  return new YizhanError('PAYMENT_PENDING', { billId, pendingKey });
}

function outcomeUnknown(details: Record<string, unknown> = {}): YizhanError {
  return new YizhanError('GATEWAY_UNAVAILABLE', { ...details, pending: true, variant: 'outcomeUnknown' });
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
      const bal = accountBalance(ctx.db, 'float');
      const available = bal.balanceFen - bal.pendingFen;
      if (available < amountFen) {
        const shortfall = amountFen - available;
        throw new YizhanError('INSUFFICIENT_FLOAT', {
          shortfall: formatFen(shortfall),
          available: formatFen(available),
          needed: formatFen(amountFen),
          variant: 'payment',
        });
      }
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

/** Phase 3a: the central system paid — post the payment, release the reservation, record the key. */
function postReservation(ctx: Ctx, row: ReservationRow, gatewayRef: string): TxnDto {
  const req = JSON.parse(row.request) as PaymentRequest;
  const now = ctx.now();
  // The payment belongs to the day it was reserved, unless that day has since been closed.
  const reservedDay = businessDayOf(new Date(row.created_at));
  const closed = isDayClosed(ctx.db, reservedDay);
  const businessDay = closed ? businessDayOf(now) : reservedDay;
  const totalFen = req.amountFen + req.feeFen;
  const changeFen = req.cashReceivedFen - totalFen;
  return ctx.db
    .transaction(() => {
      // Settled meanwhile (another process, or recovery): the payment is there once.
      const fresh = reservationByKey(ctx.db, row.idempotency_key)!;
      if (fresh.status === 'posted') return getTxn(ctx.db, fresh.txn_id!)!;
      if (fresh.status === 'voided')
        throw new Error(`reservation ${row.id} was voided, but the central system paid it`);
      const legs: ['float' | 'cash' | 'fees', number][] = [
        ['float', -req.amountFen],
        ['cash', totalFen],
      ];
      if (req.feeFen > 0) legs.push(['fees', -req.feeFen]);
      const id = postTxn(ctx.db, {
        kind: 'bill_payment',
        businessDay,
        createdAt: now.toISOString(),
        operatorId: req.operatorId,
        amountFen: req.amountFen,
        feeFen: req.feeFen,
        service: req.service,
        idempotencyKey: row.idempotency_key,
        requestHash: req.requestHash,
        legs,
        details: {
          billId: req.billId,
          accountNo: req.accountNo,
          payeeMasked: req.payeeMasked,
          period: req.period ?? undefined,
          billerName: req.billerName ?? undefined,
          billerHotline: req.billerHotline ?? undefined,
          cashReceivedFen: req.cashReceivedFen,
          changeFen,
          gatewayRef,
          ...(req.chosen ? { chosenAmount: true } : {}),
        },
      });
      resolveReservation(ctx.db, row.id, 'posted', `paid: ${gatewayRef}`, id, now.toISOString());
      // The amount due settles the bill; a chosen amount never does (the customer may top up again).
      if (!req.chosen) markInquiryPaid(ctx.db, req.billId, id);
      const dto = getTxn(ctx.db, id)!;
      // (A refusal recorded for this key by an older version would stand in the way; the posted
      // transaction itself is what a replay returns, see keyed.ts.)
      if (!idempotencyRow(ctx.db, row.idempotency_key))
        recordIdempotency(
          ctx.db,
          row.idempotency_key,
          'bill.pay',
          req.requestHash,
          'done',
          dto,
          now.toISOString(),
        );
      return dto;
    })
    .immediate();
}

/** Phase 3b: the central system did not pay — release the float, record the refusal. */
function voidReservation(ctx: Ctx, row: ReservationRow, resolution: string): void {
  const req = JSON.parse(row.request) as PaymentRequest;
  const nowIso = ctx.now().toISOString();
  ctx.db
    .transaction(() => {
      resolveReservation(ctx.db, row.id, 'voided', resolution, null, nowIso);
      if (!idempotencyRow(ctx.db, row.idempotency_key)) {
        const err = resolution.startsWith('declined')
          ? new YizhanError('PAYMENT_DECLINED', { reason: resolution.slice(10), variant: 'reason' })
          : new YizhanError('PAYMENT_NOT_MADE', { resolution });
        recordIdempotency(
          ctx.db,
          row.idempotency_key,
          'bill.pay',
          req.requestHash,
          'refused',
          err.toJSON(),
          nowIso,
        );
      }
    })
    .immediate();
}

/** Settles one pending reservation by asking the central system what became of it. */
export async function resolvePending(
  ctx: Ctx,
  row: ReservationRow,
): Promise<'posted' | 'voided' | 'pending'> {
  let s;
  try {
    s = await callGateway(ctx, 'paymentStatus', () => ctx.gateway.paymentStatus(row.idempotency_key));
  } catch {
    return 'pending';
  }
  const fresh = reservationByKey(ctx.db, row.idempotency_key);
  if (!fresh || fresh.status !== 'pending') return fresh?.status === 'posted' ? 'posted' : 'voided';
  if (s.status === 'paid') {
    postReservation(ctx, fresh, s.gatewayRef);
    return 'posted';
  }
  if (s.status === 'declined') {
    voidReservation(ctx, fresh, `declined: ${s.reason}`);
    return 'voided';
  }
  // "Unknown" may mean our request is still on its way: only after a grace period, when no
  // request can still be in transit, is the payment taken as never received.
  if (ctx.now().getTime() - Date.parse(fresh.created_at) < UNKNOWN_PAYMENT_GRACE_MS) return 'pending';
  voidReservation(ctx, fresh, 'not received by the central system');
  return 'voided';
}

/** On start (and periodically): resolve every reservation left pending by a crash or timeout. */
export async function recoverPendingPayments(
  ctx: Ctx,
): Promise<{ posted: number; voided: number; pending: number }> {
  const out = { posted: 0, voided: 0, pending: 0 };
  for (const row of pendingReservations(ctx.db)) {
    if (ctx.inflight.has(row.idempotency_key)) continue;
    // Reversals hold float too; they are finished by recoverPendingReversals.
    if ((JSON.parse(row.request) as Partial<PaymentRequest>).billId === undefined) continue;
    out[await resolvePending(ctx, row)]++;
  }
  return out;
}

/** For the counter: payments waiting for the central system's answer, with what a retry needs. */
export function pendingPayments(ctx: Ctx): PendingPaymentDto[] {
  return pendingReservations(ctx.db)
    .filter((r) => (JSON.parse(r.request) as Partial<PaymentRequest>).billId !== undefined)
    .map((r) => {
      const req = JSON.parse(r.request) as PaymentRequest;
      return {
        idempotencyKey: r.idempotency_key,
        billId: req.billId,
        service: req.service,
        accountNo: req.accountNo,
        payeeMasked: req.payeeMasked,
        amount: formatFen(req.amountFen),
        chosenAmount: req.chosen ? formatFen(req.amountFen) : null,
        confirmedPayee: req.confirmedPayee ?? null,
        fee: formatFen(req.feeFen),
        total: formatFen(req.amountFen + req.feeFen),
        cashReceived: formatFen(req.cashReceivedFen),
        createdAt: r.created_at,
        operatorId: req.operatorId,
      };
    });
}

/** The bill domain's plain channels; `bill.pay` is keyed in the table. */
export const billHandlers: Handlers<'bill.inquire' | 'bill.confirmPayee' | 'payment.pending'> = {
  'bill.inquire': inquireBill,
  'bill.confirmPayee': confirmPayee,
  'payment.pending': (ctx) => ({ items: pendingPayments(ctx) }),
};
