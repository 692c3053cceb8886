// PAY-4 on the embedded platform (`npm run web`): the day close ties the float out line by line
// against the central journal — a deposit the branch credited that the station has not
// confirmed is listed with its voucher number, and disappears once the station confirms it.
import { expect } from '@playwright/test';
import crypto from 'node:crypto';
import { artifact } from './fixtures';
import { embeddedClerk, officeLogin, test } from './platform-fixtures';

test('PAY-4: the day close lists the branch deposit the station has not confirmed as the float difference, by voucher number', async ({
  app,
  station,
  request,
}) => {
  const { platform, password } = await embeddedClerk(request, station.log(), {
    username: 'clerk2',
    displayName: '林柜员',
  });
  const { csrf } = await officeLogin(request, platform, 'clerk2', password);
  const institutionNo = (await station.data('station.get')).institutionNo as string;
  const r = await request.post(`${platform.origin}/office/deposits`, {
    headers: { accept: 'application/json', 'x-csrf-token': csrf },
    data: {
      institutionNo,
      amount: '300.00',
      depositor: '店主',
      requestKey: crypto.randomBytes(12).toString('hex'),
    },
  });
  expect(r.status(), await r.text()).toBe(201);
  const voucherNo = ((await r.json()) as { data: { voucher: { voucherNo: string } } }).data.voucher.voucherNo;

  const page = app;
  await page.getByTestId('nav').getByText('日终轧账', { exact: true }).click();
  await expect(page.getByTestId('day-page')).toBeVisible();
  await expect(page.getByTestId('float-difference')).toContainText('300.00');
  const lines = page.getByTestId('tieout-lines');
  await expect(lines).toContainText(voucherNo);
  await expect(lines).toContainText('只在中心');
  await expect(page.getByTestId('tieout-unexplained')).toHaveCount(0);
  await page.screenshot({ path: artifact('day-close-tie-out.png') });

  // The station confirms the voucher: the difference and its line are gone.
  await station.data('topup.voucher', {
    voucherNo,
    branchCode: '350100',
    clerk: '林柜员',
    amount: '300.00',
    idempotencyKey: `e2e-tieout-${voucherNo}`,
  });
  await page.reload();
  await page.getByTestId('nav').getByText('日终轧账', { exact: true }).click();
  await expect(page.getByTestId('float-difference')).toContainText('0.00');
  await expect(page.getByTestId('tieout-summary')).toContainText('逐笔一致');
  await expect(page.getByTestId('tieout-lines')).toHaveCount(0);
});
