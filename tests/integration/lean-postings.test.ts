// Ledger v2, lean postings (issue 9, migrations 008 and 018): each account's running balance is on
// the transaction row itself, which the database checks against the row before and the legs; the
// postings are a view of the legs; the day's transactions are reached through txns_day. Ledgers
// made by the code before 008 and before 018 migrate with every figure unchanged.
import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import Decimal from 'decimal.js';
import {
  backendAt,
  branchVoucher,
  closeDayExactly,
  key,
  ok,
  payBill,
  refused,
  sqlAttacker,
  tempDir,
  testBackend,
  testClock,
  topUp,
} from '../helpers/backend';
import type { Backend } from '../../backend/backend';
import { openDatabase, schemaVersion, type Db } from '../../db/open';
import { MIGRATIONS } from '../../db/migrations/index';
import { registerChainFunction } from '../../db/chain';
import { verifyLedger } from '../../db/chain-verify';

const clock = testClock();
let b: (Backend & { dataDir: string }) | undefined;
afterEach(() => b?.close());

/** What must not change: balances from the postings themselves, the days' figures, the closes. */
function figures(db: Db) {
  return {
    balances: db
      .prepare(
        `SELECT a.code, (SELECT balance_after_fen FROM postings p WHERE p.account = a.code ORDER BY id DESC LIMIT 1) AS b
         FROM accounts a ORDER BY code`,
      )
      .all(),
    days: db
      .prepare(
        `SELECT p.business_day, p.account, count(*) AS n, sum(p.amount_fen) AS s FROM postings p GROUP BY 1, 2 ORDER BY 1, 2`,
      )
      .all(),
    txns: db
      .prepare(`SELECT id, kind, business_day, amount_fen, fee_fen, chain_hash FROM txns ORDER BY id`)
      .all(),
    // In order; their own ids are the view's since migration 018 (the transaction's and the leg's).
    postings: db
      .prepare(
        `SELECT txn_id, account, amount_fen, balance_after_fen, business_day FROM postings ORDER BY id`,
      )
      .all(),
    closes: db.prepare(`SELECT * FROM day_closes ORDER BY z_no`).all(),
    anchors: db.prepare(`SELECT * FROM z_anchors ORDER BY z_no`).all(),
    counts: db.prepare(`SELECT * FROM day_counts ORDER BY id`).all(),
    outbox: db.prepare(`SELECT day, version, acked_version FROM monitor_outbox ORDER BY day`).all(),
  };
}

function fixtureCopy(name = 'ledger-v7.sqlite'): string {
  const dir = tempDir();
  fs.copyFileSync(path.join(__dirname, '../fixtures', name), path.join(dir, 'station.sqlite'));
  return dir;
}
const v7Copy = () => fixtureCopy();

/** Each account's balance on the latest transaction row, as figures() gives the balances. */
function latestRowBalances(db: Db) {
  const row = db
    .prepare(
      `SELECT float_after_fen AS float, cash_after_fen AS cash, owner_after_fen AS owner, fees_after_fen AS fees
       FROM txns ORDER BY id DESC LIMIT 1`,
    )
    .get() as Record<string, number>;
  return Object.keys(row)
    .sort()
    .map((code) => ({ code, b: row[code] }));
}

/** The migrated ledger has no postings table and no heads: the balances are on the rows. */
function expectOneRowLayout(db: Db) {
  const kinds = Object.fromEntries(
    db
      .prepare(`SELECT name, type FROM sqlite_master WHERE name IN ('postings', 'account_heads')`)
      .raw()
      .all() as [string, string][],
  );
  expect(kinds).toEqual({ postings: 'view' });
}

