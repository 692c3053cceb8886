// Top-ups of the prepaid float: PAY-2 (branch deposit voucher) and PAY-3 (bound Green Card).
import type { Fen } from '../../shared/money';
import { YizhanError } from '../../shared/errors';
import type { ChannelArgs, TxnDto, TxnKind } from '../../shared/contract';
import { bankRefCredited, insertVoucher, postTxn, voucherCredited, type NewVoucher } from '../../db/ledger';
import { getTxn, listVouchers } from './txn-dto';
import { station, today, type Ctx } from '../context';
import type { Handlers } from '../handler';
import { callGateway } from './gateway-call';
import { assertDayOpen } from './day-guard';
import { assertKeyUnused, counterPosting, recordDone, type Keyed } from './keyed';

/** PAY-2: before any money moves, the voucher must be new here and known to the central system.
 *  (The database refuses a second credit again, whatever happens in between.) */
export async function confirmVoucherDeposit(ctx: Ctx, voucherNo: string, amountFen: Fen): Promise<void> {
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
    throw new YizhanError('NOT_FOUND', { voucherNo, reason: c.reason, variant: 'voucherUnconfirmed' });
}

/** Inside the posting's transaction: the voucher kept for inspection (PAY-2), credited once. */
export function recordVoucher(ctx: Ctx, v: NewVoucher): void {
  try {
    insertVoucher(ctx.db, v);
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
  amountFen: Fen,
  details: Record<string, unknown>,
  alsoInside?: (txnId: number) => void,
): TxnDto {
  const { nowIso, day } = today(ctx);
  return ctx.db
    .transaction(() => {
      assertKeyUnused(ctx, k);
      const id = postTxn(ctx.db, {
        kind,
        ...counterPosting(ctx, k, { nowIso, day }),
        amountFen,
        feeFen: 0,
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

export async function topUpByVoucher(ctx: Ctx, a: ChannelArgs<'topup.voucher'>, k: Keyed): Promise<TxnDto> {
  const amountFen = a.amount; // the wire's yuan string, parsed: Fen
  await confirmVoucherDeposit(ctx, a.voucherNo, amountFen);
  const depositedAt = a.depositedAt ?? ctx.now().toISOString();
  return postTopUp(
    ctx,
    k,
    'topup_voucher',
    amountFen,
    { voucherNo: a.voucherNo, branchCode: a.branchCode, clerk: a.clerk, depositedAt },
    (txnId) =>
      recordVoucher(ctx, {
        voucherNo: a.voucherNo,
        branchCode: a.branchCode,
        clerk: a.clerk,
        amountFen,
        depositedAt,
        txnId,
      }),
  );
}

export async function topUpByGreenCard(
  ctx: Ctx,
  a: ChannelArgs<'topup.greenCard'>,
  k: Keyed,
): Promise<TxnDto> {
  const amountFen = a.amount; // the wire's yuan string, parsed: Fen
  const st = station(ctx);
  if (!st.green_card_masked) {
    throw new YizhanError('NOT_FOUND', { what: 'green_card', variant: 'noGreenCard' });
  }
  // A bank reference is credited once, like a voucher (unless that credit was reversed).
  if (bankRefCredited(ctx.db, a.bankRef))
    throw new YizhanError('DUPLICATE_VOUCHER', { bankRef: a.bankRef, variant: 'bankRef' });
  assertDayOpen(ctx, today(ctx).day);
  const c = await callGateway(ctx, 'confirmTopUp', () =>
    ctx.gateway.confirmTopUp({
      kind: 'green_card',
      ref: a.bankRef,
      amountFen,
      institutionNo: st.institution_no,
    }),
  );
  if (!c.confirmed)
    throw new YizhanError('NOT_FOUND', {
      bankRef: a.bankRef,
      reason: c.reason,
      variant: 'greenCardUnconfirmed',
    });
  try {
    return postTopUp(ctx, k, 'topup_green_card', amountFen, {
      bankRef: a.bankRef,
      cardMasked: st.green_card_masked,
    });
  } catch (e) {
    // Another attempt credited the same reference while we waited for the central system.
    if (e instanceof YizhanError && e.code === 'DUPLICATE_VOUCHER')
      throw new YizhanError('DUPLICATE_VOUCHER', { bankRef: a.bankRef, variant: 'bankRef' });
    throw e;
  }
}

/** The top-up domain's plain channels; `topup.voucher` and `topup.greenCard` are keyed in the table. */
export const topupHandlers: Handlers<'voucher.list'> = {
  'voucher.list': (ctx, a) => ({ items: listVouchers(ctx.db, a) }),
};
