// The Electron main process's IPC relay, tested with a minimal fake of the electron APIs it uses.
import { describe, expect, it, vi } from 'vitest';
import { handleInvoke, registerIpc, IPC_CHANNEL, type InvokeEventLike } from '../../electron/main/ipc';
import { dispatch } from '../../backend/handlers';
import { displayPreferences, isNavigationAllowed, webPreferences } from '../../electron/main/window-policy';

const trusted = { id: 'our-window' };
const deps = (relay = vi.fn(async () => ({ ok: true as const, data: { balance: '1.00' } }))) => ({
  trustedSender: () => trusted,
  trustedUrlPrefix: 'file:///app/out/renderer/',
  relay,
});
const ev = (sender: unknown, url: string): InvokeEventLike => ({ sender, senderFrame: { url } });

describe('Electron IPC relay', () => {
  it('registers one handler on the fake ipcMain and relays a valid call', async () => {
    const handlers = new Map<string, (...a: any[]) => Promise<unknown>>();
    const d = deps();
    registerIpc({ handle: (c, l) => void handlers.set(c, l as never) }, d);
    const reply = await handlers.get(IPC_CHANNEL)!(
      ev(trusted, 'file:///app/out/renderer/index.html'),
      'float.balance',
      undefined,
    );
    expect(reply).toEqual({ ok: true, data: { balance: '1.00' } });
    expect(d.relay).toHaveBeenCalledWith('float.balance', undefined, undefined); // no login session yet
  });

  it('refuses a call from another sender or another page with UNAUTHORIZED, without relaying', async () => {
    const d = deps();
    for (const e of [
      ev({ id: 'other' }, 'file:///app/out/renderer/index.html'),
      ev(trusted, 'https://evil.example/'),
      { sender: trusted, senderFrame: null },
    ]) {
      const r = await handleInvoke(d, e, 'float.balance', undefined);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.error.code).toBe('UNAUTHORIZED');
    }
    expect(d.relay).not.toHaveBeenCalled();
  });

  it('parses every argument with the contract schema before relaying (INVALID_INPUT, NOT_FOUND)', async () => {
    const d = deps();
    const bad = await handleInvoke(d, ev(trusted, 'file:///app/out/renderer/index.html'), 'topup.greenCard', {
      amount: 96.5,
    });
    expect(!bad.ok && bad.error.code).toBe('INVALID_INPUT');
    const unknown = await handleInvoke(
      d,
      ev(trusted, 'file:///app/out/renderer/index.html'),
      'fs.readFile',
      {},
    );
    expect(!unknown.ok && unknown.error.code).toBe('NOT_FOUND');
    expect(d.relay).not.toHaveBeenCalled();
  });

  it('an unknown channel is refused as the backend refuses it: NOT_FOUND naming the channel, with the variant the English screens translate', async () => {
    const d = deps();
    const r = await handleInvoke(d, ev(trusted, 'file:///app/out/renderer/index.html'), 'fs.readFile', {});
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'NOT_FOUND',
        message: '没有这个接口：fs.readFile',
        details: { channel: 'fs.readFile', variant: 'channel' },
      },
    });
    const backend = await dispatch({} as never, 'fs.readFile', {});
    expect(backend).toEqual(r);
  });

  it('the window is isolated and sandboxed, without Node, and cannot navigate away', () => {
    expect(webPreferences('/p.cjs')).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    expect(
      isNavigationAllowed(
        'file:///app/out/renderer/index.html#/counter',
        'file:///app/out/renderer/index.html#/topup',
      ),
    ).toBe(true);
    expect(isNavigationAllowed('file:///app/out/renderer/index.html', 'https://evil.example/')).toBe(false);
  });

  it('the customer display window has the same sandbox and no preload (no API at all)', () => {
    const d = displayPreferences();
    expect(d).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    expect(d).not.toHaveProperty('preload');
  });
});
