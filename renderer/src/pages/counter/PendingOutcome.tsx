// One settled set-aside payment, as the operator is told it: paid (serial, print the slip),
// refused (hand the cash back, said prominently), or settled elsewhere. Used by PendingPayments.
import { Alert, Button, type AlertProps } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PrintJobDto } from '../../../../shared/contract';
import { subMoney } from '../../money';
import { serviceKey } from '../../components/labels';
import type { PendingOutcome } from './pending-payment';

/** Where printing the slip of a payment found paid has got to. */
export type PrintResult = { phase: 'printing' } | { phase: 'done'; job: PrintJobDto } | { phase: 'error' };

/** The outcome as told: its kind and the account, for the operator's eye and for the tests. */
function Told({ kind, account, ...alert }: AlertProps & { kind: string; account: string }) {
  return <Alert showIcon data-testid="pending-outcome" data-kind={kind} data-account={account} {...alert} />;
}

export function OutcomeAlert({
  outcome: o,
  print,
  onPrint,
  onDismiss,
}: {
  outcome: PendingOutcome;
  print: PrintResult | undefined;
  onPrint: (() => void) | undefined;
  onDismiss: () => void;
}) {
  const { t } = useTranslation();
  const what = `${t(serviceKey(o.item.service))} · ${o.item.accountNo} · ${o.item.payeeMasked}`;
  const auto = o.auto ? <div className="muted">{t('pending.auto')}</div> : null;
  if (o.kind === 'paid') {
    const printLine =
      print?.phase === 'printing'
        ? t('print.printing')
        : print?.phase === 'done'
          ? print.job.status === 'printed'
            ? t('print.printed')
            : t('print.queued')
          : print?.phase === 'error'
            ? t('print.failed')
            : null;
    return (
      <Told
        type="success"
        kind="paid"
        account={o.item.accountNo}
        message={
          <span>
            {t('pending.paidTitle')}{' '}
            <span className="serial" data-testid="pending-paid-serial">
              {o.serial}
            </span>
          </span>
        }
        description={
          <div>
            <div>{what}</div>
            <div>{t('pending.due', { amount: o.item.total })}</div>
            {auto}
            {printLine && <div data-testid="pending-print">{printLine}</div>}
            <div className="pending-actions">
              {onPrint && !print && (
                <Button size="small" onClick={onPrint} data-testid="pending-print-button">
                  {t('pending.print')}
                </Button>
              )}
              <Button size="small" onClick={onDismiss} data-testid="pending-dismiss">
                {t('pending.dismiss')}
              </Button>
            </div>
          </div>
        }
      />
    );
  }
  if (o.kind === 'refused') {
    const change = subMoney(o.item.cashReceived, o.item.total);
    return (
      <Told
        type="error"
        className="pending-refund"
        kind="refused"
        data-code={o.code}
        account={o.item.accountNo}
        message={
          <strong className="pending-refund-title" data-testid="pending-refund">
            {t('pending.refundTitle', { amount: o.item.total })}
          </strong>
        }
        description={
          <div>
            <div>{what}</div>
            <div>{o.message}</div>
            <div>{t('pending.refundDetail', { cash: o.item.cashReceived, change })}</div>
            {auto}
            <span className="error-code">{o.code}</span>
            <div className="pending-actions">
              <Button size="small" danger onClick={onDismiss} data-testid="pending-dismiss">
                {t('pending.refunded')}
              </Button>
            </div>
          </div>
        }
      />
    );
  }
  return (
    <Told
      type="info"
      kind="settled"
      account={o.item.accountNo}
      message={t('pending.settledElsewhere')}
      description={
        <div>
          <div>{what}</div>
          <div>{t('pending.due', { amount: o.item.total })}</div>
          <div className="pending-actions">
            <Button size="small" onClick={onDismiss} data-testid="pending-dismiss">
              {t('pending.dismiss')}
            </Button>
          </div>
        </div>
      }
    />
  );
}
