// Issue 9, reliability: a hostile caller's property test. At least 10,000 generated requests,
// valid and invalid, read off every channel's zod schema in the contract, go through the
// backend's call() on one station. Whatever comes in:
//   - the reply is an ApiReply, and a refusal is never INTERNAL (it has a stable upper-case code
//     and a Chinese message);
//   - nothing is written on a refusal: every table's fingerprint (row count and highest rowid;
//     for the tables whose rows may be updated, their whole content) is the same before and
//     after. The one write a refusal makes by design is its own idempotency record — a keyed
//     request refused for good is recorded so that a retry with its key gets the same answer —
//     so the idempotency table may gain exactly that row, for that key, marked refused.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { channels, type Channel } from '../../shared/contract';
import { ACCOUNT_NO_RE } from '../../shared/catalogue';
import { DEMO_ACCOUNTS } from '../helpers/demo-platform';
import type { Backend } from '../../backend/backend';
import type { ApiReply } from '../../shared/errors';
import { confirmPayee, ok, testBackend, testClock } from '../helpers/backend';
import { invalid, moneyString, valid } from '../helpers/zod-arbitrary';

const RUNS = Number(process.env['YIZHAN_PROPERTY_RUNS'] ?? 10_000);
/** Codes that say "the outcome is not known yet" rather than refusing: they may leave a
 *  reservation pending by design (none is expected from these arguments; they are counted). */
const NOT_A_REFUSAL = new Set(['GATEWAY_UNAVAILABLE', 'IN_PROGRESS']);
/** Refusals that come back from outside after the request went out record that attempt, by
 *  design: a failed upload its state (last error, failures in a row: the backoff and the status
 *  screen); a payment the central system declined or never received, or a top-up reversal it
 *  refused (the platform keeps what the branch or the bank credited), its reservation, made before
 *  the central system was asked (two-phase) and now voided — checked below: voided, no money. */
const RECORDS_ITS_ATTEMPT: Partial<Record<string, string[]>> = {
  'monitor.uploadNow': ['monitor_state'],
  'bill.pay': ['reservations'],
  'txn.reverse': ['reservations'],
};
/** For these channels, only these refusals come back from the central system (the others are
 *  the station's own, and write nothing). */
const VOIDS_ITS_RESERVATION: Partial<Record<string, Set<string>>> = {
  'bill.pay': new Set(['PAYMENT_DECLINED', 'PAYMENT_NOT_MADE']),
  'txn.reverse': new Set(['NOT_REVERSIBLE']),
};

const clock = testClock('2026-11-28T02:00:00.000Z');
let b: Backend & { dataDir: string };

// ---- fingerprint of every table ---------------------------------------------------------------

interface TableInfo {
  name: string;
  rowid: boolean;
  /** Rows may be updated (no trigger refuses UPDATE): compare whole content. */
  mutable: boolean;
  columns: string[];
}
let tables: TableInfo[] = [];
let fingerprintStmt: { all(): { name: string; n: number; max_id: number | null; content: string | null }[] };
let fingerprintMs = 0;

