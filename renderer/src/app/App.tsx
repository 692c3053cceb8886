// The shell: theme and locale, the station header, navigation, and the screens. A screen, once
// opened, stays mounted (hidden when another is shown) so the counter never loses a customer
// half-way through when the operator looks something up.
import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { ConfigProvider, App as AntApp, Layout, Spin, Grid } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { useTranslation } from 'react-i18next';
import { StationProvider, useStation, type PageId } from './station-context';
import { StationHeader } from '../components/StationHeader';
import { NavMenu } from './NavMenu';
import { LedgerBanner } from './LedgerBanner';
import { ProfileBanner } from './ProfileBanner';
import { LoadError, LoginGate } from './LoginGate';
import { SetupGate } from './FirstRun';
import { TrainingBanner } from '../components/TrainingMode';
import { CounterPage } from '../pages/counter/CounterPage';

// Only the counter is in the first script: every other screen (with its charts, tables, date
// pickers and schemas) is fetched the first time it is opened (issue 13, Performance).
const TopUpPage = lazy(() => import('../pages/topup/TopUpPage').then((m) => ({ default: m.TopUpPage })));
const TransactionsPage = lazy(() =>
  import('../pages/transactions/TransactionsPage').then((m) => ({ default: m.TransactionsPage })),
);
const PrinterPage = lazy(() =>
  import('../pages/printer/PrinterPage').then((m) => ({ default: m.PrinterPage })),
);
const DayClosePage = lazy(() =>
  import('../pages/day/DayClosePage').then((m) => ({ default: m.DayClosePage })),
);
const ReportsPage = lazy(() =>
  import('../pages/reports/ReportsPage').then((m) => ({ default: m.ReportsPage })),
);
const StandingPage = lazy(() =>
  import('../pages/standing/StandingPage').then((m) => ({ default: m.StandingPage })),
);

function Loading({ children }: { children: ReactNode }) {
  return (
    <Suspense fallback={<Spin size="large" className="center-spin" data-testid="page-loading" />}>
      {children}
    </Suspense>
  );
}

const THEME = {
  token: {
    colorPrimary: '#00703c', // China Post green
    colorLink: '#00703c',
    fontSize: 15,
    // antd's grey for secondary text (0.45 alpha) is below WCAG AA contrast on white; this is 5.9:1.
    colorTextDescription: 'rgba(0, 0, 0, 0.62)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
    // antd's red (#ff4d4f) on white is 3.2:1; this one is 5.9:1 (冲正 buttons, refusals).
    colorError: '#cf1322',
    borderRadius: 6,
    fontFamily:
      '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", -apple-system, "Segoe UI", Roboto, sans-serif',
  },
  components: {
    Menu: { itemSelectedBg: '#e3f2ea', itemSelectedColor: '#00703c', itemHeight: 44 },
  },
};

function Screens() {
  const { page, station, loadError, reload } = useStation();
  const [visited, setVisited] = useState<Set<PageId>>(new Set(['counter']));
  useEffect(() => setVisited((v) => (v.has(page) ? v : new Set(v).add(page))), [page]);

  if (loadError && !station) return <LoadError error={loadError} retry={reload} />;
  if (!station) return <Spin size="large" className="center-spin" />;

  const show = (p: PageId) => ({ display: page === p ? undefined : 'none' });
  return (
    <>
      <div style={show('counter')}>
        {visited.has('counter') && <CounterPage active={page === 'counter'} />}
      </div>
      <div style={show('topup')}>
        {visited.has('topup') && (
          <Loading>
            <TopUpPage />
          </Loading>
        )}
      </div>
      <div style={show('transactions')}>
        {visited.has('transactions') && (
          <Loading>
            <TransactionsPage active={page === 'transactions'} />
          </Loading>
        )}
      </div>
      <div style={show('printer')}>
        {visited.has('printer') && (
          <Loading>
            <PrinterPage active={page === 'printer'} />
          </Loading>
        )}
      </div>
      <div style={show('dayclose')}>
        {visited.has('dayclose') && (
          <Loading>
            <DayClosePage active={page === 'dayclose'} />
          </Loading>
        )}
      </div>
      <div style={show('reports')}>
        {visited.has('reports') && (
          <Loading>
            <ReportsPage active={page === 'reports'} />
          </Loading>
        )}
      </div>
      <div style={show('standing')}>
        {visited.has('standing') && (
          <Loading>
            <StandingPage active={page === 'standing'} />
          </Loading>
        )}
      </div>
    </>
  );
}

export function App() {
  const { i18n } = useTranslation();
  // A narrower menu on 1024-wide screens leaves the tables and the counter their room.
  const wide = Grid.useBreakpoint().xl !== false;
  return (
    <ConfigProvider
      locale={i18n.language === 'en' ? enUS : zhCN}
      theme={THEME}
      button={{ autoInsertSpace: false }}
    >
      <AntApp>
        <SetupGate>
          <LoginGate>
            <StationProvider>
              <Layout className="app-layout">
                <Layout.Header className="app-header">
                  <TrainingBanner />
                  <StationHeader />
                </Layout.Header>
                <Layout>
                  <Layout.Sider width={wide ? 188 : 136} theme="light" className="app-sider">
                    <NavMenu />
                  </Layout.Sider>
                  <Layout.Content className="app-content">
                    <LedgerBanner />
                    <ProfileBanner />
                    <Screens />
                  </Layout.Content>
                </Layout>
              </Layout>
            </StationProvider>
          </LoginGate>
        </SetupGate>
      </AntApp>
    </ConfigProvider>
  );
}
