// The confirm-and-post step every top-up shares: the operator checks the details against the
// voucher or the bank slip, confirms, and the top-up is posted once (the key is made at the
// confirmation and reused for a retry), then its slip printed.
import { useState, type ReactNode } from 'react';
import { Alert, Button, Descriptions, Form, Result, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TxnDto } from '../../../../shared/contract';
import { ApiError } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Money } from '../../components/Money';
import { PrintOutcome } from '../../components/print-outcome';
import { usePosting } from '../../components/posting';
import { ReceiptPreview } from '../../components/ReceiptPreview';

export interface ConfirmRow {
  label: string;
  value: ReactNode;
}

interface Props {
  rows: ConfirmRow[];
  amount: string;
  submit: (idempotencyKey: string) => Promise<TxnDto>;
  onBack: () => void;
  onNew: () => void;
  testId: string;
}

export function TopUpConfirm({ rows, amount, submit, onBack, onNew, testId }: Props) {
  const { t } = useTranslation();
  const { busy, error, done, preview, setPreview, locked, printer, post } = usePosting();
  const confirm = () => post(submit);

  if (done) {
    return (
      <div data-testid={`${testId}-done`}>
        <Result
          status="success"
          title={t('topup.done')}
          subTitle={
            <span>
              {t('done.serial')} <span className="serial">{done.serial}</span> · {t('topup.floatNow')}{' '}
              <Money value={done.floatAfter} testId="topup-float-after" />
            </span>
          }
          extra={
            <Button type="primary" onClick={onNew} autoFocus data-testid="topup-new">
              {t('topup.another')}
            </Button>
          }
        />
        <PrintOutcome
          state={printer.state}
          onReprint={() => void printer.reprint(done.txnId)}
          onPreview={() => setPreview(true)}
        />
        <ReceiptPreview txnId={done.txnId} open={preview} onClose={() => setPreview(false)} />
      </div>
    );
  }

  const dupVoucher = error instanceof ApiError && error.code === 'DUPLICATE_VOUCHER';
  return (
    <div className="stack" data-testid={`${testId}-confirm`}>
      <Alert type="info" showIcon message={t('topup.checkAgainst')} />
      <Descriptions bordered column={1} size="middle">
        {rows.map((r) => (
          <Descriptions.Item key={r.label} label={r.label}>
            {r.value}
          </Descriptions.Item>
        ))}
        <Descriptions.Item label={t('topup.amount')}>
          <Money value={amount} size="lg" />
        </Descriptions.Item>
      </Descriptions>
      {dupVoucher ? (
        <ErrorAlert error={error} title={t('topup.duplicateTitle')} />
      ) : error ? (
        <ErrorAlert error={error} />
      ) : null}
      {locked && <div className="muted">{t('common.retrySameHint')}</div>}
      <Space>
        <Button onClick={onBack} disabled={busy || locked} data-testid="topup-back">
          {t('topup.edit')}
        </Button>
        <Button
          type="primary"
          size="large"
          loading={busy}
          disabled={busy || dupVoucher}
          onClick={() => void confirm()}
          autoFocus
          data-testid="topup-confirm"
        >
          {locked ? t('common.retrySame') : t('topup.confirm')}
        </Button>
      </Space>
    </div>
  );
}

/** A top-up form and the values it is confirming (null while the form is shown). */
export function useTopUpForm<V>() {
  const [form] = Form.useForm<V>();
  const [pending, setPending] = useState<V | null>(null);
  const back = () => setPending(null);
  const startNew = () => {
    form.resetFields();
    setPending(null);
  };
  return {
    pending,
    /** For <TopUpConfirm>: back to the form, or a new top-up. */
    nav: { onBack: back, onNew: startNew },
    /** For the <Form>: filling it in asks for confirmation. */
    formProps: {
      form,
      layout: 'vertical' as const,
      className: 'topup-form',
      onFinish: (v: V) => setPending(v),
    },
  };
}
