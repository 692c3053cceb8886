// Issue 3: the counter (收款台) — keyboard-only payment with the call-back (SRV-1, SRV-2, SRV-4),
// zero credit (PAY-1), no double posting (idempotency), reversal (SRV-3) and reprint (重印).
import Decimal from 'decimal.js';
import { test, expect, artifact, type Station } from './fixtures';
import { billPayments, checkedWithCustomer, payByApi, setPrinterOnScreen, toCallback } from './counter-steps';
import { FakePrinter } from '../helpers/fake-printer';
import { decodeEscPos } from '../helpers/escpos-decoder';

/** Pays a water bill through the API (set-up for the reversal and reprint tests). */
function payWaterBill(station: Station, account: string) {
  return payByApi(station, { service: 'water', account, cash: '500', idempotencyKey: `e2e-${account}` });
}

test('SRV-1 SRV-2 SRV-4: a bill paid by keyboard only — F-key, account, Enter, check, cash, call-back 收您/找您, Enter', async ({
  app: page,
  station,
}) => {
  const counter = page.getByTestId('counter');
  await expect(counter).toHaveAttribute('data-step', 'account');
  await expect(page.getByTestId('key-help')).toContainText('F1–F4');

  await page.keyboard.press('F3'); // 燃气费: the one service with a fee (SRV-4)
  await expect(page.getByTestId('service-gas')).toHaveAttribute('aria-checked', 'true');
  await page.keyboard.type('31415926');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('bill-card')).toBeVisible();
  await expect(page.getByTestId('bill-payee')).toHaveText(/^.\*.$/); // masked: 王*涛
  await expect(page.getByTestId('bill-fee')).toContainText('1.00');
  const amount = (await page.getByTestId('bill-amount').locator('.money-value').textContent())!.trim();
  const total = (await page.getByTestId('bill-total').locator('.money-value').textContent())!.trim();
  expect(total).toBe(new Decimal(amount).plus('1.00').toFixed(2));
  await expect(page.getByTestId('bill-float-after')).toContainText(
    new Decimal('2000').minus(amount).toFixed(2),
  );

  // SRV-2: no cash step before the operator has checked the details with the customer.
  await page.keyboard.press('Enter');
  await expect(counter).toHaveAttribute('data-step', 'bill');
  await page.keyboard.press('Space');
  await expect(page.getByTestId('verify-check')).toBeChecked();
  await page.screenshot({ path: artifact('counter.png') });
  await page.keyboard.press('Enter');
  await expect(counter).toHaveAttribute('data-step', 'cash');

  // Too little cash is refused before anything is sent.
  await page.keyboard.type('1');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('cash-error')).toHaveAttribute('data-code', 'CASH_SHORT');
  await expect(counter).toHaveAttribute('data-step', 'cash');
  await page.keyboard.press('Backspace');
  await page.keyboard.type('500');
  await expect(page.getByTestId('change-preview')).toBeVisible();
  await page.screenshot({ path: artifact('cash-step.png') });
  await page.keyboard.press('Enter');

  // SRV-1: the call-back panel, large: what was received and the change.
  const change = new Decimal('500').minus(total).toFixed(2);
  await expect(page.getByTestId('callback-received')).toHaveText('收您 500.00 元');
  await expect(page.getByTestId('callback-change')).toHaveText(`找您 ${change} 元`);
  await page.screenshot({ path: artifact('callback-panel.png') });
  expect(await billPayments(station)).toBe(0);
  await page.keyboard.press('Enter');

  await expect(page.getByTestId('payment-done')).toBeVisible();
  await expect(page.getByTestId('done-change')).toHaveText(`找您 ${change} 元`);
  await expect(page.getByTestId('done-serial')).toHaveText(/^\d{8}-\d{6,}$/);
  // No printer set up: the slip waits in the queue; the payment stands.
  await expect(page.getByTestId('print-outcome')).toContainText('小票已进入打印队列');
  await expect(page.getByTestId('float-balance')).toContainText(new Decimal('2000').minus(amount).toFixed(2));
  await page.screenshot({ path: artifact('payment-done.png') });
  expect(await billPayments(station, '31415926')).toBe(1);
  const [txn] = (await station.data('txn.list', { kind: 'bill_payment' })).items;
  expect(txn?.cashReceived).toBe('500.00');
  expect(txn?.change).toBe(change);
  expect(txn?.fee).toBe('1.00');

  // Enter: the next customer, same service, empty account.
  await page.keyboard.press('Enter');
  await expect(counter).toHaveAttribute('data-step', 'account');
  await expect(page.getByTestId('account-input')).toBeFocused();
  await expect(page.getByTestId('account-input')).toHaveValue('');
});

