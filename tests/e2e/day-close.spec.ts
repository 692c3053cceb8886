// Issue 4: 日终轧账 (PAY-4) with a blind count, and the reports (MON-1) with their chart and export.
import fs from 'node:fs';
import { test, expect, artifact, type Station } from './fixtures';
import { payByApi } from './counter-steps';

function payBill(station: Station, account: string, cash?: string) {
  return payByApi(station, { service: 'gas', account, cash, idempotencyKey: `e2e-pay-${account}` });
}

test('PAY-4: close the day with a blind count; the variance demands a remark; the Z slip previews', async ({
  app: page,
  station,
}) => {
  const paid = await payBill(station, '50000001', '500');
  const float = await station.data('float.balance');

  await page.getByTestId('nav').getByText('日终轧账', { exact: true }).click();
  await expect(page.getByTestId('day-page')).toBeVisible();
  // The float ties out against the central system (the embedded platform).
  await expect(page.getByTestId('x-expected-closing')).toContainText(float.balance);
  await expect(page.getByTestId('central-balance')).toContainText(float.balance);
  await expect(page.getByTestId('float-difference')).toContainText('0.00');
  // Blind: nothing about the expected cash before the count.
  await expect(page.getByTestId('cash-hidden')).toBeVisible();
  await expect(page.getByTestId('cash-expected')).toHaveCount(0);
  await expect(page.getByTestId('x-cash')).not.toContainText(paid.total);
  await expect(page.getByTestId('close-submit')).toBeDisabled();
  await page.screenshot({ path: artifact('day-close-x.png'), fullPage: true });

  // Count by denomination: one 100 and one 50 note — not what the drawer should hold.
  await page.getByTestId('denom-y100').fill('1');
  await page.getByTestId('denom-y50').fill('1');
  await expect(page.getByTestId('count-denom-total')).toContainText('150.00');
  await page.getByTestId('count-submit').click();
  await expect(page.getByTestId('cash-expected')).toContainText(paid.total);
  await expect(page.getByTestId('cash-counted')).toContainText('150.00');
  const expectedCents = BigInt(paid.total.replace('.', ''));
  const variance = (Number(15000n - expectedCents) / 100).toFixed(2);
  await expect(page.getByTestId('cash-variance')).toContainText(variance);
  await expect(page.getByTestId('remark-needed')).toBeVisible();

  // Closing without a remark is refused, in Chinese.
  await page.getByTestId('close-submit').click();
  await page.getByTestId('close-confirm-ok').click();
  const alert = page.getByTestId('close-card').getByTestId('error-alert');
  await expect(alert).toHaveAttribute('data-code', 'REMARK_REQUIRED');
  await expect(alert).toContainText('长短款');
  await page.screenshot({ path: artifact('day-close-variance.png'), fullPage: true });

  await page.getByTestId('cash-remark').fill('备用金未单独存放');
  await page.getByTestId('close-submit').click();
  await page.getByTestId('close-confirm-ok').click();
  await expect(page.getByTestId('day-state')).toContainText('Z1');
  await expect(page.getByTestId('z-slip-img')).toBeVisible();
  await expect(page.getByTestId('z-cash-remark')).toContainText('备用金未单独存放');
  await page.screenshot({ path: artifact('day-close-z.png'), fullPage: true });

  // The close is in the database: the day refuses postings.
  const z = await station.data('day.zReport', { zNo: 1 });
  expect(z.cash?.variance).toBe(variance);
  const refused = await station.api('topup.greenCard', {
    amount: '10',
    bankRef: 'BR-E2E-CLOSED',
    idempotencyKey: 'e2e-after-close',
  });
  expect(refused.ok ? 'ok' : refused.error.code).toBe('DAY_CLOSED');

  // No printer configured: the print is refused plainly; the history lists the Z.
  await page.getByTestId('z-print').click();
  await expect(page.getByTestId('z-print-outcome')).toContainText('未设置打印机');
  await expect(page.getByTestId('z-history')).toContainText('Z000001');
});

test('MON-1: the monthly report with its chart; the CSV export carries the totals on the screen', async ({
  app: page,
  station,
}) => {
  const p1 = await payBill(station, '51000001');
  await payBill(station, '51000002');
  await station.data('txn.reverse', { txnId: p1.txnId, reason: '户号输错', idempotencyKey: 'e2e-rev-1' });

  await page.getByTestId('nav').getByText('报表', { exact: true }).click();
  await expect(page.getByTestId('reports-page')).toBeVisible();
  await expect(page.getByTestId('total-payment-count')).toHaveText('2');
  await expect(page.getByTestId('total-reversals')).toHaveText('1');
  await expect(page.getByTestId('report-chart').locator('canvas').first()).toBeVisible();
  const amount = (await page
    .getByTestId('total-payment-amount')
    .locator('.money-value')
    .textContent())!.trim();
  const net = (await page.getByTestId('total-net-amount').locator('.money-value').textContent())!.trim();
  const topups = (await page.getByTestId('total-topups').locator('.money-value').textContent())!.trim();
  await page.screenshot({ path: artifact('reports-month.png'), fullPage: true });

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-csv').click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^yizhan-month-\d{4}-\d{2}-01_\d{4}-\d{2}-\d{2}\.csv$/);
  const bytes = fs.readFileSync((await download.path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // BOM: Excel reads it as UTF-8
  const rows = bytes
    .toString('utf8')
    .slice(1)
    .split('\r\n')
    .map((l) => l.split(','));
  expect(rows.find((r) => r[0] === '缴费')).toEqual(['缴费', '2', amount]);
  expect(rows.find((r) => r[0] === '净缴费')).toEqual(['净缴费', '1', net]);
  expect(rows.find((r) => r[0] === '充值')?.[2]).toBe(topups);

  // The weekly and daily views answer too; XLSX downloads.
  await page.getByTestId('period-week').click();
  await expect(page.getByTestId('report-range')).toContainText('至');
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()]);
  expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
});
