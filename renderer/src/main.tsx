// Entry: connect to the backend (Electron preload, or fetch in browser mode), then the UI.
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import 'antd/dist/reset.css';
import './styles.css';
import './i18n';
import { ensureApi } from './api-browser';
import { App } from './app/App';

// Only shown when browser mode is opened without its token: not part of the counter's first load.
const Unauthorized = lazy(() => import('./app/Unauthorized').then((m) => ({ default: m.Unauthorized })));

// The customer-facing display (browser mode: /customer; Electron's second screen: #/customer).
// It mirrors the counter through this machine's storage and never touches the API.
const CustomerDisplay = lazy(() =>
  import('./app/CustomerDisplay').then((m) => ({ default: m.CustomerDisplay })),
);
const customer = location.pathname === '/customer' || location.hash === '#/customer';

const root = createRoot(document.getElementById('root')!);
root.render(
  <StrictMode>
    {customer ? (
      <Suspense fallback={null}>
        <CustomerDisplay />
      </Suspense>
    ) : ensureApi() ? (
      <App />
    ) : (
      <Suspense fallback={null}>
        <Unauthorized />
      </Suspense>
    )}
  </StrictMode>,
);
