/// <reference lib="dom" />
// Issue 13 (the counter, second round): what a new operator trips over on the counter itself.
import type { Locator, Page } from '@playwright/test';
import { test, expect, artifact, type Station } from './fixtures';
import { accountToCallback, billPayments, loseFirstPayReply, payByApi, toCallback } from './counter-steps';

// The machine these run on is shared and slow: room for a slow start, no speed assumed.
test.describe.configure({ timeout: 180_000 });

async function closeToday(station: Station) {
  const paid = await payByApi(station, {
    service: 'gas',
    account: '67000009',
    idempotencyKey: 'e2e-i13-close-pay',
  });
  const report = await station.data('day.count', { method: 'total', total: paid.total } as never);
  await station.data('day.close', {
    countId: report.count!.countId,
    central: { source: 'gateway' },
    idempotencyKey: 'e2e-i13-close',
  } as never);
}

test('issue 13 problem 5: the account field converts full-width digits, drops spaces and hyphens visibly, and refuses a letter O', async ({
  app: page,
  station,
}) => {
  const input = page.getByTestId('account-input');
  await expect(input).toBeFocused();

  // 33O1234567 with the letter O: refused with the character named; nothing looked up.
  await page.keyboard.type('33O1234567');
  await expect(input).toHaveValue('33O1234567');
  await page.keyboard.press('Enter');
  const alert = page.getByTestId('error-alert');
  await expect(alert).toContainText('第 3 位「O」不是数字');
  await expect(page.getByTestId('counter')).toHaveAttribute('data-step', 'account');
  await expect(input).toHaveValue('33O1234567');

  // Full-width digits from an input method become digits in the field.
  await input.fill('');
  await page.keyboard.insertText('３１４１５９２６');
  await expect(input).toHaveValue('31415926');

  // 010-… with a hyphen and a space: taken out, said, and the bill is looked up.
  await input.fill('');
  await page.keyboard.type('010-1234 5678');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('bill-card')).toBeVisible();
  await expect(input).toHaveValue('01012345678');
  await expect(page.getByTestId('account-cleaned')).toContainText('已去掉户号中的空格和连字符');
  expect(await billPayments(station)).toBe(0);
});

/** On a busy station, which draws its frames late (here every animation frame comes 300 ms after
 *  it is asked for), the operator looks up `account` (F1, the number, Enter). Returns the field. */
async function lookUpWithLateFrames(page: Page, account: string): Promise<Locator> {
  await page.evaluate(() => {
    window.requestAnimationFrame = (cb) => window.setTimeout(() => cb(performance.now()), 300);
  });
  await page.keyboard.press('F1');
  await page.keyboard.type(account);
  await page.keyboard.press('Enter');
  return page.getByTestId('account-input');
}

/** The 8-digit number in the account field is selected already; the operator types the next one
 *  with a pause in it, long enough for any late frame to come and go: nothing may select the field
 *  again in between, or the second half would replace the first. */
async function nextNumberReplacesSelected(page: Page, input: Locator) {
  expect(await input.evaluate((el: HTMLInputElement) => [el.selectionStart, el.selectionEnd])).toEqual([
    0, 8,
  ]);
  await page.keyboard.type('3141');
  await page.waitForTimeout(1_000);
  await page.keyboard.type('5926');
  await expect(input).toHaveValue('31415926');
}

test('issue 13 problem 3: the failed number is selected the moment the refusal shows, so no digit typed next is lost, even when the screen draws late', async ({
  app: page,
}) => {
  const input = await lookUpWithLateFrames(page, '99990002'); // no bill due
  await expect(page.getByTestId('error-alert')).toBeVisible();
  // Already selected as the refusal shows, not at some later frame.
  await nextNumberReplacesSelected(page, input);
  await expect(input).toBeFocused();
});