function prepareFingerprint(): void {
  const rows = b.db
    .prepare<[], { name: string; sql: string }>(
      "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .all();
  const noUpdate = new Set(
    b.db
      .prepare<[], string>(
        "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%no_update'",
      )
      .pluck()
      .all(),
  );
  tables = rows.map((r) => ({
    name: r.name,
    rowid: !/WITHOUT\s+ROWID/i.test(r.sql),
    mutable: !noUpdate.has(r.name),
    columns: b.db
      .prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${r.name}')`)
      .all()
      .map((c) => c.name),
  }));
  const fingerprintSql = tables
    .map((t) => {
      const content = t.mutable
        ? `(SELECT group_concat(${t.columns.map((c) => `quote("${c}")`).join(" || ',' || ")}, ';') FROM (SELECT * FROM "${t.name}" ORDER BY 1))`
        : "''";
      const maxId = t.rowid ? `(SELECT max(rowid) FROM "${t.name}")` : 'NULL';
      return `SELECT '${t.name}' AS name, (SELECT count(*) FROM "${t.name}") AS n, ${maxId} AS max_id, ${content} AS content`;
    })
    .join(' UNION ALL ');
  fingerprintStmt = b.db.prepare(fingerprintSql);
}

type Fingerprint = Map<string, string>;
function fingerprint(): Fingerprint {
  const t0 = performance.now();
  const rows = fingerprintStmt.all();
  fingerprintMs += performance.now() - t0;
  return new Map(rows.map((r) => [r.name, `${r.n}|${r.max_id}|${r.content ?? ''}`]));
}

function changedTables(before: Fingerprint, after: Fingerprint): string[] {
  return [...after.keys()].filter((k) => before.get(k) !== after.get(k));
}

// ---- hints: values that reach past the schema into the backend --------------------------------

const keyPool = Array.from({ length: 24 }, (_, i) => `prop-key-${String(i).padStart(3, '0')}`);
const billIds: string[] = [];
/** What the look-ups showed (payee, amount due) and the confirmations given (SRV-2): read at
 *  generation time, like the bills, so that some confirmations and payments go through. */
const payees: string[] = [];
const amountsDue: string[] = [];
const confirmations: string[] = [];
const recent = <T>(list: T[]) => fc.nat().map((i) => list[list.length - 1 - (i % Math.min(list.length, 8))]!);
const days = [
  '2026-11-25',
  '2026-11-27',
  '2026-11-28',
  '2026-11-29',
  '2026-11-30',
  '2026-12-01',
  '2026-12-03',
];

function hints(): Record<string, fc.Arbitrary<unknown>> {
  const day = fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...days) },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
    { weight: 1, arbitrary: fc.constantFrom('2026-02-30', '1970-01-01', '2026-13-01', '20261128') },
  );
  return {
    txnId: fc.oneof(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 2 ** 31 })),
    countId: fc.integer({ min: 1, max: 20 }),
    idempotencyKey: fc.oneof(
      { weight: 1, arbitrary: fc.constantFrom(...keyPool) },
      { weight: 3, arbitrary: fc.uuid() },
    ),
    day,
    from: day,
    to: day,
    openingDate: fc.option(day, { nil: null }),
    // Read at generation time: bills inquired during the run are paid during the run.
    billId: fc.oneof(
      {
        weight: 3,
        arbitrary: fc.nat().map((i) => billIds[billIds.length - 1 - (i % Math.min(billIds.length, 8))]!),
      },
      { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 64 }) },
    ),
    account: fc.oneof(
      {
        weight: 3,
        arbitrary: fc.constantFrom(DEMO_ACCOUNTS.declined, DEMO_ACCOUNTS.noBill, DEMO_ACCOUNTS.large),
      },
      // the simulated billers' "hang" accounts are left out: each costs a biller timeout
      {
        weight: 5,
        arbitrary: fc
          .stringMatching(ACCOUNT_NO_RE)
          .filter((a) => a !== DEMO_ACCOUNTS.timeout && a !== DEMO_ACCOUNTS.payTimeoutButPaid),
      },
    ),
    payeeMasked: fc.oneof(
      { weight: 3, arbitrary: recent(payees) },
      { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 100 }) },
    ),
    amount: fc.oneof({ weight: 1, arbitrary: recent(amountsDue) }, { weight: 3, arbitrary: moneyString }),
    confirmedPayee: fc.oneof(
      { weight: 4, arbitrary: recent(confirmations) },
      { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 128 }) },
    ),
    // Mostly near a bill's size (so payments go through), sometimes anything.
    cashReceived: fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: 1, max: 80_000 }).map((f) => (f / 100).toFixed(2)) },
      { weight: 1, arbitrary: moneyString },
    ),
    // A monitor on a closed local port: an upload fails at once, never waits on the network.
    url: fc.constantFrom('', 'http://127.0.0.1:9/', 'https://127.0.0.1:9/m'),
    // Printers that cannot be reached (no real device on this machine is ever written).
    interface: fc.oneof(
      { weight: 6, arbitrary: fc.constant('') },
      { weight: 1, arbitrary: fc.constantFrom('tcp://127.0.0.1:9', '/dev/usb/lp0', '/dev/ttyUSB9') },
    ),
    // An XLSX export costs far more than a CSV one: fewer of them.
    format: fc.oneof(
      { weight: 9, arbitrary: fc.constant('csv') },
      { weight: 1, arbitrary: fc.constant('xlsx') },
    ),
    operatorId: fc.oneof(fc.constantFrom('op-holder', 'op-nobody'), fc.string({ maxLength: 64 })),
  };
}

// ---- the station ------------------------------------------------------------------------------

beforeAll(async () => {
  b = await testBackend({ now: clock.now, monitorTimer: false });
  ok(
    await b.call('topup.greenCard', {
      amount: '30000',
      bankRef: 'BR-PROP-SEED',
      idempotencyKey: 'prop-seed-1',
    }),
  );
  for (let i = 0; i < 12; i++) {
    const bill = ok(
      await b.call('bill.inquire', {
        service: i % 2 ? 'water' : 'electricity',
        account: `51000000${10 + i}`,
      }),
    );
    billIds.push(bill.billId);
    payees.push(bill.payeeMasked);
    amountsDue.push(bill.amountDue);
    const confirmedPayee = await confirmPayee(b, bill);
    confirmations.push(confirmedPayee);
    if (i < 6)
      ok(
        await b.call('bill.pay', {
          billId: bill.billId,
          cashReceived: bill.total,
          confirmedPayee,
          idempotencyKey: `prop-pay-${i}`,
        }),
      );
  }
  prepareFingerprint();
}, 120_000);
afterAll(() => b?.close());

