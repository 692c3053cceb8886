// Who is at the counter, in Chromium (issue 12, "Done when"): log in with a PIN, pay a bill,
// hand the shift over with a blind count — the shift X report is shown and printed (a fake ESC/POS
// printer here, which decodes), and may be reprinted — the second operator (authorised in the
// platform) logs in with their own first-time PIN; the counter locks on F12 and after the idle
// time, which is the station's setting (站点状态).
import path from 'node:path';
import { DEMO_STATION } from '../../backend/backend';
import { openSqlitePlatformStore } from '../../platform/store/sqlite';
import { expect, loginOnScreen, test, type Station } from './fixtures';
import { toCallback, withFakePrinter } from './counter-steps';
import { decodeEscPos } from '../helpers/escpos-decoder';
import type { FakePrinter } from '../helpers/fake-printer';

/** The text of the printed slips that contain `marker` (the fake printer decodes ESC/POS). */
const slipsWith = (printer: FakePrinter, marker: string) =>
  printer.jobs.map((j) => decodeEscPos(j).text).filter((t) => t.includes(marker));

/** The office records an authorised person and their training in the station's platform. */
async function authorise(station: Station, name: string): Promise<string> {
  const store = openSqlitePlatformStore(path.join(station.dataDir, 'platform'));
  try {
    const at = new Date().toISOString();
    const p = await store.provisioning.addDelegate(
      DEMO_STATION.institutionNo,
      { name, idMasked: '3501**********0002' },
      { documentNo: 'SQ-E2E-01', scope: ['pay', 'topup'], validFrom: '2020-01-01', validTo: '2099-12-31' },
      at,
      'admin',
    );
    for (const subject of ['operation', 'water'] as const)
      await store.provisioning.recordTraining(
        p.id,
        { subject, trainedOn: '2020-01-01', trainer: '培训' },
        at,
        'admin',
      );
    return `P${p.id}`;
  } finally {
    await store.close();
  }
}

test('PPL-3: log in with a PIN, pay a bill, hand the shift over with a blind count; the second operator logs in with a first-time PIN and may not reverse', async ({
  app: page,
  station,
}) => {
  const voucher = await station.branchVoucher('500.00');
  await station.data('topup.voucher', {
    voucherNo: voucher,
    branchCode: '350100',
    clerk: '演示网点',
    amount: '500.00',
    idempotencyKey: 'e2e-login-topup',
  });
  const son = await authorise(station, '李家属');
  expect((await station.data('profile.refresh')).lastOutcome).toBe('ok');

  // The holder (logged in by the fixture with their PIN) pays a water bill.
  await expect(page.getByTestId('operator-name')).toHaveText('店主（演示）');
  await toCallback(page, 'F1', '31000011', '1000');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('payment-done')).toBeVisible();

  // 交接班: the count first (blind), then the shift X report, on screen and on paper; the session
  // ends. The report can be printed again from the handover screen (重印 1).
  await withFakePrinter(station, async (printer) => {
    await page.getByTestId('shift-end').click();
    await expect(page.getByTestId('shift-counted')).toBeFocused();
    await page.keyboard.type('1000');
    await page.keyboard.press('Enter');
    const report = page.getByTestId('shift-report');
    await expect(report).toContainText('店主（演示）');
    const variance = (await report.getByTestId('shift-variance').textContent()) ?? '';
    await expect(report.getByTestId('print-outcome')).toHaveAttribute('data-phase', 'printed');
    await expect.poll(() => slipsWith(printer, '交接班X报表').length, { timeout: 60_000 }).toBe(1);
    const slip = slipsWith(printer, '交接班X报表')[0]!;
    expect(slip).toContain('未轧账');
    expect(slip).toMatch(/交班人\s*店主（演示）/);
    expect(slip).toMatch(/开始\s*\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
    expect(slip).toMatch(/结束\s*\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
    expect(slip).toMatch(/交易笔数\s*[1-9]/);
    expect(slip).toMatch(/代收金额\s*\d+\.\d{2}\s*元/);
    expect(slip).toMatch(/实点现金\s*1000\.00\s*元/);
    expect(slip).toMatch(/应有现金\s*-?\d+\.\d{2}\s*元/);
    expect(slip).toContain(`${variance} 元`);
    await report.getByTestId('reprint-button').click();
    await expect(report.getByTestId('print-outcome')).toHaveAttribute('data-reprint-no', '1');
    await expect.poll(() => slipsWith(printer, '第1次重印').length, { timeout: 60_000 }).toBe(1);
    expect(slipsWith(printer, '交接班X报表')).toHaveLength(2);
    await page.getByTestId('shift-done').click();
    await expect(page.getByTestId('login-screen')).toBeVisible();
  });

  // The second operator: a first login sets their PIN (typed twice).
  await page.getByTestId(`login-op-${son}`).click();
  await page.getByTestId('login-pin').fill('1357');
  await page.getByTestId('login-pin2').fill('1357');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('operator-name')).toContainText('李家属');
  // Their scope is payments and top-ups: a reversal through the API of this tab is refused.
  const refused = await page.evaluate(async () => {
    const session = sessionStorage.getItem('yizhan.session') ?? '';
    const token = sessionStorage.getItem('yizhan.token') ?? '';
    const res = await fetch('./api/txn.reverse', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'x-yizhan-session': session,
      },
      body: JSON.stringify({ txnId: 1, reason: '测试', idempotencyKey: 'e2e-rev-1' }),
    });
    return (await res.json()) as { ok: boolean; error?: { code: string; message: string } };
  });
  expect(refused.error?.code).toBe('NOT_PERMITTED');
  expect(refused.error?.message).toContain('冲正');

  // F12 locks the counter: the login screen again.
  await page.keyboard.press('F12');
  await expect(page.getByTestId('login-screen')).toBeVisible();
});