test('issue 13 problem 3: Esc from a bill selects its number as the account step shows, so the next number typed replaces it whole, even when the screen draws late', async ({
  app: page,
}) => {
  const input = await lookUpWithLateFrames(page, '11110001');
  await expect(page.getByTestId('bill-card')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('counter')).toHaveAttribute('data-step', 'account');
  await expect(input).toBeFocused();
  await nextNumberReplacesSelected(page, input);
});

test('issue 13 problem 3: after a failed look-up the cursor stays in the account field; the 冲正 reason gets the cursor', async ({
  app: page,
  station,
}) => {
  const input = page.getByTestId('account-input');
  await page.keyboard.press('F1');
  await page.keyboard.type('99990002'); // no bill due
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('error-alert')).toBeVisible();
  await expect(input).toBeFocused();
  // The next customer's number replaces the old one without a click.
  await page.keyboard.type('31415926');
  await expect(input).toHaveValue('31415926');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('bill-card')).toBeVisible();

  // 冲正: the reason field has the cursor when the dialog opens.
  await payByApi(station, {
    service: 'water',
    account: '68000010',
    cash: '500',
    idempotencyKey: 'e2e-i13-p3',
  });
  await page.getByTestId('nav').getByText('交易查询', { exact: true }).click();
  const row = page.locator('[data-testid="txn-row"]', { hasText: '68000010' });
  await row.getByTestId('row-reverse').click();
  await expect(page.getByTestId('reverse-reason')).toBeFocused();
  await page.keyboard.type('户号输错');
  await expect(page.getByTestId('reverse-reason')).toHaveValue('户号输错');
});

test('issue 13 problem 6: a declined payment after the cash was taken says 请退还客户现金 and hides 收您/找您 and the confirm button', async ({
  app: page,
  station,
}) => {
  await toCallback(page, 'F2', '99990001', '500'); // the utility declines this one
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('callback-refund')).toHaveText('未扣款，请退还客户现金 500.00 元');
  await expect(page.getByTestId('callback-received')).toHaveCount(0);
  await expect(page.getByTestId('callback-change')).toHaveCount(0);
  await expect(page.getByTestId('confirm-pay')).toHaveCount(0);
  await page.screenshot({ path: artifact('counter-refund.png') });
  expect(await billPayments(station)).toBe(0);
  // Enter: the cash is back, the next customer.
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('counter')).toHaveAttribute('data-step', 'account');
  await expect(page.getByTestId('account-input')).toBeFocused();
  expect(await billPayments(station)).toBe(0);
});

