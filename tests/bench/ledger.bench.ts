// Ledger benchmarks (issue 2):
//  - a durable posting (the ledger's write transaction: the transaction row with its key, its legs
//    and every account's balance after it, checked by the database, the monitor outbox marked; WAL +
//    synchronous=FULL) against a raw durable single-row insert on the same settings;
//  - balance and day queries on a ledger of 1,000,000 postings.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../../db/open';
import { accountBalance, ensureDay, postTxn, type NewTxn } from '../../db/ledger';
import { verifyLedger, type Verification } from '../../db/chain-verify';

import { cashSummary, listTxns } from '../../backend/services/txn-dto';
import { addDays } from '../../shared/business-day';
import { median, percentile, timeMany, type BenchResult, type BenchSuite } from './harness';
import { openTestStation, paymentLegs } from '../helpers/station-db';

const NOW = '2026-11-28T02:00:00.000Z';
const PAYMENTS_PER_DAY = 405;

function freshDb(dir: string, name: string): Db {
  return openTestStation(path.join(dir, name), NOW, { name: '基准站' });
}

/** The payment the ledger benches post (here and ledger-floor.bench.ts): a gas bill of 96.50 and
 *  its 1.00 fee, paid with 100.00 in cash. */
export const BENCH_PAYMENT = {
  kind: 'bill_payment',
  businessDay: '2026-11-28',
  createdAt: NOW,
  operatorId: 'op1',
  amountFen: 9_650,
  feeFen: 100,
  service: 'gas',
  requestHash: 'h',
  legs: [
    ['float', -9_650],
    ['cash', 9_750],
    ['fees', -100],
  ],
  details: { accountNo: '12345678', cashReceivedFen: 10_000, changeFen: 250 },
} as const satisfies Omit<NewTxn, 'idempotencyKey'>;

export function durablePosting(): BenchResult[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yizhan-bench-'));
  const db = freshDb(dir, 'ledger.sqlite');
  db.exec(
    `CREATE TABLE raw_insert (id INTEGER PRIMARY KEY, key TEXT NOT NULL, amount_fen INTEGER NOT NULL) STRICT`,
  );
  const raw = db.prepare(`INSERT INTO raw_insert (key, amount_fen) VALUES (?, ?)`);
  postTxn(db, {
    kind: 'topup_green_card',
    businessDay: '2026-11-28',
    createdAt: NOW,
    operatorId: 'op1',
    amountFen: 100_000_000,
    feeFen: 0,
    idempotencyKey: 'seed',
    requestHash: 'h',
    legs: [
      ['float', 100_000_000],
      ['owner', -100_000_000],
    ],
    details: {},
  });
  const post = db.transaction((i: number) => {
    postTxn(db, { ...BENCH_PAYMENT, idempotencyKey: `bench-${i}` });
  });
  const N = 400;
  // Interleave the two so that disk noise hits both alike.
  const tPost: number[] = [];
  const tRaw: number[] = [];
  for (let i = 0; i < N; i++) {
    tPost.push(...timeMany(1, () => post.immediate(i)));
    tRaw.push(...timeMany(1, () => raw.run(`raw-${i}`, i)));
  }
  tPost.sort((a, b) => a - b);
  tRaw.sort((a, b) => a - b);
  // Pages written per commit (WAL frames), counted from the WAL's growth with checkpoints off.
  const walFile = path.join(dir, 'ledger.sqlite-wal');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.pragma('wal_autocheckpoint = 0');
  const FRAME = 24 + (db.pragma('page_size', { simple: true }) as number);
  const frames = (run: (i: number) => void, n: number) => {
    const before = fs.statSync(walFile).size;
    for (let i = 0; i < n; i++) run(i);
    return (fs.statSync(walFile).size - before) / FRAME / n;
  };
  const postFrames = frames((i) => post.immediate(100_000 + i), 200);
  const rawFrames = frames((i) => raw.run(`raw-frames-${i}`, i), 200);
  db.pragma('wal_autocheckpoint = 1000');
  // Without fsync: the cost of the SQL itself (triggers, JSON legs, indexes).
  db.pragma('synchronous = OFF');
  const sqlOnly = timeMany(2_000, (i) => post.immediate(N + i));
  const rawOnly = timeMany(2_000, (i) => raw.run(`raw-nosync-${i}`, i));
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const ratio = median(tPost) / median(tRaw);
  return [
    {
      suite: 'ledger',
      name: 'durable posting / raw durable insert (median)',
      value: ratio,
      unit: '×',
      target: '≤ 1.5×',
      pass: ratio <= 1.5,
      note: `posting ${median(tPost).toFixed(3)} ms (p95 ${percentile(tPost, 95).toFixed(3)}), raw ${median(tRaw).toFixed(3)} ms (p95 ${percentile(tRaw, 95).toFixed(3)})`,
    },
    {
      suite: 'ledger',
      name: 'WAL frames (pages) written per durable posting',
      value: postFrames,
      unit: 'pages',
      note: `raw durable insert: ${rawFrames.toFixed(2)} pages`,
    },
    {
      suite: 'ledger',
      name: 'posting SQL cost without fsync',
      value: median(sqlOnly) * 1000,
      unit: 'µs',
      note: `raw insert without fsync ${(median(rawOnly) * 1000).toFixed(1)} µs`,
    },
  ];
}

