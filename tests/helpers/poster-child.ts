// A child process that posts in a loop against a station data directory, for the crash and
// concurrency tests. It writes one line per step to stdout with a synchronous write, so that what
// it reports as acknowledged really was acknowledged before any SIGKILL.
//   node --import tsx tests/helpers/poster-child.ts crash <dataDir> <round>
//   node --import tsx tests/helpers/poster-child.ts drain <dataDir> <tag>
import fs from 'node:fs';
import { createBackend, type Backend } from '../../electron/backend/backend';
import { requestFor } from './poster-requests';

const say = (line: string) => fs.writeSync(1, `${line}\n`);

async function crash(b: Backend, round: number): Promise<void> {
  for (let i = 0; ; i++) {
    const req = requestFor(round, i);
    say(`SENT ${req.key}`);
    if (req.kind === 'bill') {
      const inq = await b.call('bill.inquire', { service: req.service, account: req.account });
      if (!inq.ok) {
        say(`REF ${req.key} ${inq.error.code}`);
        continue;
      }
    }
    const r = await b.call(req.channel, req.args);
    say(r.ok ? `ACK ${req.key} ${(r.data as { txnId: number }).txnId}` : `REF ${req.key} ${r.error.code}`);
  }
}

async function drain(b: Backend, tag: string): Promise<void> {
  let refusals = 0;
  for (let i = 0; refusals < 8 && i < 400; i++) {
    if (i % 4 === 0) {
      // Through the API: pay a bill until the float refuses.
      const account = `7${tag}${String(i).padStart(8, '0')}`;
      const inq = await b.call('bill.inquire', { service: 'water', account });
      if (!inq.ok) continue;
      const bill = inq.data as { billId: string; total: string };
      const r = await b.call('bill.pay', {
        billId: bill.billId,
        cashReceived: bill.total,
        idempotencyKey: `drain-${tag}-${i}`,
      });
      if (r.ok) say(`PAID ${bill.total}`);
      else if (r.error.code === 'INSUFFICIENT_FLOAT') refusals++;
    } else {
      // Straight SQL, with a stale read: spend 55% of the balance we saw. Two processes doing this
      // at once would overspend it; only the database stands between them and an overdraft.
      const seen = b.db
        .prepare(`SELECT balance_after_fen FROM postings WHERE account = 'float' ORDER BY id DESC LIMIT 1`)
        .pluck()
        .get() as number;
      await new Promise((r) => setTimeout(r, Math.random() * 5));
      if (seen <= 0) continue;
      const spend = Math.ceil(seen * 0.55);
      try {
        b.db
          .prepare(
            `INSERT OR IGNORE INTO business_days (day, status, opened_at) VALUES ('2026-11-28', 'open', 'x')`,
          )
          .run();
        b.db
          .prepare(
            `INSERT INTO txns (kind, business_day, created_at, operator_id, amount_fen, service, idempotency_key, request_hash, legs)
             VALUES ('bill_payment', '2026-11-28', ?, 'op-holder', ?, 'water', ?, 'raw', ?)`,
          )
          .run(
            new Date().toISOString(),
            spend,
            `raw-${tag}-${i}`,
            JSON.stringify([
              ['float', -spend],
              ['cash', spend],
            ]),
          );
        say(`RAW ${spend}`);
      } catch (e) {
        if ((e as Error).message === 'INSUFFICIENT_FLOAT') {
          refusals++;
          say('RAWREFUSED');
        } else if (!/SQLITE_BUSY|database is locked/.test(String(e))) throw e;
      }
    }
  }
  say('DONE');
}

const [mode, dataDir, arg] = process.argv.slice(2);
const b = await createBackend({
  dataDir: dataDir!,
  recoveryTimer: false, backups: false,
  demoOpeningFloat: false,
  gatewayTimeoutMs: 2_000,
});
say('READY');
// The race test starts both children's loops at once: wait for the parent's go.
if (mode === 'drain') while (!fs.existsSync(`${dataDir}/GO`)) await new Promise((r) => setTimeout(r, 2));
if (mode === 'crash') await crash(b, Number(arg));
else await drain(b, arg!);
b.close();