describe('ledger v2: lean postings (migrations 008 and 018)', () => {
  // tests/fixtures/ledger-v7.sqlite: made through the API by tests/helpers/make-ledger-fixture.ts
  // at commit 1fd54db (schema 7): top-ups, payments of every service, a reversal, a takings
  // settlement, two Z closes, a payment on the open day.
  it('ledger v2: a ledger made by the code before lean postings migrates; balances, counts and Z figures are equal before and after, and it verifies', () => {
    const file = path.join(v7Copy(), 'station.sqlite');
    const v7 = openDatabase(file, { migrations: MIGRATIONS.filter((m) => m.version <= 7) });
    expect(schemaVersion(v7)).toBe(7);
    const before = figures(v7);
    expect(before.closes).toHaveLength(2);
    expect(before.txns.length).toBeGreaterThanOrEqual(10);
    v7.close();
    const now = openDatabase(file);
    expect(schemaVersion(now)).toBe(MIGRATIONS.at(-1)!.version);
    expect(figures(now)).toEqual(before);
    // Each account's running balance at its latest posting is on the latest row (018).
    expect(latestRowBalances(now)).toEqual(
      before.balances.map((r) => ({ ...(r as object), b: (r as { b: number | null }).b ?? 0 })),
    );
    expectOneRowLayout(now);
    const last = now.prepare(`SELECT scope, ok FROM ledger_verifications ORDER BY id DESC LIMIT 1`).get();
    expect(last).toEqual({ scope: 'migration', ok: 1 });
    expect(verifyLedger(now, { scope: 'full', nowIso: '2026-11-28T05:00:00.000Z' }).ok).toBe(true);
    // The three indexes that cost most of a posting's pages are gone.
    const indexes = now.prepare(`SELECT name FROM sqlite_master WHERE type = 'index'`).pluck().all();
    expect(indexes).not.toContain('postings_account');
    expect(indexes).not.toContain('postings_day');
    expect(indexes).not.toContain('txns_kind_day');
    now.close();
  });

  // tests/fixtures/ledger-v17.sqlite: made the same way at commit eb02fe3 (schema 17), the last
  // code that wrote a postings row per leg.
  it('ledger v2: a ledger made by the code before one-row transactions (018) migrates; every figure is equal before and after, each row carries the running balances, and it verifies', () => {
    const file = path.join(fixtureCopy('ledger-v17.sqlite'), 'station.sqlite');
    const v17 = openDatabase(file, { migrations: MIGRATIONS.filter((m) => m.version <= 17) });
    expect(schemaVersion(v17)).toBe(17);
    const before = figures(v17);
    // Each transaction's balances after it, as the postings had them.
    const running = v17
      .prepare(
        `SELECT t.id, a.code, (SELECT p.balance_after_fen FROM postings p WHERE p.account = a.code AND p.txn_id <= t.id
                               ORDER BY p.id DESC LIMIT 1) AS b
         FROM txns t, accounts a ORDER BY t.id, a.code`,
      )
      .all() as { id: number; code: string; b: number | null }[];
    expect(before.closes).toHaveLength(2);
    v17.close();
    const now = openDatabase(file);
    expect(schemaVersion(now)).toBe(18);
    expect(figures(now)).toEqual(before);
    expectOneRowLayout(now);
    const column = {
      float: 'float_after_fen',
      cash: 'cash_after_fen',
      owner: 'owner_after_fen',
      fees: 'fees_after_fen',
    };
    for (const r of running) {
      const got = now
        .prepare(`SELECT ${column[r.code as keyof typeof column]} FROM txns WHERE id = ?`)
        .pluck()
        .get(r.id);
      expect(got, `txn ${r.id} ${r.code}`).toBe(r.b ?? 0);
    }
    expect(now.prepare(`SELECT scope, ok FROM ledger_verifications ORDER BY id DESC LIMIT 1`).get()).toEqual({
      scope: 'migration',
      ok: 1,
    });
    expect(verifyLedger(now, { scope: 'full', nowIso: '2026-11-28T05:00:00.000Z' })).toMatchObject({
      ok: true,
      txns: before.txns.length,
      postings: before.postings.length,
    });
    now.close();
  });

  for (const [what, edit] of [
    [
      "a posting's balance changed",
      `UPDATE postings SET balance_after_fen = balance_after_fen + 100 WHERE id = (SELECT min(id) FROM postings WHERE account = 'float')`,
    ],
    [
      'a posting of no transaction added at the end, the head moved with it',
      `INSERT INTO postings (txn_id, account, amount_fen, balance_after_fen, business_day)
         SELECT 99, 'float', 1000000, balance_fen + 1000000, '2026-11-27' FROM account_heads WHERE account = 'float';
       UPDATE account_heads SET posting_id = (SELECT max(id) FROM postings), balance_fen = balance_fen + 1000000 WHERE account = 'float';`,
    ],
  ] as const)
    it(`ledger v2: a ledger edited before 018 (${what}, its guards dropped) still opens; the migration keeps the old postings as evidence and money stays stopped, also after the next start`, async () => {
      const dataDir = fixtureCopy('ledger-v17.sqlite');
      const file = path.join(dataDir, 'station.sqlite');
      const v17 = openDatabase(file, { migrations: MIGRATIONS.filter((m) => m.version <= 17) });
      v17.exec(`PRAGMA foreign_keys = OFF; DROP TRIGGER postings_no_update; DROP TRIGGER postings_check;
        DROP TRIGGER postings_head; DROP TRIGGER account_heads_move; ${edit}`);
      v17.close();
      const now = openDatabase(file);
      expect(schemaVersion(now)).toBe(18);
      const tables = now.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all();
      expect(tables).toContain('postings_before_018');
      const last = now
        .prepare(`SELECT scope, ok, detail FROM ledger_verifications ORDER BY id DESC LIMIT 1`)
        .get() as { scope: string; ok: number; detail: string };
      expect(last).toMatchObject({ scope: 'migration', ok: 0 });
      expect(last.detail).toContain('迁移 018');
      now.close();
      clock.set('2026-11-27T03:00:00.000Z');
      b = await testBackend({ dataDir, now: clock.now });
      expect(ok(await b.call('station.get', {})).ledger.tampered).toBe(true);
      expect(ok(await b.call('ledger.verify', {})).ok).toBe(false);
      refused(
        await b.call('topup.greenCard', { amount: '10', bankRef: 'BR-KEPT-1', idempotencyKey: key() }),
        'LEDGER_TAMPERED',
      );
    });

  it('ledger v2: the migrated ledger trades on and closes its day through the API', async () => {
    clock.set('2026-11-27T03:00:00.000Z');
    b = await testBackend({ dataDir: v7Copy(), now: clock.now });
    const balance = ok(await b.call('float.balance', {}));
    // The central account of the fixture's day was not kept with it: the branch credits the
    // fixture's float again at this test's platform, so it can cover the payment.
    await branchVoucher(b, balance.balance);
    await topUp(b, '50');
    const p = await payBill(b, 'gas', '10000007');
    // The float continues from its head: before + 50.00 − the bill.
    const after = ok(await b.call('float.balance', {}));
    expect(new Decimal(after.balance).toFixed(2)).toBe(
      new Decimal(balance.balance).plus(50).minus(p.amount).toFixed(2),
    );
    // (That deposit was never confirmed at the station: the close explains the difference.)
    const z = await closeDayExactly(b, { floatRemark: '演示中心余额未随账本保存' });
    expect(z.zNo).toBe(3);
    expect(verifyLedger(b.db, { scope: 'full', nowIso: clock.now().toISOString() }).ok).toBe(true);
  });

  it('ledger v2: a stored balance cannot be set, replaced or deleted by hand; edited after DROP TRIGGER it is caught at the next start, even on a row verified before, and money stops (LEDGER_TAMPERED)', async () => {
    b = await backendAt(clock);
    await topUp(b, '100');
    const dataDir = b.dataDir;
    b.close();
    // Started again: the top-up is verified (the start's verified point is that row).
    b = await testBackend({ dataDir, now: clock.now });
    expect(ok(await b.call('station.get', {})).ledger.tampered).toBe(false);
    b.close();
    b = undefined;
    const file = path.join(dataDir, 'station.sqlite');
    const raw = new Database(file);
    // With the hash function the station's code registers (an attacker with the data folder has
    // the code too): without it, every write to txns fails with "no such function".
    registerChainFunction(raw);
    const attack = sqlAttacker(raw);
    const float = () =>
      raw.prepare(`SELECT float_after_fen FROM txns ORDER BY id DESC LIMIT 1`).pluck().get();
    expect(float()).toBe(10_000);
    // The last verified point is the row attacked below: the next start verifies nothing after it.
    expect(
      raw
        .prepare(`SELECT to_txn_id FROM ledger_verifications WHERE ok = 1 ORDER BY id DESC LIMIT 1`)
        .pluck()
        .get(),
    ).toBe(raw.prepare(`SELECT max(id) FROM txns`).pluck().get());
    expect(attack(`UPDATE txns SET float_after_fen = 99999999 WHERE id = (SELECT max(id) FROM txns)`)).toBe(
      'APPEND_ONLY',
    );
    expect(
      attack(
        `INSERT OR REPLACE INTO txns SELECT id, kind, business_day, created_at, operator_id, amount_fen, fee_fen, service,
           reverses_id, idempotency_key, request_hash, legs, details, operator_name, chain_hash, 99999999, cash_after_fen,
           owner_after_fen, fees_after_fen FROM txns WHERE id = (SELECT max(id) FROM txns)`,
      ),
    ).toBe('APPEND_ONLY');
    expect(attack(`DELETE FROM txns WHERE id = (SELECT max(id) FROM txns)`)).toBe('APPEND_ONLY');
    expect(attack(`INSERT INTO accounts (code, name_zh, no_overdraft) VALUES ('nobody', '无', 0)`)).toBe(
      'APPEND_ONLY',
    );
    expect(float()).toBe(10_000);
    // With the guard dropped, the float is made larger than the legs say, on the verified row; the
    // guard is then put back as it was (so only the balances can tell).
    const guard = raw
      .prepare(`SELECT sql FROM sqlite_master WHERE name = 'txns_no_update'`)
      .pluck()
      .get() as string;
    raw.exec(`DROP TRIGGER txns_no_update`);
    raw.exec(`UPDATE txns SET float_after_fen = 99999999 WHERE id = (SELECT max(id) FROM txns)`);
    raw.exec(guard);
    raw.close();
    b = await testBackend({ dataDir, now: clock.now });
    const station = ok(await b.call('station.get', {}));
    expect(station.ledger.tampered).toBe(true);
    expect(station.ledger.problem).toContain('在上次校验后被改动');
    refused(
      await b.call('topup.greenCard', { amount: '10', bankRef: 'BR-HEAD-1', idempotencyKey: key() }),
      'LEDGER_TAMPERED',
    );
  });
});
