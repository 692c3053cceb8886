// Issue 10, reliability: the platform (the real `platform/main.ts`, embedded SQLite) is killed
// with SIGKILL while station payments and a branch deposit are in flight, then started again on
// the same data. Every round: the station settles every payment by its status, the station's
// ledger and the central journal agree key by key, no payment is debited twice, and no deposit
// the console acknowledged is lost. The kill lands on the k-th payment request the platform has
// taken in (its request log line), so no step waits on a clock.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleChild, startChild } from '../helpers/child';
import { freePort } from '../helpers/pg';
import { registerBackend, TEST_ADMIN_TOKEN } from '../helpers/platform';
import { ConsoleClient } from '../helpers/office';
import { confirmPayee, key, ok, testBackend } from '../helpers/backend';
import {
  pendingPayments,
  recoverPendingPayments,
  UNKNOWN_PAYMENT_GRACE_MS,
} from '../../backend/services/bill';
import { floatMovementsOfDay } from '../../db/tie-out';
import { today } from '../../backend/context';
import type { CentralEntry } from '../../backend/gateway/types';
import { toFen } from '../../shared/money';

const ROUNDS = Number(process.env['YIZHAN_PLATFORM_CRASH_ROUNDS'] ?? 50);
const PAYS_PER_ROUND = 3;
const REPO = path.resolve(__dirname, '..', '..');
const PAY_TAKEN_IN = /"op":"pay".*"msg":"station request taken in"/;

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('the platform killed mid-payment', () => {
  it(
    `PAY-1: SIGKILL the platform mid-payment, ${ROUNDS} rounds: every payment settled by status, station and central journals agree, no double debit, no acknowledged deposit lost`,
    async () => {
      const bundled = await bundleChild(path.join(REPO, 'platform', 'main.ts'));
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yizhan-platform-crash-'));
      dirs.push(dataDir);
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      let adminPassword: string | undefined;
      const start = async () => {
        const c = startChild(
          [
            '--data',
            dataDir,
            '--port',
            String(port),
            '--admin-token',
            TEST_ADMIN_TOKEN,
            '--log-level',
            'debug',
          ],
          bundled,
        );
        await c.line(/^listening /);
        adminPassword ??= /一次性密码：(\S+?)（/.exec(c.output())?.[1];
        return c;
      };
      let platform = await start();

      // The station, registered with the platform by the key it shows.
      // The station's clock runs ahead on demand: a payment the platform has no record of is taken
      // as never received only after UNKNOWN_PAYMENT_GRACE_MS.
      let aheadMs = 0;
      const b = await testBackend({
        platformUrl: url,
        platformDemo: true,
        gatewayTimeoutMs: 60_000,
        now: () => new Date(Date.now() + aheadMs),
      });
      dirs.push(b.dataDir);
      const institutionNo = await registerBackend(url, b, { username: 'admin', password: adminPassword! });

      // A branch clerk in the console, as a browser would be (the session lives in the store).
      const admin = new ConsoleClient({ url });
      expect((await admin.login('admin', adminPassword!)).status).toBe(200);
      const created = await admin.post<{ data: { password: string } }>('/office/users', {
        username: 'clerk9',
        displayName: '郑柜员',
        role: 'clerk',
        branchCode: '350100',
      });
      expect(created.status, created.text).toBe(201);
      const clerk = new ConsoleClient({ url });
      expect((await clerk.login('clerk9', created.json.data.password)).status).toBe(200);
      const deposit = async (amount: string) => {
        const r = await clerk.post<{ data: { voucher: { voucherNo: string } } }>('/office/deposits', {
          institutionNo,
          amount,
          depositor: '店主',
          requestKey: crypto.randomBytes(12).toString('hex'),
        });
        return r.status === 201 ? r.json.data.voucher.voucherNo : undefined;
      };
      const confirmed = new Set<string>();
      const topUp = async () => {
        const v = (await deposit('5000.00'))!;
        ok(
          await b.call('topup.voucher', {
            voucherNo: v,
            branchCode: '350100',
            clerk: '郑柜员',
            amount: '5000.00',
            idempotencyKey: key('top'),
          }),
        );
        confirmed.add(v);
      };
      const floatFen = async () =>
        toFen((ok(await b.call('float.balance', undefined)) as { balance: string }).balance);

      const acked = new Set<string>();
      const days = new Set<string>();
      let killedInFlight = 0;
      let settledByStatus = 0;
      let neverReached = 0;
      let paid = 0;
      for (let round = 1; round <= ROUNDS; round++) {
        if ((await floatFen()) < 200_000) await topUp();
        const bills = [];
        for (let i = 0; i < PAYS_PER_ROUND; i++)
          bills.push(
            ok(
              await b.call('bill.inquire', {
                service: 'water',
                account: `7${String(round * 10 + i).padStart(7, '0')}`,
              }),
            ) as { billId: string; total: string; payeeMasked: string; amountDue: string },
          );
        days.add(today(b.ctx).day);
        // The k-th payment the platform takes in is where it dies (k = 1 … 3 in turn).
        const k = 1 + (round % PAYS_PER_ROUND);
        const tokens: string[] = [];
        for (const bill of bills) tokens.push(await confirmPayee(b, bill));
        const pays = bills.map((bill, i) =>
          b.call('bill.pay', {
            billId: bill.billId,
            cashReceived: bill.total,
            confirmedPayee: tokens[i],
            idempotencyKey: key('crash'),
          }),
        );
        const dep = deposit('100.00').then(
          (v) => v && acked.add(v),
          () => undefined, // the connection died with the platform: not acknowledged
        );
        await platform.until((o) => o.split('\n').filter((l) => PAY_TAKEN_IN.test(l)).length >= k);
        platform.child.kill('SIGKILL');
        await platform.exited;
        const outcomes = await Promise.all(pays);
        await dep;
        killedInFlight += outcomes.filter((r) => !r.ok).length;

        platform = await start();
        // The station settles every payment it does not know the outcome of, by its status.
        const before = pendingPayments(b.ctx).length;
        await recoverPendingPayments(b.ctx);
        const unknown = pendingPayments(b.ctx).map((p) => p.idempotencyKey);
        settledByStatus += before - unknown.length;
        if (unknown.length > 0) {
          // Only payments the platform never took in stay unknown; after the grace they are
          // given up, the float released.
          const known = (await b.gateway.centralStatement!('1970-01-01T00:00:00.000Z')).entries.map(
            (e) => e.ref,
          );
          for (const k of unknown) expect(known).not.toContain(k);
          neverReached += unknown.length;
          aheadMs += UNKNOWN_PAYMENT_GRACE_MS + 1_000;
          await recoverPendingPayments(b.ctx);
        }
        expect(pendingPayments(b.ctx)).toEqual([]);

        // Key by key: the station's ledger and the central journal.
        const statement = await b.gateway.centralStatement!('1970-01-01T00:00:00.000Z');
        expect(statement.complete).toBe(true);
        const central = statement.entries;
        const byKey = new Map<string, CentralEntry[]>();
        for (const e of central) byKey.set(e.ref, [...(byKey.get(e.ref) ?? []), e]);
        const station = [...days].flatMap((d) => floatMovementsOfDay(b.db, d));
        const stationPaid = new Map(
          station.filter((r) => r.kind === 'bill_payment').map((r) => [r.idempotency_key, r.float_fen]),
        );
        paid = stationPaid.size;
        for (const [ref, entries] of byKey) {
          if (!entries.some((e) => e.kind === 'bill_payment')) continue;
          // Debited once at most, and what the centre kept is what the station posted.
          expect(entries.filter((e) => e.kind === 'bill_payment')).toHaveLength(1);
          const net = entries.reduce((a, e) => a + e.amountFen, 0);
          expect([ref, net]).toEqual([ref, stationPaid.get(ref) ?? 0]);
        }
        for (const [ref, fen] of stationPaid)
          expect([ref, byKey.get(ref)?.length ?? 0, fen < 0]).toEqual([ref, 1, true]);
        // Every deposit the console acknowledged is in the journal.
        const deposits = central.filter((e) => e.kind === 'deposit');
        for (const v of acked) expect(deposits.map((e) => e.ref)).toContain(v);
        // The central balance is the station's float and the deposits it has not confirmed.
        const unconfirmedFen = deposits
          .filter((e) => !confirmed.has(e.ref))
          .reduce((a, e) => a + e.amountFen, 0);
        expect(await b.gateway.centralBalance(institutionNo)).toBe((await floatFen()) + unconfirmedFen);
      }
      platform.child.kill('SIGKILL');
      await platform.exited;
      b.close();
      expect(killedInFlight).toBeGreaterThan(0); // the kills did land mid-payment
      console.log(
        `platform crash test: ${ROUNDS} rounds, ${ROUNDS * PAYS_PER_ROUND} payments sent, ${killedInFlight} cut off by the kill ` +
          `(${settledByStatus} left pending and settled by status, ${neverReached} never taken in and released after the grace), ${paid} paid in all, ${acked.size} deposits acknowledged ` +
          `during a kill round — 0 lost, 0 debited twice`,
      );
    },
    Math.max(600_000, ROUNDS * 60_000),
  );
});
