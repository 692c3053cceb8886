// Entry: connect to the backend (Electron preload, or fetch in browser mode), then the UI.
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import 'antd/dist/reset.css';
import './styles.css';
import './i18n';
import { ensureApi } from './api-browser';
import { App } from './app/App';
import { prefetchStartup } from './app/startup';

// Only shown when browser mode is opened without its token: not part of the counter's first load.
const Unauthorized = lazy(() => import('./app/Unauthorized').then((m) => ({ default: m.Unauthorized })));

// The customer-facing display (browser mode: /customer; Electron's second screen: #/customer).
// It mirrors the counter through this machine's storage and never touches the API.
const CustomerDisplay = lazy(() =>
  import('./app/CustomerDisplay').then((m) => ({ default: m.CustomerDisplay })),
);
const customer = location.pathname === '/customer' || location.hash === '#/customer';

const connected = !customer && ensureApi();

// index.html's static shell (「正在启动」) stays until the first screen's answers are in
// (app/startup.ts): then React replaces it with that screen, drawn once.
const root = createRoot(document.getElementById('root')!);
void (connected ? prefetchStartup() : Promise.resolve()).then(() =>
  root.render(
    <StrictMode>
      {customer ? (
        <Suspense fallback={null}>
          <CustomerDisplay />
        </Suspense>
      ) : connected ? (
        <App />
      ) : (
        <Suspense fallback={null}>
          <Unauthorized />
        </Suspense>
      )}
    </StrictMode>,
  ),
);