test('the counter locks itself after the idle time', async ({ page, station }) => {
  await page.clock.install();
  await page.goto(station.url);
  await loginOnScreen(page);
  const { idleLockMinutes } = await station.data('auth.status');
  await page.clock.fastForward(`${String(idleLockMinutes + 1).padStart(2, '0')}:00`);
  await expect(page.getByTestId('login-screen')).toBeVisible();
});

test('the idle lock is the station’s setting: set to 1 minute on 站点状态, the counter locks after a minute without use', async ({
  page,
  station,
}) => {
  // The page's clock is the test's: a minute passes when the test says so, however slow the machine.
  await page.clock.install();
  await page.goto(station.url);
  await loginOnScreen(page);
  await page.getByTestId('nav').getByText('站点状态').click();
  const card = page.getByTestId('idle-lock-card');
  const minutes = card.getByTestId('idle-lock-minutes');
  await expect(minutes).toHaveValue('10');
  // Out of range: the form refuses it with the contract's message, nothing is saved.
  await minutes.fill('61');
  await card.getByTestId('idle-lock-save').click();
  await expect(card).toContainText('空闲锁屏时间应为 1～60 分钟');
  expect((await station.data('auth.status')).idleLockMinutes).toBe(10);
  await minutes.fill('1');
  await card.getByTestId('idle-lock-save').click();
  // The lock has the new time (its button says so) and the station keeps it.
  await expect(page.getByTestId('lock-counter')).toHaveAttribute('title', /1 分钟无操作自动锁定/);
  expect((await station.data('auth.status')).idleLockMinutes).toBe(1);
  // Half a minute without a key or click: still open.
  await page.clock.fastForward('00:30');
  await expect(page.getByTestId('operator-name')).toBeVisible();
  await expect(page.getByTestId('login-screen')).toBeHidden();
  // Past the minute: locked.
  await page.clock.fastForward('01:00');
  await expect(page.getByTestId('login-screen')).toBeVisible();
});
