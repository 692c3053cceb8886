// Electron main process: one sandboxed window, the backend in a utility process, IPC relayed
// after a sender check and a schema parse. Type-checked against the `electron` package.
import { app, BrowserWindow, ipcMain, screen, session, utilityProcess, type UtilityProcess } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomUUID } from 'node:crypto';
import type { ApiReply } from '../../shared/errors';
import { registerIpc } from './ipc';
import { CSP, displayPreferences, isNavigationAllowed, webPreferences } from './window-policy';
import { DEFAULT_DATA_DIR_NAME, type HostReply, type HostRequest } from '../../shared/backend-host-protocol';

const here = __dirname; // out/electron after bundling
const rendererIndex = path.join(here, '..', 'renderer', 'index.html');
const rendererPrefix = pathToFileURL(path.dirname(rendererIndex)).href + '/';

let win: BrowserWindow | null = null;
let backend: UtilityProcess | null = null;
const pending = new Map<string, (r: ApiReply<unknown>) => void>();

/** No reply within this long: the backend is stuck (its own gateway calls give up after 10 s). */
const RELAY_TIMEOUT_MS = 60_000;

function dataDir(): string {
  // `npm start -- --data <dir>` reaches here as argv; YIZHAN_DATA too; else the user-data folder.
  const i = process.argv.indexOf('--data');
  if (i >= 0 && process.argv[i + 1]) return path.resolve(process.argv[i + 1]!);
  return process.env['YIZHAN_DATA'] ?? path.join(app.getPath('userData'), DEFAULT_DATA_DIR_NAME);
}

function settleAll(reply: ApiReply<unknown>): void {
  for (const resolve of pending.values()) resolve(reply);
  pending.clear();
}

function startBackend(): void {
  // `npm start -- --demo` (or YIZHAN_DEMO=1, inherited): the demo station without the first-run choice.
  const demo = process.argv.includes('--demo') ? ['--demo'] : [];
  backend = utilityProcess.fork(path.join(here, 'backend-host.cjs'), ['--data', dataDir(), ...demo], {
    serviceName: 'yizhan-backend',
  });
  backend.on('message', (m: HostReply) => {
    pending.get(m.id)?.(m.reply);
    pending.delete(m.id);
  });
  backend.on('exit', (code) => {
    backend = null;
    // Outcome unknown for whatever was in flight: the renderer keeps its idempotency keys and
    // retries, and the restarted backend settles them (payments through the central system).
    settleAll({
      ok: false,
      error: { code: 'INTERNAL', message: '后台进程已退出，正在重启，请稍后重试', details: { code } },
    });
    setTimeout(startBackend, 1_000);
  });
}

function relay(channel: string, args: unknown, session: string | undefined): Promise<ApiReply<unknown>> {
  return new Promise((resolve) => {
    if (!backend) {
      resolve({
        ok: false,
        error: { code: 'INTERNAL', message: '后台进程正在重启，请稍后重试', details: {} },
      });
      return;
    }
    const id = randomUUID();
    const timer = setTimeout(() => {
      pending.delete(id);
      resolve({
        ok: false,
        error: { code: 'INTERNAL', message: '后台未及时答复，请稍后用同一笔业务重试', details: { channel } },
      });
    }, RELAY_TIMEOUT_MS);
    pending.set(id, (reply) => {
      clearTimeout(timer);
      resolve(reply);
    });
    const req: HostRequest = { id, channel, args, session };
    backend.postMessage(req);
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
  // The counter closed: the customer display goes with it (and with it, the app).
  win.on('closed', () => {
    for (const w of BrowserWindow.getAllWindows()) w.close();
  });
  void win.loadFile(rendererIndex);
}

/** The customer-facing display (issue 13) on the second screen, when there is one: the renderer's
 *  #/customer page, which mirrors the counter through the app's storage and has no IPC. */
function createCustomerWindow(): void {
  const primary = screen.getPrimaryDisplay();
  const other = screen.getAllDisplays().find((d) => d.id !== primary.id);
  if (!other) return;
  const display = new BrowserWindow({
    ...other.bounds,
    fullscreen: true,
    title: '驿站 Yizhan — 顾客显示',
    show: false,
    webPreferences: displayPreferences(),
  });
  display.once('ready-to-show', () => display.showInactive());
  display.webContents.on('will-navigate', (e, url) => {
    if (!isNavigationAllowed(display.webContents.getURL(), url)) e.preventDefault();
  });
  void display.loadFile(rendererIndex, { hash: '/customer' });
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
  createCustomerWindow();
});

app.on('window-all-closed', () => {
  backend?.kill();
  app.quit();
});
