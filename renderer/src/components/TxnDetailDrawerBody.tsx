// One transaction in full, with what can be done to it: reverse (SRV-3), reprint (重印), preview.
// Loaded when first opened (see TxnDetailDrawer.tsx).
import { useEffect, useState, type ReactNode } from 'react';
import { Drawer, Descriptions, Button, Space, Alert, type DescriptionsProps } from 'antd';
import { UndoOutlined, PrinterOutlined, EyeOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
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
          <Descriptions size="small" column={1} bordered items={detailItems(x, t)} />
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

/** The rows of the detail table, in order: a row whose value is absent (null, undefined or
 *  empty) is left out; the fee shows on payments and reversals only. */
function detailItems(x: TxnDto, t: TFunction): DescriptionsProps['items'] {
  const onPayment = x.kind === 'bill_payment' || x.kind === 'reversal';
  const money = (v: string | null | undefined) => (v ? <Money value={v} /> : null);
  const rows: [label: string, value: ReactNode][] = [
    [
      'txn.serial',
      <Space>
        <span className="serial">{x.serial}</span>
        <KindTag txn={x} />
        <ReversedTag txn={x} />
      </Space>,
    ],
    ['txn.time', localTime(x.createdAt)],
    ['txn.businessDay', x.businessDay],
    ['txn.operator', x.operatorName],
    ['txn.service', x.service ? t(serviceKey(x.service)) : null],
    ['txn.accountNo', x.accountNo],
    ['txn.payee', x.payeeMasked],
    ['txn.period', x.period],
    ['txn.amount', money(x.amount)],
    ['txn.fee', onPayment ? money(x.fee) : null],
    ['txn.total', money(x.total)],
    ['txn.cashReceived', money(x.cashReceived)],
    ['txn.change', money(x.change)],
    ['txn.floatAfter', money(x.floatAfter)],
    ['txn.voucherNo', x.voucherNo],
    ['txn.branchCode', x.branchCode],
    ['txn.clerk', x.clerk],
    ['txn.depositedAt', x.depositedAt ? localTime(x.depositedAt) : null],
    ['txn.cardMasked', x.cardMasked],
    ['txn.bankRef', x.bankRef],
    ['txn.gatewayRef', x.gatewayRef],
    ['txn.reverses', x.reversesSerial],
    ['txn.reason', x.reason],
  ];
  return rows
    .filter(([, value]) => value != null && value !== '')
    .map(([label, value]) => ({ key: label, label: t(label), children: value }));
}
