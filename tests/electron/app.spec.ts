// The desktop app in a real Electron window. The Electron binary cannot be downloaded on our build
// and CI machines, so this suite runs only where one is installed, and says so when skipped.
import { test, expect, _electron as electron } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { electronBinary } from '../../scripts/electron-binary';

const bin = electronBinary();
const SKIP_REASON =
  'no Electron binary on this machine (it cannot be downloaded here); browser mode is tested in tests/e2e';

test.describe('desktop app (Electron)', () => {
  test.skip(!bin, SKIP_REASON);

  test('opens the window with the station header and answers through IPC', async () => {
    if (!fs.existsSync('out/electron/main.cjs')) throw new Error('run `npm run build` first');
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'yizhan-electron-'));
    const app = await electron.launch({
      executablePath: bin!,
      args: ['.'],
      // The demo station at once, without the first-run choice (tests/e2e/first-run.spec.ts has it).
      env: { ...process.env, YIZHAN_DATA: data, YIZHAN_DEMO: '1' },
    });
    try {
      const win = await app.firstWindow();
      await expect(win.getByTestId('demo-badge')).toBeVisible({ timeout: 20_000 });
      const reply = await win.evaluate(() =>
        (globalThis as unknown as { yizhan: { send(c: string): Promise<unknown> } }).yizhan.send(
          'float.balance',
        ),
      );
      expect(reply).toMatchObject({ ok: true, data: { balance: '2000.00' } });
      // The page has no Node.
      expect(await win.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
        'undefined',
      );
    } finally {
      await app.close();
    }
  });
});
