// The station domain: who this station is, the services it offers, and its prepaid float.
import { profileWarnings } from '../../shared/station-profile';
import { feeFenOf, serviceGrant, stationProfile } from './grants';
import { CATALOGUE, SERVICE_IDS } from '../../shared/catalogue';
import { formatFen } from '../../shared/money';
import { accountBalance } from '../../db/ledger';
import { lastVerification } from '../../db/chain-verify';
import type { LedgerStateDto } from '../../shared/contract';
import { station, today, type Ctx } from '../context';
import type { Handlers } from '../handler';
import { verifyAndReport } from './day-guard';

function ledgerState(ctx: Ctx): LedgerStateDto {
  const last = lastVerification(ctx.db);
  const tampered = last?.ok === 0;
  return { tampered, problem: tampered ? (last?.detail ?? null) : null, at: tampered ? last!.at : null };
}

export const stationHandlers: Handlers<'station.get' | 'catalogue.list' | 'float.balance' | 'ledger.verify'> =
  {
    'station.get': (ctx) => {
      const s = station(ctx);
      return {
        institutionNo: s.institution_no,
        name: s.name,
        demo: s.demo === 1,
        training: ctx.trainingMode === true,
        greenCardMasked: s.green_card_masked,
        businessDay: today(ctx).day,
        ledger: ledgerState(ctx),
        warnings: profileWarnings(stationProfile(ctx), ctx.now()),
      };
    },
    'catalogue.list': (ctx) => ({
      items: SERVICE_IDS.map((id) => ({
        id,
        nameZh: CATALOGUE[id].nameZh,
        fee: formatFen(feeFenOf(ctx, id)),
        hotkey: CATALOGUE[id].hotkey,
        trained: serviceGrant(ctx, id) === 'ok',
      })),
    }),
    'float.balance': (ctx) => {
      const b = accountBalance(ctx.db, 'float');
      return {
        balance: formatFen(b.balanceFen),
        pending: formatFen(b.pendingFen),
        available: formatFen(b.balanceFen - b.pendingFen),
      };
    },
    'ledger.verify': (ctx) => {
      const v = verifyAndReport(ctx.db, 'full', ctx.now().toISOString(), true);
      return {
        ok: v.ok,
        txns: v.txns,
        postings: v.postings,
        headTxnId: v.toTxnId,
        head: v.head,
        problem: v.problem,
        ms: Math.round(v.ms),
      };
    },
  };