test('PAY-1: a payment larger than the float is refused with the shortfall shown, and leads to top-up', async ({
  app: page,
  station,
}) => {
  // Warned before any cash is taken: the bill shows the shortfall and blocks the cash step.
  await page.keyboard.press('F1');
  await page.keyboard.type('99990003');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('bill-amount')).toContainText('48000.00');
  await expect(page.getByTestId('float-short')).toContainText('还差 46000.00 元');
  await expect(page.getByTestId('verify-check')).toBeDisabled();
  await page.keyboard.press('Space');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('counter')).toHaveAttribute('data-step', 'bill');
  await page.screenshot({ path: artifact('float-short.png') });

  // The backend's refusal: the float was enough at inquiry but not at payment time (another
  // large bill was paid in between).
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await station.data('topup.voucher', {
    voucherNo: await station.branchVoucher('47000'),
    branchCode: '350100',
    clerk: '测试',
    amount: '47000',
    idempotencyKey: 'e2e-big-topup',
  });
  await toCallback(page, 'F2', '99990003', '48000');
  await payByApi(station, { service: 'gas', account: '99990003', idempotencyKey: 'e2e-big-gas-pay' });
  await page.keyboard.press('Enter');
  const refusal = page.getByTestId('insufficient-float');
  await expect(refusal).toContainText('还差 47000.00 元');
  await page.screenshot({ path: artifact('insufficient-float.png') });
  expect(await billPayments(station)).toBe(1); // the gas bill only
  await refusal.getByTestId('goto-topup').click();
  await expect(page.getByTestId('topup-page')).toBeVisible();
  await expect(page.getByTestId('topup-shortfall')).toContainText('47000.00');
});

test('idempotency: a double click, a held Enter, a lost reply, a gateway timeout and a reload each post the payment once', async ({
  app: page,
  station,
}) => {
  // Double click on confirm.
  await toCallback(page, 'F1', '11110001', '500');
  await page.getByTestId('confirm-pay').dblclick();
  await expect(page.getByTestId('payment-done')).toBeVisible();
  await page.keyboard.press('Enter');

  // Enter held down: the key repeats.
  await toCallback(page, 'F1', '11110002', '500');
  await page.keyboard.down('Enter');
  await page.keyboard.down('Enter');
  await page.keyboard.down('Enter');
  await page.keyboard.up('Enter');
  await expect(page.getByTestId('payment-done')).toBeVisible();
  await page.keyboard.press('Enter');

  // The reply is lost on the way back (the payment was committed): the UI says the outcome is
  // unknown, keeps the flow locked, and the retry reuses the key.
  await toCallback(page, 'F1', '11110003', '500');
  let lost = 0;
  const keys: string[] = [];
  await page.route('**/api/bill.pay', async (route) => {
    keys.push((route.request().postDataJSON() as { idempotencyKey: string }).idempotencyKey);
    if (lost++ === 0) {
      await route.fetch(); // reaches the backend, which commits
      await route.abort('connectionreset');
    } else await route.continue();
  });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('outcome-unknown')).toBeVisible();
  await page.keyboard.press('Escape'); // locked: cannot walk away from an unknown payment
  await expect(page.getByTestId('callback-panel')).toBeVisible();
  await page.screenshot({ path: artifact('outcome-unknown.png') });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('payment-done')).toBeVisible();
  expect(keys).toHaveLength(2);
  expect(keys[0]).toBe(keys[1]);

  await page.unroute('**/api/bill.pay');
  await page.keyboard.press('Enter');

  // The central system took the payment but did not answer in time (demo account 99990004):
  // the outcome is unknown, the flow stays locked, and the retry with the same key settles it.
  await toCallback(page, 'F1', '99990004', '500');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('outcome-unknown')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('error-alert')).toHaveAttribute('data-code', 'GATEWAY_UNAVAILABLE');
  await page.keyboard.press('F2'); // no other customer while this one is unsettled
  await expect(page.getByTestId('callback-panel')).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('payment-done')).toBeVisible();

  await page.keyboard.press('Enter');

  // The window is reloaded while the answer is lost: the counter reopens on the unsettled
  // payment, and the retry (same key, kept in storage) finds it paid — once.
  await toCallback(page, 'F4', '11110005', '500');
  await page.route('**/api/bill.pay', async (route) => {
    await route.fetch();
    await route.abort('connectionreset');
  });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('outcome-unknown')).toBeVisible();
  await page.unroute('**/api/bill.pay');
  await page.reload();
  await expect(page.getByTestId('callback-panel')).toBeVisible();
  await expect(page.getByTestId('outcome-unknown')).toBeVisible();
  await expect(page.getByTestId('callback-received')).toHaveText('收您 500.00 元');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('payment-done')).toBeVisible();

  for (const account of ['11110001', '11110002', '11110003', '99990004', '11110005']) {
    expect(await billPayments(station, account)).toBe(1);
  }
  // 2000.00 less the five bills, each taken once.
  const bills = await station.data('txn.list', { kind: 'bill_payment' });
  const spent = bills.items.reduce((s, t) => s.plus(t.amount), new Decimal(0));
  expect((await station.data('float.balance')).balance).toBe(new Decimal('2000').minus(spent).toFixed(2));
});

