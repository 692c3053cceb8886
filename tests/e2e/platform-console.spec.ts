// The branch console in Chromium (issue 10, "Done when"): a clerk logs in, deposits 500.00 for
// the demo station and gets voucher N (PAY-2); the voucher is in the day list with the total for
// the cash handover; a supervisor sees the station but cannot deposit.
import type { APIRequestContext, Page } from '@playwright/test';
import { artifact } from './fixtures';
import { topUpByVoucher } from './counter-steps';
import { createUser, embeddedClerk, expect, registerStation, test, type Platform } from './platform-fixtures';

/** The station `npm start` runs (backend/backend.ts DEMO_STATION). */
const DEMO = { institutionNo: '35010099001', name: '演示站点（驿站便民服务站）', holder: '店主（演示）' };

/** The demo station registered on the platform and a new clerk of its branch (350100) there:
 *  the clerk's one-time password. */
async function demoStationClerk(
  request: APIRequestContext,
  platform: Platform,
  clerk: { username: string; displayName: string },
): Promise<string> {
  await registerStation(request, platform, DEMO);
  return createUser(request, platform, { ...clerk, role: 'clerk', branchCode: '350100' });
}

/** The office's login screen with the keyboard only: user name, Tab, password, Enter. */
async function typeLogin(page: Page, username: string, password: string) {
  await page.keyboard.type(username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
}

// Each test starts its own platform process (tsx compiles it on the way): slow on a busy machine.
test.describe.configure({ timeout: 180_000 });

test('PAY-2: a clerk deposits 500.00 for the demo station, gets voucher N, and finds it in the day list with the total', async ({
  page,
  platform,
  request,
}) => {
  const password = await demoStationClerk(request, platform, { username: 'clerk1', displayName: '陈柜员' });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });

  // Log in with the keyboard only.
  await page.goto(`${platform.origin}/office`);
  await expect(page).toHaveURL(/\/office\/login$/);
  await typeLogin(page, 'clerk1', password);
  await expect(page.getByTestId('who')).toContainText('陈柜员（网点柜员 · 网点 350100）');

  // Find the station by 机构号: its name and holder are shown to confirm with the depositor.
  await expect(page.getByLabel('机构号')).toBeFocused();
  await page.keyboard.type(DEMO.institutionNo);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('station-name')).toHaveText(DEMO.name);
  await expect(page.getByTestId('station-holder')).toHaveText(DEMO.holder);

  // Deposit 500.00: the amount field has the focus; Enter submits.
  await expect(page.getByLabel('存款金额（元）')).toBeFocused();
  await page.keyboard.type('500.00');
  await page.getByLabel('存款人姓名').fill('王芳');
  await page.keyboard.press('Enter');

  const voucher = page.getByTestId('voucher');
  await expect(voucher).toBeVisible();
  const voucherNo = (await page.getByTestId('voucher-no').textContent())!.trim();
  expect(voucherNo).toMatch(/^CK\d{10}$/);
  await expect(page.getByTestId('voucher-station')).toHaveText(DEMO.institutionNo);
  await expect(page.getByTestId('voucher-amount')).toHaveText('¥500.00');
  await expect(page.getByTestId('voucher-words')).toHaveText('人民币伍佰元整');
  await expect(page.getByTestId('credited')).toBeVisible();
  await expect(page.getByTestId('reprint-mark')).toHaveCount(0); // the original, not a reprint
  await expect(page.getByTestId('print')).toBeFocused();
  await page.screenshot({ path: artifact('platform-console-voucher.png') });

  // The day list (Alt+2 would do it too): voucher N with the clerk's and the branch's totals.
  await page.getByRole('navigation').getByRole('link', { name: '当日存款清单' }).click();
  const row = page.locator(`[data-testid="day-row"][data-voucher="${voucherNo}"]`);
  await expect(row).toContainText('500.00');
  await expect(row).toContainText(DEMO.institutionNo);
  await expect(row.getByTestId('confirmed')).toHaveText('未确认');
  await expect(page.getByTestId('my-count')).toHaveText('1 笔');
  await expect(page.getByTestId('my-total')).toHaveText('500.00');
  await expect(page.getByTestId('branch-total')).toHaveText('500.00');
  await page.screenshot({ path: artifact('platform-console-day-list.png') });

  // A reprint from the list is marked 重印.
  await row.getByRole('button', { name: '重印' }).click();
  await expect(page.getByTestId('reprint-mark')).toHaveText('重印（第 1 次）');
  await expect(page.getByTestId('voucher-no')).toHaveText(voucherNo);

  expect(errors.filter((e) => /Content Security Policy|Uncaught|TypeError|ReferenceError/.test(e))).toEqual(
    [],
  );
});

