// The transaction domain: one transaction (by id or printed serial), the journal, the day's cash.
import { YizhanError } from '../../shared/errors';
import { cashSummary, getTxn, listTxns } from './txn-dto';
import { today } from '../context';
import type { Handlers } from '../handler';

export const txnHandlers: Handlers<'txn.get' | 'txn.list' | 'cash.summary'> = {
  'txn.get': (ctx, a) => {
    const id = 'txnId' in a ? a.txnId : Number(a.serial.split('-')[1]);
    const t = getTxn(ctx.db, id);
    if (!t || ('serial' in a && t.serial !== a.serial)) throw new YizhanError('NOT_FOUND', { ...a });
    return t;
  },
  'txn.list': (ctx, a) => listTxns(ctx.db, a),
  'cash.summary': (ctx, a) => cashSummary(ctx.db, a.day ?? today(ctx).day),
};
