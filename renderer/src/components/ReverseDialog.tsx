// SRV-3: a mistake is corrected by a reversal that names the original, with a reason; the reversal
// prints its own slip. The idempotency key is made when the operator confirms and reused for
// every retry of that confirmation, so a reversal is never posted twice.
import { useEffect, useRef, useState } from 'react';
import { Modal, Button, Space, Descriptions, Result, Tag, type InputRef } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TxnDto } from '../../../shared/contract';
import { call, ApiError } from '../api';
import { ErrorAlert } from './ErrorAlert';
import { Money } from './Money';
import { PrintOutcome } from './print-outcome';
import { usePosting } from './posting';
import { kindKey, serviceKey } from './labels';
import { ReceiptPreview } from './ReceiptPreview';
import { LabelledInput } from './fields';

const REASON_MAX = 100;

export function ReverseDialog({
  txn,
  open,
  onClose,
  onReversed,
}: {
  txn: TxnDto | null;
  open: boolean;
  onClose: () => void;
  onReversed?: (r: TxnDto) => void;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const { busy, error, setError, done, preview, setPreview, locked, printer, idle, post, reset } =
    usePosting();
  // The reason is the next thing to type (issue 13 problem 3): the dialog's own focus handling
  // would otherwise leave the cursor on the dialog frame.
  const reasonRef = useRef<InputRef>(null);

  useEffect(() => {
    if (open) {
      setReason('');
      reset();
    }
  }, [open, txn?.txnId, reset]);

  if (!txn) return null;

  async function confirm() {
    if (!txn || !idle()) return;
    const r = reason.trim();
    if (!r) {
      setError(new ApiError('INVALID_INPUT', t('reverse.reasonRequired')));
      return;
    }
    await post(
      (idempotencyKey) => call('txn.reverse', { txnId: txn.txnId, reason: r, idempotencyKey }),
      onReversed,
    );
  }

  const refund = txn.kind === 'bill_payment';
  return (
    <Modal
      open={open}
      onCancel={busy || locked ? undefined : onClose}
      closable={!busy && !locked}
      maskClosable={false}
      keyboard={!busy && !locked}
      title={t('reverse.title')}
      width={560}
      destroyOnHidden
      afterOpenChange={(o) => {
        if (o) reasonRef.current?.focus();
      }}
      footer={
        done ? (
          <Button type="primary" onClick={onClose} autoFocus data-testid="reverse-close">
            {t('common.close')}
          </Button>
        ) : (
          <Space>
            <Button onClick={onClose} disabled={busy || locked}>
              {t('common.cancel')}
            </Button>
            <Button
              type="primary"
              danger
              loading={busy}
              disabled={busy}
              onClick={() => void confirm()}
              data-testid="reverse-confirm"
            >
              {locked ? t('common.retrySame') : t('reverse.confirm')}
            </Button>
          </Space>
        )
      }
    >
      <div data-testid="reverse-dialog">
        <Descriptions size="small" column={1} bordered>
          <Descriptions.Item label={t('txn.serial')}>
            <span className="serial">{txn.serial}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('txn.kind')}>
            {t(kindKey(txn.kind))}
            {txn.service ? ` · ${t(serviceKey(txn.service))}` : ''}
          </Descriptions.Item>
          {txn.accountNo && <Descriptions.Item label={t('txn.accountNo')}>{txn.accountNo}</Descriptions.Item>}
          {txn.voucherNo && <Descriptions.Item label={t('txn.voucherNo')}>{txn.voucherNo}</Descriptions.Item>}
          <Descriptions.Item label={t('txn.total')}>
            <Money value={txn.total} />
          </Descriptions.Item>
        </Descriptions>
        {done ? (
          <Result
            status="success"
            title={t('reverse.done')}
            subTitle={
              <span data-testid="reverse-serial">
                {t('reverse.doneSerial')} <span className="serial">{done.serial}</span>
              </span>
            }
            extra={
              <div className="stack">
                {refund && (
                  <div className="callback-line callback-change" data-testid="reverse-refund">
                    {t('reverse.refund', { amount: done.total })}
                  </div>
                )}
                <PrintOutcome
                  state={printer.state}
                  onReprint={() => void printer.reprint(done.txnId)}
                  onPreview={() => setPreview(true)}
                />
              </div>
            }
          />
        ) : (
          <div className="stack" style={{ marginTop: 16 }}>
            <LabelledInput
              id="reverse-reason"
              label={t('reverse.reason')}
              ref={reasonRef}
              autoFocus
              maxLength={REASON_MAX}
              value={reason}
              disabled={busy || locked}
              onChange={(e) => {
                setReason(e.target.value);
                if (!locked) setError(null);
              }}
              onPressEnter={(e) => {
                if (!e.repeat) void confirm();
              }}
              placeholder={t('reverse.reasonPlaceholder')}
              data-testid="reverse-reason"
            />
            <Space wrap>
              {(['wrongAccount', 'wrongAmount', 'customerCancel'] as const).map((k) => (
                <Tag.CheckableTag
                  key={k}
                  checked={reason === t(`reverse.presets.${k}`)}
                  onChange={() => !locked && setReason(t(`reverse.presets.${k}`))}
                >
                  {t(`reverse.presets.${k}`)}
                </Tag.CheckableTag>
              ))}
            </Space>
            {refund && <div className="muted">{t('reverse.refundHint', { amount: txn.total })}</div>}
            {error ? <ErrorAlert error={error} /> : null}
            {locked && <div className="muted">{t('common.retrySameHint')}</div>}
          </div>
        )}
      </div>
      <ReceiptPreview txnId={done?.txnId ?? null} open={preview} onClose={() => setPreview(false)} />
    </Modal>
  );
}
