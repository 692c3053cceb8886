// Training mode (练习模式, PPL-2, issue 12 item 5) through the real UI: the operator enters it from
// the counter's header, a banner in its own colour says so on the screen, a bill is paid on the
// training ledger and its slip (on a fake ESC/POS printer) says 练习; leaving returns to the real
// counter, whose float and ledger the practice did not touch.
import { artifact, test, expect } from './fixtures';
import { billPayments, toCallback, withFakePrinter } from './counter-steps';
import { decodeEscPos } from '../helpers/escpos-decoder';

test('PPL-2 training mode: entered from the counter, a banner on screen, a bill paid there prints a 练习 slip; leaving, the real float and ledger are unchanged', async ({
  app: page,
  station,
}) => {
  await withFakePrinter(station, async (printer) => {
    const realFloat = await station.data('float.balance');
    const realShown = await page.getByTestId('float-balance').textContent();
    await expect(page.getByTestId('training-banner')).toHaveCount(0);

    await page.getByTestId('training-enter').click();
    await expect(page.getByTestId('training-banner')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('training-banner')).toContainText('练习模式');
    await expect(page.getByTestId('training-badge')).toHaveText('练习');
    await expect(page.getByTestId('training-enter')).toHaveCount(0);
    await expect(page.getByTestId('float-balance')).toBeVisible();

    // The customer's display says 练习, not 演示: this is practice, not a payment.
    const [customer] = await Promise.all([
      page.waitForEvent('popup'),
      page.getByTestId('open-customer-display').click(),
    ]);
    await page.bringToFront();
    await page.getByTestId('account-input').focus();
    await toCallback(page, 'F1', '42000001', '500');
    await expect(customer.getByTestId('customer-display')).toHaveAttribute('data-phase', 'callback');
    await expect(customer.getByTestId('customer-mark')).toHaveText('练习 · 非正式缴费');
    await customer.close();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('counter')).toHaveAttribute('data-step', 'done');
    await page.screenshot({ path: artifact('training-mode.png') });
    const slip = decodeEscPos((await printer.waitForJobs(1, 60_000))[0]!);
    expect(slip.text).toContain('便民缴费凭证');
    expect(slip.text.match(/练习/g)?.length).toBe(2);
    expect(slip.text).toContain('非正式凭证');
    // No cash drawer is kicked for a practice payment.
    expect(slip.drawerPulses).toEqual([]);
    // The training float moved; the banner stays on every screen.
    await expect(page.getByTestId('float-balance')).not.toHaveText(realShown ?? '');
    await page.getByTestId('nav').getByText('交易查询', { exact: true }).click();
    await expect(page.getByTestId('training-banner')).toBeVisible();
    await page.getByTestId('nav').getByText('收款台', { exact: true }).click();

    // The real station (the test's own session is at the real counter): nothing happened.
    expect(await billPayments(station)).toBe(0);
    expect(await station.data('float.balance')).toEqual(realFloat);

    await page.getByTestId('training-leave').click();
    await expect(page.getByTestId('training-banner')).toHaveCount(0, { timeout: 30_000 });
    await expect(page.getByTestId('training-badge')).toHaveCount(0);
    await expect(page.getByTestId('training-enter')).toBeVisible();
    await expect(page.getByTestId('float-balance')).toHaveText(realShown ?? '');
    expect(await station.data('float.balance')).toEqual(realFloat);
    expect(await billPayments(station)).toBe(0);
    // The practice slip's serial (LX…), scanned at the real counter, opens nothing.
    const practised = /LX\d{8}-\d{6}/.exec(slip.text)?.[0];
    expect(practised, slip.text).toBeDefined();
    await page.getByTestId('account-input').fill(practised!);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('counter')).toContainText('是练习模式的凭证');
  });
});
