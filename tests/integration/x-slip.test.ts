// Issue 13 problem 10: the X report could not be printed. Now it prints through the durable
// print queue (migration 011 lets print_jobs hold 'x_slip'), against a fake ESC/POS printer that
// decodes it: the figures as they stand, marked 未轧账, the cash section only after the count.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import {
  closeDayExactly,
  ok,
  payBill,
  refused,
  sqlAttacker,
  stationPrinter,
  tempDir,
  testBackend,
  testClock,
  topUp,
} from '../helpers/backend';
import { FakePrinter } from '../helpers/fake-printer';
import { decodeEscPos } from '../helpers/escpos-decoder';
import type { Backend } from '../../backend/backend';
import { openDatabase } from '../../db/open';
import { MIGRATIONS } from '../../db/migrations/index';
import { expectPrintJobsGuarded } from '../helpers/station-db';

const clock = testClock('2026-11-28T02:00:00.000Z');
let b: Backend & { dataDir: string };
let printer: FakePrinter;
beforeEach(async () => {
  b = await testBackend({ now: clock.now });
  printer = await stationPrinter(b);
});
afterEach(async () => {
  b.close();
  await printer.stop();
});

const lastSlip = () => decodeEscPos(printer.jobs[printer.jobs.length - 1]!).text;

describe('the X report on paper', () => {
  it('issue 13 problem 10: the X report prints as it stands — 未轧账, the day, its counts; the expected cash only after the blind count; each print an original', async () => {
    await topUp(b, '1000');
    await payBill(b, 'water', '36000001', '500');
    await payBill(b, 'gas', '36000002', '500');
    const r1 = ok(await b.call('day.printX', {}));
    expect(r1.outcome).toBe('sent');
    expect(r1.serial).toMatch(/^X20261128-\d{6}$/);
    await printer.settle();
    const x1 = lastSlip();
    expect(x1).toContain('X报表（未轧账）');
    expect(x1).toContain('未轧账');
    expect(x1).toMatch(/营业日\s*2026-11-28/);
    expect(x1).toMatch(/交易笔数\s*3/);
    expect(x1).toContain('制表人');
    expect(x1).not.toContain('Z号');
    expect(x1).not.toContain('轧账人');
    expect(x1).not.toContain('应有现金'); // blind count: not before the drawer is counted
    ok(await b.call('day.count', { method: 'total', total: '100.00' }));
    clock.advance(1000);
    const r2 = ok(await b.call('day.printX', {}));
    expect(r2.outcome).toBe('sent');
    await printer.settle();
    const x2 = lastSlip();
    expect(x2).toContain('应有现金');
    expect(x2).toMatch(/实点现金\s*100\.00\s*元/);
    expect(x2).not.toContain('重印');
  });

  it('issue 13 problem 10: with the printer off the X slip waits in the queue and prints when it is back; a closed day prints its Z slip instead (DAY_CLOSED)', async () => {
    await printer.goDown();
    const r = ok(await b.call('day.printX', {}));
    expect(r.outcome).toBe('failed');
    expect(r.message).toContain('X报表已在打印队列中等候');
    await printer.comeBack();
    expect(ok(await b.call('print.retry', undefined)).printed).toBe(1);
    await printer.settle();
    expect(lastSlip()).toContain('X报表（未轧账）');

    await closeDayExactly(b);
    refused(await b.call('day.printX', { day: '2026-11-28' }), 'DAY_CLOSED');
  });
});

describe('migration 011', () => {
  it('issue 13 problem 10: print_jobs is rebuilt for X slips with its rows, indexes and guards (REPLACE and DELETE still refused)', () => {
    // A ledger made by the code of schema 7 (tests/fixtures), brought to schema 10 — before 011.
    const file = path.join(tempDir(), 'station.sqlite');
    fs.copyFileSync(path.join(__dirname, '../fixtures/ledger-v7.sqlite'), file);
    const v10 = openDatabase(file, { migrations: MIGRATIONS.filter((m) => m.version <= 10) });
    expect(v10.pragma('user_version', { simple: true })).toBe(10);
    // Schema 10 has no X slips in its print queue.
    expect(
      sqlAttacker(v10)(
        `INSERT INTO print_jobs (kind, ref, serial, document, status, created_at) VALUES ('x_slip', 'x-0', 'X0', '{}', 'queued', 'now')`,
      ),
    ).not.toBe('accepted');
    v10
      .prepare(
        `INSERT INTO print_jobs (kind, ref, txn_id, serial, document, status, created_at) VALUES ('test_page', 'tp-011', NULL, 'S011', '{}', 'queued', '2026-11-28T02:00:00.000Z')`,
      )
      .run();
    const before = v10.prepare(`SELECT * FROM print_jobs ORDER BY id`).all();
    const guards = v10
      .prepare(
        `SELECT name FROM sqlite_master WHERE tbl_name = 'print_jobs' AND sql IS NOT NULL ORDER BY name`,
      )
      .pluck()
      .all();
    v10.close();
    const now = openDatabase(file);
    expect(now.prepare(`SELECT * FROM print_jobs ORDER BY id`).all()).toEqual(before);
    expect(
      now
        .prepare(
          `SELECT name FROM sqlite_master WHERE tbl_name = 'print_jobs' AND sql IS NOT NULL ORDER BY name`,
        )
        .pluck()
        .all(),
    ).toEqual(guards);
    expectPrintJobsGuarded(now, 'tp-011', 'queued', { kind: 'x_slip', ref: 'x-1', serial: 'X1' });
    now.close();
  });
});
