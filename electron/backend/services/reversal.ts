// SRV-3: a mistake is corrected by a reversal that names the original — never by an edit.
// The reversal's legs are the original's, negated; the database lets a transaction be reversed once.
import { YizhanError } from '../../../shared/errors';
import { formatFen } from '../../../shared/money';
import type { ChannelArgs, TxnDto } from '../../../shared/contract';
import { accountBalance, postTxn, type Leg } from '../../../db/ledger';
import { getTxn } from '../../../db/queries';
import { stmt } from '../../../db/open';
import { station, today, type Ctx } from '../context';
import { callGateway } from './gateway-call';
import { assertDayOpen } from './day-close';
import { assertKeyUnused, recordDone, requestHash, runKeyed, type Keyed } from './keyed';

interface OriginalRow {
  id: number;
  kind: string;
  amount_fen: number;
  fee_fen: number;
  service: string | null;
  idempotency_key: string;
  legs: string;
  details: string;
}

export async function reverseTxn(ctx: Ctx, a: ChannelArgs<'txn.reverse'>): Promise<TxnDto> {
  const k: Keyed = { key: a.idempotencyKey, channel: 'txn.reverse', hash: requestHash('txn.reverse', a) };
  return runKeyed(ctx, k, async () => {
    const orig = ctx.db
      .prepare(
        `SELECT id, kind, amount_fen, fee_fen, service, idempotency_key, legs, details FROM txns WHERE id = ?`,
      )
      .get(a.txnId) as OriginalRow | undefined;
    if (!orig) throw new YizhanError('NOT_FOUND', { txnId: a.txnId });
    if (orig.kind === 'reversal')
      throw new YizhanError('NOT_REVERSIBLE', { txnId: a.txnId }, '冲正交易本身不能再冲正');
    const by = ctx.db.prepare(`SELECT id FROM txns WHERE reverses_id = ?`).pluck().get(orig.id) as
      number | undefined;
    if (by) throw new YizhanError('ALREADY_REVERSED', { txnId: orig.id, reversedByTxnId: by });
    const legs = (JSON.parse(orig.legs) as Leg[]).map(([acct, fen]) => [acct, -fen] as const);
    // A reversal that takes money out of the float (a top-up entered by mistake) must fit in it.
    const floatDelta = legs.find(([acct]) => acct === 'float')?.[1] ?? 0;
    if (floatDelta < 0) {
      const bal = accountBalance(ctx.db, 'float');
      const available = bal.balanceFen - bal.pendingFen;
      if (available + floatDelta < 0) {
        const shortfall = -(available + floatDelta);
        throw new YizhanError(
          'INSUFFICIENT_FLOAT',
          {
            shortfall: formatFen(shortfall),
            available: formatFen(available),
            needed: formatFen(-floatDelta),
          },
          `预存款余额不足以冲正这笔充值：需 ${formatFen(-floatDelta)} 元，可用 ${formatFen(available)} 元，还差 ${formatFen(shortfall)} 元`,
        );
      }
    }
    // The central system must agree first: it holds the float and pays the utilities.
    const st = station(ctx);
    const details = JSON.parse(orig.details) as Record<string, unknown>;
    assertDayOpen(ctx, today(ctx).day);
    // What the central system recorded must be undone there too: a payment, or money that reached
    // the float (a top-up, or takings deposited at the branch against a voucher).
    const centralRef =
      orig.kind === 'bill_payment' ? undefined : (details['voucherNo'] ?? details['bankRef']);
    const central =
      orig.kind === 'bill_payment'
        ? await callGateway(ctx, 'reversePayment', () =>
            ctx.gateway.reversePayment(orig.idempotency_key, a.reason),
          )
        : floatDelta !== 0 && centralRef !== undefined
          ? await callGateway(ctx, 'reverseTopUp', () =>
              ctx.gateway.reverseTopUp(String(centralRef), orig.amount_fen, st.institution_no),
            )
          : ({ ok: true } as const);
    if (!central.ok)
      throw new YizhanError(
        'NOT_REVERSIBLE',
        { reason: central.reason },
        `中心系统不同意冲正：${central.reason}`,
      );
    const { nowIso, day } = today(ctx);
    return ctx.db
      .transaction(() => {
        assertKeyUnused(ctx, k);
        const id = postTxn(ctx.db, {
          kind: 'reversal',
          businessDay: day,
          createdAt: nowIso,
          operatorId: ctx.operatorId,
          amountFen: orig.amount_fen,
          feeFen: orig.fee_fen,
          service: orig.service,
          reversesId: orig.id,
          idempotencyKey: k.key,
          requestHash: k.hash,
          legs,
          details: {
            ...pick(details, ['accountNo', 'payeeMasked', 'voucherNo', 'bankRef', 'billId', 'cardMasked']),
            reason: a.reason,
            originalKind: orig.kind,
          },
        });
        // The bill may be paid again once its payment is reversed.
        if (orig.kind === 'bill_payment')
          stmt(ctx.db, `UPDATE bill_inquiries SET paid_txn_id = NULL WHERE paid_txn_id = ?`).run(orig.id);
        const dto = getTxn(ctx.db, id)!;
        recordDone(ctx, k, dto);
        return dto;
      })
      .immediate();
  });
}

function pick(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (o[key] !== undefined) out[key] = o[key];
  return out;
}
