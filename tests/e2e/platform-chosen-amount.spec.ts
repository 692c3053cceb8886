// Issue 13, customer-chosen amounts, on the embedded platform (as `npm start` runs it): an
// operator tops up a phone with nothing due (SIM_ACCOUNTS.noBill, 99990002) by the amount the
// customer asks for — keyboard only: F4, the number, Enter, the amount (refused in Chinese out of
// the limits), Enter, Space, Enter, the cash, Enter, Enter — and the receipt prints. The top-up
// never settles the account: the customer may top up again.
import { artifact, test, expect } from './fixtures';
import { billPayments, checkedWithCustomer, withFakePrinter } from './counter-steps';
import { decodeEscPos } from '../helpers/escpos-decoder';
import { SIM_ACCOUNTS } from '../../shared/sim-billers';
import { toFen } from '../../shared/money';

const PHONE = SIM_ACCOUNTS.noBill;

test('issue 13: a phone top-up of the customer’s chosen amount, within the limits, keyboard only, with its receipt', async ({
  app: page,
  station,
}) => {
  await withFakePrinter(station, async (printer) => {
    const floatBefore = (await station.data('float.balance')).balance;
    await page.keyboard.press('F4');
    await page.keyboard.type(PHONE);
    await page.keyboard.press('Enter');

    // Nothing due: the amount step, with the biller's limits, the amount field focused.
    const counter = page.getByTestId('counter');
    await expect(counter).toHaveAttribute('data-step', 'amount');
    await expect(page.getByTestId('chosen-limits')).toHaveText('10.00 元 – 1000.00 元');
    await expect(page.getByTestId('chosen-payee')).not.toBeEmpty();
    const amount = page.getByTestId('chosen-amount-input');
    await expect(amount).toBeFocused();
    await expect(page.getByTestId('step-keys')).toContainText('继续，核对账单');
    await page.screenshot({ path: artifact('chosen-amount-step.png') });

    // Out of the limits: refused here, in Chinese, and the counter stays on the amount.
    await page.keyboard.type('5');
    await page.keyboard.press('Enter');
    const error = page.getByTestId('chosen-amount-error');
    await expect(error).toHaveText('缴费金额须在 10.00 元至 1000.00 元之间（本次输入 5.00 元）');
    await expect(error).toHaveAttribute('data-code', 'AMOUNT_OUT_OF_RANGE');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('1000.01');
    await page.keyboard.press('Enter');
    await expect(error).toContainText('本次输入 1000.01 元');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('5o');
    await expect(amount).toHaveValue('5'); // only digits and a point are taken
    await page.keyboard.press('Enter');
    await expect(error).toContainText('本次输入 5.00 元');
    await expect(counter).toHaveAttribute('data-step', 'amount');

    // 50 yuan: the bill card at that amount, checked with the customer (Space), then the cash.
    await page.keyboard.press('Control+a');
    await page.keyboard.type('50');
    await expect(page.getByTestId('chosen-total-preview')).toContainText('50.00');
    await page.keyboard.press('Enter');
    await expect(counter).toHaveAttribute('data-step', 'bill');
    await expect(page.getByTestId('bill-amount')).toContainText('50.00');
    await expect(page.getByTestId('bill-card')).toContainText('自选金额');
    await expect(page.getByTestId('bill-limits')).toContainText('10.00–1000.00');
    await page.screenshot({ path: artifact('chosen-amount-bill.png') });
    // Esc goes back to the amount, as typed; Enter comes back to the bill.
    await page.keyboard.press('Escape');
    await expect(counter).toHaveAttribute('data-step', 'amount');
    await expect(amount).toHaveValue('50.00');
    await page.keyboard.press('Enter');
    await expect(counter).toHaveAttribute('data-step', 'bill');
    await checkedWithCustomer(page);
    await expect(page.getByTestId('cash-due')).toContainText('50.00');
    await page.keyboard.type('100');
    await page.keyboard.press('Enter');

    // 收您 100.00, 找您 50.00, Enter: paid, the receipt prints.
    const panel = page.getByTestId('callback-panel');
    await expect(panel).toContainText('收您 100.00 元');
    await expect(panel).toContainText('找您 50.00 元');
    await page.keyboard.press('Enter');
    await expect(counter).toHaveAttribute('data-step', 'done');
    const [receipt] = (await printer.waitForJobs(1, 60_000)).map((j) => decodeEscPos(j));
    const text = receipt!.text;
    expect(text).toContain('便民缴费凭证');
    expect(text).toContain('电话费');
    expect(text).toContain('演示电信公司');
    expect(text).toContain(PHONE);
    expect(text).toMatch(/缴费金额\s*50\.00/);
    expect(text).toMatch(/收您\s*100\.00/);
    expect(text).toMatch(/找您\s*50\.00/);

    // The ledger: one payment of 50.00 out of the float; the account still takes a top-up.
    const { items } = await station.data('txn.list', { kind: 'bill_payment', limit: 10 });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ amount: '50.00', accountNo: PHONE, change: '50.00' });
    const floatAfter = (await station.data('float.balance')).balance;
    expect(toFen(floatBefore) - toFen(floatAfter)).toBe(5_000);
    const again = await station.data('bill.inquire', { service: 'telephone', account: PHONE });
    expect(again).toMatchObject({ amountDue: null, choose: { min: '10.00', max: '1000.00' } });

    // Next customer: the same phone again, 20 yuan exactly.
    await page.keyboard.press('Enter');
    await expect(counter).toHaveAttribute('data-step', 'account');
    await page.keyboard.press('F4');
    await page.keyboard.type(PHONE);
    await page.keyboard.press('Enter');
    await expect(counter).toHaveAttribute('data-step', 'amount');
    await expect(amount).toHaveValue('');
    await page.keyboard.type('20');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Space');
    await page.keyboard.press('Enter');
    // The tick is recorded (bill.confirmPayee) before the cash step opens: wait for it.
    await expect(page.getByTestId('cash-input')).toBeFocused();
    await page.keyboard.press('F8'); // exact
    await expect(page.getByTestId('cash-input')).toHaveValue('20.00');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await expect(counter).toHaveAttribute('data-step', 'done');
    expect(await billPayments(station, PHONE)).toBe(2);
    await printer.waitForJobs(2, 60_000);
  });
});

