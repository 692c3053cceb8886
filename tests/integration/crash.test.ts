// A child process posts in a loop and is SIGKILLed at a random moment, round after round, on the
// same data directory. After each kill the ledger must be intact and every acknowledged posting
// present exactly once; retrying every sent request with its key must create no duplicate.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../db/open';
import { createBackend } from '../../backend/backend';
import { requestFor } from '../helpers/poster-requests';
import { formatFen } from '../../shared/money';
import { tempDir, testBackend } from '../helpers/backend';
import { bundleChild, startChild } from '../helpers/child';
import { startDemoPlatform } from '../helpers/demo-platform';

const ROUNDS = Number(process.env['YIZHAN_CRASH_ROUNDS'] ?? 100);

// The child starts from one bundled file: a hundred tsx start-ups would cost minutes.
let bundled: string;
beforeAll(async () => {
  bundled = await bundleChild();
}, 120_000);
let stopPlatform: (() => Promise<void>) | undefined;
afterAll(async () => {
  fs.rmSync(bundled, { force: true });
  await stopPlatform?.();
});

function checkLedger(file: string, acked: Map<string, number>) {
  const db = openDatabase(file);
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    for (const acct of ['float', 'cash', 'owner', 'fees']) {
      const sum = db
        .prepare(`SELECT coalesce(sum(amount_fen), 0) FROM postings WHERE account = ?`)
        .pluck()
        .get(acct) as number;
      const last =
        (db
          .prepare(`SELECT balance_after_fen FROM postings WHERE account = ? ORDER BY id DESC LIMIT 1`)
          .pluck()
          .get(acct) as number | undefined) ?? 0;
      expect(last, `balance = sum of postings for ${acct}`).toBe(sum);
    }
    const total = db.prepare(`SELECT coalesce(sum(amount_fen), 0) FROM postings`).pluck().get() as number;
    expect(total, 'double entry: all postings sum to zero').toBe(0);
    const minFloat = db
      .prepare(`SELECT min(balance_after_fen) FROM postings WHERE account = 'float'`)
      .pluck()
      .get() as number | null;
    expect(minFloat ?? 0).toBeGreaterThanOrEqual(0);
    for (const [key, txnId] of acked) {
      const rows = db.prepare(`SELECT id FROM txns WHERE idempotency_key = ?`).pluck().all(key) as number[];
      expect(rows, `acknowledged ${key} present exactly once`).toEqual([txnId]);
    }
  } finally {
    db.close();
  }
}

