import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TxnDto } from '../../../shared/contract';
import { kindKey } from './labels';

const KIND_COLOR: Record<TxnDto['kind'], string> = {
  bill_payment: 'blue',
  reversal: 'magenta',
  topup_voucher: 'green',
  topup_green_card: 'cyan',
  takings_settlement: 'gold',
};

export function KindTag({ txn }: { txn: TxnDto }) {
  const { t } = useTranslation();
  return <Tag color={KIND_COLOR[txn.kind]}>{t(kindKey(txn.kind))}</Tag>;
}

/** 「已冲正」 on a reversed original, everywhere it is shown. */
export function ReversedTag({ txn }: { txn: TxnDto }) {
  const { t } = useTranslation();
  if (!txn.reversedByTxnId) return null;
  return (
    <Tag
      color="red"
      data-testid="reversed-tag"
      title={txn.reversedBySerial ? t('txn.reversedBy', { serial: txn.reversedBySerial }) : undefined}
    >
      {t('txn.reversed')}
    </Tag>
  );
}
