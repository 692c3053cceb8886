// SRV-1 「唱收唱付」: before the payment is sent the operator calls out, in large type, what was
// received and the change due, and confirms with Enter. A refusal or an unknown outcome is
// handled here, and a retry reuses the confirmation's idempotency key. An unknown outcome can be
// set aside (挂起, F9) to serve the next customer: it keeps its key (see PendingPayments).
import { useEffect, useState } from 'react';
import { Alert, Button, Space, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import { ErrorAlert, errorMessage } from '../../components/ErrorAlert';
import { serviceKey } from '../../components/labels';
import { calloutText, setSpeechEnabled, speak, speechEnabled } from './callout';
import type { PayableBill } from './chosen-amount';

interface Props {
  bill: PayableBill;
  cash: string;
  change: string;
  busy: boolean;
  error: unknown;
  onConfirm: () => void;
  /** Offered only while the outcome is unknown and no request is in flight. */
  onSetAside?: (() => void) | undefined;
  onBack: () => void;
  onTopUp: (shortfall?: string) => void;
  onReinquire: () => void;
  /** After a final refusal: the operator has given the cash back (Enter). */
  onRefunded: () => void;
}

/** One line the operator reads out to the customer (received, change, refund). */
function CallbackLine({ kind, testId, children }: { kind: string; testId: string; children: string }) {
  return (
    <div className={`callback-line callback-${kind}`} data-testid={testId}>
      {children}
    </div>
  );
}

export function CallbackPanel({
  bill,
  cash,
  change,
  busy,
  error,
  onConfirm,
  onSetAside,
  onBack,
  onTopUp,
  onReinquire,
  onRefunded,
}: Props) {
  const { t } = useTranslation();
  const e = error instanceof ApiError ? error : null;
  const unknown = !!e?.outcomeUnknown;
  const shortfall = e?.code === 'INSUFFICIENT_FLOAT' ? String(e.details['shortfall'] ?? '') : '';
  // A final refusal: nothing was paid, so the customer's cash goes back — the 收您/找您 lines go,
  // the refund takes their place (issue 13 problem 6).
  const refused = !!error && !unknown && !busy;
  // 唱收唱付 out loud, once per call-out (not for a refund or an unknown outcome).
  const [speech, setSpeech] = useState(speechEnabled);
  useEffect(() => {
    if (!refused && !unknown && speechEnabled()) speak(calloutText(cash, change));
  }, [cash, change, refused, unknown]);
  return (
    <div className="callback" data-testid="callback-panel" role="status" aria-live="polite">
      <div className="callback-summary">
        {t(serviceKey(bill.service))} · {bill.accountNo} · {bill.payeeMasked} ·{' '}
        {t('callback.due', { amount: bill.total })}
        <Switch
          className="callback-speech"
          size="small"
          checked={speech}
          checkedChildren={t('callback.speech')}
          unCheckedChildren={t('callback.speech')}
          onChange={(on) => {
            setSpeechEnabled(on);
            setSpeech(on);
            if (on && !refused && !unknown) speak(calloutText(cash, change));
          }}
          tabIndex={-1}
          data-testid="speech-toggle"
        />
      </div>
      {refused ? (
        <CallbackLine kind="refund" testId="callback-refund">
          {t('pending.refundTitle', { amount: cash })}
        </CallbackLine>
      ) : (
        <>
          <CallbackLine kind="received" testId="callback-received">
            {t('callback.received', { amount: cash })}
          </CallbackLine>
          {/* Not known whether it was paid: the change waits for the answer (issue 13 problem 10). */}
          <CallbackLine kind="change" testId={unknown ? 'callback-change-held' : 'callback-change'}>
            {t(unknown ? 'callback.changeHeld' : 'callback.change', { amount: change })}
          </CallbackLine>
        </>
      )}
      {e?.code === 'INSUFFICIENT_FLOAT' ? (
        <Alert
          type="error"
          showIcon
          data-testid="insufficient-float"
          data-code="INSUFFICIENT_FLOAT"
          message={t('callback.floatShort', { shortfall })}
          description={errorMessage(e, t)}
          action={
            <Button danger onClick={() => onTopUp(shortfall)} data-testid="goto-topup">
              {t('bill.gotoTopUp')}
            </Button>
          }
        />
      ) : e?.code === 'BILL_EXPIRED' || e?.code === 'BILL_ALREADY_PAID' ? (
        <ErrorAlert error={e} action={<Button onClick={onReinquire}>{t('callback.reinquire')}</Button>} />
      ) : error && !unknown ? (
        <ErrorAlert error={error} />
      ) : null}
      {unknown && (
        // The one notice of this error (its own message would only say the same again), with its
        // code kept for support as the error alerts keep theirs.
        <div data-testid="error-alert" data-code={e?.code}>
          <Alert
            type="warning"
            showIcon
            data-testid="outcome-unknown"
            message={t('callback.unknownTitle')}
            description={
              <>
                <div>{t('callback.unknownHint')}</div>
                <div data-testid="change-hint">{t('callback.changeHint', { cash, change })}</div>
                <div>{t('pending.setAsideHint')}</div>
              </>
            }
          />
        </div>
      )}
      <Space size="large" className="callback-actions">
        <Button
          size="large"
          onClick={onBack}
          disabled={busy || unknown}
          tabIndex={-1}
          data-testid="callback-back"
        >
          <kbd>Esc</kbd> {t('callback.back')}
        </Button>
        {refused ? (
          <Button type="primary" size="large" onClick={onRefunded} tabIndex={-1} data-testid="refund-done">
            <kbd>Enter</kbd> {t('callback.refunded')}
          </Button>
        ) : (
          <Button
            type="primary"
            size="large"
            className="confirm-button"
            loading={busy}
            disabled={busy}
            onClick={onConfirm}
            tabIndex={-1}
            data-testid="confirm-pay"
          >
            <kbd>Enter</kbd> {unknown ? t('callback.retry') : t('callback.confirm')}
          </Button>
        )}
        {unknown && (
          <Button
            size="large"
            onClick={onSetAside}
            disabled={busy || !onSetAside}
            tabIndex={-1}
            data-testid="set-aside"
          >
            <kbd>F9</kbd> {t('pending.setAside')}
          </Button>
        )}
      </Space>
    </div>
  );
}