/** A ledger of ~1,000,000 postings over 3 years, cached between runs. */
function bigLedger(): { file: string; lastDay: string } {
  const file = path.join(os.tmpdir(), 'yizhan-bench-1m-ledger-v2.sqlite');
  const days = 3 * 365;
  const startDay = '2023-11-29';
  const lastDay = addDays(startDay, days - 1);
  if (fs.existsSync(file)) return { file, lastDay };
  const tmp = `${file}.building`;
  fs.rmSync(tmp, { force: true });
  const db = freshDb(path.dirname(tmp), path.basename(tmp));
  db.pragma('synchronous = OFF');
  const ins = db.prepare(
    `INSERT INTO txns (kind, business_day, created_at, operator_id, amount_fen, fee_fen, service, idempotency_key, request_hash, legs, details)
     VALUES (?, ?, ?, 'op1', ?, ?, ?, ?, 'h', ?, ?)`,
  );
  const dayRow = db.prepare(`INSERT INTO business_days (day, status, opened_at) VALUES (?, 'open', ?)`);
  const services = ['water', 'electricity', 'gas', 'telephone'];
  let n = 0;
  let postings = 0;
  const build = db.transaction(() => {
    for (let d = 0; d < days; d++) {
      const day = addDays(startDay, d);
      dayRow.run(day, NOW);
      const at = `${day}T03:00:00.000Z`;
      // One top-up a day covers its payments (2 legs each, 3 with the gas fee): ≈ 1,000,000 postings.
      ins.run(
        'topup_voucher',
        day,
        at,
        10_000_000,
        0,
        null,
        `k${n++}`,
        JSON.stringify([
          ['float', 10_000_000],
          ['owner', -10_000_000],
        ]),
        '{}',
      );
      postings += 2;
      for (let i = 0; i < PAYMENTS_PER_DAY; i++) {
        const svc = services[i % 4]!;
        const amt = 2_000 + ((i * 7919) % 30_000);
        const fee = svc === 'gas' ? 100 : 0;
        const legs = paymentLegs(amt, fee);
        ins.run(
          'bill_payment',
          day,
          at,
          amt,
          fee,
          svc,
          `k${n++}`,
          JSON.stringify(legs),
          JSON.stringify({ cashReceivedFen: amt + fee + 50, changeFen: 50 }),
        );
        postings += legs.length;
      }
    }
  });
  build.immediate();
  db.close();
  fs.renameSync(tmp, file);
  for (const ext of ['-wal', '-shm']) fs.rmSync(`${tmp}${ext}`, { force: true });
  console.log(
    `  built ${postings.toLocaleString()} postings in ${n.toLocaleString()} transactions → ${file}`,
  );
  return { file, lastDay };
}

