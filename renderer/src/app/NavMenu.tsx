// Navigation: the counter's screens, then the day's close, reports and the station's standing (MON-2).
// In browser mode, 顾客显示 opens the customer-facing display in its own window, to drag onto the
// screen that faces the customer (the desktop app opens it on a second display by itself).
// Drawn just after the first screen, from a chunk of its own (components/after-first-draw.tsx:
// antd's Menu is heavy): App imports it through `LazyNavMenu`.
import { Button, Menu } from 'antd';
import {
  ShopOutlined,
  WalletOutlined,
  UnorderedListOutlined,
  PrinterOutlined,
  CalculatorOutlined,
  BarChartOutlined,
  SafetyCertificateOutlined,
  DesktopOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useStation, type PageId } from './station-context';

export default function NavMenu() {
  const { t } = useTranslation();
  const { page, navigate } = useStation();
  const browserMode = location.protocol === 'http:' || location.protocol === 'https:';
  return (
    <>
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
      {browserMode && (
        <Button
          type="text"
          icon={<DesktopOutlined />}
          className="nav-customer"
          onClick={() => window.open('/customer', 'yizhan-customer', 'popup,width=1024,height=768')}
          data-testid="open-customer-display"
        >
          {t('nav.customerDisplay')}
        </Button>
      )}
    </>
  );
}
