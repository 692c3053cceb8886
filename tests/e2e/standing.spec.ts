// Issue 5: the station's own standing (MON-2) — 站点状态 page and the counter widget — and the
// monitor's dashboard in Chromium, fed by the app's own signed upload.
import path from 'node:path';
import { test, expect, artifact, type Station } from './fixtures';
import { payByApi } from './counter-steps';
import { READ_TOKEN, startMonitor, TestStation, type TestMonitor } from '../helpers/monitor';
import { businessDayOf } from '../../shared/business-day';
import { openDatabase } from '../../db/open';

/** Pays a bill through the API, as if at the counter. */
function payBill(station: Station, service: 'water' | 'electricity', account: string) {
  return payByApi(station, { service, account, cash: '500', idempotencyKey: `e2e-standing-${account}` });
}

test('MON-2: after a day’s payments, 站点状态 shows 本月 2 / 20 with a progress bar, the chart, the key to register, and the counter widget agrees', async ({
  app: page,
  station,
}) => {
  await payBill(station, 'water', '41000001');
  await payBill(station, 'electricity', '41000002');
  await page.reload();

  // The counter's widget, under 今日.
  const widget = page.getByTestId('standing-widget');
  await expect(widget).toContainText('本月 2 / 20 笔');

  await page.getByTestId('nav').getByText('站点状态').click();
  const standing = page.getByTestId('standing-page');
  await expect(standing.getByTestId('standing-count')).toHaveText('本月 2 / 20 笔');
  await expect(standing.getByTestId('standing-needed')).toHaveText('18');
  await expect(standing.locator('.ant-progress')).toBeVisible();
  // Opened today: the opening month is not judged, and the page says so before anything else.
  await expect(standing.getByTestId('standing-headline')).toContainText('开业当月');
  await expect(standing.getByTestId('standing-chart').locator('canvas')).toBeVisible();
  // Uploads wait for an address, plainly.
  await expect(standing.getByTestId('monitor-status')).toHaveAttribute('data-state', 'not_configured');
  await expect(standing.getByTestId('monitor-status')).toContainText('未设置监测平台地址');
  // What the postal office registers: 机构号, opening date, public key and fingerprint.
  const status = await station.data('monitor.status');
  await expect(standing.getByTestId('public-key')).toContainText('-----BEGIN PUBLIC KEY-----');
  await expect(standing.getByTestId('public-key')).toContainText(status.publicKeyPem!.split('\n')[1]!);
  await expect(standing.getByTestId('key-fingerprint')).toContainText(status.fingerprint!.slice(0, 4));
  await expect(standing.getByTestId('station-key')).toContainText(status.institutionNo);
  // A malformed address is refused in the form, with the contract's own message.
  await standing.getByTestId('monitor-url').fill('ftp://monitor');
  await standing.getByTestId('monitor-url-save').click();
  await expect(
    standing.getByText('监测平台地址应为 http:// 或 https:// 开头的网址', { exact: false }),
  ).toBeVisible();
  await page.screenshot({ path: artifact('standing.png'), fullPage: true });
});

test('MON-2: two low months behind — the page and the counter warn while this month can still be saved', async ({
  app: page,
  station,
}) => {
  const today = businessDayOf(new Date());
  const monthBefore = (n: number) => {
    const [y, m] = today.split('-').map(Number) as [number, number];
    const i = y * 12 + (m - 1) - n;
    return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
  };
  // The ledger of the last two months, as an older station would hold it: 10, then 12 payments.
  // Through the station's own opener: ledger v2's chain function is registered there.
  const db = openDatabase(path.join(station.dataDir, 'station.sqlite'));
  try {
    db.pragma('busy_timeout = 5000');
    let k = 0;
    for (const [month, n] of [
      [monthBefore(2), 10],
      [monthBefore(1), 12],
    ] as const) {
      const day = `${month}-05`;
      db.prepare(`INSERT OR IGNORE INTO business_days (day, status, opened_at) VALUES (?, 'open', ?)`).run(
        day,
        `${day}T01:00:00.000Z`,
      );
      for (let i = 0; i < n; i++) {
        db.prepare(
          `INSERT INTO txns (kind, business_day, created_at, operator_id, amount_fen, service, idempotency_key, request_hash, legs)
           VALUES ('bill_payment', ?, ?, 'op-holder', 100, 'water', ?, 'h', '[["float",-100],["cash",100]]')`,
        ).run(day, `${day}T02:00:00.000Z`, `e2e-history-${k++}`);
      }
    }
  } finally {
    db.close();
  }
  await payBill(station, 'water', '43000001');

  await page.getByTestId('nav').getByText('站点状态').click();
  const standing = page.getByTestId('standing-page');
  const opening = standing.getByTestId('station-key').locator('input');
  await opening.fill(`${monthBefore(2)}-01`);
  await standing.getByTestId('station-key').getByRole('button', { name: '保存' }).click();
  await expect(standing.getByTestId('standing-opening')).toHaveText(`${monthBefore(2)}-01`);
  await expect(standing.getByTestId('standing-month')).toHaveAttribute('data-level', 'critical');
  await expect(standing.getByTestId('standing-low-months')).toHaveText('2');
  await expect(standing.getByTestId('standing-headline')).toContainText('本月如少于 20 笔，站点将被淘汰');
  await expect(standing.getByTestId('standing-headline')).toContainText('还差 19 笔');
  await page.screenshot({ path: artifact('standing-critical.png'), fullPage: true });

  await page.getByTestId('nav').getByText('收款台').click();
  await page.reload();
  await expect(page.getByTestId('standing-widget')).toHaveAttribute('data-level', 'critical');
  await expect(page.getByTestId('standing-widget')).toContainText('本月 1 / 20 笔');
  await expect(page.getByTestId('standing-widget')).toContainText('站点将被淘汰');
});