function bigQueries(): BenchResult[] {
  const t0 = Date.now();
  const { file, lastDay } = bigLedger();
  const buildMs = Date.now() - t0;
  // A ledger built before the hash chain is migrated here (chained and fully verified) once.
  const tm = performance.now();
  const db = openDatabase(file);
  const openMs = performance.now() - tm;
  const postings = db
    .prepare(`SELECT coalesce(sum(json_array_length(legs)), 0) FROM txns`)
    .pluck()
    .get() as number;
  // Ledger v2: the start verifies what came since the last verified point — here one more day of
  // business (406 transactions) — and the full verification reads the whole chain.
  const chainDay = addDays(lastDay, 1);
  const extra = db.transaction(() => {
    ensureDay(db, chainDay, NOW);
    for (let i = 0; i < PAYMENTS_PER_DAY + 1; i++)
      postTxn(db, {
        kind: i === 0 ? 'topup_voucher' : 'bill_payment',
        businessDay: chainDay,
        createdAt: `${chainDay}T03:00:00.000Z`,
        operatorId: 'op1',
        amountFen: i === 0 ? 10_000_000 : 2_000 + i,
        feeFen: 0,
        service: i === 0 ? null : 'water',
        idempotencyKey: `chain-${chainDay}-${i}-${Date.now()}`,
        requestHash: 'h',
        legs:
          i === 0
            ? [
                ['float', 10_000_000],
                ['owner', -10_000_000],
              ]
            : [
                ['float', -(2_000 + i)],
                ['cash', 2_000 + i],
              ],
        details: {},
      });
  });
  verifyLedger(db, { scope: 'start', nowIso: NOW });
  // Measured inside a transaction that is rolled back: the cached ledger stays as built.
  let startV: Verification | undefined;
  let fullV: Verification | undefined;
  try {
    db.transaction(() => {
      extra();
      startV = verifyLedger(db, { scope: 'start', nowIso: NOW });
      fullV = verifyLedger(db, { scope: 'full', nowIso: NOW });
      throw new Error('rollback');
    }).immediate();
  } catch (e) {
    if ((e as Error).message !== 'rollback') throw e;
  }
  if (!startV || !fullV) throw new Error('verification did not run');
  const bal = timeMany(200, () => accountBalance(db, 'float'));
  const day = timeMany(50, (i) => listTxns(db, { day: addDays(lastDay, -(i % 30)), limit: 500 }));
  const cash = timeMany(50, (i) => cashSummary(db, addDays(lastDay, -(i % 30))));
  db.close();
  const note = `${postings.toLocaleString()} postings${buildMs > 1000 ? `, ledger built in ${(buildMs / 1000).toFixed(1)} s` : ''}`;
  return [
    {
      suite: 'ledger',
      name: 'chain verification at start (since the last verified point: one day), 1M postings',
      value: startV.ms,
      unit: 'ms',
      target: '< 200 ms',
      pass: startV.ok && startV.ms < 200,
      note: `${startV.txns} transactions, ${startV.postings} postings, ok=${startV.ok}; open (with any migration) ${openMs.toFixed(0)} ms`,
    },
    {
      suite: 'ledger',
      name: 'full chain verification, 1M postings',
      value: fullV.ms,
      unit: 'ms',
      note: `${fullV.txns.toLocaleString()} transactions, ${fullV.postings.toLocaleString()} postings, ok=${fullV.ok}`,
    },
    {
      suite: 'ledger',
      name: 'float balance query, 1M postings (median)',
      value: median(bal),
      unit: 'ms',
      target: '< 5 ms',
      pass: median(bal) < 5,
      note,
    },
    {
      suite: 'ledger',
      name: "a day's transactions (≈406 rows, full DTOs), 1M postings (median)",
      value: median(day),
      unit: 'ms',
      target: '< 5 ms',
      pass: median(day) < 5,
    },
    {
      suite: 'ledger',
      name: "a day's cash takings summary, 1M postings (median)",
      value: median(cash),
      unit: 'ms',
      target: '< 5 ms',
      pass: median(cash) < 5,
    },
  ];
}

export const suite: BenchSuite = async () => [...durablePosting(), ...bigQueries()];