test('a supervisor sees the station but cannot deposit: no form, and a forced POST is a coded 403 in Chinese', async ({
  page,
  platform,
  request,
}) => {
  await registerStation(request, platform, DEMO);
  const password = await createUser(request, platform, {
    username: 'super1',
    displayName: '赵督导',
    role: 'supervisor',
  });
  await page.goto(`${platform.origin}/office/login`);
  await page.getByLabel('用户名').fill('super1');
  await page.getByLabel('密码').fill(password);
  await page.getByTestId('login').click();
  await expect(page.getByTestId('who')).toContainText('赵督导（督导员（只读））');
  // A supervisor lands on the watch lists (the office's front page); 存款 is in the menu.
  await expect(page).toHaveURL(/\/office\/watch$/);
  await page.getByRole('navigation').getByRole('link', { name: '存款', exact: true }).click();

  await page.getByLabel('机构号').fill(DEMO.institutionNo);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('station-name')).toHaveText(DEMO.name);
  await expect(page.getByTestId('read-only')).toHaveText('督导员只能查看，不能办理业务。');
  await expect(page.getByTestId('deposit-form')).toHaveCount(0);

  // The browser's own session (its cookie), the session's CSRF token: the role still refuses.
  const me = await page.request.get(`${platform.origin}/office/me`, {
    headers: { accept: 'application/json' },
  });
  const csrf = ((await me.json()) as { data: { csrf: string } }).data.csrf;
  const r = await page.request.post(`${platform.origin}/office/deposits`, {
    headers: { accept: 'application/json', 'x-csrf-token': csrf },
    data: {
      institutionNo: DEMO.institutionNo,
      amount: '500.00',
      depositor: '王芳',
      requestKey: 'k'.repeat(43),
    },
  });
  expect(r.status()).toBe(403);
  expect(await r.json()).toMatchObject({
    ok: false,
    error: { code: 'READ_ONLY_ROLE', message: '督导员为只读角色，不能办理存款、重印凭证或绑定绿卡' },
  });

  // Nothing was deposited: the branch's day list is empty.
  await page.goto(`${platform.origin}/office/day?branch=350100`);
  await expect(page.getByTestId('branch-total')).toHaveText('0.00');
  await expect(page.getByTestId('day-empty')).toBeVisible();
});

test('PAY-2 end to end: the clerk issues voucher N, the demo station confirms it and its float rises by 500.00; the same voucher again is refused', async ({
  app,
  station,
  request,
}) => {
  // `npm run web`: the demo station beside its embedded platform, the station registered there.
  const { platform, password } = await embeddedClerk(request, station.log(), {
    username: 'clerk1',
    displayName: '陈柜员',
  });
  expect((await station.data('float.balance')).balance).toBe('2000.00');

  // The branch: the clerk deposits 500.00 in the console and hands over voucher N.
  const office = await app.context().newPage();
  await office.goto(`${platform.origin}/office/login`);
  await office.getByLabel('用户名').fill('clerk1');
  await office.getByLabel('密码').fill(password);
  await office.keyboard.press('Enter');
  await office.getByLabel('机构号').fill(DEMO.institutionNo);
  await office.keyboard.press('Enter');
  await expect(office.getByTestId('station-name')).toHaveText(DEMO.name);
  await expect(office.getByTestId('station-holder')).toHaveText(DEMO.holder);
  await office.getByLabel('存款金额（元）').fill('500.00');
  await office.getByLabel('存款人姓名').fill('店主');
  await office.keyboard.press('Enter');
  const voucherNo = (await office.getByTestId('voucher-no').textContent())!.trim();
  expect(voucherNo).toMatch(/^CK\d{10}$/);

  // The station: top up by voucher N; the platform confirms it and the float rises by 500.00.
  const page = app;
  await page.bringToFront();
  const topUp = () =>
    topUpByVoucher(page, { voucherNo, branch: '350100', clerk: '陈柜员', amount: '500.00' });
  await topUp();
  await expect(page.getByTestId('voucher-done')).toContainText('充值成功');
  await expect(page.getByTestId('float-balance')).toContainText('2500.00');
  expect((await station.data('float.balance')).balance).toBe('2500.00');

  // The same voucher a second time: refused in Chinese, the float unchanged.
  await page.getByTestId('topup-new').click();
  await topUp();
  const alert = page.getByTestId('error-alert');
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('未入账');
  await page.screenshot({ path: artifact('platform-console-voucher-twice.png') });
  await expect(page.getByTestId('float-balance')).toContainText('2500.00');
  expect((await station.data('float.balance')).balance).toBe('2500.00');

  // The platform agrees: the voucher is confirmed once, by the demo station.
  await office.bringToFront();
  await office.getByRole('navigation').getByRole('link', { name: '当日存款清单' }).click();
  const row = office.locator(`[data-testid="day-row"][data-voucher="${voucherNo}"]`);
  await expect(row).toContainText('500.00');
  await expect(row.getByTestId('confirmed')).toContainText('已确认');
  await office.screenshot({ path: artifact('platform-console-confirmed.png') });
});

test('PAY-3: the clerk binds a Green Card to the 机构号 (shown masked) and unbinds it, from the keyboard', async ({
  page,
  platform,
  request,
}) => {
  const password = await demoStationClerk(request, platform, { username: 'clerk2', displayName: '林柜员' });
  await page.goto(`${platform.origin}/office/login`);
  await typeLogin(page, 'clerk2', password);
  await page.getByRole('navigation').getByRole('link', { name: '邮政绿卡' }).click();
  await expect(page.getByLabel('机构号')).toBeFocused();
  await page.keyboard.type(DEMO.institutionNo);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('card-masked')).toHaveText('未绑定邮政绿卡。');

  // A mistyped number (bad check digit) is refused in Chinese; the right one is kept masked.
  await page.getByLabel('绿卡卡号').fill('6217 9912 3456 7890 125');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('error')).toHaveAttribute('data-code', 'INVALID_CARD_NUMBER');
  await expect(page.getByTestId('error')).toContainText('卡号无效');
  await page.goBack();
  await page.getByLabel('绿卡卡号').fill('6217 9912 3456 7890 124');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('card-masked')).toHaveText('621799*********0124');
  await expect(page.getByText('6217991234567890124')).toHaveCount(0);

  await page.getByTestId('unbind').click();
  await expect(page.getByTestId('card-masked')).toHaveText('未绑定邮政绿卡。');
});
