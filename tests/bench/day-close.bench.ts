// Day-close and report benchmarks (issue 4), on a ledger of ≈1,000,000 postings over 3 years:
//  - the X report of the open last day, through the handler (zod, SQL, DTO), target < 50 ms;
//  - the Z close of that day (figures, the close row with every database check, the lock),
//    inside a savepoint rolled back after each run, target < 50 ms;
//  - the monthly report (by service, operator and day), target < 100 ms; the weekly report, the
//    CSV export and the low-float forecast alongside.
// The ledger is built with raw SQL (the triggers write the postings; every earlier day closed,
// each close checked by migration 003's triggers) and cached in os.tmpdir() between runs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { addDelegate } from '../../db/station';
import { addDays } from '../../shared/business-day';
import { createBackend, STATION_DB } from '../../backend/backend';
import { startDemoPlatform } from '../helpers/demo-platform';
import { median, percentile, timeManyAsync, type BenchSuite } from './harness';
import { openTestStation, paymentLegs } from '../helpers/station-db';

const DAYS = 3 * 365;
const START_DAY = '2023-11-29';
const LAST_DAY = addDays(START_DAY, DAYS - 1);
const PAYMENTS_PER_DAY = 405;
const REVERSALS_PER_DAY = 2;
/** Bump when the generated ledger changes shape. */
const FIXTURE_VERSION = 3;

function ledgerDir(): string {
  return path.join(os.tmpdir(), `yizhan-bench-dayclose-1m-v${FIXTURE_VERSION}`);
}

