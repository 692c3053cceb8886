// Electron main process: one sandboxed window, the backend in a utility process, IPC relayed
// after a sender check and a schema parse. Type-checked against the `electron` package.
import { app, BrowserWindow, ipcMain, session, utilityProcess, type UtilityProcess } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomUUID } from 'node:crypto';
import type { ApiReply } from '../../shared/errors';
import { registerIpc } from './ipc';
import { CSP, isNavigationAllowed, webPreferences } from './window-policy';
import { DEFAULT_DATA_DIR_NAME, type HostReply, type HostRequest } from '../backend/host-protocol';

const here = __dirname; // out/electron after bundling
const rendererIndex = path.join(here, '..', 'renderer', 'index.html');
const rendererPrefix = pathToFileURL(path.dirname(rendererIndex)).href + '/';

let win: BrowserWindow | null = null;
let backend: UtilityProcess | null = null;
const pending = new Map<string, (r: ApiReply<unknown>) => void>();

function startBackend(): void {
  const dataDir = process.env['YIZHAN_DATA'] ?? path.join(app.getPath('userData'), DEFAULT_DATA_DIR_NAME);
  backend = utilityProcess.fork(path.join(here, 'backend-host.cjs'), ['--data', dataDir], {
    serviceName: 'yizhan-backend',
  });
  backend.on('message', (m: HostReply) => {
    pending.get(m.id)?.(m.reply);
    pending.delete(m.id);
  });
  backend.on('exit', (code) => {
    for (const resolve of pending.values())
      resolve({
        ok: false,
        error: { code: 'INTERNAL', message: '后台进程已退出，请重启程序', details: { code } },
      });
    pending.clear();
  });
}

function relay(channel: string, args: unknown): Promise<ApiReply<unknown>> {
  return new Promise((resolve) => {
    const id = randomUUID();
    pending.set(id, resolve);
    const req: HostRequest = { id, channel, args };
    backend?.postMessage(req);
  });
}

function createWindow(): void {
  win = new BrowserWindow({
    width: 1280,
    height: 860,
    title: '驿站 Yizhan',
    show: false,
    webPreferences: webPreferences(path.join(here, 'preload.cjs')),
  });
  win.once('ready-to-show', () => win?.show());
  win.webContents.on('will-navigate', (e, url) => {
    if (!isNavigationAllowed(win?.webContents.getURL() ?? '', url)) e.preventDefault();
  });
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  void win.loadFile(rendererIndex);
}

app.enableSandbox();
app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

void app.whenReady().then(() => {
  session.defaultSession.webRequest.onHeadersReceived((details, cb) => {
    cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  startBackend();
  registerIpc(ipcMain, { trustedSender: () => win?.webContents, trustedUrlPrefix: rendererPrefix, relay });
  createWindow();
});

app.on('window-all-closed', () => {
  backend?.kill();
  app.quit();
});
