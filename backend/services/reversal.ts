// SRV-3: a mistake is corrected by a reversal that names the original — never by an edit.
// The reversal's legs are the original's, negated; the database lets a transaction be reversed once.
import { YizhanError } from '../../shared/errors';
import { fen, type Fen } from '../../shared/money';
import type { ChannelArgs, TxnDto } from '../../shared/contract';
import {
  pendingReservations,
  postTxn,
  reservationByKey,
  reserve,
  resolveReservation,
  reversalOf,
  reversibleTxn,
  type Leg,
  type ReversibleTxnRow,
} from '../../db/ledger';
import { clearInquiryPayment } from '../../db/bill-inquiries';
import { getTxn } from './txn-dto';
import { station, today, type Ctx } from '../context';
import { assertFloatCovers } from './float-cover';
import { callGateway } from './gateway-call';
import { assertDayOpen } from './day-guard';
import { assertKeyUnused, recordDone, type Keyed } from './keyed';

type OriginalRow = ReversibleTxnRow;

/** What a reversal that takes money out of the float remembers while it waits for the central
 *  system (its reservation holds that money, so no payment can spend it meanwhile). */
interface ReversalIntent {
  kind: 'reversal';
  txnId: number;
  reason: string;
  operatorId: string;
  requestHash: string;
}

function original(ctx: Ctx, txnId: number): OriginalRow | undefined {
  return reversibleTxn(ctx.db, txnId);
}

export async function reverseTxn(ctx: Ctx, a: ChannelArgs<'txn.reverse'>, k: Keyed): Promise<TxnDto> {
  const orig = original(ctx, a.txnId);
  if (!orig) throw new YizhanError('NOT_FOUND', { txnId: a.txnId });
  if (orig.kind === 'reversal')
    throw new YizhanError('NOT_REVERSIBLE', { txnId: a.txnId, variant: 'isReversal' });
  const by = reversalOf(ctx.db, orig.id);
  if (by) throw new YizhanError('ALREADY_REVERSED', { txnId: orig.id, reversedByTxnId: by });
  assertDayOpen(ctx, today(ctx).day);
  const intent: ReversalIntent = {
    kind: 'reversal',
    txnId: orig.id,
    reason: a.reason,
    operatorId: ctx.operatorId,
    requestHash: k.hash,
  };
  // A reversal that takes money out of the float (a top-up entered by mistake) must fit in it,
  // and that money is held (reserved) until the central system has answered.
  const floatDelta = floatLegOf(orig);
  if (floatDelta > 0) {
    ctx.db
      .transaction(() => {
        const held = reservationByKey(ctx.db, k.key);
        if (held?.status === 'pending') return;
        assertFloatCovers(ctx.db, floatDelta, 'reversal');
        reserve(ctx.db, k.key, floatDelta, intent, ctx.now().toISOString());
      })
      .immediate();
  }
  return completeReversal(ctx, k, orig, intent);
}

/** The float a reversal takes out (positive), from the original's float leg. */
function floatLegOf(orig: OriginalRow): Fen {
  return fen((JSON.parse(orig.legs) as Leg[]).find(([acct]) => acct === 'float')?.[1] ?? 0);
}

/** Central reversal (idempotent), then the local posting, which releases any held float. */
async function completeReversal(
  ctx: Ctx,
  k: Keyed,
  orig: OriginalRow,
  intent: ReversalIntent,
): Promise<TxnDto> {
  const st = station(ctx);
  const details = JSON.parse(orig.details) as Record<string, unknown>;
  // What the central system recorded must be undone there too: a payment, or money that reached
  // the float (a top-up, or takings deposited at the branch against a voucher).
  const centralRef = orig.kind === 'bill_payment' ? undefined : (details['voucherNo'] ?? details['bankRef']);
  const central =
    orig.kind === 'bill_payment'
      ? await callGateway(ctx, 'reversePayment', () =>
          ctx.gateway.reversePayment(orig.idempotency_key, intent.reason),
        )
      : floatLegOf(orig) !== 0 && centralRef !== undefined
        ? await callGateway(ctx, 'reverseTopUp', () =>
            ctx.gateway.reverseTopUp(String(centralRef), orig.amount_fen, st.institution_no),
          )
        : ({ ok: true } as const);
  if (!central.ok) {
    const held = reservationByKey(ctx.db, k.key);
    if (held?.status === 'pending')
      resolveReservation(
        ctx.db,
        held.id,
        'voided',
        `central refused: ${central.reason}`,
        null,
        ctx.now().toISOString(),
      );
    throw new YizhanError('NOT_REVERSIBLE', { reason: central.reason, variant: 'centralRefused' });
  }
  const legs = (JSON.parse(orig.legs) as Leg[]).map(([acct, fen]) => [acct, -fen] as const);
  const { nowIso, day } = today(ctx);
  return ctx.db
    .transaction(() => {
      assertKeyUnused(ctx, k);
      const id = postTxn(ctx.db, {
        kind: 'reversal',
        businessDay: day,
        createdAt: nowIso,
        operatorId: intent.operatorId,
        amountFen: orig.amount_fen,
        feeFen: orig.fee_fen,
        service: orig.service,
        reversesId: orig.id,
        idempotencyKey: k.key,
        requestHash: k.hash,
        legs,
        details: {
          ...pick(details, ['accountNo', 'payeeMasked', 'voucherNo', 'bankRef', 'billId', 'cardMasked']),
          reason: intent.reason,
          originalKind: orig.kind,
        },
      });
      const held = reservationByKey(ctx.db, k.key);
      if (held?.status === 'pending') resolveReservation(ctx.db, held.id, 'posted', 'reversed', id, nowIso);
      // The bill may be paid again once its payment is reversed.
      if (orig.kind === 'bill_payment') clearInquiryPayment(ctx.db, orig.id);
      const dto = getTxn(ctx.db, id)!;
      recordDone(ctx, k, dto);
      return dto;
    })
    .immediate();
}

/** On start and periodically: finish reversals whose float is held but whose answer was lost
 *  (the operator asked for them; the central reversal is idempotent). */
export async function recoverPendingReversals(ctx: Ctx): Promise<number> {
  let done = 0;
  for (const row of pendingReservations(ctx.db)) {
    const intent = JSON.parse(row.request) as Partial<ReversalIntent>;
    if (intent.kind !== 'reversal' || ctx.inflight.has(row.idempotency_key)) continue;
    const orig = original(ctx, intent.txnId!);
    if (!orig) continue;
    const k: Keyed = { key: row.idempotency_key, channel: 'txn.reverse', hash: intent.requestHash! };
    try {
      await completeReversal(ctx, k, orig, intent as ReversalIntent);
      done++;
    } catch {
      // Still unreachable, or refused (then the hold was released): try again later.
    }
  }
  return done;
}

function pick(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (o[key] !== undefined) out[key] = o[key];
  return out;
}
