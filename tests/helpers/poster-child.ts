// A child process that posts in a loop against a station data directory, for the crash and
// concurrency tests. It writes one line per step to stdout with a synchronous write, so that what
// it reports as acknowledged really was acknowledged before any SIGKILL.
//   node --import tsx tests/helpers/poster-child.ts crash <dataDir> <round> [wait]
//     (wait: load, then open the station only when the parent writes START)
//   node --import tsx tests/helpers/poster-child.ts drain <dataDir> <tag>
// The station's platform is at YIZHAN_PLATFORM (the parent runs it: tests/helpers/demo-platform.ts).
import fs from 'node:fs';
import { createInterface } from 'node:readline';
import { createBackend, type Backend } from '../../backend/backend';
import { requestFor } from './poster-requests';

const say = (line: string) => fs.writeSync(1, `${line}\n`);

type ShownBill = { billId: string; total: string; payeeMasked: string; amountDue: string };

/** SRV-2: the operator's confirmation of the bill as shown (bill.confirmPayee). */
async function confirm(
  b: Backend,
  bill: ShownBill,
): Promise<{ ok: true; token: string } | { ok: false; code: string }> {
  const r = await b.call('bill.confirmPayee', {
    billId: bill.billId,
    payeeMasked: bill.payeeMasked,
    amount: bill.amountDue,
  });
  return r.ok
    ? { ok: true, token: (r.data as { confirmedPayee: string }).confirmedPayee }
    : { ok: false, code: r.error.code };
}

async function crash(b: Backend, round: number): Promise<void> {
  for (let i = 0; ; i++) {
    const req = requestFor(round, i);
    say(`SENT ${req.key}`);
    let args: Record<string, unknown> = req.args;
    if (req.kind === 'bill') {
      const inq = await b.call('bill.inquire', { service: req.service, account: req.account });
      if (!inq.ok) {
        say(`REF ${req.key} ${inq.error.code}`);
        continue;
      }
      // SRV-2: confirmed with the customer first. The token is part of the request: it is said
      // before the payment is sent, so that the parent retries the very same request.
      const confirmed = await confirm(b, inq.data as ShownBill);
      if (!confirmed.ok) {
        say(`REF ${req.key} ${confirmed.code}`);
        continue;
      }
      say(`PAYEE ${req.key} ${confirmed.token}`);
      args = { ...req.args, confirmedPayee: confirmed.token };
    }
    const r = await b.call(req.channel, args);
    say(r.ok ? `ACK ${req.key} ${(r.data as { txnId: number }).txnId}` : `REF ${req.key} ${r.error.code}`);
  }
}

/** Reads commands from the parent, one a line. */
function commands() {
  const rl = createInterface({ input: process.stdin });
  return Object.assign(rl[Symbol.asyncIterator](), { close: () => rl.close() });
}

/**
 * The race test's child, in lockstep with its twin: for each round the parent sends
 * `ROUND <r> raw|api`; the child reads the float and says `SEEN <r> <fen>`, then waits for
 * `GO <r>`, which the parent sends to both children only once both have read the same state.
 * Then it spends and says `DID <r> <outcome>`. `END` closes the backend.
 *  - raw: straight SQL on the stale read: spend 55% of the balance seen. Two processes doing
 *    this at once would overspend it; only the database stands between them and an overdraft.
 *  - api: inquire a bill and pay it through the backend, as the counter does.
 */
async function drain(b: Backend, tag: string): Promise<void> {
  const cmds = commands();
  const next = async () => {
    const r = await cmds.next();
    if (r.done) throw new Error('parent closed stdin');
    return r.value.trim().split(' ');
  };
  const floatFen = () =>
    (b.db
      .prepare(`SELECT balance_after_fen FROM postings WHERE account = 'float' ORDER BY id DESC LIMIT 1`)
      .pluck()
      .get() as number | undefined) ?? 0;
  for (;;) {
    const [cmd, round, kind] = await next();
    if (cmd === 'END') break;
    if (cmd !== 'ROUND') throw new Error(`unknown command ${cmd}`);
    const seen = floatFen();
    say(`SEEN ${round} ${seen}`);
    const [go, goRound] = await next();
    if (go !== 'GO' || goRound !== round) throw new Error(`expected GO ${round}, got ${go} ${goRound}`);
    if (kind === 'api') {
      const account = `7${tag}${String(round).padStart(8, '0')}`;
      const inq = await b.call('bill.inquire', { service: 'water', account });
      if (!inq.ok) {
        say(`DID ${round} INQUIRY ${inq.error.code}`);
        continue;
      }
      const bill = inq.data as ShownBill;
      const confirmed = await confirm(b, bill);
      if (!confirmed.ok) {
        say(`DID ${round} CONFIRM ${confirmed.code}`);
        continue;
      }
      const r = await b.call('bill.pay', {
        billId: bill.billId,
        cashReceived: bill.total,
        confirmedPayee: confirmed.token,
        idempotencyKey: `drain-${tag}-${round}`,
      });
      say(r.ok ? `DID ${round} PAID ${bill.total}` : `DID ${round} PAYREFUSED ${r.error.code}`);
      continue;
    }
    const spend = Math.max(1, Math.ceil(seen * 0.55)); // at 0, any spend is an overdraft
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
          `raw-${tag}-${round}`,
          JSON.stringify([
            ['float', -spend],
            ['cash', spend],
          ]),
        );
      say(`DID ${round} RAW ${spend}`);
    } catch (e) {
      say(`DID ${round} RAWREFUSED ${(e as Error).message}`);
    }
  }
  cmds.close();
  say('DONE');
}

const [mode, dataDir, arg, when] = process.argv.slice(2);
if (when === 'wait') {
  // Started ahead of its turn (the crash test overlaps one child's start-up with the round
  // before): everything is loaded, nothing opened, until the parent says START.
  const cmds = commands();
  const first = await cmds.next();
  cmds.close();
  if (first.done || first.value.trim() !== 'START') process.exit(0);
}
const platformUrl = process.env['YIZHAN_PLATFORM'];
if (!platformUrl) throw new Error('poster-child: YIZHAN_PLATFORM is not set');
const b = await createBackend({
  dataDir: dataDir!,
  platformUrl,
  platformDemo: true,
  recoveryTimer: false,
  backups: false,
  demoOpeningFloat: false,
  gatewayTimeoutMs: 10_000,
});
say('READY');
if (mode === 'crash') await crash(b, Number(arg));
else await drain(b, arg!);
b.close();