function buildLedger(): { dir: string; built: boolean; postings: number } {
  const dir = ledgerDir();
  const file = path.join(dir, STATION_DB);
  if (fs.existsSync(path.join(dir, 'READY'))) return { dir, built: false, postings: 0 };
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const NOW = `${START_DAY}T01:00:00.000Z`;
  const db = openTestStation(file, NOW, { institutionNo: '35010099001', name: '基准站' });
  addDelegate(db, {
    id: 'op2',
    name: '店员',
    authorisationDoc: 'SQ-1',
    authorisedAt: NOW,
    services: ['water', 'electricity', 'gas', 'telephone'],
    nowIso: NOW,
  });
  db.pragma('synchronous = OFF');
  const ins = db.prepare(
    `INSERT INTO txns (kind, business_day, created_at, operator_id, amount_fen, fee_fen, service, reverses_id, idempotency_key, request_hash, legs, details)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'h', ?, ?)`,
  );
  const dayRow = db.prepare(`INSERT INTO business_days (day, status, opened_at) VALUES (?, 'open', ?)`);
  const countRow = db.prepare(
    `INSERT INTO day_counts (day, counted_at, operator_id, method, total_fen, later_cash_fen) VALUES (?, ?, 'op1', 'total', ?, 0)`,
  );
  const closeRow = db.prepare(
    `INSERT INTO day_closes (z_no, day, closed_at, operator_id, txn_count, opening_float_fen, topups_fen, payments_fen,
       reversals_float_fen, settled_to_float_fen, closing_float_fen, central_read_fen, later_float_fen, central_float_fen,
       central_source, float_difference_fen, count_id, opening_cash_fen, cash_received_fen, change_given_fen,
       reversals_cash_fen, settled_fen, expected_cash_fen, counted_cash_fen, cash_variance_fen, fees_fen, takings_due_fen, report)
     VALUES (@z, @day, @at, 'op1', @n, @open, @top, @pay, @revF, 0, @close, @close, 0, @close, 'gateway', 0, @count, @openCash,
       @recv, @change, @revC, @settled, @expected, @expected, 0, @fees, @takings, '{}')`,
  );
  const services = ['water', 'electricity', 'gas', 'telephone'];
  let k = 0;
  let floatFen = 0;
  let drawerFen = 0;
  let takingsFen = 0;
  let z = 0;
  db.transaction(() => {
    for (let d = 0; d < DAYS; d++) {
      const day = addDays(START_DAY, d);
      const at = `${addDays(day, -1)}T23:00:00.000Z`; // 07:00 Shanghai
      dayRow.run(day, at);
      const open = floatFen;
      const openCash = drawerFen;
      let n = 0;
      const top = 10_000_000;
      ins.run(
        'topup_voucher',
        day,
        at,
        'op1',
        top,
        0,
        null,
        null,
        `k${k++}`,
        JSON.stringify([
          ['float', top],
          ['owner', -top],
        ]),
        '{}',
      );
      n++;
      let pay = 0;
      let recv = 0;
      let change = 0;
      let fees = 0;
      const payIds: { id: number; amt: number; fee: number; svc: string }[] = [];
      for (let i = 0; i < PAYMENTS_PER_DAY; i++) {
        const svc = services[i % 4]!;
        const amt = 2_000 + ((i * 7919 + d * 104_729) % 30_000);
        const fee = svc === 'gas' ? 100 : 0;
        const cash = Math.ceil((amt + fee) / 5_000) * 5_000;
        const legs = paymentLegs(amt, fee);
        const r = ins.run(
          'bill_payment',
          day,
          at,
          i % 3 === 0 ? 'op2' : 'op1',
          amt,
          fee,
          svc,
          null,
          `k${k++}`,
          JSON.stringify(legs),
          JSON.stringify({ cashReceivedFen: cash, changeFen: cash - amt - fee }),
        );
        payIds.push({ id: Number(r.lastInsertRowid), amt, fee, svc });
        pay += amt;
        recv += cash;
        change += cash - amt - fee;
        fees += fee;
        n++;
      }
      let revF = 0;
      let revC = 0;
      for (let i = 0; i < REVERSALS_PER_DAY; i++) {
        const o = payIds[(i * 97 + d) % payIds.length]!;
        const legs = o.fee
          ? [
              ['float', o.amt],
              ['cash', -(o.amt + o.fee)],
              ['fees', o.fee],
            ]
          : [
              ['float', o.amt],
              ['cash', -o.amt],
            ];
        ins.run(
          'reversal',
          day,
          at,
          'op1',
          o.amt,
          o.fee,
          o.svc,
          o.id,
          `k${k++}`,
          JSON.stringify(legs),
          '{"reason":"bench"}',
        );
        revF += o.amt;
        revC -= o.amt + o.fee;
        n++;
      }
      const dayTakings = recv - change + revC;
      const settled = Math.floor((takingsFen + dayTakings) * 0.9);
      ins.run(
        'takings_settlement',
        day,
        at,
        'op1',
        settled,
        0,
        null,
        null,
        `k${k++}`,
        JSON.stringify([
          ['cash', -settled],
          ['owner', settled],
        ]),
        '{"mode":"owner"}',
      );
      n++;
      floatFen = open + top - pay + revF;
      takingsFen += dayTakings - settled;
      const expected = openCash + recv - change + revC - settled;
      drawerFen = expected;
      if (day === LAST_DAY) break; // the last day stays open: the one the benchmark reports on and closes
      const count = Number(countRow.run(day, at, expected).lastInsertRowid);
      closeRow.run({
        z: ++z,
        day,
        at,
        n,
        open,
        top,
        pay,
        revF,
        close: floatFen,
        count,
        openCash,
        recv,
        change,
        revC,
        settled,
        expected,
        fees,
        takings: takingsFen,
      });
    }
  }).immediate();
  const postings = db
    .prepare(`SELECT coalesce(sum(json_array_length(legs)), 0) FROM txns`)
    .pluck()
    .get() as number;
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  fs.writeFileSync(path.join(dir, 'READY'), `${postings}\n`);
  return { dir, built: true, postings };
}

