// Who is at the counter, in Chromium (issue 12, "Done when"): log in with a PIN, pay a bill,
// hand the shift over with a blind count, the second operator (authorised in the platform) logs
// in with their own first-time PIN; the counter locks on F12 and after the idle time.
import path from 'node:path';
import { DEMO_STATION } from '../../backend/backend';
import { openSqlitePlatformStore } from '../../platform/store/sqlite';
import { expect, loginOnScreen, test, type Station } from './fixtures';
import { toCallback } from './counter-steps';

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

  // 交接班: the count first (blind), then the shift X report; the session ends.
  await page.getByTestId('shift-end').click();
  await expect(page.getByTestId('shift-counted')).toBeFocused();
  await page.keyboard.type('1000');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('shift-report')).toContainText('店主（演示）');
  await page.getByTestId('shift-done').click();
  await expect(page.getByTestId('login-screen')).toBeVisible();

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
