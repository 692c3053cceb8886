// The shell: theme and locale, the station header, navigation, and the screens. A screen, once
// opened, stays mounted (hidden when another is shown) so the counter never loses a customer
// half-way through when the operator looks something up.
import { useEffect, useState } from 'react';
import { ConfigProvider, App as AntApp, Layout, Result, Button, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { useTranslation } from 'react-i18next';
import { StationProvider, useStation, type PageId } from './station-context';
import { StationHeader } from '../components/StationHeader';
import { NavMenu } from './NavMenu';
import { CounterPage } from '../pages/counter/CounterPage';
import { TopUpPage } from '../pages/topup/TopUpPage';
import { TransactionsPage } from '../pages/transactions/TransactionsPage';
import { PrinterPage } from '../pages/printer/PrinterPage';
import { DayClosePage } from '../pages/day/DayClosePage';
import { ReportsPage } from '../pages/reports/ReportsPage';
import { StandingPage } from '../pages/standing/StandingPage';
import { errorMessage } from '../components/ErrorAlert';

const THEME = {
  token: {
    colorPrimary: '#00703c', // China Post green
    colorLink: '#00703c',
    fontSize: 15,
    borderRadius: 6,
    fontFamily:
      '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", -apple-system, "Segoe UI", Roboto, sans-serif',
  },
  components: {
    Menu: { itemSelectedBg: '#e3f2ea', itemSelectedColor: '#00703c', itemHeight: 44 },
  },
};

function Screens() {
  const { t } = useTranslation();
  const { page, station, loadError, reload } = useStation();
  const [visited, setVisited] = useState<Set<PageId>>(new Set(['counter']));
  useEffect(() => setVisited((v) => (v.has(page) ? v : new Set(v).add(page))), [page]);

  if (loadError && !station) {
    return (
      <Result
        status="error"
        title={t('app.loadFailed')}
        subTitle={errorMessage(loadError, t)}
        extra={<Button onClick={() => void reload()}>{t('common.retry')}</Button>}
        data-testid="load-error"
      />
    );
  }
  if (!station) return <Spin size="large" className="center-spin" />;

  const show = (p: PageId) => ({ display: page === p ? undefined : 'none' });
  return (
    <>
      <div style={show('counter')}>
        {visited.has('counter') && <CounterPage active={page === 'counter'} />}
      </div>
      <div style={show('topup')}>{visited.has('topup') && <TopUpPage />}</div>
      <div style={show('transactions')}>
        {visited.has('transactions') && <TransactionsPage active={page === 'transactions'} />}
      </div>
      <div style={show('printer')}>
        {visited.has('printer') && <PrinterPage active={page === 'printer'} />}
      </div>
      <div style={show('dayclose')}>
        {visited.has('dayclose') && <DayClosePage active={page === 'dayclose'} />}
      </div>
      <div style={show('reports')}>
        {visited.has('reports') && <ReportsPage active={page === 'reports'} />}
      </div>
      <div style={show('standing')}>
        {visited.has('standing') && <StandingPage active={page === 'standing'} />}
      </div>
    </>
  );
}

export function App() {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider
      locale={i18n.language === 'en' ? enUS : zhCN}
      theme={THEME}
      button={{ autoInsertSpace: false }}
    >
      <AntApp>
        <StationProvider>
          <Layout className="app-layout">
            <Layout.Header className="app-header">
              <StationHeader />
            </Layout.Header>
            <Layout>
              <Layout.Sider width={188} theme="light" className="app-sider">
                <NavMenu />
              </Layout.Sider>
              <Layout.Content className="app-content">
                <Screens />
              </Layout.Content>
            </Layout>
          </Layout>
        </StationProvider>
      </AntApp>
    </ConfigProvider>
  );
}
