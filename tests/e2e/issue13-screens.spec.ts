/// <reference lib="dom" />
// Issue 13 (the counter, second round): the problems outside the counter page — 交易查询's search
// box (7), the transactions table at 1024×768 (9), the Z close asking once (2), and the smaller
// items of problem 10 on the other screens.
import fs from 'node:fs';
import { test, expect, artifact, type Station } from './fixtures';
import { payByApi } from './counter-steps';

// The machine these run on is shared and slow: room for a slow start, no speed assumed.
test.describe.configure({ timeout: 180_000 });

function payBill(station: Station, service: 'water' | 'gas' | 'electricity', account: string, cash?: string) {
  return payByApi(station, { service, account, cash, idempotencyKey: `e2e-i13-${service}-${account}` });
}

/** How many lines of text an element's content takes (distinct line tops of its text boxes). */
async function lineCount(el: import('@playwright/test').Locator): Promise<number> {
  return el.evaluate((e) => {
    const r = document.createRange();
    r.selectNodeContents(e);
    return new Set(
      Array.from(r.getClientRects())
        .filter((x) => x.width > 0)
        .map((x) => Math.round(x.top)),
    ).size;
  });
}

async function openScreen(page: import('@playwright/test').Page, label: string, testId: string) {
  await page.getByTestId('nav').getByText(label, { exact: true }).click();
  await expect(page.getByTestId(testId)).toBeVisible({ timeout: 30_000 });
}

test('issue 13 problem 7: 交易查询 searches by account, receipt serial, voucher number or amount, together with the filters', async ({
  app: page,
  station,
}) => {
  const water = await payBill(station, 'water', '61000001');
  const gas = await payBill(station, 'gas', '62000002');
  const voucherNo = await station.branchVoucher('300');
  const topup = await station.data('topup.voucher', {
    voucherNo,
    branchCode: '350102',
    clerk: '林晓',
    amount: '300',
    idempotencyKey: 'e2e-i13-voucher',
  });
  await openScreen(page, '交易查询', 'transactions-page');
  const rows = page.getByTestId('txn-row');
  // Two payments, the top-up and the station's opening float: more than one row to begin with.
  await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(3);

  const search = page.getByTestId('txn-search');
  const searchFor = async (q: string) => {
    await search.fill(q);
    await search.press('Enter');
  };

  await searchFor('61000001'); // an account
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-serial', water.serial);

  await searchFor(gas.serial); // a receipt serial
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-serial', gas.serial);

  await searchFor(voucherNo.slice(1)); // part of a voucher number
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-serial', topup.serial);

  await searchFor(gas.total); // an amount as the receipt shows it
  await expect(rows.first()).toHaveAttribute('data-serial', gas.serial);
  await expect(page.getByTestId('transactions-page')).not.toContainText(water.serial);

  // With a filter: the voucher's amount among bill payments only finds nothing.
  await searchFor('300');
  await expect(rows).toHaveCount(1);
  await page.getByTestId('filter-kind').click();
  await page.locator('.ant-select-dropdown').getByText('代缴费', { exact: true }).click();
  await expect(rows).toHaveCount(0);
  await expect(page.getByTestId('transactions-page')).toContainText('没有符合条件的交易');

  // Cleared: the list is whole again (filter kept).
  await searchFor('');
  await expect(rows).toHaveCount(2);
});

