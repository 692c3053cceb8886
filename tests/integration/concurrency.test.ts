// Two processes spending the same float at once, through the API and with raw SQL built on stale
// reads. Only the database serialises them; the float must never go below zero.
//
// The race is made, not hoped for: the parent runs both children in lockstep. Each round both read
// the float, the parent checks that they saw the same state, then releases both at once; in a raw
// round each spends 55% of what it saw, so whichever commits second would overdraw and must be
// refused by the database. Nothing here depends on how fast either child is.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { openDatabase } from '../../db/open';
import { tempDir, testBackend } from '../helpers/backend';
import { startChild } from '../helpers/child';
import { startDemoPlatform } from '../helpers/demo-platform';

/** At most this many rounds; the float runs out after about 20. */
const MAX_ROUNDS = 60;

describe('two processes on one ledger', () => {
  it('PAY-1: two processes posting against the same file at once never overdraw', async () => {
    const dataDir = tempDir('yizhan-two-');
    // The platform both children reach (the central system), run here.
    const platform = await startDemoPlatform(dataDir);
    const seed = await testBackend({ dataDir, gateway: platform.gateway });
    await seed.call('topup.greenCard', { amount: '3000', bankRef: 'BR-TWO-1', idempotencyKey: 'two-seed-1' });
    seed.close();
    const env = { YIZHAN_PLATFORM: platform.url };
    const a = startChild(['drain', dataDir, '1'], undefined, env);
    const b = startChild(['drain', dataDir, '2'], undefined, env);
    const kids = [a, b];
    try {
      await Promise.all([a.ready, b.ready]);
      let rawRounds = 0;
      let apiRounds = 0;
      let refusedByDb = 0;
      let posted = 0;
      for (let round = 1; round <= MAX_ROUNDS; round++) {
        const kind = round % 4 === 1 ? 'api' : 'raw';
        for (const k of kids) k.send(`ROUND ${round} ${kind}`);
        await Promise.all(kids.map((k) => k.line(new RegExp(`^SEEN ${round} `))));
        const seen = kids.map((k) => Number(new RegExp(`^SEEN ${round} (\\d+)$`, 'm').exec(k.output())![1]));
        // Both attempt against the same state.
        expect(seen[0], `round ${round}: both children read the same float`).toBe(seen[1]);
        const floatFen = seen[0]!;
        for (const k of kids) k.send(`GO ${round}`);
        await Promise.all(kids.map((k) => k.line(new RegExp(`^DID ${round} `))));
        const did = kids.map((k) => new RegExp(`^DID ${round} (.*)$`, 'm').exec(k.output())![1]!);
        if (kind === 'raw') {
          rawRounds++;
          if (floatFen === 0) {
            // Exhausted: each child tries to spend 1 fen; both are overdrafts.
            expect(did).toEqual(['RAWREFUSED INSUFFICIENT_FLOAT', 'RAWREFUSED INSUFFICIENT_FLOAT']);
            refusedByDb += 2;
            break;
          }
          // 55% + 55% of the same balance: one commits, the database refuses the other.
          expect(
            did.filter((d) => d.startsWith('RAW ')),
            `round ${round}: ${did.join(' | ')}`,
          ).toHaveLength(1);
          expect(
            did.filter((d) => d === 'RAWREFUSED INSUFFICIENT_FLOAT'),
            `round ${round}: ${did.join(' | ')}`,
          ).toHaveLength(1);
          refusedByDb++;
          posted++;
        } else {
          apiRounds++;
          for (const d of did)
            expect(d, `round ${round}`).toMatch(/^(PAID \d+\.\d\d|PAYREFUSED INSUFFICIENT_FLOAT)$/);
          posted += did.filter((d) => d.startsWith('PAID')).length;
        }
      }
      for (const k of kids) {
        k.send('END');
        k.endInput();
      }
      const codes = await Promise.all(kids.map((k) => k.exited));
      expect(codes, a.errors() + b.errors()).toEqual([0, 0]);
      expect(apiRounds).toBeGreaterThan(0);
      expect(rawRounds).toBeGreaterThan(1);

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
        expect(last).toBe(0); // run until the float was exhausted
      } finally {
        db.close();
      }
      console.log(
        `two processes: ${rawRounds + apiRounds} lockstep rounds, ${posted} postings, ${refusedByDb} stale-read overdrafts refused by the database`,
      );
    } finally {
      for (const k of kids) if (k.child.exitCode === null) k.child.kill('SIGKILL');
      await platform.stop();
    }
  }, 600_000);
});