describe('every channel, hostile arguments', () => {
  it('10,000 generated requests across every channel: never INTERNAL, nothing written on a refusal', async () => {
    const names = Object.keys(channels) as Channel[];
    const h = hints();
    const schemaOf = (c: Channel) => channels[c].input as unknown as z.ZodType;
    const request = fc.constantFrom(...names).chain((channel) =>
      fc.oneof(
        valid(schemaOf(channel), h).map((args) => ({ channel, args, meant: 'valid' as const })),
        invalid(schemaOf(channel), h).map((args) => ({ channel, args, meant: 'invalid' as const })),
      ),
    );
    const stats = new Map<string, { ok: number; refused: Map<string, number>; ms: number }>(
      names.map((n) => [n, { ok: 0, refused: new Map(), ms: 0 }]),
    );
    let calls = 0;
    let notARefusal = 0;
    const started = Date.now();
    let before = fingerprint();

    const report = () => {
      const seconds = (Date.now() - started) / 1000;
      const summary = [...stats]
        .map(
          ([c, s]) =>
            `${c}: ok ${s.ok}, refused ${[...s.refused].map(([k, n]) => `${k}×${n}`).join(' ')}, ${s.ms.toFixed(0)} ms`,
        )
        .join('\n  ');
      console.log(
        `property test: ${calls} requests over ${names.length} channels in ${seconds.toFixed(1)} s ` +
          `(${notARefusal} "outcome unknown"; fingerprints ${(fingerprintMs / 1000).toFixed(1)} s)\n  ${summary}`,
      );
    };
    try {
      await fc.assert(
        fc.asyncProperty(request, async ({ channel, args }) => {
          calls++;
          // A day or so passes every few hundred requests: closed days, new days, past days.
          if (calls % 400 === 0) clock.advance(7 * 3600_000);
          const idemBefore = b.db.prepare('SELECT count(*) FROM idempotency').pluck().get() as number;
          let r: ApiReply<unknown>;
          const t0 = performance.now();
          try {
            r = await b.call(channel, args);
          } catch (e) {
            throw new Error(`${channel} threw instead of replying: ${String(e)}`);
          }
          // An upload this call set off (a day close, a new monitor address) belongs to it.
          await b.monitor.idle();
          const s = stats.get(channel)!;
          s.ms += performance.now() - t0;
          const after = fingerprint();
          if (r.ok) {
            s.ok++;
            if (channel === 'bill.inquire') {
              const bill = r.data as { billId: string; payeeMasked: string; amountDue: string | null };
              billIds.push(bill.billId);
              payees.push(bill.payeeMasked);
              if (bill.amountDue !== null) amountsDue.push(bill.amountDue);
            }
            if (channel === 'bill.confirmPayee')
              confirmations.push((r.data as { confirmedPayee: string }).confirmedPayee);
            before = after;
            return;
          }
          const code = r.error.code;
          s.refused.set(code, (s.refused.get(code) ?? 0) + 1);
          expect(code, `${channel} ${JSON.stringify(args)?.slice(0, 300)}: ${r.error.message}`).not.toBe(
            'INTERNAL',
          );
          expect(code).toMatch(/^[A-Z][A-Z_]+$/);
          expect(r.error.message).toMatch(/[\u4e00-\u9fff]/);
          if (NOT_A_REFUSAL.has(code)) {
            notARefusal++;
            before = after;
            return;
          }
          const attempt = VOIDS_ITS_RESERVATION[channel]?.has(code) ?? true;
          const allowed = new Set(['idempotency', ...(attempt ? (RECORDS_ITS_ATTEMPT[channel] ?? []) : [])]);
          if (attempt && changedTables(before, after).includes('reservations')) {
            const key = (args as { idempotencyKey?: unknown }).idempotencyKey;
            const res = b.db
              .prepare('SELECT status, txn_id FROM reservations WHERE idempotency_key = ?')
              .get(key) as { status: string; txn_id: number | null } | undefined;
            expect(res, `${channel} ${code}: its reservation`).toEqual({ status: 'voided', txn_id: null });
          }
          const changed = changedTables(before, after).filter((t) => !allowed.has(t));
          expect(changed, `${channel} refused ${code} but wrote ${changed.join(', ')}`).toEqual([]);
          const idemAfter = b.db.prepare('SELECT count(*) FROM idempotency').pluck().get() as number;
          if (idemAfter !== idemBefore) {
            // Only its own refusal, recorded against its own key.
            expect(idemAfter).toBe(idemBefore + 1);
            const key = (args as { idempotencyKey?: unknown }).idempotencyKey;
            const row = b.db.prepare('SELECT outcome FROM idempotency WHERE key = ?').get(key) as
              { outcome: string } | undefined;
            expect(row?.outcome, `${channel} ${code}: idempotency row for ${String(key)}`).toBe('refused');
          }
          before = after;
        }),
        { numRuns: RUNS, endOnFailure: true },
      );
    } finally {
      report();
    }
    expect(calls).toBeGreaterThanOrEqual(RUNS);
    // Every channel was exercised, and the generated arguments got past the schema somewhere.
    for (const [c, s] of stats)
      expect(s.ok + [...s.refused.values()].reduce((a, n) => a + n, 0), c).toBeGreaterThan(0);
    const accepted = [...stats.values()].filter((s) => s.ok > 0).length;
    expect(accepted).toBeGreaterThan(names.length * 0.75);
  }, 1_800_000);
});
