// A payment whose outcome is unknown can be set aside (挂起, F9) so the counter serves the next
// customer; it waits on the 待确认缴费 card, where 「查询结果」 retries it with its OWN idempotency
// key — paid once, or refused with the cash handed back — never with a new key.
import Decimal from 'decimal.js';
import type { Page } from '@playwright/test';
import { test, expect, artifact } from './fixtures';
import { billPayments, toCallback } from './counter-steps';

/** Tab until the focus is on an element with this test id (the card is reachable by keyboard). */
async function tabTo(page: Page, testId: string, max = 40): Promise<boolean> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const id = await page.evaluate(
      () =>
        (
          globalThis as unknown as {
            document: { activeElement: { getAttribute(n: string): string | null } | null };
          }
        ).document.activeElement?.getAttribute('data-testid') ?? null,
    );
    if (id === testId) return true;
  }
  return false;
}

test('set aside: an unknown payment (99990004) waits on 待确认缴费 while the next customer is served, then 查询结果 with the same key posts it once', async ({
  app: page,
  station,
}) => {
  const counter = page.getByTestId('counter');
  const card = page.getByTestId('pending-payments');
  await expect(card).toContainText('待确认缴费');
  await expect(card.getByTestId('pending-empty')).toBeVisible();
  await expect(page.getByTestId('key-help')).toContainText('F9');

  // Every bill.pay the window sends, with its bill and key.
  const sent: { billId: string; idempotencyKey: string; confirmedPayee?: string }[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/api/bill.pay'))
      sent.push(r.postDataJSON() as { billId: string; idempotencyKey: string; confirmedPayee?: string });
  });

  // The central system takes the payment but does not answer in time: outcome unknown, locked.
  await toCallback(page, 'F1', '99990004', '500');
  const total = (await page.getByTestId('callback-panel').textContent())!.match(/应收 (\d+\.\d\d) 元/)![1]!;
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('outcome-unknown')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('error-alert')).toHaveAttribute('data-code', 'GATEWAY_UNAVAILABLE');
  await page.keyboard.press('Escape'); // still locked: no walking away
  await page.keyboard.press('F2');
  await expect(page.getByTestId('callback-panel')).toBeVisible();
  const setAside = page.getByTestId('set-aside');
  await expect(setAside).toContainText('挂起，先办理下一笔');
  await expect(setAside).toBeEnabled();
  await expect(page.locator('.step-keys')).toContainText('F9');
  await page.screenshot({ path: artifact('set-aside-button.png') });

  // F9: set aside. The counter is free for the next customer.
  await page.keyboard.press('F9');
  await expect(counter).toHaveAttribute('data-step', 'account');
  await expect(page.getByTestId('account-input')).toBeFocused();
  await expect(page.getByTestId('set-aside-note')).toContainText('99990004');
  await expect(page.getByTestId('callback-panel')).toHaveCount(0);

  // It is listed on 待确认缴费 (the backend's payment.pending). The backend's own recovery (every
  // 30 s) may settle it first; then the card says so by itself.
  const item = card.locator('[data-testid="pending-item"][data-account="99990004"]');
  const paidOutcome = card.locator(
    '[data-testid="pending-outcome"][data-kind="paid"][data-account="99990004"]',
  );
  await expect(item.or(paidOutcome)).toBeVisible();
  if (await item.isVisible()) {
    await expect(item).toContainText(`应收 ${total} 元`);
    await expect(item).toContainText('已收 500.00 元');
    await page.screenshot({ path: artifact('pending-payments.png') });
  }

  // The next customer, paid in full while the first one is set aside.
  await toCallback(page, 'F1', '11114444', '500');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('payment-done')).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(counter).toHaveAttribute('data-step', 'account');
  expect(await billPayments(station, '11114444')).toBe(1);

  // 查询结果, reached by Tab and pressed with Enter: the same key, so the payment posts once.
  let byOperator = false;
  if (await item.isVisible()) {
    await page.getByTestId('account-input').focus();
    if (await tabTo(page, 'pending-check')) {
      await page.keyboard.press('Enter');
      byOperator = true;
    }
  }
  test.info().annotations.push({
    type: 'settled by',
    description: byOperator ? '查询结果' : 'the backend recovery timer (card told the operator)',
  });
  await expect(paidOutcome).toBeVisible({ timeout: 60_000 });
  await expect(paidOutcome.getByTestId('pending-paid-serial')).toHaveText(/^\d{8}-\d{6,}$/);
  await expect(item).toHaveCount(0);
  await expect(card.getByTestId('pending-empty')).toBeVisible();
  if (byOperator) await expect(paidOutcome.getByTestId('pending-print')).toContainText('小票');
  else await expect(paidOutcome).toContainText('自动答复');

  // Debited once: one payment per account, the float less the two bills, nothing reserved.
  expect(await billPayments(station, '99990004')).toBe(1);
  expect(await billPayments(station)).toBe(2);
  const bills = (await station.data('txn.list', { kind: 'bill_payment' })).items;
  const spent = bills.reduce((s, t) => s.plus(t.amount), new Decimal(0));
  const float = await station.data('float.balance');
  expect(float.balance).toBe(new Decimal('2000').minus(spent).toFixed(2));
  expect(float.pending).toBe('0.00');
  await expect(page.getByTestId('float-balance')).toContainText(float.balance);
  const serial = await paidOutcome.getByTestId('pending-paid-serial').textContent();
  const txn = bills.find((t) => t.accountNo === '99990004')!;
  expect(txn.serial).toBe(serial);
  expect(txn.cashReceived).toBe('500.00');
  if (byOperator) {
    const { jobs } = await station.data('print.queue');
    expect(jobs.filter((j) => j.txnId === txn.txnId && j.reprintNo === 0)).toHaveLength(1);
  }

  // Never a new key for the set-aside payment: every bill.pay for its bill carried the first key.
  const first = sent[0]!;
  const forIt = sent.filter((s) => s.billId === first.billId);
  expect(forIt.length).toBeGreaterThanOrEqual(byOperator ? 2 : 1);
  expect(new Set(forIt.map((s) => s.idempotencyKey)).size).toBe(1);
  // … and the same payee confirmation (SRV-2): the very same request, every time.
  expect(forIt[0]!.confirmedPayee).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(new Set(forIt.map((s) => s.confirmedPayee)).size).toBe(1);

  await paidOutcome.getByTestId('pending-dismiss').click();
  await expect(paidOutcome).toHaveCount(0);
});

