// Provisioning and supervision in Chromium (issue 11, "Done when"): an admin provisions a
// station, records the holder's training on electricity, sets the gas fee to 0.50 from tomorrow
// and hands out an activation code; the station activates with it; a supervisor sees the
// station's balance, top-ups and weekly figures and marks a fault handled.
import crypto from 'node:crypto';
import type { APIRequestContext } from '@playwright/test';
import { formatFenGrouped, toFen } from '../../shared/money';
import { createUser, expect, officeLogin, test, type Platform } from './platform-fixtures';

test.describe.configure({ timeout: 240_000 });

const NO = '35010088001';
const shanghaiDay = (offsetDays = 0): string =>
  new Date(Date.now() + 8 * 3600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);

/** The station's side, as the app does it: a key pair, signed requests. */
function station(p: Platform) {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url').toString('base64');
  const signed = (body: unknown) => {
    const text = JSON.stringify(body);
    return {
      headers: {
        'content-type': 'application/json',
        'x-yizhan-signature': crypto.sign(null, Buffer.from(text), privateKey).toString('base64'),
      },
      data: text,
    };
  };
  const op = async (request: APIRequestContext, path: string, op: string, fields: object) => {
    const r = await request.post(`${p.origin}/v1/stations/${NO}/${path}`, {
      ...signed({
        institutionNo: NO,
        op,
        requestKey: crypto.randomUUID(),
        sentAt: new Date().toISOString(),
        ...fields,
      }),
    });
    expect(r.status(), await r.text()).toBeLessThan(300);
    return ((await r.json()) as { data: Record<string, unknown> }).data;
  };
  return {
    async activate(request: APIRequestContext, code: string) {
      const r = await request.post(`${p.origin}/v1/activate`, {
        ...signed({
          institutionNo: NO,
          activationCode: code,
          publicKey: raw,
          sentAt: new Date().toISOString(),
        }),
      });
      expect(r.status(), await r.text()).toBe(201);
      return (await r.json()) as { data: { certificate: { serial: string }; profile: { profile: string } } };
    },
    op,
    async upload(request: APIRequestContext, day: string) {
      const r = await request.post(`${p.origin}/v1/stations/${NO}/counts`, {
        ...signed({
          institutionNo: NO,
          seq: 1,
          sentAt: new Date().toISOString(),
          days: [
            {
              day,
              count: 1,
              faults: [{ kind: 'printer', at: `${day}T10:00:00+08:00`, detail: '打印机卡纸' }],
            },
          ],
        }),
      });
      expect(r.status(), await r.text()).toBe(200);
    },
  };
}

