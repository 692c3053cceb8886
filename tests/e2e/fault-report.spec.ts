// MON-3 (issue 12 item 8): on 站点状态 an operator reports an abnormal situation by hand with the
// keyboard alone (the kind by typing, Tab, the text, Enter); it goes up to the platform at once
// and the list shows 已接收, then 已处理 with the office's note once the office has handled it.
import path from 'node:path';
import { test, expect, artifact } from './fixtures';
import { DEMO_STATION } from '../../backend/backend';
import { openSqlitePlatformStore } from '../../platform/store/sqlite';

test('MON-3: an operator reports a fault by hand and sees it received, then handled with the office’s note', async ({
  app: page,
  station,
}) => {
  // The platform run beside the station (the postal office gives its address to register).
  const platformUrl = /platform:\s+(\S+)/.exec(station.log())?.[1];
  expect(platformUrl, 'the platform address in the station’s start-up lines').toBeTruthy();

  await page.getByTestId('nav').getByText('站点状态').click();
  const standing = page.getByTestId('standing-page');
  await standing.getByTestId('monitor-url').fill(platformUrl!);
  await standing.getByTestId('monitor-url-save').click();
  await expect(standing.getByTestId('monitor-status')).not.toHaveAttribute('data-state', 'not_configured');

  // Keyboard only: the kind by typing its name, Tab to the text, Enter submits.
  const card = standing.getByTestId('faults-card');
  await card.getByLabel('类型').focus();
  await page.keyboard.type('断电');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await expect(card.getByTestId('fault-detail')).toBeFocused();
  await page.keyboard.type('上午停电约 30 分钟，已恢复');
  await page.keyboard.press('Enter');
  await expect(page.getByText('已记录，正在上报邮政平台')).toBeVisible();

  const row = card.getByTestId('standing-faults').locator('tr', { hasText: '上午停电约 30 分钟，已恢复' });
  await expect(row).toContainText('断电');
  await expect(row).toContainText('手工上报·店主（演示）');
  // Uploaded with the upload the report started; the card looks again until the platform has it.
  await expect(row.getByTestId('fault-status')).toHaveText('已接收', { timeout: 90_000 });
  // The form is ready for the next report, the cursor back on the kind.
  await expect(card.getByTestId('fault-detail')).toHaveValue('');
  await page.screenshot({ path: artifact('fault-report-received.png'), fullPage: true });

  // The office handles it in the console (the platform's store beside the running platform).
  const [fault] = (await station.data('fault.list')).faults;
  expect(fault?.reportedBy?.operatorId).toBe('op-holder');
  const store = openSqlitePlatformStore(path.join(station.dataDir, 'platform'));
  try {
    await store.provisioning.moveFault({
      institutionNo: DEMO_STATION.institutionNo,
      faultRef: fault!.ref,
      status: 'handled',
      note: '已联系供电所核实，线路已检修',
      at: new Date().toISOString(),
      by: 'e2e-supervisor',
    });
  } finally {
    await store.close();
  }
  await card.getByRole('button', { name: /刷\s*新/ }).click();
  await expect(row.getByTestId('fault-status')).toHaveText('已处理');
  await expect(row.getByTestId('fault-note')).toContainText('已联系供电所核实，线路已检修');
  await page.screenshot({ path: artifact('fault-report-handled.png'), fullPage: true });

  // The same report again is refused, in Chinese, and nothing is added.
  await card.getByLabel('类型').focus();
  await page.keyboard.type('断电');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await page.keyboard.type('上午停电约 30 分钟，已恢复');
  await page.keyboard.press('Enter');
  await expect(page.getByText('今天已记录过同一类型、同样说明的异常')).toBeVisible();
  await expect(card.getByTestId('standing-faults').locator('tbody tr.ant-table-row')).toHaveCount(1);
});
