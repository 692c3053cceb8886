// PAY-5 「营业款必须纳入专项管理,及时结算,不得挪作他用」: takings taken out of the drawer for
// settlement, posted as 'takings_settlement' so the cash account (takings due) and the drawer tie
// out at the close. Two ways:
//   owner    handed to the owner (or banked by them):   cash −amount / owner +amount
//   deposit  deposited at a postal branch against the 机构号 as a top-up of the float, proved by
//            the branch's voucher (PAY-2: confirmed by the central system, credited once):
//                                                       cash −amount / float +amount
// Only takings can be settled: never more than the cash account holds (the change fund and any
// overage are the owner's, not takings).
import { YizhanError } from '../../shared/errors';
import { formatFen, type Fen } from '../../shared/money';
import type { ChannelArgs, TxnDto } from '../../shared/contract';
import { accountBalance, postTxn, type Leg } from '../../db/ledger';
import { getTxn } from './txn-dto';
import { today, type Ctx } from '../context';
import { confirmVoucherDeposit, recordVoucher } from './topup';
import { assertKeyUnused, counterPosting, recordDone, type Keyed } from './keyed';
import { assertDayOpen } from './day-guard';

export async function settleTakings(ctx: Ctx, a: ChannelArgs<'takings.settle'>, k: Keyed): Promise<TxnDto> {
  const amountFen = a.amount; // the wire's yuan string, parsed: Fen
  const { day } = today(ctx);
  assertDayOpen(ctx, day);
  assertWithinTakings(ctx, amountFen);
  if (a.mode === 'deposit') {
    await confirmVoucherDeposit(ctx, a.voucherNo, amountFen);
  }
  const { nowIso } = today(ctx);
  return ctx.db
    .transaction(() => {
      assertKeyUnused(ctx, k);
      assertWithinTakings(ctx, amountFen);
      const legs: Leg[] = [
        ['cash', -amountFen],
        [a.mode === 'deposit' ? 'float' : 'owner', amountFen],
      ];
      const depositedAt = a.mode === 'deposit' ? (a.depositedAt ?? nowIso) : undefined;
      const id = postTxn(ctx.db, {
        kind: 'takings_settlement',
        ...counterPosting(ctx, k, { nowIso, day }),
        amountFen,
        feeFen: 0,
        legs,
        details:
          a.mode === 'deposit'
            ? {
                mode: a.mode,
                note: a.note,
                voucherNo: a.voucherNo,
                branchCode: a.branchCode,
                clerk: a.clerk,
                depositedAt,
              }
            : { mode: a.mode, note: a.note },
      });
      if (a.mode === 'deposit') {
        recordVoucher(ctx, {
          voucherNo: a.voucherNo,
          branchCode: a.branchCode,
          clerk: a.clerk,
          amountFen,
          depositedAt: depositedAt ?? nowIso,
          txnId: id,
        });
      }
      const dto = getTxn(ctx.db, id)!;
      recordDone(ctx, k, dto);
      return dto;
    })
    .immediate();
}

function assertWithinTakings(ctx: Ctx, amountFen: Fen): void {
  const due = accountBalance(ctx.db, 'cash').balanceFen;
  if (amountFen > due) {
    throw new YizhanError('TAKINGS_EXCEEDED', {
      amount: formatFen(amountFen),
      takingsDue: formatFen(Math.max(0, due)),
      variant: 'amounts',
    });
  }
}
