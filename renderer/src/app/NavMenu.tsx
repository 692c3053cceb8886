// Navigation: the counter's screens, then the day's close, reports and the station's standing (MON-2).
import { Menu } from 'antd';
import {
  ShopOutlined,
  WalletOutlined,
  UnorderedListOutlined,
  PrinterOutlined,
  CalculatorOutlined,
  BarChartOutlined,
  SafetyCertificateOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useStation, type PageId } from './station-context';

export function NavMenu() {
  const { t } = useTranslation();
  const { page, navigate } = useStation();
  return (
    <Menu
      mode="inline"
      selectedKeys={[page]}
      onClick={(e) => navigate(e.key as PageId)}
      data-testid="nav"
      items={[
        { key: 'counter', icon: <ShopOutlined />, label: t('nav.counter') },
        { key: 'topup', icon: <WalletOutlined />, label: t('nav.topup') },
        { key: 'transactions', icon: <UnorderedListOutlined />, label: t('nav.transactions') },
        { key: 'printer', icon: <PrinterOutlined />, label: t('nav.printer') },
        { type: 'divider' },
        { key: 'dayclose', icon: <CalculatorOutlined />, label: t('nav.dayClose') },
        { key: 'reports', icon: <BarChartOutlined />, label: t('nav.reports') },
        { key: 'standing', icon: <SafetyCertificateOutlined />, label: t('nav.standing') },
      ]}
    />
  );
}