test('an admin provisions a station, trains its holder, sets a fee from tomorrow and hands out a code; a supervisor supervises it', async ({
  page,
  platform,
  request,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const tomorrow = shanghaiDay(1);

  // The admin logs in and lands on the watch lists.
  await page.goto(`${platform.origin}/office/login`);
  await page.keyboard.type(platform.admin.username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(platform.admin.password);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/office\/watch$/);

  // Provision the station.
  await page.getByRole('navigation').getByRole('link', { name: '便民服务站' }).click();
  await page.getByTestId('new-station').click();
  await expect(page.getByLabel('机构号')).toBeFocused();
  await page.keyboard.type(NO);
  await page.getByLabel('站点名称').fill('鼓楼村邮站');
  await page.getByLabel('类型').selectOption({ label: '村邮站' });
  await page.getByLabel('地址').fill('福州市鼓楼区某村 8 号');
  await page.getByLabel('所属网点').fill('350100');
  await page.getByLabel('经营者（代办协议签订人）姓名').fill('陈经营');
  await page.getByLabel('经营者身份证号（只保存前 4 位和后 4 位）').fill('350102198001011234');
  await page.getByLabel('保证金（元）').fill('2000.00');
  await page.getByLabel('保证金收据号').fill('BZJ-350-01');
  await page.getByTestId('create-station').click();
  await expect(page.getByTestId('station-title')).toHaveText(`${NO} 鼓楼村邮站`);
  await expect(page.getByTestId('agreement')).toContainText('保证金 2000.00 元（收据 BZJ-350-01）');
  const holderRow = page.getByTestId('person-row').first();
  await expect(holderRow).toContainText('3501**********1234');
  await expect(holderRow.getByTestId('training')).toHaveText('未培训');

  // The holder's training: operation, then electricity.
  for (const subject of ['操作培训', '电费业务']) {
    await page.getByLabel('培训内容').selectOption({ label: subject });
    await page.getByLabel('培训人').fill('王培训');
    await page.getByTestId('record-training').click();
  }
  await expect(holderRow.getByTestId('training')).toContainText('电费业务');
  await expect(holderRow.getByTestId('training')).toContainText('操作培训');

  // The gas fee: 0.50 from tomorrow; today's stays 0.00.
  await page.getByRole('navigation').getByRole('link', { name: '收费标准' }).click();
  await page.getByLabel('业务').selectOption({ label: '燃气费' });
  await page.getByLabel('每笔收费（元）').fill('0.50');
  await page.getByLabel('生效日期').fill(tomorrow);
  await page.getByTestId('set-fee').click();
  const gas = page.locator('[data-testid="fee-row"][data-service="gas"]');
  await expect(gas).toContainText('0.00');
  await expect(gas).toContainText(`${tomorrow} 起 0.50 元`);

  // The activation code, shown once.
  await page.goto(`${platform.origin}/office/stations/${NO}`);
  await page.getByTestId('issue-code').click();
  const code = (await page.getByTestId('activation-code').locator('strong').textContent())!.trim();
  expect(code).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);

  // The station activates; its profile names the training and the coming fee.
  const st = station(platform);
  const act = await st.activate(request, code);
  const profile = JSON.parse(act.data.profile.profile) as {
    operators: Array<{ training: Record<string, string> }>;
    fees: Array<{ service: string; fee: string; effectiveFrom: string }>;
  };
  expect(Object.keys(profile.operators[0]!.training).sort()).toEqual(['electricity', 'operation']);
  expect(profile.fees).toContainEqual({ service: 'gas', fee: '0.50', effectiveFrom: tomorrow });
  await page.reload();
  await expect(page.getByTestId('certificate')).toContainText(act.data.certificate.serial);

  // A clerk deposits 500.00; the station pays a water bill; it uploads yesterday with a fault.
  const clerkPw = await createUser(request, platform, {
    username: 'clerk1',
    displayName: '陈柜员',
    role: 'clerk',
    branchCode: '350100',
  });
  const supPw = await createUser(request, platform, {
    username: 'super1',
    displayName: '赵督导',
    role: 'supervisor',
  });
  const { csrf } = await officeLogin(request, platform, 'clerk1', clerkPw);
  const json = { accept: 'application/json', 'x-csrf-token': csrf };
  const look = await request.get(`${platform.origin}/office/deposit?no=${NO}`, { headers: json });
  const requestKey = ((await look.json()) as { data: { requestKey: string } }).data.requestKey;
  const dep = await request.post(`${platform.origin}/office/deposits`, {
    headers: json,
    data: { institutionNo: NO, amount: '500.00', depositor: '陈经营', requestKey },
  });
  expect(dep.status(), await dep.text()).toBe(201);
  const inq = await st.op(request, 'bills/inquire', 'inquire', { service: 'water', accountNo: '3301234567' });
  const bill = (inq as { bill: { billId: string; amount: string } }).bill;
  await st.op(request, 'bills/pay', 'pay', {
    service: 'water',
    accountNo: '3301234567',
    billId: bill.billId,
    amount: bill.amount,
  });
  await st.upload(request, shanghaiDay(-1));

  // The supervisor: the station's balance, top-ups and this week's figures; the fault handled.
  await page.context().clearCookies();
  await page.goto(`${platform.origin}/office/login`);
  await page.getByLabel('用户名').fill('super1');
  await page.getByLabel('密码').fill(supPw);
  await page.getByTestId('login').click();
  await expect(page).toHaveURL(/\/office\/watch$/);
  await expect(page.getByTestId('open-faults')).toHaveText('1');
  await page.getByRole('navigation').getByRole('link', { name: '便民服务站' }).click();
  await expect(page.getByTestId('new-station')).toHaveCount(0);
  await page.locator(`[data-testid="station-row"][data-no="${NO}"] a`).click();
  await expect(page.getByTestId('central-balance')).toHaveText(formatFenGrouped(50_000 - toFen(bill.amount)));
  await expect(page.getByTestId('topups-table')).toContainText('网点存款');
  await expect(page.getByTestId('topups-table')).toContainText('500.00');
  const thisWeek = page.getByTestId('weekly-figures').locator('tbody tr').first();
  await expect(thisWeek.locator('td').nth(1)).toHaveText('1');
  // No form to change anything for a supervisor.
  await expect(page.getByTestId('record-training')).toHaveCount(0);
  await expect(page.getByTestId('issue-code')).toHaveCount(0);

  const fault = page.getByTestId('fault-row').first();
  await expect(fault).toHaveAttribute('data-status', 'received');
  await fault.getByTestId('fault-note').fill('已电话指导站点更换打印纸');
  await fault.getByRole('combobox', { name: '处理结果' }).selectOption({ label: '已处理' });
  await fault.getByTestId('fault-submit').click();
  await expect(page.getByTestId('fault-row').first()).toHaveAttribute('data-status', 'handled');
  await expect(page.getByTestId('fault-row').first()).toContainText('已电话指导站点更换打印纸');

  // The fault inbox: the handled fault is there; closing it takes it off the list.
  await page.getByRole('navigation').getByRole('link', { name: '异常处理' }).click();
  const inbox = page.getByTestId('fault-row').first();
  await expect(inbox).toHaveAttribute('data-status', 'handled');
  await inbox.getByTestId('fault-note').fill('站点确认打印正常');
  await inbox.getByRole('combobox', { name: '处理结果' }).selectOption({ label: '关闭' });
  await inbox.getByTestId('fault-submit').click();
  await expect(page.getByTestId('faults-table')).toContainText('没有异常');
  expect(errors).toEqual([]);
});
