// Issue 13, beyond the usual counter: the cash drawer on the printer is kicked open when a cash
// receipt prints (set on the printer screen), and Ctrl+P at the counter reprints the last
// receipt — through the real UI, against a fake ESC/POS printer that decodes what it gets.
import { test, expect } from './fixtures';
import { setPrinterOnScreen, toCallback } from './counter-steps';
import { FakePrinter } from '../helpers/fake-printer';
import { decodeEscPos } from '../helpers/escpos-decoder';

test('issue 13 cash drawer and Ctrl+P: a drawer set on the printer screen opens for the paid receipt; Ctrl+P reprints it marked 重印, without opening the drawer', async ({
  app: page,
}) => {
  const printer = await FakePrinter.start();
  try {
    await setPrinterOnScreen(page, printer.iface, { drawer: true });
    await page.reload(); // the setting is kept by the station, not the page
    await page.getByTestId('nav').getByText('打印机', { exact: true }).click();
    await expect(page.getByTestId('printer-drawer')).toBeChecked();

    await page.getByTestId('nav').getByText('收款台', { exact: true }).click();
    await toCallback(page, 'F1', '42000001', '500');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('counter')).toHaveAttribute('data-step', 'done');
    const [receipt] = (await printer.waitForJobs(1, 60_000)).map((j) => decodeEscPos(j));
    expect(receipt!.text).toContain('便民缴费凭证');
    expect(receipt!.drawerPulses).toEqual([{ pin: 0, onMs: 50, offMs: 500 }]);
    const serial = /(?:^|\n)\s*流水号\s*(\S+)/.exec(receipt!.text)![1]!; // (not 中心流水号)

    await page.keyboard.press('Enter'); // next customer
    await expect(page.getByTestId('counter')).toHaveAttribute('data-step', 'account');
    await expect(page.getByTestId('step-keys')).toContainText('Ctrl+P');
    await page.keyboard.press('Control+p');
    await expect(page.getByText(`已重印凭证 ${serial}`)).toBeVisible();
    const reprint = decodeEscPos((await printer.waitForJobs(2, 60_000))[1]!);
    expect(reprint.text).toContain('重印');
    expect(reprint.text).toContain(serial);
    expect(reprint.drawerPulses).toEqual([]);
    await expect(page.getByTestId('counter')).toHaveAttribute('data-step', 'account');
    await expect(page.getByTestId('account-input')).toBeFocused();
  } finally {
    await printer.stop();
  }
});
