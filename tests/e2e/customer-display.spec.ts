// Issue 13, beyond the usual counter: the customer-facing display (/customer in browser mode)
// follows the counter live, and the counter says 收您/找您 out loud (唱收唱付) through the
// system's speech synthesis — recorded here by a stub of window.speechSynthesis.
import type { Page } from '@playwright/test';
import { test, expect, artifact } from './fixtures';
import { cashToCallback, checkedWithCustomer, loseFirstPayReply, toCallback } from './counter-steps';

/** Replaces speechSynthesis with a recorder (Chromium here has no voices to hear). */
async function recordSpeech(page: Page) {
  await page.evaluate(() => {
    const spoken: { text: string; lang: string }[] = [];
    (window as unknown as { __spoken: typeof spoken }).__spoken = spoken;
    Object.defineProperty(window, 'speechSynthesis', {
      configurable: true,
      value: {
        speak: (u: SpeechSynthesisUtterance) => spoken.push({ text: u.text, lang: u.lang }),
        cancel: () => undefined,
      },
    });
  });
}
const spoken = (page: Page) =>
  page.evaluate(() => (window as unknown as { __spoken: { text: string; lang: string }[] }).__spoken);

test('issue 13 spoken call-out: at the call-back the counter says 收您…元，找您… in Mandarin; the switch turns it off and the choice is kept', async ({
  app,
}) => {
  await recordSpeech(app);
  await toCallback(app, 'F1', '41000001', '500');
  const change = (await app.getByTestId('callback-change').textContent())!.replace(/[^\d.]/g, '');
  const [jiao, fen] = change.split('.')[1]!.split('');
  await expect.poll(() => spoken(app)).toHaveLength(1);
  const first = (await spoken(app))[0]!;
  expect(first.lang).toBe('zh-CN');
  expect(first.text).toMatch(/^收您500元，/);
  expect(first.text).toContain(`${String(Number(change.split('.')[0]))}元`);
  if (jiao !== '0') expect(first.text).toContain(`${jiao}角`);
  if (fen !== '0') expect(first.text).toContain(`${fen}分`);

  // Off: back to the cash and again to the call-back, nothing more is said.
  await app.getByTestId('speech-toggle').click();
  await expect(app.getByTestId('speech-toggle')).toHaveAttribute('aria-checked', 'false');
  await app.keyboard.press('Escape');
  await expect(app.getByTestId('cash-input')).toBeFocused();
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('callback-panel')).toBeVisible();
  await expect(app.getByTestId('speech-toggle')).toHaveAttribute('aria-checked', 'false');
  expect(await spoken(app)).toHaveLength(1);
  // Kept on this machine.
  expect(await app.evaluate(() => localStorage.getItem('yizhan.callout.speech'))).toBe('off');
});

test('issue 13 customer display: opened from the menu, /customer follows the counter — the bill, 收您/找您 as called out, the thank-you, then welcome again', async ({
  app,
}) => {
  // 顾客显示 in the menu opens it in its own window (at /customer: no token, no API).
  const [customer] = await Promise.all([
    app.waitForEvent('popup'),
    app.getByTestId('open-customer-display').click(),
  ]);
  expect(new URL(customer.url()).pathname).toBe('/customer');
  expect(new URL(customer.url()).search).toBe('');
  await app.getByTestId('account-input').focus(); // back at the counter
  const display = customer.getByTestId('customer-display');
  await expect(display).toHaveAttribute('data-phase', 'idle');
  await expect(display).toContainText('欢迎光临');

  await app.keyboard.press('F1');
  await app.keyboard.type('41000002');
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('bill-card')).toBeVisible();
  const payee = (await app.getByTestId('bill-payee').textContent())!.trim();
  const total = (await app.getByTestId('bill-total').locator('.money-value').textContent())!.trim();
  await expect(display).toHaveAttribute('data-phase', 'bill');
  await expect(customer.getByTestId('customer-payee')).toHaveText(payee);
  await expect(customer.getByTestId('customer-total')).toContainText(total);
  await expect(display).toContainText('演示');

  await checkedWithCustomer(app);
  await cashToCallback(app, '500');
  const changeLine = (await app.getByTestId('callback-change').textContent())!.trim();
  await expect(display).toHaveAttribute('data-phase', 'callback');
  await expect(customer.getByTestId('customer-received')).toHaveText('收您 500.00 元');
  await expect(customer.getByTestId('customer-change')).toHaveText(changeLine);
  await customer.screenshot({ path: artifact('customer-display.png') });

  await app.keyboard.press('Enter');
  await expect(app.getByTestId('counter')).toHaveAttribute('data-step', 'done');
  await expect(display).toHaveAttribute('data-phase', 'done');
  await expect(customer.getByTestId('customer-thanks')).toBeVisible();

  await app.keyboard.press('Enter'); // next customer
  await expect(app.getByTestId('counter')).toHaveAttribute('data-step', 'account');
  await expect(display).toHaveAttribute('data-phase', 'idle');
  await customer.close();
});

test('issue 13 customer display: while the payment is being confirmed it shows 收您 and 请稍候, no change promised', async ({
  app,
  station,
}) => {
  const customer = await app.context().newPage();
  await customer.goto(`${station.origin}/customer`);
  const display = customer.getByTestId('customer-display');
  await toCallback(app, 'F1', '41000003', '500');
  await expect(display).toHaveAttribute('data-phase', 'callback');
  await loseFirstPayReply(app);
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('outcome-unknown')).toBeVisible();
  await expect(display).toHaveAttribute('data-phase', 'waiting');
  await expect(customer.getByTestId('customer-waiting')).toHaveText('正在确认缴费结果，请稍候');
  await expect(customer.getByTestId('customer-change')).toHaveCount(0);
  await app.keyboard.press('Enter'); // retry: found paid
  await expect(display).toHaveAttribute('data-phase', 'done');
  await customer.close();
});
