// PAY-4 on the counter: the operator is warned before the float runs short, with a suggested top-up.
import { test, expect, confirmPayee } from './fixtures';

const fen = (amount: string) => BigInt(amount.replace('.', ''));

test('PAY-4: the counter warns before the float runs short and offers the suggested top-up', async ({
  app,
  station,
}) => {
  // A busy morning: about 2/3 of the demo float (2,000.00) goes in a few payments.
  for (let i = 0; i < 12; i++) {
    const bill = await station.data('bill.inquire', {
      service: 'electricity',
      account: `5500${String(i).padStart(6, '0')}`,
    });
    const f = await station.data('float.balance');
    if (fen(bill.amountDue!) > fen(f.available) - 30_000n) break;
    await station.data('bill.pay', {
      billId: bill.billId,
      cashReceived: bill.total!,
      confirmedPayee: await confirmPayee(station, bill),
      idempotencyKey: `fw-${i}-0000`,
    });
  }
  await app.reload();
  const warning = app.getByTestId('float-warning');
  await expect(warning).toBeVisible();
  await expect(warning).toHaveAttribute('data-level', /low|critical/);
  await app.getByTestId('float-warning-topup').click();
  await expect(app.getByTestId('voucher-form')).toBeVisible();
});
