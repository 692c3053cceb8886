// Printing a slip after a posting. The posting is committed whatever the printer does: a slip
// that cannot print now waits in the queue (小票已进入打印队列) and the operator can reprint.
import { useCallback, useState } from 'react';
import { Alert, Space, Button } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { PrintJobDto } from '../../../shared/contract';
import { call, ApiError, isUnavailable } from '../api';
import { errorMessage } from './ErrorAlert';

export type PrintState =
  | { phase: 'idle' }
  | { phase: 'printing'; reprint: boolean }
  | { phase: 'done'; job: PrintJobDto; reprint: boolean }
  | { phase: 'error'; error: unknown; reprint: boolean };

/** print.txn (first slip, once per transaction) or print.reprint (marked 重印 n). */
export function usePrint() {
  const [state, setState] = useState<PrintState>({ phase: 'idle' });
  const run = useCallback(async (txnId: number, reprint: boolean) => {
    setState({ phase: 'printing', reprint });
    try {
      const { job } = reprint ? await call('print.reprint', { txnId }) : await call('print.txn', { txnId });
      setState({ phase: 'done', job, reprint });
      return job;
    } catch (e) {
      setState({ phase: 'error', error: e, reprint });
      return null;
    }
  }, []);
  const reset = useCallback(() => setState({ phase: 'idle' }), []);
  return {
    state,
    print: (txnId: number) => run(txnId, false),
    reprint: (txnId: number) => run(txnId, true),
    reset,
  };
}

export function PrintOutcome({
  state,
  onReprint,
  onPreview,
}: {
  state: PrintState;
  onReprint?: () => void;
  onPreview?: () => void;
}) {
  const { t } = useTranslation();
  const actions = (
    <Space>
      {onPreview && (
        <Button size="small" onClick={onPreview} data-testid="preview-button">
          {t('print.preview')}
        </Button>
      )}
      {onReprint && (
        <Button
          size="small"
          icon={<PrinterOutlined />}
          onClick={onReprint}
          disabled={state.phase === 'printing'}
          data-testid="reprint-button"
        >
          {t('print.reprint')}
        </Button>
      )}
    </Space>
  );
  if (state.phase === 'idle') return onReprint || onPreview ? actions : null;
  if (state.phase === 'printing')
    return (
      <Alert
        type="info"
        showIcon
        message={t('print.printing')}
        data-testid="print-outcome"
        data-phase="printing"
      />
    );
  if (state.phase === 'error') {
    const unavailable = isUnavailable(state.error);
    return (
      <Alert
        type="warning"
        showIcon
        data-testid="print-outcome"
        data-phase="error"
        message={unavailable ? t('print.unavailable') : t('print.failed')}
        description={
          <>
            <div>{t('print.committedAnyway')}</div>
            {!unavailable && <div className="muted">{errorMessage(state.error, t)}</div>}
            {state.error instanceof ApiError && <span className="error-code">{state.error.code}</span>}
          </>
        }
        action={actions}
      />
    );
  }
  const { job, reprint } = state;
  const printed = job.status === 'printed';
  // A reprint asked for while the slip is still waiting gives back the waiting job: one slip
  // will print when the printer is back, not one per press.
  const stillWaiting = reprint && !printed && job.reprintNo === 0;
  const label = reprint && job.reprintNo > 0 ? t('print.reprintNo', { n: job.reprintNo }) : '';
  return (
    <Alert
      type={printed ? 'success' : 'warning'}
      showIcon
      data-testid="print-outcome"
      data-phase={job.status}
      data-reprint-no={job.reprintNo}
      message={
        <span>
          {printed ? t('print.printed') : t('print.queued')}{' '}
          {label && <strong className="reprint-mark">{label}</strong>}
        </span>
      }
      description={
        printed ? undefined : (
          <div>
            {stillWaiting ? t('print.stillWaiting') : t('print.queuedHint')}
            {job.lastError ? <div className="muted">{job.lastError}</div> : null}
          </div>
        )
      }
      action={actions}
    />
  );
}