test('set aside: a request that never reached the backend is kept by the window; still waiting, then refused → 未扣款，请退还客户现金', async ({
  app: page,
  station,
}) => {
  const card = page.getByTestId('pending-payments');
  // 99990001: the central system declines the payment.
  await toCallback(page, 'F2', '99990001', '500');
  const total = (await page.getByTestId('callback-panel').textContent())!.match(/应收 (\d+\.\d\d) 元/)![1]!;
  const keys: string[] = [];
  let n = 0;
  await page.route('**/api/bill.pay', async (route) => {
    keys.push((route.request().postDataJSON() as { idempotencyKey: string }).idempotencyKey);
    const i = n++;
    if (i === 0)
      await route.abort('connectionreset'); // lost before it reached the backend
    else if (i === 1)
      // The central system has still not answered.
      await route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({
          ok: false,
          error: {
            code: 'GATEWAY_UNAVAILABLE',
            message: '缴费系统未及时答复，这笔缴费的结果待确认。',
            details: { pending: true },
          },
        }),
      });
    else await route.continue();
  });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('outcome-unknown')).toBeVisible();
  await page.getByTestId('set-aside').click();
  await expect(page.getByTestId('counter')).toHaveAttribute('data-step', 'account');

  // Not on the backend's list (it never arrived), but the window did not forget it.
  const item = card.locator('[data-testid="pending-item"][data-account="99990001"]');
  await expect(item).toBeVisible();
  await expect(item).toContainText('后台暂无这笔缴费的记录');
  await expect(item).toContainText(`应收 ${total} 元`);
  expect((await station.data('payment.pending')).items).toHaveLength(0);

  // Survives a reload (the counter is not locked again: it was set aside).
  await page.reload();
  await expect(page.getByTestId('counter')).toHaveAttribute('data-step', 'account');
  await expect(item).toBeVisible();

  await item.getByTestId('pending-check').click();
  await expect(item.getByTestId('pending-waiting')).toContainText('仍在等待缴费系统答复');

  await item.getByTestId('pending-check').click();
  const refused = card.locator(
    '[data-testid="pending-outcome"][data-kind="refused"][data-account="99990001"]',
  );
  await expect(refused).toBeVisible({ timeout: 60_000 });
  await expect(refused).toHaveAttribute('data-code', 'PAYMENT_DECLINED');
  await expect(refused.getByTestId('pending-refund')).toHaveText(`未扣款，请退还客户现金 ${total} 元`);
  await page.screenshot({ path: artifact('pending-refund.png') });
  await expect(item).toHaveCount(0);
  expect(keys).toHaveLength(3);
  expect(new Set(keys).size).toBe(1);

  // Nothing was taken.
  expect(await billPayments(station)).toBe(0);
  const float = await station.data('float.balance');
  expect(float.balance).toBe('2000.00');
  expect(float.pending).toBe('0.00');

  await refused.getByTestId('pending-dismiss').click();
  await expect(refused).toHaveCount(0);
  await page.reload();
  await expect(card.getByTestId('pending-empty')).toBeVisible();
  await expect(card.getByTestId('pending-outcome')).toHaveCount(0);
});
