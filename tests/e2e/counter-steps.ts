// Steps shared by the counter's Playwright tests.
import type { Page } from '@playwright/test';
import Decimal from 'decimal.js';
import { confirmPayee, expect, type Station } from './fixtures';
import { FakePrinter } from '../helpers/fake-printer';
import type { ServiceId } from '../../shared/catalogue';

/** How many bill payments the ledger holds (for one account, or all). */
export async function billPayments(station: Station, account?: string): Promise<number> {
  const { items } = await station.data('txn.list', { kind: 'bill_payment', limit: 500 });
  return items.filter((t) => !account || t.accountNo === account).length;
}

/** A bill paid through the API as the counter pays it (SRV-2: the payee confirmed first), for
 *  the tests that start from a paid bill; the cash handed over is the bill's total unless given. */
export async function payByApi(
  station: Station,
  pay: { service: ServiceId; account: string; idempotencyKey: string; cash?: string },
) {
  const bill = await station.data('bill.inquire', { service: pay.service, account: pay.account });
  return station.data('bill.pay', {
    billId: bill.billId,
    cashReceived: pay.cash ?? bill.total!,
    confirmedPayee: await confirmPayee(station, bill),
    idempotencyKey: pay.idempotencyKey,
  });
}

/** 充值 by a branch voucher on the screen: its number, branch, clerk and amount, 下一步, the
 *  amount shown to confirm (to the fen), 确认充值. */
export async function topUpByVoucher(
  page: Page,
  v: { voucherNo: string; branch: string; clerk: string; amount: string },
) {
  await page.getByTestId('nav').getByText('充值', { exact: true }).click();
  await expect(page.getByTestId('voucher-form')).toBeVisible();
  await page.getByTestId('voucher-no').fill(v.voucherNo);
  await page.getByTestId('voucher-branch').fill(v.branch);
  await page.getByTestId('voucher-clerk').fill(v.clerk);
  await page.getByTestId('voucher-amount').fill(v.amount);
  await page.getByTestId('voucher-next').click();
  await expect(page.getByTestId('voucher-confirm')).toContainText(new Decimal(v.amount).toFixed(2));
  await page.getByTestId('topup-confirm').click();
}

/** On the bill: Space ticks 已与客户核对, Enter goes on to the cash, its field focused. */
export async function checkedWithCustomer(page: Page) {
  await page.keyboard.press('Space');
  await expect(page.getByTestId('verify-check')).toBeChecked();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('cash-input')).toBeFocused();
}

/** The cash (its field focused): typed, Enter, and the call-back panel is up. */
export async function cashToCallback(page: Page, cash: string) {
  await page.keyboard.type(cash);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('callback-panel')).toBeVisible();
}

/** From the account field (its service chosen), mouse-free up to the call-back panel: account,
 *  Enter, Space (已与客户核对: the backend records it, bill.confirmPayee, and the payment carries
 *  its token), Enter, cash, Enter. */
export async function accountToCallback(page: Page, account: string, cash: string) {
  await page.keyboard.type(account);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('bill-card')).toBeVisible();
  await checkedWithCustomer(page);
  await cashToCallback(page, cash);
}

/** The same from anywhere on the counter, the service chosen by its key first. */
export async function toCallback(page: Page, fkey: string, account: string, cash: string) {
  await page.keyboard.press(fkey);
  await accountToCallback(page, account, cash);
}

/** The printer screen: the fake printer's interface (and the drawer, when asked), saved and
 *  connected. */
export async function setPrinterOnScreen(page: Page, iface: string, opts: { drawer?: boolean } = {}) {
  await page.getByTestId('nav').getByText('打印机', { exact: true }).click();
  await page.getByTestId('printer-interface').fill(iface);
  await page.getByText('58 毫米（32 列）').click();
  if (opts.drawer) await page.getByTestId('printer-drawer').check();
  await page.getByTestId('printer-save').click();
  await expect(page.getByTestId('printer-status')).toContainText('已连接');
}

/** A fake ESC/POS printer set up for the station through the API for the length of `run`. */
export async function withFakePrinter(station: Station, run: (printer: FakePrinter) => Promise<void>) {
  const printer = await FakePrinter.start();
  try {
    await station.data('printer.set', { interface: printer.iface, columns: 32 });
    await run(printer);
  } finally {
    await printer.stop();
  }
}

/** The first bill.pay reaches the backend (which commits) but its reply is lost on the way
 *  back; later ones go through: the payment's outcome is unknown until the retry. */
export async function loseFirstPayReply(page: Page) {
  let lost = 0;
  await page.route('**/api/bill.pay', async (route) => {
    if (lost++ === 0) {
      await route.fetch();
      await route.abort('connectionreset');
    } else await route.continue();
  });
}
