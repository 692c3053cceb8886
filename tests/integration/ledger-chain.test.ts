// Ledger v2 (issue 9): every transaction is chained by hash; the chain and the running balances
// are verified at start, before every X/Z and on demand; a ledger that does not verify stops
// money (LEDGER_TAMPERED) and is reported as a fault.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import {
  type TestBackend,
  billPayArgs,
  key,
  ok,
  payBill,
  refused,
  testBackend,
  topUp,
} from '../helpers/backend';
import { backendForEachTest } from '../helpers/clients';
import { openDatabase, schemaVersion, type Db } from '../../db/open';
import { MIGRATIONS } from '../../db/migrations/index';
import { chainHead } from '../../db/chain';
import { verifyLedger } from '../../db/chain-verify';
import { takeUploadBatch } from '../../db/monitor-outbox';
import { buildUploadBody } from '../../shared/monitor-protocol';
import { tempDir } from '../helpers/backend';

let b: TestBackend;
const clock = backendForEachTest({ set: (fresh) => (b = fresh), get: () => b });

/** Edits the station database the way someone with the data folder would, backend stopped. */
async function tamper(sql: string) {
  b.close();
  const db = openDatabase(path.join(b.dataDir, 'station.sqlite'));
  db.exec(sql);
  db.close();
  b = await testBackend({ dataDir: b.dataDir, now: clock.now });
}

