// Makes a station ledger through the API, the way a station trades: top-ups by voucher and Green
// Card, payments of every service, a reversal, a takings settlement, counts and two Z closes, then
// a payment on the open day. Run at a commit to keep a ledger made by that commit's code:
//   npx tsx tests/helpers/make-ledger-fixture.ts <out.sqlite>
// tests/fixtures/ledger-v7.sqlite was made so at commit 1fd54db (schema version 7), and
// tests/fixtures/ledger-v17.sqlite at commit eb02fe3 (schema version 17, the last with postings rows).
import fs from 'node:fs';
import path from 'node:path';
import { closeDayExactly, key, ok, payBill, testBackend, testClock, topUp } from './backend';

const out = process.argv[2];
if (!out) throw new Error('usage: make-ledger-fixture.ts <out.sqlite>');
const clock = testClock('2026-11-25T02:00:00.000Z');
const b = await testBackend({ now: clock.now });

await topUp(b, '3000');
ok(await b.call('topup.greenCard', { amount: '500', bankRef: 'BR-FIX-0001', idempotencyKey: key('gc') }));
const p1 = await payBill(b, 'gas', '10000001', '500');
await payBill(b, 'water', '10000002');
await payBill(b, 'electricity', '10000003');
ok(await b.call('txn.reverse', { txnId: p1.txnId, reason: '户号输错', idempotencyKey: key('rev') }));
await closeDayExactly(b);
clock.set('2026-11-26T02:00:00.000Z');
await payBill(b, 'telephone', '10000004');
await payBill(b, 'gas', '10000005');
ok(await b.call('takings.settle', { mode: 'owner', amount: '1', idempotencyKey: key('settle') }));
await closeDayExactly(b);
clock.set('2026-11-27T02:00:00.000Z');
await payBill(b, 'water', '10000006');
b.close();
fs.copyFileSync(path.join(b.dataDir, 'station.sqlite'), out);
console.log(`written ${out}`);
