// The shell: theme and locale, the station header, navigation, and the screens. A screen, once
// opened, stays mounted (hidden when another is shown) so the counter never loses a customer
// half-way through when the operator looks something up.
import {
  lazy,
  Suspense,
  useEffect,
  useState,
  useSyncExternalStore,
  type ComponentType,
  type ReactNode,
} from 'react';
import { ConfigProvider, Layout, Spin, type ThemeConfig } from 'antd';
import { MessageProvider } from '../components/message';
import ANTD_MAP_TOKEN from 'virtual:yizhan-antd-map-token';
import zhCN from 'antd/es/locale/zh_CN';
import enUS from 'antd/es/locale/en_US';
import { useTranslation } from 'react-i18next';
import { StationProvider, useStation, type PageId } from './station-context';
import { StationHeader } from '../components/StationHeader';
import { lazyAfterFirstDraw } from '../components/after-first-draw';
import { LedgerBanner } from './LedgerBanner';
import { ProfileBanner } from './ProfileBanner';
import { LoadError, LoginGate } from './LoginGate';
import { SetupGate } from './FirstRun';
import { TrainingBanner } from '../components/TrainingMode';
import { CounterPage } from '../pages/counter/CounterPage';
import { dropStartup } from './startup';
import { withLaterStyles } from './later-styles';
import { BUTTON, THEME } from './theme';

// Only the counter is in the first script: every other screen (with its charts, tables, date
// pickers and schemas) is fetched the first time it is opened (issue 13, Performance) — or
// before, when the counter has been idle a moment (prefetchScreens).
const SCREENS = {
  topup: () => import('../pages/topup/TopUpPage').then((m) => ({ default: m.TopUpPage })),
  transactions: () =>
    import('../pages/transactions/TransactionsPage').then((m) => ({ default: m.TransactionsPage })),
  printer: () => import('../pages/printer/PrinterPage').then((m) => ({ default: m.PrinterPage })),
  dayclose: () => import('../pages/day/DayClosePage').then((m) => ({ default: m.DayClosePage })),
  reports: () => import('../pages/reports/ReportsPage').then((m) => ({ default: m.ReportsPage })),
  standing: () => import('../pages/standing/StandingPage').then((m) => ({ default: m.StandingPage })),
};
// The navigation: drawn just after the counter, from a chunk of its own.
const NavMenu = lazyAfterFirstDraw(() => import('./NavMenu'));

/** The screens besides the counter, each drawn from its chunk the first time it is opened. */
const LAZY_SCREENS = {
  topup: lazy(withLaterStyles(SCREENS.topup)),
  transactions: lazy(withLaterStyles(SCREENS.transactions)),
  printer: lazy(withLaterStyles(SCREENS.printer)),
  dayclose: lazy(withLaterStyles(SCREENS.dayclose)),
  reports: lazy(withLaterStyles(SCREENS.reports)),
  standing: lazy(withLaterStyles(SCREENS.standing)),
} satisfies Record<Exclude<PageId, 'counter'>, ComponentType<{ active: boolean }>>;

/** Once the counter is up: wait a while, then fetch the other screens one at a time whenever the
 *  browser is idle, so opening one later does not wait on the network (the module is fetched
 *  and run once; React.lazy then finds it ready). */
const PREFETCH_AFTER_MS = 4_000;
function prefetchScreens(): () => void {
  const idle = (fn: () => void) =>
    typeof window.requestIdleCallback === 'function'
      ? window.requestIdleCallback(fn, { timeout: 5_000 })
      : window.setTimeout(fn, 200);
  const queue = Object.values(SCREENS);
  let stopped = false;
  const next = () => {
    const load = queue.shift();
    if (stopped || !load) return;
    void load()
      .catch(() => undefined) // opened later, the screen shows its own loading error
      .finally(() => idle(next));
  };
  const timer = window.setTimeout(() => idle(next), PREFETCH_AFTER_MS);
  return () => {
    stopped = true;
    window.clearTimeout(timer);
  };
}

function Loading({ children }: { children: ReactNode }) {
  return (
    <Suspense fallback={<Spin size="large" className="center-spin" data-testid="page-loading" />}>
      {children}
    </Suspense>
  );
}

function Screens() {
  const { page, station, loadError, reload } = useStation();
  const [visited, setVisited] = useState<Set<PageId>>(new Set(['counter']));
  useEffect(() => setVisited((v) => (v.has(page) ? v : new Set(v).add(page))), [page]);

  const up = station !== null;
  useEffect(() => (up ? prefetchScreens() : undefined), [up]);

  if (loadError && !station) return <LoadError error={loadError} retry={reload} />;
  if (!station) return <Spin size="large" className="center-spin" />;

  const show = (p: PageId) => ({ display: page === p ? undefined : 'none' });
  return (
    <>
      <div style={show('counter')}>
        {visited.has('counter') && <CounterPage active={page === 'counter'} />}
      </div>
      {(Object.keys(LAZY_SCREENS) as Array<keyof typeof LAZY_SCREENS>).map((id) => {
        const Screen = LAZY_SCREENS[id];
        return (
          <div key={id} style={show(id)}>
            {visited.has(id) && (
              <Loading>
                <Screen active={page === id} />
              </Loading>
            )}
          </div>
        );
      })}
    </>
  );
}

/** THEME, its map token worked out by the build (vite.config.ts: antdMapTokenModule) rather than
 *  by antd in the browser before the first draw. */
const APP_THEME: ThemeConfig = { ...THEME, algorithm: () => ANTD_MAP_TOKEN };

/** antd's xl breakpoint (screenXL). */
let xlQuery: MediaQueryList | undefined;
const xl = () => (xlQuery ??= window.matchMedia('(min-width: 1200px)'));
const subscribeXl = (onChange: () => void) => {
  xl().addEventListener('change', onChange);
  return () => xl().removeEventListener('change', onChange);
};
/** Whether the window is xl-wide, known at the first render: antd's Grid.useBreakpoint learns it
 *  only once mounted and then draws the whole shell a second time (issue 13, Performance). */
function useWide(): boolean {
  return useSyncExternalStore(subscribeXl, () => xl().matches);
}

export function App() {
  const { i18n } = useTranslation();
  // A narrower menu on 1024-wide screens leaves the tables and the counter their room.
  const wide = useWide();
  // The start-up answers served the first draw: later mounts ask afresh.
  useEffect(() => dropStartup(), []);
  return (
    <ConfigProvider locale={i18n.language === 'en' ? enUS : zhCN} theme={APP_THEME} button={BUTTON}>
      <MessageProvider>
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
      </MessageProvider>
    </ConfigProvider>
  );
}