describe('ledger v2: tamper evidence', () => {
  it('ledger v2: every transaction carries a hash chained over the previous one; a forged or edited hash is refused', async () => {
    await topUp(b, '100');
    await topUp(b, '200');
    const rows = b.db.prepare(`SELECT id, chain_hash FROM txns ORDER BY id`).all() as {
      id: number;
      chain_hash: string;
    }[];
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(r.chain_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(rows.map((r) => r.chain_hash)).size).toBe(2);
    expect(chainHead(b.db)).toEqual({ txnId: rows[1]!.id, hash: rows[1]!.chain_hash });
    expect(() =>
      b.db.prepare(`UPDATE txns SET chain_hash = ? WHERE id = ?`).run('0'.repeat(64), rows[0]!.id),
    ).toThrow('APPEND_ONLY');
    expect(() =>
      b.db
        .prepare(
          `INSERT INTO txns (kind, business_day, created_at, operator_id, amount_fen, idempotency_key, request_hash, legs, chain_hash)
           VALUES ('topup_voucher', '2026-11-28', 'x', 'op-holder', 1, 'forged', 'h', '[["float",1],["owner",-1]]', ?)`,
        )
        .run('f'.repeat(64)),
    ).toThrow('APPEND_ONLY');
    expect(verifyLedger(b.db, { scope: 'full', nowIso: clock.now().toISOString() })).toMatchObject({
      ok: true,
      txns: 2,
      postings: 4,
    });
  });

  it('ledger v2: an amount edited after DROP TRIGGER is caught at the next start; money channels refuse with LEDGER_TAMPERED and a fault is queued for the monitor', async () => {
    await topUp(b, '1000');
    const bill = ok(await b.call('bill.inquire', { service: 'water', account: '10000001' }));
    await tamper(`DROP TRIGGER txns_no_update; UPDATE txns SET amount_fen = amount_fen + 1 WHERE id = 1;`);
    const e = refused(
      await b.call('topup.voucher', {
        voucherNo: 'V20261128X',
        branchCode: '350100',
        clerk: '王五',
        amount: '10',
        idempotencyKey: key(),
      }),
      'LEDGER_TAMPERED',
    );
    expect(String(e.details['problem'])).toContain('交易 1');
    refused(await b.call('bill.pay', await billPayArgs(b, bill, { cash: bill.total })), 'LEDGER_TAMPERED');
    const c = ok(await b.call('day.count', { method: 'total', total: '0.00' }));
    refused(
      await b.call('day.close', {
        countId: c.count.countId,
        central: { source: 'gateway' },
        idempotencyKey: key(),
      }),
      'LEDGER_TAMPERED',
    );
    expect(b.db.prepare(`SELECT count(*) FROM txns`).pluck().get()).toBe(1);
    expect(
      b.db.prepare(`SELECT kind, detail FROM monitor_faults WHERE source = 'ledger'`).get(),
    ).toMatchObject({ kind: 'other', detail: expect.stringContaining('账本校验失败') });
    // The database itself refuses, whatever the caller.
    expect(() =>
      b.db
        .prepare(
          `INSERT INTO txns (kind, business_day, created_at, operator_id, amount_fen, idempotency_key, request_hash, legs)
           VALUES ('topup_voucher', '2026-11-28', 'x', 'op-holder', 1, 'raw', 'h', '[["float",1],["owner",-1]]')`,
        )
        .run(),
    ).toThrow('LEDGER_TAMPERED');
  });

  it('ledger v2: a running balance that does not add up is caught before the X report', async () => {
    await topUp(b, '1000');
    await payBill(b, 'water', '10000001');
    // Edited while the station runs (another connection), then the X report verifies.
    const other = openDatabase(path.join(b.dataDir, 'station.sqlite'));
    other.exec(
      `DROP TRIGGER txns_no_update;
       UPDATE txns SET float_after_fen = float_after_fen + 50000 WHERE id = (SELECT max(id) FROM txns);`,
    );
    other.close();
    ok(await b.call('day.xReport', { skipCentral: true }));
    const last = b.db
      .prepare(`SELECT scope, ok, detail FROM ledger_verifications ORDER BY id DESC LIMIT 1`)
      .get();
    expect(last).toMatchObject({ scope: 'x', ok: 0, detail: expect.stringContaining('余额对不上') });
    refused(
      await b.call('topup.greenCard', { amount: '10', bankRef: 'BR20261128', idempotencyKey: key() }),
      'LEDGER_TAMPERED',
    );
  });

  it('ledger v2: ledger.verify verifies in full on demand; a dropped guard is caught; once repaired, money flows again', async () => {
    await topUp(b, '100');
    expect(ok(await b.call('ledger.verify', {}))).toMatchObject({ ok: true, txns: 1, postings: 2 });
    const guard = b.db
      .prepare(`SELECT sql FROM sqlite_master WHERE name = 'txns_no_update'`)
      .pluck()
      .get() as string;
    b.db.exec(`DROP TRIGGER txns_no_update`);
    const broken = ok(await b.call('ledger.verify', {}));
    expect(broken.ok).toBe(false);
    expect(broken.problem).toContain('txns_no_update');
    refused(
      await b.call('topup.greenCard', { amount: '10', bankRef: 'BR-REPAIR-1', idempotencyKey: key() }),
      'LEDGER_TAMPERED',
    );
    b.db.exec(guard);
    expect(ok(await b.call('ledger.verify', {})).ok).toBe(true);
    ok(await b.call('topup.greenCard', { amount: '10', bankRef: 'BR-REPAIR-1', idempotencyKey: key() }));
  });

  it('ledger v2: after a failed verification only a full one passes again: a row edited before the last verified point keeps money stopped across a restart', async () => {
    await topUp(b, '100');
    await topUp(b, '200');
    // Restarted: the start's verified point is the latest row.
    b.close();
    b = await testBackend({ dataDir: b.dataDir, now: clock.now });
    // Row 1 (before that point) edited with its guard dropped and then put back as it was.
    const guard = b.db
      .prepare(`SELECT sql FROM sqlite_master WHERE name = 'txns_no_update'`)
      .pluck()
      .get() as string;
    await tamper(
      `DROP TRIGGER txns_no_update; UPDATE txns SET amount_fen = amount_fen + 1 WHERE id = 1; ${guard};`,
    );
    // The start only verified what came after its point; the full verification finds it.
    expect(ok(await b.call('station.get', {})).ledger.tampered).toBe(false);
    expect(ok(await b.call('ledger.verify', {})).ok).toBe(false);
    b.close();
    b = await testBackend({ dataDir: b.dataDir, now: clock.now });
    expect(ok(await b.call('station.get', {})).ledger.tampered).toBe(true);
    refused(
      await b.call('topup.greenCard', { amount: '10', bankRef: 'BR-AFTER-FAIL', idempotencyKey: key() }),
      'LEDGER_TAMPERED',
    );
  });

  it('ledger v2: a deleted transaction is caught by a full verification', async () => {
    await topUp(b, '100');
    await topUp(b, '100');
    await topUp(b, '100');
    await tamper(`PRAGMA foreign_keys = OFF; DROP TRIGGER txns_no_delete; DELETE FROM txns WHERE id = 2;`);
    const full = verifyLedger(b.db, { scope: 'full', nowIso: clock.now().toISOString() });
    expect(full.ok).toBe(false);
  });

  it('ledger v2: verification at start covers only what came since the last verified point', async () => {
    await topUp(b, '100');
    b.close();
    b = await testBackend({ dataDir: b.dataDir, now: clock.now });
    await topUp(b, '100');
    const v = verifyLedger(b.db, { scope: 'start', nowIso: clock.now().toISOString() });
    expect(v).toMatchObject({ ok: true, txns: 1, postings: 2 });
    expect(verifyLedger(b.db, { scope: 'start', nowIso: clock.now().toISOString() })).toMatchObject({
      ok: true,
      txns: 0,
    });
  });
});

