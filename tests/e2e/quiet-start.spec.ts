// Issue 13, Performance: the counter starts without writing to the browser's console. Under a
// debugger (DevTools, and the Chromium that the bench and these tests drive) every console call
// records its stack, and V8 then re-reads the whole first script for source positions: i18next's
// start-up notice alone cost about 130 ms of the counter's start (a CDP trace of the load).
import { test, expect, loginOnScreen } from './fixtures';

test('the counter starts, and starts again on a reload, with nothing written to the console', async ({
  page,
  station,
}) => {
  const written: string[] = [];
  page.on('console', (m) => {
    // The browser's own line for the favicon browser mode does not serve is not the app's.
    if (/favicon/.test(m.location().url)) return;
    written.push(`${m.type()}: ${m.text()}`);
  });
  await page.goto(station.url);
  await loginOnScreen(page);
  await expect(page.getByTestId('account-input')).toBeFocused();
  await page.reload();
  await expect(page.getByTestId('float-balance')).toContainText(/\d/);
  await expect(page.getByTestId('account-input')).toBeFocused();
  expect(written).toEqual([]);
});