test('SRV-2: the tick 已与客户核对 is recorded by the backend and its token goes with the payment; a payment the backend finds no longer confirmed sends the operator back to check again', async ({
  app: page,
  station,
}) => {
  const counter = page.getByTestId('counter');
  // Through the API, a payment without the confirmation is refused and writes nothing.
  const bill = await station.data('bill.inquire', { service: 'water', account: '11117777' });
  const r = await station.api('bill.pay', {
    billId: bill.billId,
    cashReceived: '500',
    idempotencyKey: 'e2e-srv2-unconfirmed',
  });
  expect(r.ok ? 'ok' : r.error.code).toBe('PAYEE_NOT_CONFIRMED');
  expect(await billPayments(station)).toBe(0);
  expect((await station.data('float.balance')).pending).toBe('0.00');

  const confirms: { billId: string; payeeMasked: string; amount: string }[] = [];
  const pays: { confirmedPayee?: string; idempotencyKey: string }[] = [];
  page.on('request', (q) => {
    if (q.url().endsWith('/api/bill.confirmPayee')) confirms.push(q.postDataJSON());
    if (q.url().endsWith('/api/bill.pay')) pays.push(q.postDataJSON());
  });
  // The first payment is answered as the backend answers one whose confirmation has expired
  // (10 minutes: a clock this test does not wait for).
  let answered = 0;
  await page.route('**/api/bill.pay', async (route) => {
    if (answered++ === 0)
      await route.fulfill({
        status: 409,
        contentType: 'application/json',
        body: JSON.stringify({
          ok: false,
          error: {
            code: 'PAYEE_CONFIRMATION_EXPIRED',
            message: '与客户核对已超过 10 分钟，请与客户重新核对',
            details: { minutes: 10, variant: 'minutes' },
          },
        }),
      });
    else await route.continue();
  });
  await toCallback(page, 'F1', '11117777', '500');
  // The tick (Space) was recorded, with what the operator read to the customer.
  expect(confirms).toEqual([{ billId: bill.billId, payeeMasked: bill.payeeMasked, amount: bill.amountDue }]);
  await page.keyboard.press('Enter');

  // Back to the bill, unticked, saying why; Enter alone does not go on.
  await expect(counter).toHaveAttribute('data-step', 'bill');
  await expect(page.getByTestId('verify-check')).not.toBeChecked();
  await expect(page.getByTestId('verify-error')).toContainText('请与客户重新核对');
  await page.keyboard.press('Enter');
  await expect(counter).toHaveAttribute('data-step', 'bill');
  // Checked again: Space, Enter; the cash typed is still there: Enter, Enter.
  await checkedWithCustomer(page);
  await expect(page.getByTestId('cash-input')).toHaveValue(/^500/);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('callback-panel')).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('payment-done')).toBeVisible();
  await page.unroute('**/api/bill.pay');

  // A new confirmation and a new key for the second payment; paid once.
  expect(confirms).toHaveLength(2);
  expect(pays).toHaveLength(2);
  expect(pays[0]!.confirmedPayee).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(pays[1]!.confirmedPayee).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(pays[1]!.confirmedPayee).not.toBe(pays[0]!.confirmedPayee);
  expect(pays[1]!.idempotencyKey).not.toBe(pays[0]!.idempotencyKey);
  expect(await billPayments(station, '11117777')).toBe(1);
});

