// After a committed payment: serial, what was received and given back (the backend's figures),
// and the slip's fate. The payment stands whatever the printer does.
import { useState } from 'react';
import { Button, Space } from 'antd';
import { CheckCircleFilled } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { TxnDto } from '../../../../shared/contract';
import { PrintOutcome, type PrintState } from '../../components/print-outcome';
import { ReceiptPreview } from '../../components/ReceiptPreview';
import { serviceKey } from '../../components/labels';

export function PaymentDone({
  txn,
  print,
  onReprint,
  onNext,
}: {
  txn: TxnDto;
  print: PrintState;
  onReprint: () => void;
  onNext: () => void;
}) {
  const { t } = useTranslation();
  const [preview, setPreview] = useState(false);
  return (
    <div className="payment-done" data-testid="payment-done" data-serial={txn.serial}>
      <div className="done-head">
        <CheckCircleFilled className="done-icon" />
        <div>
          <div className="done-title">{t('done.title')}</div>
          <div className="muted">
            {t('done.serial')}{' '}
            <span className="serial" data-testid="done-serial">
              {txn.serial}
            </span>{' '}
            · {txn.service ? t(serviceKey(txn.service)) : ''} · {txn.accountNo} · {txn.payeeMasked}
          </div>
        </div>
      </div>
      <div className="stack">
        <div className="callback-line callback-received">
          {t('callback.received', { amount: txn.cashReceived ?? '' })}
        </div>
        <div className="callback-line callback-change" data-testid="done-change">
          {t('callback.change', { amount: txn.change ?? '' })}
        </div>
      </div>
      <div className="stack" style={{ marginTop: 16 }}>
        <PrintOutcome state={print} onReprint={onReprint} onPreview={() => setPreview(true)} />
        <Space>
          <Button type="primary" size="large" onClick={onNext} tabIndex={-1} data-testid="next-customer">
            <kbd>Enter</kbd> {t('done.next')}
          </Button>
        </Space>
      </div>
      <ReceiptPreview txnId={txn.txnId} open={preview} onClose={() => setPreview(false)} />
    </div>
  );
}
