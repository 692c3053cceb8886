// The session domain: who is at the counter (PPL-3: every posting records who made it).
import { YizhanError } from '../../shared/errors';
import { getOperator, listOperators } from '../../db/station';
import type { Handlers } from '../handler';

export const sessionHandlers: Handlers<'session.get' | 'session.setOperator'> = {
  'session.get': (ctx) => {
    const operator = getOperator(ctx.db, ctx.operatorId);
    if (!operator) throw new YizhanError('NOT_FOUND', { operatorId: ctx.operatorId });
    return { operator, operators: listOperators(ctx.db) };
  },
  'session.setOperator': (ctx, a) => {
    const operator = getOperator(ctx.db, a.operatorId);
    if (!operator) throw new YizhanError('NOT_FOUND', { operatorId: a.operatorId, variant: 'operator' });
    ctx.operatorId = operator.id;
    return { operator };
  },
};