describe('crash safety', () => {
  it(
    `PAY-1: ${ROUNDS} rounds of SIGKILL at random moments lose nothing acknowledged and duplicate nothing on retry`,
    async () => {
      const dataDir = tempDir('yizhan-crash-');
      const file = path.join(dataDir, 'station.sqlite');
      // The platform outlives the children (it is the central system they reach); the float is
      // seeded so payments go through.
      const platform = await startDemoPlatform(dataDir);
      stopPlatform = platform.stop;
      const env = { YIZHAN_PLATFORM: platform.url };
      const seed = await testBackend({ dataDir, gateway: platform.gateway });
      await seed.call('topup.greenCard', {
        amount: '20000',
        bankRef: 'BR-SEED-1',
        idempotencyKey: 'seed-topup-1',
      });
      seed.close();

      const started = Date.now();
      const phase = { start: 0, posting: 0, check: 0, retry: 0 };
      const acked = new Map<string, number>();
      const ackedByChild = new Set<string>();
      const stillPending = new Set<string>();
      let sentTotal = 0;
      let killedMidFlight = 0;
      const spawnRound = (round: number) =>
        startChild(['crash', dataDir, String(round), 'wait'], bundled, env);
      // Children are started two rounds ahead and load while earlier rounds run (a start-up costs
      // more than a round on a busy machine); each opens the station only when its turn comes.
      const AHEAD = 2;
      const queue = Array.from({ length: Math.min(AHEAD, ROUNDS) }, (_, i) => spawnRound(i + 1));
      for (let round = 1; round <= ROUNDS; round++) {
        let t = performance.now();
        const c = queue.shift()!;
        c.send('START');
        await c.ready;
        if (round + AHEAD <= ROUNDS) queue.push(spawnRound(round + AHEAD));
        phase.start += performance.now() - t;
        t = performance.now();
        // Kill on a condition, not after a delay (a busy machine may not have sent anything yet):
        // on the k-th request's start (mid-request) or on the k-th answer (the child is already on
        // its way into the next request), k random.
        const k = 2 + Math.floor(Math.random() * 24);
        const marker = round % 2 === 0 ? /^SENT / : /^(ACK|REF) /;
        await c.until((o) => o.split('\n').filter((l) => marker.test(l)).length >= k);
        c.child.kill('SIGKILL');
        await c.exited;
        phase.posting += performance.now() - t;
        t = performance.now();
        const lines = c.output().split('\n');
        const sent = lines.filter((l) => l.startsWith('SENT ')).map((l) => l.slice(5));
        for (const l of lines.filter((x) => x.startsWith('ACK '))) {
          const [, k, id] = l.split(' ');
          acked.set(k!, Number(id));
          ackedByChild.add(k!);
        }
        const answered = new Set(lines.filter((l) => /^(ACK|REF) /.test(l)).map((l) => l.split(' ')[1]));
        // SRV-2: the confirmation each bill payment was sent with (said before it was sent).
        const payees = new Map(
          lines
            .filter((l) => l.startsWith('PAYEE '))
            .map((l) => l.split(' ').slice(1, 3) as [string, string]),
        );
        if (sent.some((k) => !answered.has(k))) killedMidFlight++;
        sentTotal += sent.length;

        // After each kill: the file is intact and everything acknowledged is there once.
        checkLedger(file, acked);

        phase.check += performance.now() - t;
        t = performance.now();
        // Retry every request of the round with its own key, as a client would after a crash.
        const b = await createBackend({
          dataDir,
          platformUrl: platform.url,
          platformDemo: true,
          recoveryTimer: false,
          backups: false,
          demoOpeningFloat: false,
          gatewayTimeoutMs: 10_000,
        });
        try {
          for (const key of sent) {
            const i = Number(key.split('-i')[1]);
            const req = requestFor(round, i);
            let args: Record<string, unknown> = req.args;
            if (req.kind === 'bill') {
              const inquiry = () =>
                b.db
                  .prepare(`SELECT payee_masked, amount_fen FROM bill_inquiries WHERE bill_id = ?`)
                  .get(req.args.billId) as { payee_masked: string; amount_fen: number } | undefined;
              if (!inquiry()) await b.call('bill.inquire', { service: req.service, account: req.account });
              // The same request as the child's when it was sent; never sent: confirmed now.
              let token = payees.get(key);
              const inq = inquiry();
              if (token === undefined && inq) {
                const c = await b.call('bill.confirmPayee', {
                  billId: req.args.billId,
                  payeeMasked: inq.payee_masked,
                  amount: formatFen(inq.amount_fen),
                });
                if (c.ok) token = (c.data as { confirmedPayee: string }).confirmedPayee;
              }
              if (token !== undefined) args = { ...req.args, confirmedPayee: token };
            }
            const r = await b.call(req.channel, args);
            if (acked.has(key)) {
              expect(r.ok, `replay of acknowledged ${key}`).toBe(true);
              expect((r as { data: { txnId: number } }).data.txnId).toBe(acked.get(key));
            }
            if (r.ok) acked.set(key, (r.data as { txnId: number }).txnId);
          }
          const dupes = b.db
            .prepare(`SELECT idempotency_key, count(*) n FROM txns GROUP BY idempotency_key HAVING n > 1`)
            .all();
          expect(dupes).toEqual([]);
          // A payment killed between its reservation and the central system stays reserved (within
          // the grace period) only if the central system never took it: no money moved, none is lost.
          const pendingKeys = b.db
            .prepare(`SELECT idempotency_key FROM reservations WHERE status = 'pending'`)
            .pluck()
            .all() as string[];
          for (const key of pendingKeys) {
            expect((await b.gateway.paymentStatus(key)).status, `pending ${key}`).toBe('unknown');
            stillPending.add(key);
          }
        } finally {
          b.close();
        }
        phase.retry += performance.now() - t;
        t = performance.now();
        checkLedger(file, acked);
        phase.check += performance.now() - t;
      }
      expect(sentTotal).toBeGreaterThan(ROUNDS);
      // Every acknowledged request is in the ledger exactly once (checked after every round above).
      const db = openDatabase(file);
      const lost = [...acked.keys()].filter(
        (k) => db.prepare(`SELECT count(*) FROM txns WHERE idempotency_key = ?`).pluck().get(k) !== 1,
      ).length;
      const duplicated = db
        .prepare(`SELECT count(*) FROM (SELECT 1 FROM txns GROUP BY idempotency_key HAVING count(*) > 1)`)
        .pluck()
        .get() as number;
      db.close();
      expect(lost).toBe(0);
      expect(duplicated).toBe(0);
      console.log(
        `crash test: ${stillPending.size} payments killed before reaching the central system stay reserved`,
      );
      console.log(
        `crash test: ${ROUNDS} rounds, ${sentTotal} requests sent, ${ackedByChild.size} acknowledged before a kill, ` +
          `${acked.size} committed, ${lost} lost, ${duplicated} duplicated, ${killedMidFlight} rounds killed ` +
          `mid-request, ${((Date.now() - started) / 1000).toFixed(1)} s (` +
          Object.entries(phase)
            .map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} s`)
            .join(', ') +
          ')',
      );
      // Generous: the rounds wait on the child's lines, never on a clock; this only stops a hang.
    },
    ROUNDS * 30_000,
  );
});
