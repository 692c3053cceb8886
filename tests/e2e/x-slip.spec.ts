// Issue 13 problem 10: the X report could not be printed. On the day-close screen, 打印X报表
// sends the figures as they stand to the printer (a fake ESC/POS printer here, which decodes).
import { test, expect } from './fixtures';
import { withFakePrinter } from './counter-steps';
import { decodeEscPos } from '../helpers/escpos-decoder';

test('issue 13 problem 10: 打印X报表 on the day-close screen prints the X report, marked 未轧账', async ({
  app,
  station,
}) => {
  await withFakePrinter(station, async (printer) => {
    await app.getByTestId('nav').getByText('日终轧账', { exact: true }).click();
    await expect(app.getByTestId('x-float')).toBeVisible();
    await app.getByTestId('print-x').click();
    await expect(app.getByText(/X报表已打印（X\d{8}-\d{6}）/)).toBeVisible();
    const slip = decodeEscPos((await printer.waitForJobs(1, 60_000))[0]!).text;
    expect(slip).toContain('X报表（未轧账）');
    expect(slip).toContain('本表不是轧账单');
  });
});