test('issue 13 problem 9: at 1024×768 the transactions table fits — 重印 in view, serials and amounts on one line', async ({
  app: page,
  station,
}) => {
  await payBill(station, 'gas', '63000003', '500');
  await payBill(station, 'water', '63000004', '100');
  await page.setViewportSize({ width: 1024, height: 768 });
  await openScreen(page, '交易查询', 'transactions-page');
  const rows = page.getByTestId('txn-row');
  await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(2);
  await page.screenshot({ path: artifact('transactions-1024.png') });

  const viewportWidth = 1024;
  for (const row of await rows.all()) {
    // The last action, 重印, is fully inside the window and not clipped by the table.
    const reprint = row.getByTestId('row-reprint');
    const box = (await reprint.boundingBox())!;
    expect(box.x + box.width, '重印 inside the window').toBeLessThanOrEqual(viewportWidth);
    await expect(reprint).toBeInViewport({ ratio: 1 });
    // Serial and money do not wrap: each is one line high.
    for (const sel of ['.serial', '.money-value']) {
      for (const el of await row.locator(sel).all()) {
        expect(await lineCount(el), `${sel} on one line`).toBeLessThanOrEqual(1);
      }
    }
  }
  // The page itself does not scroll sideways.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);

  // Column headings are not broken letter by letter.
  for (const th of await page.locator('[data-testid="transactions-page"] thead th').all()) {
    const text = (await th.textContent())?.trim();
    if (!text) continue;
    expect(await lineCount(th), `heading ${text} on one line`).toBeLessThanOrEqual(1);
  }

  // The detail drawer: 实收现金 (收您) and its amount on one line.
  await rows.first().getByTestId('row-detail').click();
  const drawer = page.locator('.ant-drawer-content');
  await expect(drawer).toBeVisible();
  const label = drawer.getByText('实收现金', { exact: true });
  await expect(label).toBeVisible();
  expect(await lineCount(label)).toBeLessThanOrEqual(1);
  await page.screenshot({ path: artifact('transactions-detail-1024.png') });
});

test('issue 13 problem 2: the Z close asks once, showing the figures it will lock; cancel leaves the day open', async ({
  app: page,
  station,
}) => {
  const paid = await payBill(station, 'gas', '64000005');
  await openScreen(page, '日终轧账', 'day-page');
  await page.getByTestId('count-method-total').click();
  await page.getByTestId('count-total').fill(paid.total);
  await page.getByTestId('count-submit').click();
  await expect(page.getByTestId('cash-counted')).toContainText(paid.total);
  const float = await station.data('float.balance');

  await page.getByTestId('close-submit').click();
  const dialog = page.getByTestId('close-confirm');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('不可撤销');
  await expect(dialog).toContainText('Z000001');
  await expect(page.getByTestId('confirm-closing-float')).toContainText(float.balance);
  await expect(page.getByTestId('confirm-cash-counted')).toContainText(paid.total);
  await expect(page.getByTestId('confirm-cash-variance')).toContainText('0.00');
  await page.screenshot({ path: artifact('day-close-confirm.png') });
  // Nothing is closed while the question is on screen.
  expect((await station.data('day.status')).todayStatus).toBe('open');

  await page.getByTestId('close-confirm-cancel').click();
  await expect(dialog).toBeHidden();
  expect((await station.data('day.status')).todayStatus).toBe('open');
  await expect(page.getByTestId('close-submit')).toBeEnabled();

  await page.getByTestId('close-submit').click();
  await page.getByTestId('close-confirm-ok').click();
  await expect(page.getByTestId('day-state')).toContainText('Z1');
  expect((await station.data('day.status')).todayStatus).not.toBe('open');
});

test('issue 13 problem 10: report exports stamp Beijing time, the chart leaves days to come empty, the screens write 账', async ({
  app: page,
  station,
}) => {
  await payBill(station, 'water', '66000008');
  const { businessDay } = await station.data('station.get');

  await openScreen(page, '报表', 'reports-page');
  const chart = page.getByTestId('report-chart');
  await expect(chart.locator('canvas').first()).toBeVisible();
  // The month runs past today: the chart's series stop at the business day, they are not zeros.
  await expect(chart).toHaveAttribute('data-last-plotted', businessDay);

  const before = Date.now();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-csv').click(),
  ]);
  const text = fs.readFileSync((await download.path())!, 'utf8');
  const stamp = text
    .split('\r\n')
    .map((l) => l.split(','))
    .find((r) => r[0] === '生成时间')?.[1];
  expect(stamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}（北京时间）$/);
  // The same instant as a Beijing wall clock (UTC+8, no daylight saving), give or take the run.
  const shown = Date.parse(`${stamp!.slice(0, 10)}T${stamp!.slice(11, 19)}+08:00`);
  expect(Math.abs(shown - before)).toBeLessThan(10 * 60_000);

  // 帐/账: one character throughout the screens (账, as in 轧账, 账务).
  for (const [label, id] of [
    ['日终轧账', 'day-page'],
    ['报表', 'reports-page'],
    ['交易查询', 'transactions-page'],
  ] as const) {
    await openScreen(page, label, id);
    await expect(page.getByTestId(id)).not.toContainText('帐');
  }
  await expect(page.getByTestId('nav')).not.toContainText('帐');
});
