// The station domain: who this station is, the services it offers, and its prepaid float.
import { CATALOGUE, SERVICE_IDS } from '../../shared/catalogue';
import { formatFen } from '../../shared/money';
import { accountBalance } from '../../db/ledger';
import { isTrained } from '../../db/station';
import { station, today } from '../context';
import type { Handlers } from '../handler';

export const stationHandlers: Handlers<'station.get' | 'catalogue.list' | 'float.balance'> = {
  'station.get': (ctx) => {
    const s = station(ctx);
    return {
      institutionNo: s.institution_no,
      name: s.name,
      demo: s.demo === 1,
      greenCardMasked: s.green_card_masked,
      businessDay: today(ctx).day,
    };
  },
  'catalogue.list': (ctx) => ({
    items: SERVICE_IDS.map((id) => ({
      id,
      nameZh: CATALOGUE[id].nameZh,
      fee: formatFen(CATALOGUE[id].feeFen),
      hotkey: CATALOGUE[id].hotkey,
      trained: isTrained(ctx.db, ctx.operatorId, id),
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
};
