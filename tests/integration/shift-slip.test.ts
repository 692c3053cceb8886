// Issue 12 item 4: "An operator ends a shift with a shift X report and a blind count of the
// drawer; the next operator logs in and takes over." The shift X report is printed at the
// handover through the durable print queue (migration 017 lets print_jobs hold 'shift_slip'),
// against a fake ESC/POS printer that decodes it; with the printer off it waits in the queue.
// The session that handed over may still reprint its report (重印) — and nothing else.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { shanghaiDateTime } from '../../shared/business-day';
import type { ShiftEndDto } from '../../shared/contract';
import { openDatabase } from '../../db/open';
import { MIGRATIONS } from '../../db/migrations/index';
import { FakePrinter } from '../helpers/fake-printer';
import { decodeEscPos } from '../helpers/escpos-decoder';
import {
  backendAt,
  loginWith,
  ok,
  payAs,
  refused,
  sessionCaller,
  stationPrinter,
  tempDir,
  type TestBackend,
  testClock,
  topUp,
} from '../helpers/backend';
import { expectPrintJobsGuarded } from '../helpers/station-db';

const clock = testClock('2026-11-28T02:00:00.000Z');
let b: TestBackend;
let printer: FakePrinter;
beforeEach(async () => {
  b = await backendAt(clock);
  printer = await stationPrinter(b);
});
afterEach(async () => {
  b.close();
  await printer.stop();
});

const as = sessionCaller(() => b);
const lastSlip = () => decodeEscPos(printer.jobs[printer.jobs.length - 1]!).text;

const login = (operatorId: string, pin: string) => loginWith(as, operatorId, pin);

/** A bill paid at the counter by the client's operator, with the cash given. */
const pay = async (session: string, account: string, cash: string) =>
  (await payAs(as(session), 'water', account, cash)).q;