test('issue 13 problem 1: after the Z close the counter says the day is closed and when the next opens, before any work; other screens work', async ({
  app: page,
  station,
}) => {
  await closeToday(station);
  const { businessDay } = await station.data('station.get');
  await page.reload();
  const notice = page.getByTestId('day-closed');
  await expect(notice).toBeVisible({ timeout: 30_000 });
  await expect(notice).toContainText(`营业日 ${businessDay} 已轧账`);
  const next = new Date(Date.parse(`${businessDay}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  await expect(notice).toContainText(`下一个营业日 ${next}`);
  await page.screenshot({ path: artifact('counter-day-closed.png') });

  // No look-up starts: the operator never gets as far as taking cash.
  await page.keyboard.press('F1');
  await page.keyboard.type('31415926');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('bill-card')).toHaveCount(0);
  await expect(page.getByTestId('counter')).toHaveAttribute('data-step', 'account');

  // The other screens still work.
  await page.getByTestId('nav').getByText('交易查询', { exact: true }).click();
  await expect(page.getByTestId('txn-row').first()).toBeVisible({ timeout: 30_000 });
});

for (const size of [
  { width: 1366, height: 768 },
  { width: 1024, height: 768 },
]) {
  test(`issue 13 problem 4: at ${size.width}×${size.height} the refusal of the 48,000.00 bill and the float are in view without scrolling`, async ({
    app: page,
  }) => {
    await page.setViewportSize(size);
    await page.keyboard.press('F1');
    await page.keyboard.type('99990003');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('bill-card')).toBeVisible();
    const shortfall = page.getByText(/还差 [\d.]+ 元/).first();
    await expect(shortfall).toBeInViewport({ ratio: 1 });
    await expect(page.getByTestId('float-balance')).toBeInViewport({ ratio: 1 });
    const scroll = await page.evaluate(() => ({
      x: document.documentElement.scrollWidth - window.innerWidth,
      y: document.documentElement.scrollHeight - window.innerHeight,
    }));
    expect(scroll.x).toBeLessThanOrEqual(0);
    await page.screenshot({ path: artifact(`counter-large-bill-${size.width}.png`) });

    // The whole payment flow of an ordinary bill: each step fits, the header stays in view.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await accountToCallback(page, '31415926', '500');
    for (const id of ['callback-received', 'callback-change', 'confirm-pay', 'float-balance']) {
      await expect(page.getByTestId(id)).toBeInViewport({ ratio: 1 });
    }
    await page.screenshot({ path: artifact(`counter-callback-${size.width}.png`) });
  });
}

test('issue 13 problem 10: quick cash on F8 (exact) and F9 (round up), never greyed out, keys a browser leaves alone; −200 and 0 are refused, each with its own message', async ({
  app: page,
}) => {
  await page.keyboard.press('F3');
  await page.keyboard.type('31415926');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('bill-card')).toBeVisible();
  const total = (await page.getByTestId('bill-total').locator('.money-value').textContent())!.trim();
  await page.keyboard.press('Space');
  await page.keyboard.press('Enter');
  const cash = page.getByTestId('cash-input');
  await expect(cash).toBeFocused();
  // No key the browser keeps for itself (F5 reload, F6 address bar, F7 caret browsing).
  await expect(page.getByTestId('counter')).not.toContainText(/F6|F7/);
  // Every quick amount is at least the bill: none is greyed out.
  for (const b of await page.locator('.quick-cash button').all()) await expect(b).toBeEnabled();
  await page.keyboard.press('F9');
  const round = await cash.inputValue();
  expect(Number(round) % 50).toBe(0);
  expect(Number(round)).toBeGreaterThan(Number(total));
  await page.keyboard.press('F8');
  await expect(cash).toHaveValue(total);

  await cash.fill('');
  await page.keyboard.type('-200');
  await expect(cash).toHaveValue('-200');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('cash-error')).toHaveText(
    '实收现金不能是负数：请输入客户交来的现金，例如 200',
  );
  await expect(page.getByTestId('counter')).toHaveAttribute('data-step', 'cash');
  // Nothing received is said as such, not as a malformed amount.
  await cash.fill('');
  await page.keyboard.type('0');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('cash-error')).toHaveText('实收现金不能为 0：请输入客户交来的现金');
  await expect(page.getByTestId('counter')).toHaveAttribute('data-step', 'cash');
});

test('issue 13 problem 10: the result-unknown screen says so once and says to hold the change until the answer', async ({
  app: page,
}) => {
  await toCallback(page, 'F1', '11110009', '500');
  const change = (await page.getByTestId('callback-change').textContent())!.replace(/[^\d.]/g, '');
  await loseFirstPayReply(page);
  await page.keyboard.press('Enter');
  const panel = page.getByTestId('callback-panel');
  await expect(page.getByTestId('outcome-unknown')).toBeVisible();
  // One notice, not two saying the same thing.
  await expect(panel.locator('.ant-alert')).toHaveCount(1);
  // The change waits for the answer; the notice says what to do either way.
  await expect(page.getByTestId('callback-change')).toHaveCount(0);
  await expect(page.getByTestId('callback-change-held')).toHaveText(`暂不找零（应找 ${change} 元）`);
  await expect(page.getByTestId('change-hint')).toContainText(`缴费成功后再找您 ${change} 元`);
  await expect(page.getByTestId('change-hint')).toContainText('全额退还 500.00 元');
  await page.keyboard.press('Enter'); // retry: the same key finds it paid
  await expect(page.getByTestId('payment-done')).toBeVisible();
});
