// One transaction in full, with what can be done to it: reverse (SRV-3), reprint (重印), preview.
// Loaded when first opened (see TxnDetailDrawer.tsx).
import { useEffect, useState } from 'react';
import { Drawer, Descriptions, Button, Space, Alert } from 'antd';
import { UndoOutlined, PrinterOutlined, EyeOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { TxnDto } from '../../../shared/contract';
import { call } from '../api';
import { Money } from './Money';
import { KindTag, ReversedTag } from './TxnTags';
import { serviceKey, localTime } from './labels';
import { ReverseDialog } from './ReverseDialog';
import { ReceiptPreview } from './ReceiptPreview';
import { PrintOutcome, usePrint } from './print-outcome';

export default function TxnDetailDrawerBody({
  txn,
  open,
  onClose,
  onChanged,
}: {
  txn: TxnDto | null;
  open: boolean;
  onClose: () => void;
  onChanged?: () => void;
}) {
  const { t } = useTranslation();
  const [current, setCurrent] = useState<TxnDto | null>(txn);
  const [reversing, setReversing] = useState(false);
  const [preview, setPreview] = useState(false);
  const printer = usePrint();
  const resetPrinter = printer.reset; // the same function at every draw

  useEffect(() => {
    setCurrent(txn);
    resetPrinter();
  }, [txn, resetPrinter]);

  const refresh = async () => {
    if (!current) return;
    try {
      setCurrent(await call('txn.get', { txnId: current.txnId }));
    } catch {
      // keep what we have
    }
    onChanged?.();
  };

  const x = current;
  // A top-up cannot be reversed at the station (the branch or the bank credited the central
  // account): the button stays off and says where a mistake is put right.
  const isTopUp = !!x && (x.kind === 'topup_voucher' || x.kind === 'topup_green_card');
  const reversible =
    !!x && !isTopUp && x.kind !== 'reversal' && x.kind !== 'takings_settlement' && !x.reversedByTxnId;
  return (
    <Drawer
      open={open}
      onClose={onClose}
      width={560}
      title={t('txn.detailTitle')}
      destroyOnHidden
      data-testid="txn-drawer"
    >
      {x && (
        <div className="stack" data-testid="txn-detail" data-serial={x.serial}>
          {x.reversedByTxnId && (
            <Alert
              type="error"
              showIcon
              message={t('txn.reversedBanner', { serial: x.reversedBySerial ?? '' })}
              data-testid="reversed-banner"
            />
          )}
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t('txn.serial')}>
              <Space>
                <span className="serial">{x.serial}</span>
                <KindTag txn={x} />
                <ReversedTag txn={x} />
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('txn.time')}>{localTime(x.createdAt)}</Descriptions.Item>
            <Descriptions.Item label={t('txn.businessDay')}>{x.businessDay}</Descriptions.Item>
            <Descriptions.Item label={t('txn.operator')}>{x.operatorName}</Descriptions.Item>
            {x.service && (
              <Descriptions.Item label={t('txn.service')}>{t(serviceKey(x.service))}</Descriptions.Item>
            )}
            {x.accountNo && <Descriptions.Item label={t('txn.accountNo')}>{x.accountNo}</Descriptions.Item>}
            {x.payeeMasked && <Descriptions.Item label={t('txn.payee')}>{x.payeeMasked}</Descriptions.Item>}
            {x.period && <Descriptions.Item label={t('txn.period')}>{x.period}</Descriptions.Item>}
            <Descriptions.Item label={t('txn.amount')}>
              <Money value={x.amount} />
            </Descriptions.Item>
            {(x.kind === 'bill_payment' || x.kind === 'reversal') && (
              <Descriptions.Item label={t('txn.fee')}>
                <Money value={x.fee} />
              </Descriptions.Item>
            )}
            <Descriptions.Item label={t('txn.total')}>
              <Money value={x.total} />
            </Descriptions.Item>
            {x.cashReceived && (
              <Descriptions.Item label={t('txn.cashReceived')}>
                <Money value={x.cashReceived} />
              </Descriptions.Item>
            )}
            {x.change && (
              <Descriptions.Item label={t('txn.change')}>
                <Money value={x.change} />
              </Descriptions.Item>
            )}
            <Descriptions.Item label={t('txn.floatAfter')}>
              <Money value={x.floatAfter} />
            </Descriptions.Item>
            {x.voucherNo && <Descriptions.Item label={t('txn.voucherNo')}>{x.voucherNo}</Descriptions.Item>}
            {x.branchCode && (
              <Descriptions.Item label={t('txn.branchCode')}>{x.branchCode}</Descriptions.Item>
            )}
            {x.clerk && <Descriptions.Item label={t('txn.clerk')}>{x.clerk}</Descriptions.Item>}
            {x.depositedAt && (
              <Descriptions.Item label={t('txn.depositedAt')}>{localTime(x.depositedAt)}</Descriptions.Item>
            )}
            {x.cardMasked && (
              <Descriptions.Item label={t('txn.cardMasked')}>{x.cardMasked}</Descriptions.Item>
            )}
            {x.bankRef && <Descriptions.Item label={t('txn.bankRef')}>{x.bankRef}</Descriptions.Item>}
            {x.gatewayRef && (
              <Descriptions.Item label={t('txn.gatewayRef')}>{x.gatewayRef}</Descriptions.Item>
            )}
            {x.reversesSerial && (
              <Descriptions.Item label={t('txn.reverses')}>{x.reversesSerial}</Descriptions.Item>
            )}
            {x.reason && <Descriptions.Item label={t('txn.reason')}>{x.reason}</Descriptions.Item>}
          </Descriptions>
          <Space wrap>
            <Button
              danger
              icon={<UndoOutlined />}
              disabled={!reversible}
              onClick={() => setReversing(true)}
              data-testid="txn-reverse"
            >
              {t('txn.reverse')}
            </Button>
            <Button
              icon={<PrinterOutlined />}
              onClick={() => void printer.reprint(x.txnId)}
              loading={printer.state.phase === 'printing'}
              data-testid="txn-reprint"
            >
              {t('print.reprint')}
            </Button>
            <Button icon={<EyeOutlined />} onClick={() => setPreview(true)} data-testid="txn-preview">
              {t('print.preview')}
            </Button>
          </Space>
          {isTopUp && !x.reversedByTxnId && (
            <Alert
              type="info"
              showIcon
              message={t('txn.topupNotReversible')}
              data-testid="topup-not-reversible"
            />
          )}
          <PrintOutcome state={printer.state} />
          <ReverseDialog
            txn={x}
            open={reversing}
            onClose={() => setReversing(false)}
            onReversed={() => void refresh()}
          />
          <ReceiptPreview txnId={x.txnId} open={preview} onClose={() => setPreview(false)} />
        </div>
      )}
    </Drawer>
  );
}
