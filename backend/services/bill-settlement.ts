// Settling a bill payment's reservation (SRV-2, PAY-1): phase 3 of ./bill.ts — post the payment
// the central system made, or void the reservation it refused — and, for a reservation whose
// outcome was unknown (timeout, crash), asking the central system until it says: on start, on a
// retry of the same key, and for the counter's list of payments still pending.
import { YizhanError } from '../../shared/errors';
import type { ServiceId } from '../../shared/catalogue';
import { formatFen } from '../../shared/money';
import type { PendingPaymentDto, TxnDto } from '../../shared/contract';
import {
  idempotencyRow,
  isDayClosed,
  pendingReservations,
  recordIdempotency,
  postTxn,
  reservationByKey,
  resolveReservation,
  type ReservationRow,
} from '../../db/ledger';
import { getTxn } from './txn-dto';
import { markInquiryPaid } from '../../db/bill-inquiries';
import { businessDayOf } from '../../shared/business-day';
import type { Ctx } from '../context';
import { callGateway } from './gateway-call';

/** A payment the central system has no record of is taken as never received only after this
 *  long: far beyond any request still in transit (the gateway call itself gives up after 10 s). */
export const UNKNOWN_PAYMENT_GRACE_MS = 10 * 60 * 1000;

/** What the reservation remembers, so a payment can be posted after a restart. */
export interface PaymentRequest {
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

/** The central system gave no answer about a payment we asked for: keep the float reserved, and
 *  never invite the operator to take the money again (not final: the key stays usable). */
export function outcomeUnknown(details: Record<string, unknown> = {}): YizhanError {
  return new YizhanError('GATEWAY_UNAVAILABLE', { ...details, pending: true, variant: 'outcomeUnknown' });
}

/** Phase 3a: the central system paid — post the payment, release the reservation, record the key. */
export function postReservation(ctx: Ctx, row: ReservationRow, gatewayRef: string): TxnDto {
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
export function voidReservation(ctx: Ctx, row: ReservationRow, resolution: string): void {
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