test('issue 13: a due electricity bill paid at another amount (交200元电费) — + from the bill, Esc back to the amount due; the bill stays due', async ({
  app: page,
  station,
}) => {
  const ACCOUNT = '3301234568';
  const bill = await station.data('bill.inquire', { service: 'electricity', account: ACCOUNT });
  expect(bill.amountDue).not.toBeNull();
  expect(bill.amountDue).not.toBe('200.00');
  await withFakePrinter(station, async (printer) => {
    await page.keyboard.press('F2');
    await page.keyboard.type(ACCOUNT);
    await page.keyboard.press('Enter');
    const counter = page.getByTestId('counter');
    await expect(counter).toHaveAttribute('data-step', 'bill');
    await expect(page.getByTestId('bill-amount')).toContainText(bill.amountDue!);
    await expect(page.getByTestId('step-keys')).toContainText('其他金额');
    await expect(page.getByTestId('other-amount')).toBeVisible();

    // + : the amount step, the amount due shown, the amount field focused.
    await page.keyboard.press('+');
    await expect(counter).toHaveAttribute('data-step', 'amount');
    await expect(page.getByTestId('chosen-due')).toContainText(bill.amountDue!);
    await expect(page.getByTestId('chosen-hint')).toContainText('不结清本期应缴');
    await expect(page.getByTestId('chosen-amount-input')).toBeFocused();
    // Esc: back to paying the amount due, as before.
    await page.keyboard.press('Escape');
    await expect(counter).toHaveAttribute('data-step', 'bill');
    await expect(page.getByTestId('bill-amount')).toContainText(bill.amountDue!);
    await expect(page.getByTestId('bill-due-not-settled')).toHaveCount(0);

    // + again, 200: the bill card at 200.00, saying the bill stays due.
    await page.keyboard.press('+');
    await expect(page.getByTestId('chosen-amount-input')).toBeFocused();
    await page.keyboard.type('200');
    await page.keyboard.press('Enter');
    await expect(counter).toHaveAttribute('data-step', 'bill');
    await expect(page.getByTestId('bill-amount')).toContainText('200.00');
    await expect(page.getByTestId('bill-card')).toContainText('自选金额');
    await expect(page.getByTestId('bill-due-not-settled')).toContainText(
      `本期应缴 ${bill.amountDue} 元：自选金额存入户号，不结清本期账单`,
    );
    await expect(page.getByTestId('other-amount')).toHaveCount(0);
    await page.screenshot({ path: artifact('other-amount-bill.png') });
    await page.keyboard.press('Space');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('cash-input')).toBeFocused();
    await page.keyboard.type('200');
    await page.keyboard.press('Enter');
    const panel = page.getByTestId('callback-panel');
    await expect(panel).toContainText('收您 200.00 元');
    await page.keyboard.press('Enter');
    await expect(counter).toHaveAttribute('data-step', 'done');
    const [receipt] = (await printer.waitForJobs(1, 60_000)).map((j) => decodeEscPos(j));
    expect(receipt!.text).toMatch(/缴费金额\s*200\.00/);

    const { items } = await station.data('txn.list', { kind: 'bill_payment', limit: 10 });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ amount: '200.00', accountNo: ACCOUNT });
    // The month's bill is still due at the biller.
    const again = await station.data('bill.inquire', { service: 'electricity', account: ACCOUNT });
    expect(again.amountDue).toBe(bill.amountDue);

    // Typing the amount due as the "other" amount pays the bill itself.
    await page.keyboard.press('Enter');
    await page.keyboard.press('F2');
    await page.keyboard.type(ACCOUNT);
    await page.keyboard.press('Enter');
    await expect(counter).toHaveAttribute('data-step', 'bill');
    await page.keyboard.press('+');
    await page.keyboard.type(bill.amountDue!);
    await page.keyboard.press('Enter');
    await expect(counter).toHaveAttribute('data-step', 'bill');
    await expect(page.getByTestId('bill-card')).not.toContainText('自选金额');
    await page.keyboard.press('Space');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('cash-input')).toBeFocused();
    await page.keyboard.press('F8');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await expect(counter).toHaveAttribute('data-step', 'done');
    await printer.waitForJobs(2, 60_000);
    const settled = await station.data('bill.inquire', { service: 'electricity', account: ACCOUNT });
    expect(settled.amountDue).toBeNull();
  });
});
