// The Z close asks once (issue 13 problem 2): the figures that will be locked, then 确认轧账.
import { Descriptions, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DayReportDto } from '../../../../shared/contract';
import { Money } from '../../components/Money';

/** antd's ButtonProps do not list data-* attributes, though they pass them to the button. */
const testId = (id: string) => ({ 'data-testid': id }) as unknown as Record<string, never>;

export function CloseConfirm({
  report,
  zNo,
  floatRemark,
  cashRemark,
  open,
  closing,
  onConfirm,
  onCancel,
}: {
  report: DayReportDto;
  /** The number this Z will get. */
  zNo: number;
  floatRemark: string;
  cashRemark: string;
  open: boolean;
  closing: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const f = report.float;
  const c = report.cash;
  const items = [
    { key: 'day', label: t('day.businessDay'), children: report.businessDay },
    { key: 'z', label: t('day.confirm.zNo'), children: `Z${String(zNo).padStart(6, '0')}` },
    { key: 'txns', label: t('day.confirm.txnCount'), children: report.txnCount },
    {
      key: 'closing',
      label: t('day.float.expectedClosing'),
      children: <Money value={f.expectedClosing} testId="confirm-closing-float" />,
    },
    ...(f.difference !== null
      ? [
          {
            key: 'fdiff',
            label: t('day.confirm.floatDifference'),
            children: <Money value={f.difference} testId="confirm-float-difference" />,
          },
        ]
      : []),
    ...(c
      ? [
          {
            key: 'expected',
            label: t('day.confirm.cashExpected'),
            children: <Money value={c.expected} testId="confirm-cash-expected" />,
          },
          {
            key: 'counted',
            label: t('day.confirm.cashCounted'),
            children: <Money value={c.counted} testId="confirm-cash-counted" />,
          },
          {
            key: 'variance',
            label: t('day.confirm.cashVariance'),
            children: <Money value={c.variance} testId="confirm-cash-variance" />,
          },
        ]
      : []),
    ...(floatRemark.trim()
      ? [{ key: 'fr', label: t('day.confirm.floatRemark'), children: floatRemark.trim() }]
      : []),
    ...(cashRemark.trim()
      ? [{ key: 'cr', label: t('day.confirm.cashRemark'), children: cashRemark.trim() }]
      : []),
  ];
  return (
    <Modal
      open={open}
      title={t('day.confirm.title', { day: report.businessDay })}
      okText={t('day.confirm.ok')}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger: true, loading: closing, ...testId('close-confirm-ok') }}
      cancelButtonProps={testId('close-confirm-cancel')}
      onOk={onConfirm}
      onCancel={onCancel}
      maskClosable={false}
      destroyOnHidden
    >
      <div data-testid="close-confirm">
        <p>{t('day.confirm.warning')}</p>
        <Descriptions size="small" column={1} bordered items={items} />
      </div>
    </Modal>
  );
}
