// Entry: connect to the backend (Electron preload, or fetch in browser mode), then the UI.
// boot first: its start-up questions go out before the rest of this script is run.
import { connected, customer, startupAnswered } from './boot';
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import 'antd/dist/reset.css';
import './styles.css';
import { languageReady } from './i18n';
import { App } from './app/App';
import { withLaterStyles } from './app/later-styles';

// Only shown when browser mode is opened without its token: not part of the counter's first load.
const Unauthorized = lazy(
  withLaterStyles(() => import('./app/Unauthorized').then((m) => ({ default: m.Unauthorized }))),
);

// The customer-facing display (boot.ts: `customer`).
const CustomerDisplay = lazy(
  withLaterStyles(() => import('./app/CustomerDisplay').then((m) => ({ default: m.CustomerDisplay }))),
);

// index.html's static shell (「正在启动」) stays until the first screen's answers are in
// (app/startup.ts) and its language is loaded (i18n.ts): then React replaces it with that
// screen, drawn once.
const root = createRoot(document.getElementById('root')!);
void Promise.all([startupAnswered, languageReady]).then(() =>
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
