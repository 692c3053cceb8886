// Issue 2: the shell (station header, float, demo badge, navigation, operator) and topping up
// the float by branch deposit voucher (PAY-2).
import { test, expect, artifact } from './fixtures';
import { topUpByVoucher } from './counter-steps';

test('PAY-2: top up by voucher, the header float changes; the same voucher again is refused in Chinese', async ({
  app: page,
  station,
}) => {
  await expect(page.getByTestId('station-name')).toContainText('演示站点');
  await expect(page.getByTestId('demo-badge')).toHaveText('演示');
  await expect(page.getByTestId('station-header')).toContainText('35010099001');
  await expect(page.getByTestId('float-balance')).toContainText('2000.00');
  await expect(page.getByTestId('operator')).toContainText('店主（演示）');
  // The token left the address bar.
  expect(page.url()).not.toContain('token=');

  // The opening float's voucher, and the one the branch issues now for 500.00.
  const [opening] = (await station.data('voucher.list', {})).items;
  const voucherNo = await station.branchVoucher('500');
  await topUpByVoucher(page, { voucherNo, branch: '350102', clerk: '林晓', amount: '500' });
  await expect(page.getByTestId('voucher-done')).toContainText('充值成功');
  await expect(page.getByTestId('float-balance')).toContainText('2500.00');
  await page.screenshot({ path: artifact('topup-done.png') });

  // The same voucher number a second time: refused, clearly, in Chinese; the float is unchanged.
  await page.getByTestId('topup-new').click();
  await page.getByTestId('voucher-no').fill(voucherNo);
  await page.getByTestId('voucher-branch').fill('350102');
  await page.getByTestId('voucher-clerk').fill('林晓');
  await page.getByTestId('voucher-amount').fill('500');
  await page.getByTestId('voucher-next').click();
  await page.getByTestId('topup-confirm').click();
  const alert = page.getByTestId('error-alert');
  await expect(alert).toHaveAttribute('data-code', 'DUPLICATE_VOUCHER');
  await expect(alert).toContainText(/重复/);
  await expect(alert).toContainText(/已经入账/);
  await page.screenshot({ path: artifact('topup-duplicate.png') });
  await expect(page.getByTestId('float-balance')).toContainText('2500.00');
  expect((await station.data('float.balance')).balance).toBe('2500.00');

  // The register lists the voucher for audit, searchable.
  await page.getByRole('tab', { name: '存款凭证登记' }).click();
  await page.getByTestId('voucher-search').fill(voucherNo);
  await page.getByTestId('voucher-search').press('Enter');
  await expect(page.getByTestId('voucher-list')).toContainText(voucherNo);
  await expect(page.getByTestId('voucher-list')).not.toContainText(opening!.voucherNo);

  // The top-up's detail does not offer 冲正: the branch credited the central account, and only
  // the branch puts a mistake right (the platform refuses a station's top-up reversal).
  const { items } = await station.data('txn.list', { kind: 'topup_voucher', limit: 50 });
  const topup = items.find((t) => t.voucherNo === voucherNo)!;
  await page.getByTestId('nav').getByText('交易查询', { exact: true }).click();
  await page
    .locator(`[data-testid="txn-row"][data-serial="${topup.serial}"]`)
    .getByTestId('row-detail')
    .click();
  await expect(page.getByTestId('txn-reverse')).toBeDisabled();
  await expect(page.getByTestId('topup-not-reversible')).toContainText('联系所属网点');
});

test('PAY-3: top up from the bound Green Card (shown masked) with the bank reference; the slip previews as an image', async ({
  app: page,
  station,
}) => {
  await page.getByTestId('nav').getByText('充值', { exact: true }).click();
  await page.getByRole('tab', { name: '邮政绿卡充值' }).click();
  await expect(page.getByTestId('card-masked')).toHaveText('6221 **** **** 0088');
  await page.getByTestId('greencard-amount').fill('300.5');
  await page.getByTestId('greencard-ref').fill('x'); // too short: the contract's own rule, in Chinese
  await page.getByTestId('greencard-next').click();
  await expect(page.getByTestId('greencard-form')).toContainText('银行流水号应为 6–40 位字母或数字');
  await page.getByTestId('greencard-ref').fill('BK2026112800017');
  await page.getByTestId('greencard-next').click();
  await expect(page.getByTestId('greencard-confirm')).toContainText('300.50');
  await page.keyboard.press('Enter'); // the confirm button has the focus
  await expect(page.getByTestId('greencard-done')).toContainText('充值成功');
  await expect(page.getByTestId('float-balance')).toContainText('2300.50');
  const [txn] = (await station.data('txn.list', { kind: 'topup_green_card' })).items;
  expect(txn?.bankRef).toBe('BK2026112800017');
  expect(txn?.cardMasked).toBe('6221 **** **** 0088');

  await page.getByTestId('greencard-done').getByTestId('preview-button').click();
  const img = page.getByTestId('receipt-preview-img');
  await expect(img).toBeVisible();
  expect(await img.getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
  await expect
    .poll(() => img.evaluate((el) => (el as unknown as { naturalHeight: number }).naturalHeight))
    .toBeGreaterThan(100);
  await page.screenshot({ path: artifact('receipt-preview.png') });
  await page.keyboard.press('Escape');

  // zh-CN first, en second: the same screens in English.
  await page.getByText('EN', { exact: true }).click();
  await expect(page.getByTestId('nav')).toContainText('Counter');
  await expect(page.getByTestId('demo-badge')).toHaveText('DEMO');
  await page.getByTestId('nav').getByText('Counter', { exact: true }).click();
  await page.screenshot({ path: artifact('counter-en.png') });
  await page.getByText('中文', { exact: true }).click();
  await expect(page.getByTestId('nav')).toContainText('收款台');
});
