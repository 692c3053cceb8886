// The first run in Chromium (issue 12 item 1): `npm run web` on a fresh data folder, without
// --demo, asks once — 演示站点 (the default, Enter) or 正式站点, activated at a platform the test
// provisions (an admin creates the station and issues the code through the office API).
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { ConsoleClient } from '../helpers/office';
import { E2E_PIN, spawnWeb } from './fixtures';
import { expect, test } from './platform-fixtures';

test.describe.configure({ timeout: 240_000 });

const NO = '35010077001';

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return errors;
}
/** axe-core's serious and critical findings (WCAG 2.1 A/AA), as the issue 13 audit counts them. */
async function accessibilityFindings(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const pageErrors = (errors: string[]) =>
  errors.filter((e) => /Content Security Policy|Uncaught|TypeError|ReferenceError/.test(e));

/** The first login of the operator chosen on the login screen: the PIN set, typed twice. */
async function firstLogin(page: Page) {
  await page.getByTestId('login-pin').fill(E2E_PIN);
  await page.getByTestId('login-pin2').fill(E2E_PIN);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('float-balance')).toBeVisible();
}

test('a fresh folder shows the first-run choice; Enter takes the demo station, whose labelled holder logs in and finds the opening float', async ({
  page,
}) => {
  const web = await spawnWeb([]);
  try {
    const errors = watchErrors(page);
    await page.goto(web.url);
    await expect(page.getByTestId('first-run')).toBeVisible();
    await expect(page.getByRole('heading', { name: '首次启动：选择站点' })).toBeVisible();
    // 演示站点 is the default: it has the focus, Enter chooses it.
    await expect(page.getByTestId('first-run-demo')).toBeFocused();
    expect(await accessibilityFindings(page), 'axe: the first-run choice').toEqual([]);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('login-screen')).toBeVisible();
    await expect(page.getByTestId('login-operator')).toContainText('店主（演示）');
    await firstLogin(page);
    await expect(page.getByTestId('float-balance')).toContainText('2000.00');
    // Chosen once: the next visit goes straight to the station.
    await page.reload();
    await expect(page.getByTestId('float-balance')).toBeVisible();
    await expect(page.getByTestId('first-run')).toHaveCount(0);
    expect(pageErrors(errors), 'page errors').toEqual([]);
  } finally {
    await web.stop();
  }
});

test('正式站点: a wrong address and a wrong code are refused in Chinese with nothing set up; the code the office issued activates the station, its holder logs in and sees the platform address', async ({
  page,
  platform,
}) => {
  // The office: the station, its holder trained, an activation code.
  const office = new ConsoleClient({ url: platform.origin });
  expect((await office.login(platform.admin.username, platform.admin.password)).status).toBe(200);
  const created = await office.post('/office/stations', {
    institutionNo: NO,
    name: '鼓楼报刊亭',
    type: 'newsstand',
    address: '福州市鼓楼区五四路 1 号',
    branchCode: '350100',
    holderName: '陈经营',
    holderId: '350102198001010011',
    openingDate: '2026-01-05',
    agreementStart: '2026-01-05',
    agreementEnd: '2099-12-31',
    deposit: '0.00',
    depositReceiptNo: 'BZJ-0077',
    services: ['water', 'electricity', 'gas', 'telephone'],
  });
  expect(created.status, created.text).toBe(201);
  const code = (await office.post<{ data: { code: string } }>(`/office/stations/${NO}/activation-code`)).json
    .data.code;

  const web = await spawnWeb([]);
  try {
    const errors = watchErrors(page);
    await page.goto(web.url);
    await page.getByTestId('first-run-real').click();
    const form = page.getByTestId('first-run-form');
    await expect(page.getByTestId('first-run-url')).toBeFocused();

    // Not an http(s) address: refused by the form with the contract's message.
    await page.getByTestId('first-run-url').fill('file:///etc/passwd');
    await page.getByTestId('first-run-no').fill(NO);
    await page.getByTestId('first-run-code').fill('ABCD-EFGH-JKLM');
    await page.getByTestId('first-run-activate').click();
    await expect(form).toContainText('邮政平台地址应为 http:// 或 https:// 开头的网址');

    // A code the office never issued: the platform refuses, the screen says why, nothing is set up.
    await page.getByTestId('first-run-url').fill(platform.origin);
    await page.getByTestId('first-run-activate').click();
    const alert = page.getByTestId('error-alert');
    await expect(alert).toHaveAttribute('data-code', 'ACTIVATION_REFUSED');
    await expect(alert).toContainText('激活码不正确、已使用或已过期');
    await expect(page.getByTestId('first-run-form')).toBeVisible();
    expect(await accessibilityFindings(page), 'axe: the activation form with its refusal').toEqual([]);

    // The issued code (typed in lower case) activates the station.
    await page.getByTestId('first-run-code').fill(code.toLowerCase());
    await page.getByTestId('first-run-activate').click();
    await expect(page.getByTestId('login-screen')).toBeVisible();
    await expect(page.getByTestId('login-operator')).toContainText('陈经营');
    await firstLogin(page);
    await expect(page.getByTestId('station-name')).toContainText('鼓楼报刊亭');

    // 站点状态: the platform it is connected to, and the holder may change the stored address.
    await page.getByTestId('nav').getByText('站点状态').click();
    const card = page.getByTestId('platform-card');
    await expect(page.getByTestId('platform-in-use')).toHaveText(platform.origin);
    await expect(page.getByTestId('platform-url')).toHaveValue(platform.origin);
    await page.getByTestId('platform-url').fill('javascript:alert(1)');
    await page.getByTestId('platform-url-save').click();
    await expect(card).toContainText('邮政平台地址应为 http:// 或 https:// 开头的网址');
    await page.getByTestId('platform-url').fill('https://yizhan.post.example.cn');
    await page.getByTestId('platform-url-save').click();
    await expect(page.getByTestId('platform-restart-needed')).toContainText('下次启动驿站时生效');
    await expect(page.getByTestId('platform-in-use')).toHaveText(platform.origin);
    expect(pageErrors(errors), 'page errors').toEqual([]);
  } finally {
    await web.stop();
  }
});
