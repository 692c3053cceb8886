// The session domain: who is at the counter (PPL-3: every posting records who made it). What
// each operator is trained on is the platform's word (the signed profile; ./grants.ts), not the
// station's own table.
import { SERVICE_IDS } from '../../shared/catalogue';
import { YizhanError } from '../../shared/errors';
import { getOperator, listOperators, type OperatorRow } from '../../db/station';
import type { Ctx } from '../context';
import type { Handlers } from '../handler';
import { serviceGrant } from './grants';

function withGrants<O extends OperatorRow>(ctx: Ctx, o: O): O {
  return { ...o, trainedServices: SERVICE_IDS.filter((s) => serviceGrant(ctx, s, o.id) === 'ok') };
}

export const sessionHandlers: Handlers<'session.get' | 'session.setOperator'> = {
  'session.get': (ctx) => {
    const operator = getOperator(ctx.db, ctx.operatorId);
    if (!operator) throw new YizhanError('NOT_FOUND', { operatorId: ctx.operatorId });
    return {
      operator: withGrants(ctx, operator),
      operators: listOperators(ctx.db).map((o) => withGrants(ctx, o)),
    };
  },
  'session.setOperator': (ctx, a) => {
    const operator = getOperator(ctx.db, a.operatorId);
    if (!operator) throw new YizhanError('NOT_FOUND', { operatorId: a.operatorId, variant: 'operator' });
    ctx.operatorId = operator.id;
    return { operator: withGrants(ctx, operator) };
  },
};
