// Two processes spending the same float at once, through the API and with raw SQL built on stale
// reads. Only the database serialises them; the float must never go below zero.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import fs from 'node:fs';
import { openDatabase } from '../../db/open';
import { tempDir, testBackend } from '../helpers/backend';
import { startChild } from '../helpers/child';

describe('two processes on one ledger', () => {
  it('PAY-1: two processes posting against the same file at once never overdraw', async () => {
    const dataDir = tempDir('yizhan-two-');
    const seed = await testBackend({ dataDir });
    await seed.call('topup.greenCard', { amount: '3000', bankRef: 'BR-TWO-1', idempotencyKey: 'two-seed-1' });
    seed.close();
    const a = startChild(['drain', dataDir, '1']);
    const b = startChild(['drain', dataDir, '2']);
    await Promise.all([a.ready, b.ready]);
    fs.writeFileSync(path.join(dataDir, 'GO'), '');
    const [ca, cb] = await Promise.all([a.exited, b.exited]);
    expect([ca, cb], a.errors() + b.errors()).toEqual([0, 0]);
    const out = a.output() + b.output();
    expect(out.match(/DONE/g)).toHaveLength(2);
    const db = openDatabase(path.join(dataDir, 'station.sqlite'));
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const min = db
        .prepare(`SELECT min(balance_after_fen) FROM postings WHERE account = 'float'`)
        .pluck()
        .get() as number;
      expect(min).toBeGreaterThanOrEqual(0);
      const sum = db
        .prepare(`SELECT sum(amount_fen) FROM postings WHERE account = 'float'`)
        .pluck()
        .get() as number;
      const last = db
        .prepare(`SELECT balance_after_fen FROM postings WHERE account = 'float' ORDER BY id DESC LIMIT 1`)
        .pluck()
        .get() as number;
      expect(last).toBe(sum);
      expect(last).toBeGreaterThanOrEqual(0);
      // Both processes spent: the race was real.
      expect(a.output()).toMatch(/PAID|RAW/);
      expect(b.output()).toMatch(/PAID|RAW/);
      console.log(
        `two processes: ${(out.match(/PAID|RAW /g) ?? []).length} postings, ${(out.match(/RAWREFUSED/g) ?? []).length} stale-read overdrafts refused by the database`,
      );
    } finally {
      db.close();
    }
  }, 120_000);
});
