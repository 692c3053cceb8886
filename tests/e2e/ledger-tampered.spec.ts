// Issue 9, ledger v2: someone with the data folder edits a transaction behind the app's back.
// The next verification fails; from then on every screen shows it in red and money channels
// refuse with LEDGER_TAMPERED.
import path from 'node:path';
import { test, expect, artifact } from './fixtures';
import { openDatabase } from '../../db/open';

const SCREENS = ['收款台', '充值', '交易查询', '打印机', '日终轧账', '报表', '站点状态'];

test('ledger v2: an amount edited in the database file is caught; a red banner on every screen; money channels refuse with LEDGER_TAMPERED', async ({
  app: page,
  station,
}) => {
  await expect(page.getByTestId('ledger-tampered')).toHaveCount(0);

  // The data folder: the update trigger dropped, the opening float's amount raised by 0.01.
  const db = openDatabase(path.join(station.dataDir, 'station.sqlite'));
  db.exec(`DROP TRIGGER txns_no_update; UPDATE txns SET amount_fen = amount_fen + 1 WHERE id = 1;`);
  db.close();

  // An auditor's (or the next start's) verification finds it.
  const v = await station.data('ledger.verify');
  expect(v.ok).toBe(false);

  await page.reload();
  for (const name of SCREENS) {
    await page.getByTestId('nav').getByText(name, { exact: true }).click();
    const banner = page.getByTestId('ledger-tampered');
    await expect(banner).toBeVisible();
    await expect(banner).toContainText('收付款业务已停止');
  }
  await expect(page.getByTestId('ledger-problem')).toBeVisible();
  await page.screenshot({ path: artifact('ledger-tampered.png') });

  // Money channels refuse.
  const r = await station.api('topup.voucher', {
    voucherNo: 'V20261203T1',
    branchCode: '350100',
    clerk: '王五',
    amount: '100.00',
    idempotencyKey: 'e2e-tampered-topup',
  });
  expect(r.ok).toBe(false);
  expect(!r.ok && r.error.code).toBe('LEDGER_TAMPERED');
});
