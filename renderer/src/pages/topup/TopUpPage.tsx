// 充值 — topping up the prepaid float: by branch deposit voucher (PAY-2) or bound Green Card
// (PAY-3); and the voucher register for audit.
import { Tabs, Alert, Card } from 'antd';
import { useTranslation } from 'react-i18next';
import { useStation } from '../../app/station-context';
import { Money } from '../../components/Money';
import { VoucherTopUp } from './VoucherTopUp';
import { GreenCardTopUp } from './GreenCardTopUp';
import { VoucherList } from './VoucherList';

export function TopUpPage() {
  const { t } = useTranslation();
  const { navParams, float, station } = useStation();
  return (
    <div className="page" data-testid="topup-page">
      <h2 className="page-title">{t('topup.title')}</h2>
      {navParams.shortfall && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="topup-shortfall"
          message={t('topup.shortfall', { shortfall: navParams.shortfall })}
        />
      )}
      <Card size="small" style={{ marginBottom: 16 }}>
        <span className="muted">{t('topup.institutionNo')}</span>{' '}
        <strong className="mono">{station?.institutionNo}</strong>
        <span className="spacer" />
        <span className="muted">{t('header.float')}</span>{' '}
        {float && <Money value={float.available} size="lg" />}
      </Card>
      <Card>
        <Tabs
          destroyOnHidden
          items={[
            { key: 'voucher', label: t('topup.byVoucher'), children: <VoucherTopUp /> },
            { key: 'card', label: t('topup.byCard'), children: <GreenCardTopUp /> },
            { key: 'list', label: t('topup.vouchers'), children: <VoucherList /> },
          ]}
        />
      </Card>
    </div>
  );
}
