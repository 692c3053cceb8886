// Ctrl+P at the counter (issue 13): reprint the latest receipt — the customer who walked off
// without it, the slip that jammed — marked 重印 like every reprint. Between customers only
// (before a bill is looked up, or after the payment is done).
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api';
import { errorMessage } from '../../components/ErrorAlert';
import { useMessage } from '../../components/message';

export function isReprintLastKey(e: KeyboardEvent): boolean {
  return (e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'p';
}

export function useReprintLast(reprint: (txnId: number) => Promise<unknown>) {
  const { t } = useTranslation();
  const message = useMessage();
  return useCallback(async () => {
    try {
      const { items } = await call('txn.list', { limit: 1 });
      const last = items[0];
      if (!last) {
        void message.info(t('counter.nothingToReprint'));
        return;
      }
      const job = await reprint(last.txnId);
      if (job) void message.success(t('counter.reprintedLast', { serial: last.serial }));
    } catch (e) {
      void message.error(errorMessage(e, t));
    }
  }, [reprint, message, t]);
}
