// Playwright drives Debian's Chromium (no browser download is possible here) against browser
// mode: each test gets its own backend (scripts/web.ts) on a free port with a fresh data
// directory — see tests/e2e/fixtures.ts. Build the renderer first (`npm run build:renderer`).
import { defineConfig } from '@playwright/test';

export const CHROMIUM = process.env['YIZHAN_CHROMIUM'] ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'tests/e2e',
  // Generous bounds that only catch a hang; every wait in the specs is on a condition.
  timeout: 240_000,
  expect: { timeout: 30_000 },
  fullyParallel: true,
  workers: process.env['CI'] ? 2 : 3,
  forbidOnly: !!process.env['CI'],
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1440, height: 900 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: CHROMIUM,
          args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
        },
      },
    },
  ],
});
