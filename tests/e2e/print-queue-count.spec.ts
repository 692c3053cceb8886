// Issue 13 problem 10: after 全部重试 with the printer down the queue showed 1 waiting while 11
// were. The printer screen counts every slip that waits, before and after a retry.
import { test, expect } from './fixtures';
import { payByApi, withFakePrinter } from './counter-steps';

test('issue 13 problem 10: with the printer off, 全部重试 leaves every waiting slip counted and says how many still wait', async ({
  app,
  station,
}) => {
  await withFakePrinter(station, async (printer) => {
    await printer.goDown();
    for (let i = 0; i < 4; i++) {
      const t = await payByApi(station, {
        service: 'water',
        account: `4300000${i}`,
        cash: '500',
        idempotencyKey: `e2e-print-queue-${i}`,
      });
      expect((await station.data('print.txn', { txnId: t.txnId })).job.status).toBe('queued');
    }
    await app.getByTestId('nav').getByText('打印机', { exact: true }).click();
    const page = app.getByTestId('printer-page');
    await expect(page).toContainText('4 张待打印');
    await app.getByTestId('print-retry').click();
    await expect(app.getByText('仍有 4 张待打印')).toBeVisible();
    await expect(page).toContainText('4 张待打印');
    await printer.comeBack();
    await app.getByTestId('print-retry').click();
    await expect(app.getByText('打印成功 4 张')).toBeVisible();
    await expect(page).not.toContainText('张待打印');
  });
});
