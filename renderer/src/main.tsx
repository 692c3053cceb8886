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

const root = createRoot(document.getElementById('root')!);
root.render(
  <StrictMode>
    {ensureApi() ? (
      <App />
    ) : (
      <Suspense fallback={null}>
        <Unauthorized />
      </Suspense>
    )}
  </StrictMode>,
);
