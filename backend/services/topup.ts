// Top-ups of the prepaid float: PAY-2 (branch deposit voucher) and PAY-3 (bound Green Card).
import { YizhanError } from '../../shared/errors';
import type { ChannelArgs, TxnDto, TxnKind } from '../../shared/contract';
import { bankRefCredited, postTxn, voucherCredited } from '../../db/ledger';
import { getTxn } from '../../db/queries';
import { stmt } from '../../db/open';
import { station, today, type Ctx } from '../context';
import { callGateway } from './gateway-call';
import { assertDayOpen } from './day-close';
import { assertKeyUnused, recordDone, requestHash, runKeyed, type Keyed } from './keyed';

/** PAY-2: before any money moves, the voucher must be new here and known to the central system.
 *  (The database refuses a second credit again, whatever happens in between.) */
export async function confirmVoucherDeposit(ctx: Ctx, voucherNo: string, amountFen: number): Promise<void> {
  // Compared in canonical form (vcase1 = VCASE1 = V-case1), as the database does.
  if (voucherCredited(ctx.db, voucherNo)) throw new YizhanError('DUPLICATE_VOUCHER', { voucherNo });
  // A closed day takes nothing: refuse before the central system records anything.
  assertDayOpen(ctx, today(ctx).day);
  const st = station(ctx);
  const c = await callGateway(ctx, 'confirmTopUp', () =>
    ctx.gateway.confirmTopUp({
      kind: 'voucher',
      ref: voucherNo,
      amountFen,
      institutionNo: st.institution_no,
    }),
  );
  if (!c.confirmed)
    throw new YizhanError(
      'NOT_FOUND',
      { voucherNo, reason: c.reason },
      `中心系统未确认该存款凭证：${c.reason}`,
    );
}

/** Inside the posting's transaction: the voucher kept for inspection (PAY-2), credited once. */
export function recordVoucher(
  ctx: Ctx,
  v: {
    voucherNo: string;
    branchCode: string;
    clerk: string;
    amountFen: number;
    depositedAt: string;
    txnId: number;
  },
): void {
  try {
    stmt(
      ctx.db,
      `INSERT INTO vouchers (voucher_no, branch_code, clerk, amount_fen, deposited_at, txn_id) VALUES (?, ?, ?, ?, ?, ?)`,
    ).run(v.voucherNo, v.branchCode, v.clerk, v.amountFen, v.depositedAt, v.txnId);
  } catch (e) {
    if ((e as Error).message === 'DUPLICATE_VOUCHER')
      throw new YizhanError('DUPLICATE_VOUCHER', { voucherNo: v.voucherNo });
    throw e;
  }
}

/** Posts a top-up (float up, owner's money down) and records its key, in one transaction. */
function postTopUp(
  ctx: Ctx,
  k: Keyed,
  kind: Extract<TxnKind, 'topup_voucher' | 'topup_green_card'>,
  amountFen: number,
  details: Record<string, unknown>,
  alsoInside?: (txnId: number) => void,
): TxnDto {
  const { nowIso, day } = today(ctx);
  return ctx.db
    .transaction(() => {
      assertKeyUnused(ctx, k);
      const id = postTxn(ctx.db, {
        kind,
        businessDay: day,
        createdAt: nowIso,
        operatorId: ctx.operatorId,
        amountFen,
        feeFen: 0,
        idempotencyKey: k.key,
        requestHash: k.hash,
        legs: [
          ['float', amountFen],
          ['owner', -amountFen],
        ],
        details,
      });
      alsoInside?.(id);
      const dto = getTxn(ctx.db, id)!;
      recordDone(ctx, k, dto);
      return dto;
    })
    .immediate();
}

export async function topUpByVoucher(ctx: Ctx, a: ChannelArgs<'topup.voucher'>): Promise<TxnDto> {
  const k: Keyed = { key: a.idempotencyKey, channel: 'topup.voucher', hash: requestHash('topup.voucher', a) };
  return runKeyed(ctx, k, async () => {
    await confirmVoucherDeposit(ctx, a.voucherNo, a.amount);
    const depositedAt = a.depositedAt ?? ctx.now().toISOString();
    return postTopUp(
      ctx,
      k,
      'topup_voucher',
      a.amount,
      { voucherNo: a.voucherNo, branchCode: a.branchCode, clerk: a.clerk, depositedAt },
      (txnId) =>
        recordVoucher(ctx, {
          voucherNo: a.voucherNo,
          branchCode: a.branchCode,
          clerk: a.clerk,
          amountFen: a.amount,
          depositedAt,
          txnId,
        }),
    );
  });
}

export async function topUpByGreenCard(ctx: Ctx, a: ChannelArgs<'topup.greenCard'>): Promise<TxnDto> {
  const k: Keyed = {
    key: a.idempotencyKey,
    channel: 'topup.greenCard',
    hash: requestHash('topup.greenCard', a),
  };
  return runKeyed(ctx, k, async () => {
    const st = station(ctx);
    if (!st.green_card_masked) {
      throw new YizhanError('NOT_FOUND', { what: 'green_card' }, '本站尚未绑定邮政绿卡，不能自助充值');
    }
    // A bank reference is credited once, like a voucher (unless that credit was reversed).
    if (bankRefCredited(ctx.db, a.bankRef))
      throw new YizhanError(
        'DUPLICATE_VOUCHER',
        { bankRef: a.bankRef },
        '该银行流水号已经入账，不能重复充值',
      );
    assertDayOpen(ctx, today(ctx).day);
    const c = await callGateway(ctx, 'confirmTopUp', () =>
      ctx.gateway.confirmTopUp({
        kind: 'green_card',
        ref: a.bankRef,
        amountFen: a.amount,
        institutionNo: st.institution_no,
      }),
    );
    if (!c.confirmed)
      throw new YizhanError(
        'NOT_FOUND',
        { bankRef: a.bankRef, reason: c.reason },
        `中心系统未确认该笔绿卡充值：${c.reason}`,
      );
    try {
      return postTopUp(ctx, k, 'topup_green_card', a.amount, {
        bankRef: a.bankRef,
        cardMasked: st.green_card_masked,
      });
    } catch (e) {
      // Another attempt credited the same reference while we waited for the central system.
      if (e instanceof YizhanError && e.code === 'DUPLICATE_VOUCHER')
        throw new YizhanError(
          'DUPLICATE_VOUCHER',
          { bankRef: a.bankRef },
          '该银行流水号已经入账，不能重复充值',
        );
      throw e;
    }
  });
}