export const suite: BenchSuite = async () => {
  const t0 = Date.now();
  const { dir, built } = buildLedger();
  const buildS = (Date.now() - t0) / 1000;
  // The backend on the cached ledger: a frozen clock on the last day, nothing posted.
  const now = () => new Date(`${LAST_DAY}T11:00:00.000Z`);
  // The station needs its platform to start (the figures below never ask it: skipCentral, and
  // the central balance the operator's).
  const platform = await startDemoPlatform(dir, { now });
  const b = await createBackend({
    dataDir: dir,
    now,
    gateway: platform.gateway,
    recoveryTimer: false,
    backups: false,
    demoOpeningFloat: false,
  });
  try {
    const postings = b.db
      .prepare(`SELECT coalesce(sum(json_array_length(legs)), 0) FROM txns`)
      .pluck()
      .get() as number;
    const closes = b.db.prepare(`SELECT count(*) FROM day_closes`).pluck().get() as number;
    const call = async (c: string, a: unknown) => {
      const r = await b.call(c, a);
      if (!r.ok) throw new Error(`${c}: ${r.error.code} ${r.error.message}`);
      return r.data as any;
    };
    // Warm up (statement preparation, page cache).
    for (let i = 0; i < 3; i++) await call('day.xReport', { skipCentral: true });

    const x = await timeManyAsync(40, () => call('day.xReport', { skipCentral: true }).then(() => undefined));
    const xr = await call('day.xReport', { skipCentral: true });

    // Z: count then close inside a savepoint, rolled back each time (the cached ledger stays as built).
    const zTimes: number[] = [];
    let zNo = 0;
    for (let i = 0; i < 20; i++) {
      b.db.exec('SAVEPOINT bench_z');
      try {
        const c = await call('day.count', { method: 'total', total: '0.00' });
        const expected = c.cash.expected as string;
        const counted = await call('day.count', { method: 'total', total: expected });
        const t = process.hrtime.bigint();
        const zr = await call('day.close', {
          countId: counted.count.countId,
          central: { source: 'operator', balance: c.float.expectedClosing },
          idempotencyKey: `bench-close-${i}`,
        });
        zTimes.push(Number(process.hrtime.bigint() - t) / 1e6);
        zNo = zr.zNo;
        if (zr.float.expectedClosing !== xr.float.expectedClosing) throw new Error('X and Z disagree');
      } finally {
        b.db.exec('ROLLBACK TO bench_z');
        b.db.exec('RELEASE bench_z');
      }
    }
    zTimes.sort((p, q) => p - q);

    const month = await timeManyAsync(20, () =>
      call('report.period', { period: 'month', date: LAST_DAY }).then(() => undefined),
    );
    const monthR = await call('report.period', { period: 'month', date: LAST_DAY });
    const week = await timeManyAsync(20, () =>
      call('report.period', { period: 'week', date: LAST_DAY }).then(() => undefined),
    );
    const csv = await timeManyAsync(10, () =>
      call('report.export', { period: 'month', date: LAST_DAY, format: 'csv' }).then(() => undefined),
    );
    const fc = await timeManyAsync(40, () => call('float.forecast', {}).then(() => undefined));

    const note = `${postings.toLocaleString()} postings, ${closes.toLocaleString()} closed days${built ? `, ledger built in ${buildS.toFixed(1)} s` : ' (cached ledger)'}`;
    return [
      {
        suite: 'day-close',
        name: 'X report of the open day (handler, ≈410 txns that day), 1M postings (median)',
        value: median(x),
        unit: 'ms',
        target: '< 50 ms',
        pass: median(x) < 50,
        note: `${note}; p95 ${percentile(x, 95).toFixed(2)} ms`,
      },
      {
        suite: 'day-close',
        name: `Z close of that day (figures + close row + DB checks + lock; Z${zNo}) (median)`,
        value: median(zTimes),
        unit: 'ms',
        target: '< 50 ms',
        pass: median(zTimes) < 50,
        note: `p95 ${percentile(zTimes, 95).toFixed(2)} ms`,
      },
      {
        suite: 'day-close',
        name: `monthly report (${monthR.totals.txnCount.toLocaleString()} txns, by service/operator/day) (median)`,
        value: median(month),
        unit: 'ms',
        target: '< 100 ms',
        pass: median(month) < 100,
      },
      {
        suite: 'day-close',
        name: 'weekly report (median)',
        value: median(week),
        unit: 'ms',
        target: '< 100 ms',
        pass: median(week) < 100,
      },
      {
        suite: 'day-close',
        name: 'monthly CSV export (median)',
        value: median(csv),
        unit: 'ms',
        target: '< 200 ms',
        pass: median(csv) < 200,
      },
      {
        suite: 'day-close',
        name: 'low-float forecast, 14 business days (median)',
        value: median(fc),
        unit: 'ms',
        target: '< 20 ms',
        pass: median(fc) < 20,
      },
    ];
  } finally {
    b.close();
    await platform.stop();
  }
};