test.describe('with a real monitor', () => {
  let m: TestMonitor;
  test.beforeEach(async () => {
    m = await startMonitor(new Date().toISOString());
  });
  test.afterEach(async () => {
    await m.close();
  });

  test('MON-2 MON-3: the app uploads from 站点状态 (立即上报), and the monitor dashboard in Chromium lists the station at risk', async ({
    app: page,
    station,
    browser,
  }) => {
    const today = businessDayOf(new Date());
    const [y, mo] = today.split('-').map(Number) as [number, number];
    const lastMonth = mo === 1 ? `${y - 1}-12` : `${y}-${String(mo - 1).padStart(2, '0')}`;

    // A station at risk: last month 10 of 20 (low), this month 3 so far.
    const risky = new TestStation(m, 'E2ERISK01', `${lastMonth}-01`, '山脚村便民服务站');
    expect((await risky.register()).status).toBe(201);
    expect(
      (
        await risky.upload([
          { day: `${lastMonth}-05`, count: 10 },
          { day: today, count: 3 },
        ])
      ).status,
    ).toBe(200);

    // The app's station: registered with the key it shows, then uploading through the UI.
    const st = await station.data('monitor.status');
    const reg = await fetch(`${m.url}/v1/stations`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer admin-token-for-tests-0123456789',
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        institutionNo: st.institutionNo,
        name: '演示站点',
        openingDate: st.openingDate,
        publicKey: st.publicKeyPem,
      }),
    });
    expect(reg.status).toBe(201);
    await payBill(station, 'water', '42000001');
    await payBill(station, 'water', '42000002');

    await page.getByTestId('nav').getByText('站点状态').click();
    const standing = page.getByTestId('standing-page');
    await standing.getByTestId('monitor-url').fill(m.url);
    await standing.getByTestId('monitor-url-save').click();
    await standing.getByTestId('monitor-upload-now').click();
    await expect(standing.getByTestId('monitor-status')).toHaveAttribute('data-state', 'up_to_date');
    await expect(standing.getByTestId('monitor-status')).toContainText('已全部上报');
    expect(Object.fromEntries(await m.store.dailyCounts(st.institutionNo))).toEqual({ [today]: 2 });

    // The office's view: the dashboard, logged in with the read token (traded for a cookie).
    const office = await browser.newPage();
    await office.goto(`${m.url}/?token=${READ_TOKEN}`);
    await expect(office).toHaveURL(`${m.url}/`);
    const atRisk = office.locator('section#at-risk');
    await expect(atRisk).toContainText('山脚村便民服务站');
    await expect(atRisk.locator('[data-station="E2ERISK01"]')).toBeVisible();
    await expect(atRisk.locator('canvas').first()).toBeVisible(); // its months, drawn by ECharts
    await expect(atRisk).not.toContainText(st.institutionNo);
    const figures = office.locator('section#figures');
    await expect(figures.locator('tr', { hasText: st.institutionNo })).toBeVisible();
    await office.screenshot({ path: artifact('monitor-dashboard.png'), fullPage: true });
    await office.close();
  });
});
