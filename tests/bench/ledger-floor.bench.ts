// Ledger benchmark, for scale (issue 9): the floor under the durable-posting ratio that
// ledger.bench.ts measures. No target: a storage redesign cannot go below this on this disk.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { chainHash } from '../../db/chain';
import { median, timeMany, type BenchSuite } from './harness';
import { BENCH_PAYMENT } from './ledger.bench';

const RUNS = 3;

/**
 * The floor under the 1.5× target: the leanest posting a chained, double-entry ledger could make
 * — one row per transaction holding its legs and every account's balance after it, its hash
 * chained on the row before (computed as the ledger does, db/chain.ts), its key unique — with no
 * database check at all (no trigger, no day index, no outbox), against the same raw insert, in
 * one run on one file. What a storage redesign could at best reach on this machine's disk.
 */
function floorRun(): { ratio: number; postMs: number; rawMs: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yizhan-bench-floor-'));
  const db = new Database(path.join(dir, 'floor.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`
    CREATE TABLE txns (
      id INTEGER PRIMARY KEY, kind TEXT NOT NULL, business_day TEXT NOT NULL, created_at TEXT NOT NULL,
      operator_id TEXT NOT NULL, amount_fen INTEGER NOT NULL, fee_fen INTEGER NOT NULL, service TEXT,
      idempotency_key TEXT NOT NULL UNIQUE, request_hash TEXT NOT NULL, legs TEXT NOT NULL, details TEXT NOT NULL,
      float_after_fen INTEGER NOT NULL, cash_after_fen INTEGER NOT NULL, fees_after_fen INTEGER NOT NULL,
      chain_hash TEXT NOT NULL) STRICT;
    CREATE TABLE raw_insert (id INTEGER PRIMARY KEY, key TEXT NOT NULL, amount_fen INTEGER NOT NULL) STRICT;`);
  const head = db.prepare(
    `SELECT id, chain_hash, float_after_fen AS f, cash_after_fen AS c, fees_after_fen AS e FROM txns ORDER BY id DESC LIMIT 1`,
  );
  const ins = db.prepare(
    `INSERT INTO txns VALUES (@id, @kind, @businessDay, @createdAt, @operatorId, @amountFen, @feeFen, @service,
       @idempotencyKey, @requestHash, @legs, @details, @f, @c, @e, @chain)`,
  );
  type Head = { id: number; chain_hash: string; f: number; c: number; e: number };
  const post = db.transaction((key: string) => {
    const h = (head.get() as Head | undefined) ?? { id: 0, chain_hash: null, f: 100_000_000, c: 0, e: 0 };
    const { kind, businessDay, createdAt, operatorId, amountFen, feeFen, service, requestHash } =
      BENCH_PAYMENT;
    const row = {
      id: h.id + 1,
      kind,
      businessDay,
      createdAt,
      operatorId,
      amountFen,
      feeFen,
      service,
      idempotencyKey: key,
      requestHash,
      legs: JSON.stringify(BENCH_PAYMENT.legs),
      details: JSON.stringify(BENCH_PAYMENT.details),
    };
    ins.run({
      ...row,
      // The balances after it: the legs in BENCH_PAYMENT's order, float, cash, fees.
      f: h.f + BENCH_PAYMENT.legs[0][1],
      c: h.c + BENCH_PAYMENT.legs[1][1],
      e: h.e + BENCH_PAYMENT.legs[2][1],
      chain: chainHash(h.chain_hash, Object.values(row)),
    });
  });
  const raw = db.prepare(`INSERT INTO raw_insert (key, amount_fen) VALUES (?, ?)`);
  // A history first, one commit each, then a checkpoint: the timed commits then write over WAL
  // space the file already has, as on a station in use (a WAL that grows at every commit makes
  // each fsync dearer, the raw insert's too).
  db.pragma('synchronous = OFF');
  for (let i = 0; i < 2_000; i++) {
    post.immediate(`history-${i}`);
    raw.run(`history-${i}`, i);
  }
  db.pragma('wal_checkpoint(RESTART)');
  db.pragma('synchronous = FULL');
  const tPost: number[] = [];
  const tRaw: number[] = [];
  for (let i = 0; i < 400; i++) {
    tPost.push(...timeMany(1, () => post.immediate(`floor-${i}`)));
    tRaw.push(...timeMany(1, () => raw.run(`raw-${i}`, i)));
  }
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return { ratio: median(tPost) / median(tRaw), postMs: median(tPost), rawMs: median(tRaw) };
}

export const suite: BenchSuite = async () => {
  const runs = Array.from({ length: RUNS }, floorRun).sort((x, y) => x.ratio - y.ratio);
  const mid = runs[Math.floor(RUNS / 2)]!;
  return [
    {
      suite: 'ledger',
      name: 'floor: one-row chained posting with no database checks / raw durable insert (median of runs)',
      value: mid.ratio,
      unit: '×',
      note: `${RUNS} runs on fresh files: ${runs.map((r) => `${r.ratio.toFixed(2)}×`).join(', ')}; median run posting ${mid.postMs.toFixed(3)} ms, raw ${mid.rawMs.toFixed(3)} ms`,
    },
  ];
};