test('SRV-3: a reversal needs a reason, prints its slip, and the original shows as reversed everywhere', async ({
  app: page,
  station,
}) => {
  const paid = await payWaterBill(station, '22220001');
  await page.getByTestId('nav').getByText('交易查询', { exact: true }).click();
  const row = page.locator(`[data-testid="txn-row"][data-serial="${paid.serial}"]`);
  await expect(row).toBeVisible();
  await row.getByTestId('row-reverse').click();
  const dialog = page.getByTestId('reverse-dialog');
  await expect(dialog).toContainText(paid.serial);
  await page.getByTestId('reverse-confirm').click(); // no reason yet
  await expect(dialog.getByTestId('error-alert')).toContainText('请填写冲正原因');
  await page.getByTestId('reverse-reason').fill('户号输错');
  await page.screenshot({ path: artifact('reverse-dialog.png') });
  await page.getByTestId('reverse-reason').press('Enter');
  await expect(page.getByTestId('reverse-serial')).toBeVisible();
  await expect(page.getByTestId('reverse-refund')).toContainText(`退您 ${paid.total} 元`);
  await expect(dialog.getByTestId('print-outcome')).toBeVisible();
  await page.getByTestId('reverse-close').click();

  // The list: the original carries 已冲正; the reversal names it.
  await expect(row.getByTestId('reversed-tag')).toHaveText('已冲正');
  await expect(row.getByTestId('row-reverse')).toBeDisabled();
  const original = await station.data('txn.get', { txnId: paid.txnId });
  expect(original.reversedByTxnId).toBeTruthy();
  const reversal = await station.data('txn.get', { txnId: original.reversedByTxnId! });
  expect(reversal.kind).toBe('reversal');
  expect(reversal.reason).toBe('户号输错');
  expect(reversal.reversesTxnId).toBe(paid.txnId);
  expect((await station.data('float.balance')).balance).toBe('2000.00');
  await expect(page.getByTestId('float-balance')).toContainText('2000.00');
  const reversalRow = page.locator(`[data-testid="txn-row"][data-serial="${reversal.serial}"]`);
  await expect(reversalRow).toContainText('冲正');
  await expect(reversalRow).toContainText(paid.serial);
  await page.screenshot({ path: artifact('transactions.png') });

  // The detail, reached from the counter by typing (scanning) the receipt serial.
  await page.getByTestId('nav').getByText('收款台', { exact: true }).click();
  await page.getByTestId('account-input').fill(paid.serial);
  await page.getByTestId('account-input').press('Enter');
  await expect(page.getByTestId('txn-detail')).toHaveAttribute('data-serial', paid.serial);
  await expect(page.getByTestId('reversed-banner')).toContainText(reversal.serial);
  await expect(page.getByTestId('txn-reverse')).toBeDisabled();
  await page.screenshot({ path: artifact('txn-detail-reversed.png') });
});

test('SRV-3: reprint of a past receipt is marked 重印 with its count (printer set up on the printer screen)', async ({
  app: page,
  station,
}) => {
  const printer = await FakePrinter.start();
  try {
    // The printer screen: interface, paper width, status, test slip.
    await setPrinterOnScreen(page, printer.iface);
    await page.getByTestId('printer-test').click();
    await printer.waitForJobs(1, 60_000);

    const paid = await payWaterBill(station, '33330001');
    const first = await station.data('print.txn', { txnId: paid.txnId });
    expect(first.job.status).toBe('printed');
    await printer.waitForJobs(2, 60_000);

    await page.getByTestId('nav').getByText('交易查询', { exact: true }).click();
    const row = page.locator(`[data-testid="txn-row"][data-serial="${paid.serial}"]`);
    await row.getByTestId('row-detail').click();
    await page.getByTestId('txn-reprint').click();
    const outcome = page.getByTestId('txn-drawer').getByTestId('print-outcome');
    await expect(outcome).toHaveAttribute('data-reprint-no', '1');
    await expect(outcome).toContainText('重印 第1次');
    await expect(outcome).toContainText('小票已打印');
    const jobs = await printer.waitForJobs(3, 60_000);
    const slip = decodeEscPos(jobs[2]!).text;
    expect(slip).toContain('重印');
    expect(slip).toContain(paid.serial);
    await page.getByTestId('txn-reprint').click();
    await expect(outcome).toHaveAttribute('data-reprint-no', '2');
    await page.screenshot({ path: artifact('reprint.png') });

    const { jobs: queue } = await station.data('print.queue');
    expect(
      queue
        .filter((j) => j.txnId === paid.txnId)
        .map((j) => j.reprintNo)
        .sort(),
    ).toEqual([0, 1, 2]);
    await page.keyboard.press('Escape');
    await page.getByTestId('nav').getByText('打印机', { exact: true }).click();
    await page
      .getByTestId('printer-page')
      .getByRole('button', { name: /刷\s*新/ })
      .last()
      .click();
    await expect(
      page.locator(`[data-testid="print-job"][data-serial="${paid.serial}"][data-reprint-no="2"]`),
    ).toContainText('重印 第2次');
    await page.screenshot({ path: artifact('printer.png'), fullPage: true });
  } finally {
    await printer.stop();
  }
});
