/// <reference lib="dom" />
// Issue 13: every screen at 1366×768 and 1024×768 — axe-core finds no serious or critical
// accessibility violation, nothing runs off the side, and a screenshot of each is written to
// tests/artifacts/screens-<width>/ for a person to look at.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect, artifact, type Station } from './fixtures';
import { checkedWithCustomer, payByApi } from './counter-steps';

const SIZES = [
  { width: 1366, height: 768 },
  { width: 1024, height: 768 },
] as const;

/** The screens by their menu label, and what marks each as loaded. */
const SCREENS = [
  { id: 'topup', label: '充值', ready: 'voucher-form' },
  { id: 'transactions', label: '交易查询', ready: 'txn-row' },
  { id: 'printer', label: '打印机', ready: 'printer-page' },
  { id: 'dayclose', label: '日终轧账', ready: 'day-page' },
  { id: 'reports', label: '报表', ready: 'report-chart' },
  { id: 'standing', label: '站点状态', ready: 'standing-page' },
] as const;

interface Finding {
  screen: string;
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

async function audit(page: Page, screen: string, findings: Finding[]) {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    // Hidden screens stay mounted (display:none) and are not part of what is audited.
    .analyze();
  for (const v of result.violations) {
    if (v.impact !== 'serious' && v.impact !== 'critical') continue;
    findings.push({
      screen,
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    });
  }
}

async function noSidewaysScroll(page: Page, screen: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect.soft(overflow, `${screen}: nothing runs off the right edge`).toBeLessThanOrEqual(0);
}

async function seed(station: Station) {
  await payByApi(station, {
    service: 'gas',
    account: '65000006',
    cash: '500',
    idempotencyKey: 'e2e-a11y-pay',
  });
}

for (const size of SIZES) {
  test(`issue 13 accessibility: every screen at ${size.width}×${size.height} has no serious or critical axe violation; screenshots written`, async ({
    app: page,
    station,
  }) => {
    test.setTimeout(600_000);
    await seed(station);
    await page.setViewportSize(size);
    const dir = `screens-${size.width}`;
    const shot = (name: string) => page.screenshot({ path: artifact(`${dir}/${name}.png`) });
    const findings: Finding[] = [];
    /** A screenshot and the axe audit of what is on screen; `edge`: and nothing off the right edge. */
    const check = async (name: string, edge = false) => {
      await shot(name);
      await audit(page, name, findings);
      if (edge) await noSidewaysScroll(page, name);
    };

    // The counter through its steps: account, bill, cash, call-back.
    await page.reload();
    await expect(page.getByTestId('account-input')).toBeFocused();
    await check('counter-account', true);
    await page.keyboard.press('F1');
    await page.keyboard.type('65000007');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('bill-card')).toBeVisible();
    await check('counter-bill');
    await checkedWithCustomer(page);
    await page.keyboard.type('500');
    await check('counter-cash');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('callback-panel')).toBeVisible();
    await check('counter-callback', true);
    await page.keyboard.press('Escape');

    for (const s of SCREENS) {
      await page.getByTestId('nav').getByText(s.label, { exact: true }).click();
      await expect(page.getByTestId(s.ready).first()).toBeVisible({ timeout: 30_000 });
      await check(s.id, true);
    }

    // Issue 12: the shift handover dialog, and the login screen the counter locks to (F12).
    await page.getByTestId('shift-end').click();
    await expect(page.getByTestId('shift-counted')).toBeFocused();
    await check('shift-handover');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('shift-counted')).toBeHidden();
    await page.keyboard.press('F12');
    await expect(page.getByTestId('login-screen')).toBeVisible();
    await check('login', true);

    expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);
  });
}
