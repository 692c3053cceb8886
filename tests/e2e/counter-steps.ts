// Steps shared by the counter's Playwright tests.
import type { Page } from '@playwright/test';
import { expect, type Station } from './fixtures';

/** How many bill payments the ledger holds (for one account, or all). */
export async function billPayments(station: Station, account?: string): Promise<number> {
  const { items } = await station.data('txn.list', { kind: 'bill_payment', limit: 500 });
  return items.filter((t) => !account || t.accountNo === account).length;
}

/** Mouse-free up to the call-back panel: service key, account, Enter, Space, Enter, cash, Enter. */
export async function toCallback(page: Page, fkey: string, account: string, cash: string) {
  await page.keyboard.press(fkey);
  await page.keyboard.type(account);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('bill-card')).toBeVisible();
  await page.keyboard.press('Space');
  await expect(page.getByTestId('verify-check')).toBeChecked();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('cash-input')).toBeFocused();
  await page.keyboard.type(cash);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('callback-panel')).toBeVisible();
}
