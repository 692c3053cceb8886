// Top-ups of the prepaid float: PAY-2 (branch deposit voucher) and PAY-3 (bound Green Card).
import { YizhanError } from '../../../shared/errors';
import type { ChannelArgs, TxnDto } from '../../../shared/contract';
import { postTxn } from '../../../db/ledger';
import { getTxn } from '../../../db/queries';
import { stmt } from '../../../db/open';
import { station, today, type Ctx } from '../context';
import { callGateway } from './gateway-call';
import { assertDayOpen } from './day-close';
import { assertKeyUnused, recordDone, requestHash, runKeyed, type Keyed } from './keyed';

export async function topUpByVoucher(ctx: Ctx, a: ChannelArgs<'topup.voucher'>): Promise<TxnDto> {
  const k: Keyed = { key: a.idempotencyKey, channel: 'topup.voucher', hash: requestHash('topup.voucher', a) };
  return runKeyed(ctx, k, async () => {
    const st = station(ctx);
    // Refuse a voucher credited before without troubling the central system (the database
    // refuses it again below, whatever happens in between).
    const dup = ctx.db
      .prepare(`SELECT 1 FROM vouchers v WHERE v.voucher_no = ? AND NOT EXISTS (SELECT 1 FROM txns r WHERE r.reverses_id = v.txn_id)`)
      .get(a.voucherNo);
    if (dup) throw new YizhanError('DUPLICATE_VOUCHER', { voucherNo: a.voucherNo });
    // A closed day takes nothing: refuse before the central system records anything.
    assertDayOpen(ctx, today(ctx).day);
    const c = await callGateway(ctx, 'confirmTopUp', () =>
      ctx.gateway.confirmTopUp({ kind: 'voucher', ref: a.voucherNo, amountFen: a.amount, institutionNo: st.institution_no }),
    );
    if (!c.confirmed) throw new YizhanError('NOT_FOUND', { voucherNo: a.voucherNo, reason: c.reason }, `中心系统未确认该存款凭证：${c.reason}`);
    const { nowIso, day } = today(ctx);
    const depositedAt = a.depositedAt ?? nowIso;
    return ctx.db.transaction(() => {
      assertKeyUnused(ctx, k);
      const id = postTxn(ctx.db, {
        kind: 'topup_voucher',
        businessDay: day,
        createdAt: nowIso,
        operatorId: ctx.operatorId,
        amountFen: a.amount,
        feeFen: 0,
        idempotencyKey: k.key,
        requestHash: k.hash,
        legs: [
          ['float', a.amount],
          ['owner', -a.amount],
        ],
        details: { voucherNo: a.voucherNo, branchCode: a.branchCode, clerk: a.clerk, depositedAt },
      });
      try {
        ctx.db
          .prepare(`INSERT INTO vouchers (voucher_no, branch_code, clerk, amount_fen, deposited_at, txn_id) VALUES (?, ?, ?, ?, ?, ?)`)
          .run(a.voucherNo, a.branchCode, a.clerk, a.amount, depositedAt, id);
      } catch (e) {
        if ((e as Error).message === 'DUPLICATE_VOUCHER') throw new YizhanError('DUPLICATE_VOUCHER', { voucherNo: a.voucherNo });
        throw e;
      }
      const dto = getTxn(ctx.db, id)!;
      recordDone(ctx, k, dto);
      return dto;
    }).immediate();
  });
}

export async function topUpByGreenCard(ctx: Ctx, a: ChannelArgs<'topup.greenCard'>): Promise<TxnDto> {
  const k: Keyed = { key: a.idempotencyKey, channel: 'topup.greenCard', hash: requestHash('topup.greenCard', a) };
  return runKeyed(ctx, k, async () => {
    const st = station(ctx);
    if (!st.green_card_masked) {
      throw new YizhanError('NOT_FOUND', { what: 'green_card' }, '本站尚未绑定邮政绿卡，不能自助充值');
    }
    // A bank reference is credited once, like a voucher (unless that credit was reversed).
    const dup = stmt(ctx.db,
      `SELECT 1 FROM txns t WHERE t.kind = 'topup_green_card' AND json_extract(t.details, '$.bankRef') = ?
         AND NOT EXISTS (SELECT 1 FROM txns r WHERE r.reverses_id = t.id)`,
    ).get(a.bankRef);
    if (dup) throw new YizhanError('DUPLICATE_VOUCHER', { bankRef: a.bankRef }, '该银行流水号已经入账，不能重复充值');
    assertDayOpen(ctx, today(ctx).day);
    const c = await callGateway(ctx, 'confirmTopUp', () =>
      ctx.gateway.confirmTopUp({ kind: 'green_card', ref: a.bankRef, amountFen: a.amount, institutionNo: st.institution_no }),
    );
    if (!c.confirmed) throw new YizhanError('NOT_FOUND', { bankRef: a.bankRef, reason: c.reason }, `中心系统未确认该笔绿卡充值：${c.reason}`);
    const { nowIso, day } = today(ctx);
    return ctx.db.transaction(() => {
      assertKeyUnused(ctx, k);
      const id = postTxn(ctx.db, {
        kind: 'topup_green_card',
        businessDay: day,
        createdAt: nowIso,
        operatorId: ctx.operatorId,
        amountFen: a.amount,
        feeFen: 0,
        idempotencyKey: k.key,
        requestHash: k.hash,
        legs: [
          ['float', a.amount],
          ['owner', -a.amount],
        ],
        details: { bankRef: a.bankRef, cardMasked: st.green_card_masked },
      });
      const dto = getTxn(ctx.db, id)!;
      recordDone(ctx, k, dto);
      return dto;
    }).immediate();
  });
}
