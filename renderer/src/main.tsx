// Entry: connect to the backend (Electron preload, or fetch in browser mode), then the UI.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import 'antd/dist/reset.css';
import './styles.css';
import './i18n';
import { ensureApi } from './api-browser';
import { App } from './app/App';
import { Unauthorized } from './app/Unauthorized';

const root = createRoot(document.getElementById('root')!);
root.render(<StrictMode>{ensureApi() ? <App /> : <Unauthorized />}</StrictMode>);