describe('the shift X report on paper', () => {
  it('issue 12 item 4: the handover prints the shift X report — 交接班X报表, 未轧账, the operator, the span, transactions, payments, cash in, expected against counted and the difference', async () => {
    await topUp(b, '500');
    const h = await login('op-holder', '1357');
    const q = await pay(h, '31000001', '1000');
    clock.advance(30 * 60_000);
    const before = printer.jobs.length;
    const s = ok<ShiftEndDto>(await as(h)('shift.end', { countedCash: '1000.00' }));
    expect(s.job).toMatchObject({ status: 'printed', reprintNo: 0, serial: 'SH20261128-01' });
    await printer.settle();
    expect(printer.jobs.length).toBe(before + 1);
    const slip = lastSlip();
    expect(slip).toContain('交接班X报表');
    expect(slip).toContain('未轧账');
    expect(slip).toMatch(/交班人\s*店主（演示）/);
    expect(slip).toMatch(/班次\s*第 1 班/);
    expect(slip).toContain(shanghaiDateTime(s.startedAt));
    expect(slip).toContain(shanghaiDateTime(s.endedAt));
    expect(shanghaiDateTime(s.endedAt)).toBe('2026-11-28 10:30:00');
    // The shift's figures as recorded: a top-up and a payment; the payment's cash taken in.
    expect(s.txnCount).toBe(2);
    expect(slip).toMatch(/交易笔数\s*2/);
    expect(slip).toMatch(new RegExp(`代收金额\\s*${q.amountDue.replace('.', '\\.')}\\s*元`));
    expect(slip).toMatch(new RegExp(`现金收入\\s*${s.cashIn.replace('.', '\\.')}\\s*元`));
    expect(slip).toMatch(new RegExp(`应有现金\\s*${s.expectedCash.replace('.', '\\.')}\\s*元`));
    expect(slip).toMatch(/实点现金\s*1000\.00\s*元/);
    expect(slip).toMatch(new RegExp(`差额\\s*${s.variance.replace('.', '\\.').replace('-', '\\-')}\\s*元`));
    expect(s.variance).not.toBe('0.00');
    expect(slip).not.toContain('重印');
  });

  it('issue 12 item 4: the session that handed over may reprint its report (重印 1) and nothing else; once logged out, not even that', async () => {
    const h = await login('op-holder', '1357');
    const s = ok<ShiftEndDto>(await as(h)('shift.end', { countedCash: '0.00' }));
    await printer.settle();
    const r = ok(await as(h)('shift.reprint', { shiftId: s.shiftId }));
    expect(r.job).toMatchObject({ status: 'printed', reprintNo: 1 });
    await printer.settle();
    expect(lastSlip()).toContain('第1次重印');
    expect(lastSlip()).toContain('交接班X报表');

    // The shift is over at this client: no other channel, no current operator.
    refused(await as(h)('float.balance'), 'NOT_LOGGED_IN');
    refused(await as(h)('print.reprint', { txnId: 1 }), 'NOT_LOGGED_IN');
    refused(await as(h)('shift.end', { countedCash: '0.00' }), 'NOT_LOGGED_IN');
    expect(ok(await as(h)('auth.status')).current).toBeNull();
    // Nor another shift's report: the next operator's, once they hand over.
    clock.advance(60_000);
    const h2 = await login('op-holder', '1357');
    const s2 = ok<ShiftEndDto>(await as(h2)('shift.end', { countedCash: '0.00' }));
    expect(s2.job.serial).toBe('SH20261128-02');
    refused(await as(h)('shift.reprint', { shiftId: s2.shiftId }), 'NOT_LOGGED_IN');
    ok(await as(h)('auth.logout'));
    refused(await as(h)('shift.reprint', { shiftId: s.shiftId }), 'NOT_LOGGED_IN');
    // An operator logged in may reprint any shift's report.
    const h3 = await login('op-holder', '1357');
    expect(ok(await as(h3)('shift.reprint', { shiftId: s.shiftId })).job.reprintNo).toBe(2);
    refused(await as(h3)('shift.reprint', { shiftId: 999 }), 'NOT_FOUND');
  });

  it('issue 12 item 4: with the printer off the shift is handed over all the same and its report waits in the queue, printing once when the printer is back', async () => {
    await printer.goDown();
    const h = await login('op-holder', '1357');
    const s = ok<ShiftEndDto>(await as(h)('shift.end', { countedCash: '0.00' }));
    expect(s.job.status).toBe('queued');
    expect(s.job.lastError).toBeTruthy();
    expect(ok(await b.call('day.xReport', {})).shifts).toHaveLength(1);
    // A reprint asked for while it waits gives back the waiting copy: one slip, not two.
    expect(ok(await as(h)('shift.reprint', { shiftId: s.shiftId })).job.jobId).toBe(s.job.jobId);
    await printer.comeBack();
    expect(ok(await b.call('print.retry', undefined)).printed).toBe(1);
    await printer.settle();
    expect(printer.jobs.filter((j) => decodeEscPos(j).text.includes('交接班X报表'))).toHaveLength(1);
    expect(lastSlip()).not.toContain('重印');
  });
});

describe('migration 017', () => {
  it('issue 12 item 4: print_jobs is rebuilt for shift slips with its rows, indexes and guards (REPLACE and DELETE still refused)', () => {
    // A ledger as migration 016 left it (a fresh file: the backend's own is at the latest version).
    const file = path.join(tempDir(), 'station.sqlite');
    const v16 = openDatabase(file, { migrations: MIGRATIONS.filter((m) => m.version <= 16) });
    v16
      .prepare(
        `INSERT INTO print_jobs (kind, ref, txn_id, serial, document, status, created_at) VALUES ('x_slip', 'x-017', NULL, 'X017', '{}', 'queued', '2026-11-28T02:00:00.000Z')`,
      )
      .run();
    expect(() =>
      v16
        .prepare(
          `INSERT INTO print_jobs (kind, ref, serial, document, status, created_at) VALUES ('shift_slip', 'shift:1', 'SH1', '{}', 'queued', 'now')`,
        )
        .run(),
    ).toThrow(/CHECK/);
    const rows = `SELECT * FROM print_jobs ORDER BY id`;
    const guards = `SELECT name, sql FROM sqlite_master WHERE tbl_name = 'print_jobs' AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY name`;
    const before = v16.prepare(rows).all();
    const guardsBefore = v16.prepare(guards).all();
    expect(guardsBefore.length).toBeGreaterThan(3);
    v16.close();
    const now = openDatabase(file);
    expect(now.prepare(rows).all()).toEqual(before);
    expect(now.prepare(guards).all()).toEqual(guardsBefore);
    expectPrintJobsGuarded(now, 'x-017', 'printed', { kind: 'shift_slip', ref: 'shift:1', serial: 'SH1' });
    now.close();
  });
});
