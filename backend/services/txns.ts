// The transaction domain: one transaction (by id or printed serial), the journal, the day's cash.
import { YizhanError } from '../../shared/errors';
import { isTrainingSerial, parseSerial, TRAINING_SERIAL_PREFIX } from '../../shared/serial';
import { cashSummary, getTxn, listTxns } from './txn-dto';
import { today } from '../context';
import type { Handlers } from '../handler';

export const txnHandlers: Handlers<'txn.get' | 'txn.list' | 'cash.summary'> = {
  'txn.get': (ctx, a) => {
    // A training slip at the real counter, or a real one in training: never the other ledger's row
    // that happens to have the same day and id.
    if ('serial' in a && isTrainingSerial(a.serial) !== ctx.trainingMode)
      throw new YizhanError('NOT_FOUND', {
        serial: a.serial,
        variant: ctx.trainingMode ? 'realSerialInTraining' : 'trainingSerial',
      });
    const id = 'txnId' in a ? a.txnId : parseSerial(a.serial)!.id;
    const t = getTxn(ctx.db, id);
    if (!t || ('serial' in a && t.serial !== a.serial)) throw new YizhanError('NOT_FOUND', { ...a });
    return t;
  },
  // 交易查询's search: in training, a training serial (LX…) searches as the serial it prints.
  'txn.list': (ctx, a) =>
    listTxns(
      ctx.db,
      ctx.trainingMode && a.search && isTrainingSerial(a.search)
        ? { ...a, search: a.search.slice(TRAINING_SERIAL_PREFIX.length) }
        : a,
    ),
  'cash.summary': (ctx, a) => cashSummary(ctx.db, a.day ?? today(ctx).day),
};