describe('ledger v2: the Z anchor', () => {
  it("ledger v2: each Z close's chain head goes into the signed daily upload", async () => {
    await topUp(b, '1000');
    await payBill(b, 'water', '10000001');
    const head = chainHead(b.db);
    const c0 = ok(await b.call('day.count', { method: 'total', total: '0.00' }));
    const c = ok(await b.call('day.count', { method: 'total', total: c0.cash.expected }));
    const z = ok(
      await b.call('day.close', {
        countId: c.count.countId,
        central: { source: 'gateway' },
        idempotencyKey: key(),
      }),
    );
    const batch = takeUploadBatch(b.db, {})!;
    const day = batch.days.find((d) => d.day === '2026-11-28')!;
    expect(day.chain).toEqual({ zNo: z.zNo, txnId: head.txnId, head: head.hash });
    // PAY-5: the takings still due at the close go up with it (the office's watch list).
    expect(day.takingsDue).toBe(z.cash.takingsDue);
    expect(day.takingsDue).toMatch(/^[0-9]+\.[0-9]{2}$/);
    // It is part of what is signed: the body the station builds carries it.
    expect(
      JSON.parse(
        buildUploadBody({
          institutionNo: '35010099001',
          seq: batch.seq,
          sentAt: clock.now().toISOString(),
          days: batch.days,
        }),
      ).days[0].chain.head,
    ).toBe(head.hash);
    expect(() => b.db.prepare(`UPDATE z_anchors SET chain_hash = 'x'`).run()).toThrow('APPEND_ONLY');
  });
});

describe('ledger v2: migration of an existing ledger', () => {
  // tests/fixtures/ledger-v4.sqlite was made by the station as it was before issue 9 (commit
  // 7db9070, schema version 4) through its API: top-ups by voucher and Green Card, payments, a
  // reversal, two Z closes (Z1 with a cash remark), a payment on the open day after them.
  it('ledger v2: a ledger made by the code before issue 9 is migrated, chained and verified; balances, counts and Z figures are unchanged', () => {
    const dir = tempDir();
    const file = path.join(dir, 'station.sqlite');
    fs.copyFileSync(path.join(__dirname, '../fixtures/ledger-v4.sqlite'), file);
    const figures = (db: Db) => ({
      balances: db
        .prepare(
          `SELECT a.code, (SELECT balance_after_fen FROM postings p WHERE p.account = a.code ORDER BY id DESC LIMIT 1) AS b FROM accounts a ORDER BY code`,
        )
        .all(),
      txns: db
        .prepare(
          `SELECT business_day, kind, count(*) AS n, sum(amount_fen) AS s FROM txns GROUP BY 1, 2 ORDER BY 1, 2`,
        )
        .all(),
      postings: db
        // In order; their own ids are the view's since migration 018 (the transaction's and the leg's).
        .prepare(`SELECT txn_id, account, amount_fen, balance_after_fen FROM postings ORDER BY id`)
        .all(),
      closes: db.prepare(`SELECT * FROM day_closes ORDER BY z_no`).all(),
      counts: db.prepare(`SELECT * FROM day_counts ORDER BY id`).all(),
      vouchers: db.prepare(`SELECT id, voucher_no, txn_id FROM vouchers ORDER BY id`).all(),
      outbox: db.prepare(`SELECT day, version, acked_version FROM monitor_outbox ORDER BY day`).all(),
      station: db.prepare(`SELECT institution_no, name, demo, green_card_masked FROM station`).get(),
    });
    const v4 = openDatabase(file, { migrations: MIGRATIONS.filter((m) => m.version <= 4) });
    expect(schemaVersion(v4)).toBe(4);
    const before = figures(v4);
    expect(before.closes).toHaveLength(2);
    v4.close();
    const now = openDatabase(file);
    expect(schemaVersion(now)).toBe(MIGRATIONS.at(-1)!.version);
    expect(figures(now)).toEqual(before);
    const txns = now.prepare(`SELECT count(*) FROM txns`).pluck().get() as number;
    expect(
      now.prepare(`SELECT scope, ok, to_txn_id FROM ledger_verifications ORDER BY id DESC LIMIT 1`).get(),
    ).toEqual({
      scope: 'migration',
      ok: 1,
      to_txn_id: txns,
    });
    expect(verifyLedger(now, { scope: 'full', nowIso: '2026-11-28T05:00:00.000Z' })).toMatchObject({
      ok: true,
      txns,
    });
    // Closes from before the chain are anchored at the last transaction made before them.
    expect(now.prepare(`SELECT z_no FROM z_anchors ORDER BY z_no`).pluck().all()).toEqual([1, 2]);
    // Past transactions show their operator as the migration found them.
    expect(now.prepare(`SELECT count(*) FROM txns WHERE operator_name IS NULL`).pluck().get()).toBe(txns);
    now.close();
  });

  it('ledger v2: the migrated ledger trades on, chained to its history, through the API', async () => {
    b.close();
    const dir = tempDir();
    fs.copyFileSync(path.join(__dirname, '../fixtures/ledger-v4.sqlite'), path.join(dir, 'station.sqlite'));
    clock.set('2026-11-28T04:00:00.000Z');
    b = await testBackend({ dataDir: dir, now: clock.now });
    const before = chainHead(b.db);
    const t = await topUp(b, '100');
    expect(ok(await b.call('txn.get', { txnId: t.txnId })).operatorName).toBe('店主（演示）');
    refused(
      await b.call('topup.greenCard', { amount: '10', bankRef: 'br-old-0001', idempotencyKey: key() }),
      'DUPLICATE_VOUCHER',
    );
    expect(chainHead(b.db).txnId).toBe(before.txnId + 1);
    expect(verifyLedger(b.db, { scope: 'full', nowIso: clock.now().toISOString() }).ok).toBe(true);
  });
});
