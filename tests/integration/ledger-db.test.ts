// The database guards the invariants by itself: every test here attacks it with hand-written SQL.
// Long on purpose (about 480 lines): a catalogue of attacks on the database, each independent, over
// the set-up at the top of the file.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import fs from 'node:fs';
import { openDatabase, schemaVersion, type Db } from '../../db/open';
import { MIGRATIONS } from '../../db/migrations/index';
import { accountBalance, postTxn } from '../../db/ledger';

import { YizhanError } from '../../shared/errors';
import { tempDir } from '../helpers/backend';
import { openTestStation } from '../helpers/station-db';

const NOW = '2026-11-28T02:00:00.000Z';
let db: Db;
let dir: string;
let n = 0;

/** The float against one other account: `floatFen` on the float, its opposite on `other`. */
const twoLegs = (floatFen: number, other = 'owner'): [string, number][] => [
  ['float', floatFen],
  [other, -floatFen],
];

/** Opens `day` in business_days (hand-written SQL; nothing if it is open already). */
function openDay(day = '2026-11-28') {
  db.prepare(`INSERT OR IGNORE INTO business_days (day, status, opened_at) VALUES (?, 'open', ?)`).run(
    day,
    NOW,
  );
}

/** A top-up of `amountFen` posted with hand-written SQL by `operatorId` under `key` on `day`: only
 *  the columns a plain statement names (no fee, no service, no reversal). */
const rawTopUp = (o: { operatorId: string; key: string; amountFen: number; day?: string }) =>
  db
    .prepare(
      `INSERT INTO txns (kind, business_day, created_at, operator_id, amount_fen, idempotency_key, request_hash, legs)
       VALUES ('topup_voucher', ?, ?, ?, ?, ?, 'h', ?)`,
    )
    .run(o.day ?? '2026-11-28', NOW, o.operatorId, o.amountFen, o.key, JSON.stringify(twoLegs(o.amountFen)));

function insertTxn(
  legs: unknown,
  opts: { day?: string; kind?: string; reverses?: number | null; amount?: number } = {},
) {
  n += 1;
  openDay(opts.day);
  return db
    .prepare(
      `INSERT INTO txns (kind, business_day, created_at, operator_id, amount_fen, fee_fen, service, reverses_id, idempotency_key, request_hash, legs)
       VALUES (?, ?, ?, 'op1', ?, 0, ?, ?, ?, 'h', ?)`,
    )
    .run(
      opts.kind ?? 'topup_voucher',
      opts.day ?? '2026-11-28',
      NOW,
      opts.amount ?? 100,
      opts.kind === 'bill_payment' ? 'water' : null,
      opts.reverses ?? null,
      `sql-${n}`,
      JSON.stringify(legs),
    );
}

function floatBalance(): number {
  return accountBalance(db, 'float').balanceFen;
}

beforeEach(() => {
  dir = tempDir();
  db = openTestStation(path.join(dir, 'station.sqlite'), NOW);
});
afterEach(() => db.close());

describe('PAY-1: zero credit, enforced by the database', () => {
  it('PAY-1: a hand-written transaction that would overdraw the float is refused with INSUFFICIENT_FLOAT', () => {
    insertTxn(twoLegs(10_000), { amount: 10_000 });
    expect(floatBalance()).toBe(10_000);
    expect(() => insertTxn(twoLegs(-10_001, 'cash'), { kind: 'bill_payment', amount: 10_001 })).toThrow(
      'INSUFFICIENT_FLOAT',
    );
    expect(floatBalance()).toBe(10_000);
    // Exactly to zero is allowed: the limit is zero, not "positive".
    expect(() =>
      db
        .prepare(
          `INSERT INTO txns (kind, business_day, created_at, operator_id, amount_fen, service, idempotency_key, request_hash, legs)
      VALUES ('bill_payment', '2026-11-28', ?, 'op1', 10000, 'water', 'to-zero', 'h', '[["float",-10000],["cash",10000]]')`,
        )
        .run(NOW),
    ).not.toThrow();
    expect(floatBalance()).toBe(0);
  });

  it('PAY-1: a posting cannot be written apart from its transaction: the postings are a view of its legs', () => {
    const t = insertTxn(twoLegs(500), { amount: 500 });
    // An undeclared extra leg, with a correct-looking chain; a declared leg a second time.
    for (const [amount, after] of [
      [-600, -100],
      [500, 1000],
    ])
      expect(() =>
        db
          .prepare(
            `INSERT INTO postings (txn_id, account, amount_fen, balance_after_fen, business_day) VALUES (?, 'float', ?, ?, '2026-11-28')`,
          )
          .run(t.lastInsertRowid, amount, after),
      ).toThrow(/view/);
    expect(floatBalance()).toBe(500);
    expect(db.prepare(`SELECT count(*) FROM postings`).pluck().get()).toBe(2);
  });

  it('PAY-1: a stored balance that breaks the running chain is refused', () => {
    insertTxn(twoLegs(500), { amount: 500 });
    // A transaction whose float after it is not the float before plus its legs.
    for (const floatAfter of [100_500, 0, -1])
      expect(() =>
        db
          .prepare(
            `INSERT INTO txns (kind, business_day, created_at, operator_id, amount_fen, idempotency_key, request_hash, legs,
                               float_after_fen, cash_after_fen, owner_after_fen, fees_after_fen)
             VALUES ('topup_voucher', '2026-11-28', ?, 'op1', 100, ?, 'h', '[["float",100],["owner",-100]]', ?, 0, -600, 0)`,
          )
          .run(NOW, `chain-${floatAfter}`, floatAfter),
      ).toThrow('BALANCE_CHAIN');
    // The right one is taken; rewriting a stored balance is refused (append-only).
    db.prepare(
      `INSERT INTO txns (kind, business_day, created_at, operator_id, amount_fen, idempotency_key, request_hash, legs,
                         float_after_fen, cash_after_fen, owner_after_fen, fees_after_fen)
       VALUES ('topup_voucher', '2026-11-28', ?, 'op1', 100, 'chain-ok', 'h', '[["float",100],["owner",-100]]', 600, 0, -600, 0)`,
    ).run(NOW);
    expect(() =>
      db.exec(`UPDATE txns SET float_after_fen = 99999999 WHERE idempotency_key = 'chain-ok'`),
    ).toThrow('APPEND_ONLY');
    expect(() => db.exec(`DELETE FROM postings`)).toThrow(/view/);
    expect(floatBalance()).toBe(600);
  });

  it('transactions are numbered 1, 2, 3 … with no gap: a row at 0, below 0 or past a gap is refused; a hand-written row gets its balances', () => {
    const insertAt = (id: number | null, key: string) =>
      db
        .prepare(
          `INSERT INTO txns (id, kind, business_day, created_at, operator_id, amount_fen, idempotency_key, request_hash, legs)
           VALUES (?, 'topup_voucher', '2026-11-28', ?, 'op1', 100, ?, 'h', '[["float",100],["owner",-100]]')`,
        )
        .run(id, NOW, key);
    openDay();
    for (const [id, key] of [
      [0, 'at-zero'],
      [-7, 'below-zero'],
      [5, 'past-a-gap'],
    ] as const)
      expect(() => insertAt(id, key), key).toThrow('APPEND_ONLY');
    insertAt(1, 'first');
    expect(() => insertAt(3, 'gap')).toThrow('APPEND_ONLY');
    insertAt(null, 'next');
    expect(
      db.prepare(`SELECT id, float_after_fen, owner_after_fen FROM txns ORDER BY id`).raw().all(),
    ).toEqual([
      [1, 100, -100],
      [2, 200, -200],
    ]);
  });

  it('a leg beyond the ledger limit is refused (no amount JavaScript cannot hold exactly gets in)', () => {
    openDay();
    for (const fen of [10_000_000_001, 9_007_199_254_740_993n, 9_223_372_036_854_775_807n])
      expect(() =>
        db
          .prepare(
            `INSERT INTO txns (kind, business_day, created_at, operator_id, amount_fen, idempotency_key, request_hash, legs)
             VALUES ('topup_voucher', '2026-11-28', ?, 'op1', ?, ?, 'h', json_array(json_array('float', ?), json_array('owner', -?)))`,
          )
          .run(NOW, fen, `huge-${fen}`, fen, fen),
      ).toThrow('UNBALANCED');
    expect(db.prepare(`SELECT count(*) FROM txns`).pluck().get()).toBe(0);
  });

  it('PAY-1: the float cannot be spent below what pending reservations hold', () => {
    insertTxn(twoLegs(1_000), { amount: 1_000 });
    db.prepare(
      `INSERT INTO reservations (idempotency_key, amount_fen, status, request, created_at) VALUES ('r1', 800, 'pending', '{}', ?)`,
    ).run(NOW);
    expect(() =>
      db
        .prepare(
          `INSERT INTO reservations (idempotency_key, amount_fen, status, request, created_at) VALUES ('r2', 201, 'pending', '{}', ?)`,
        )
        .run(NOW),
    ).toThrow('INSUFFICIENT_FLOAT');
    expect(() => insertTxn(twoLegs(-300, 'cash'), { kind: 'bill_payment', amount: 300 })).toThrow(
      'INSUFFICIENT_FLOAT',
    );
    expect(() => insertTxn(twoLegs(-200, 'cash'), { kind: 'bill_payment', amount: 200 })).not.toThrow();
    // A reservation cannot be slipped in as already settled, nor reopened.
    expect(() =>
      db
        .prepare(
          `INSERT INTO reservations (idempotency_key, amount_fen, status, request, created_at) VALUES ('r3', 5, 'voided', '{}', ?)`,
        )
        .run(NOW),
    ).toThrow();
    db.prepare(
      `UPDATE reservations SET status = 'voided', resolved_at = ?, resolution = 'x' WHERE idempotency_key = 'r1'`,
    ).run(NOW);
    expect(() =>
      db
        .prepare(
          `UPDATE reservations SET status = 'pending', resolved_at = NULL WHERE idempotency_key = 'r1'`,
        )
        .run(),
    ).toThrow('APPEND_ONLY');
  });

  it('PAY-1: postTxn maps the database refusal to INSUFFICIENT_FLOAT', () => {
    let err: unknown;
    try {
      postTxn(db, {
        kind: 'bill_payment',
        businessDay: '2026-11-28',
        createdAt: NOW,
        operatorId: 'op1',
        amountFen: 1,
        feeFen: 0,
        service: 'water',
        idempotencyKey: 'x1',
        requestHash: 'h',
        legs: [
          ['float', -1],
          ['cash', 1],
        ],
        details: {},
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(YizhanError);
    expect((err as YizhanError).code).toBe('INSUFFICIENT_FLOAT');
  });
});

describe('append-only ledger', () => {
  it('UPDATE and DELETE of transactions, their balances, postings, vouchers and idempotency records are refused', () => {
    insertTxn(twoLegs(500), { amount: 500 });
    for (const sql of [`UPDATE postings SET amount_fen = 1`, `DELETE FROM postings`])
      expect(() => db.exec(sql), sql).toThrow(/view/);
    for (const sql of [
      `UPDATE txns SET amount_fen = 1`,
      `DELETE FROM txns`,
      `UPDATE txns SET float_after_fen = 99999999`,
      `UPDATE txns SET owner_after_fen = NULL`,
      `INSERT INTO accounts (code, name_zh, no_overdraft) VALUES ('spare', '备用', 0)`,
      `UPDATE accounts SET no_overdraft = 0`,
      `DELETE FROM accounts WHERE code = 'float'`,
    ]) {
      expect(() => db.exec(sql), sql).toThrow('APPEND_ONLY');
    }
    expect(floatBalance()).toBe(500);
  });

  it('a transaction whose legs do not balance is refused (double entry)', () => {
    expect(() =>
      insertTxn([
        ['float', 500],
        ['owner', -400],
      ]),
    ).toThrow('UNBALANCED');
    expect(() => insertTxn([['float', 500]])).toThrow('UNBALANCED');
    expect(() =>
      insertTxn([
        ['float', 500],
        ['float', -500],
      ]),
    ).toThrow('UNBALANCED');
    expect(() =>
      insertTxn([
        ['float', 1.5],
        ['owner', -1.5],
      ]),
    ).toThrow('UNBALANCED');
  });

  it('SRV-3: a transaction can be reversed once, and a reversal cannot be reversed', () => {
    const t = insertTxn(twoLegs(500), { amount: 500 });
    const orig = Number(t.lastInsertRowid);
    const r = insertTxn(twoLegs(-500), { kind: 'reversal', reverses: orig, amount: 500 });
    expect(() => insertTxn(twoLegs(-500), { kind: 'reversal', reverses: orig, amount: 500 })).toThrow(
      /ALREADY_REVERSED|UNIQUE/,
    );
    expect(() =>
      insertTxn(twoLegs(500), { kind: 'reversal', reverses: Number(r.lastInsertRowid), amount: 500 }),
    ).toThrow('NOT_REVERSIBLE');
    expect(floatBalance()).toBe(0);
  });

  it('PPL-3: every posting names an operator who exists', () => {
    openDay();
    expect(() => rawTopUp({ operatorId: 'nobody', key: 'k-nobody', amountFen: 1 })).toThrow(
      /FOREIGN KEY|UNKNOWN_OPERATOR/,
    );
  });

  it('idempotency keys are unique at the database', () => {
    insertTxn(twoLegs(500), { amount: 500 });
    expect(() => rawTopUp({ operatorId: 'op1', key: `sql-${n}`, amountFen: 1 })).toThrow(
      /UNIQUE|APPEND_ONLY/,
    );
  });
});

describe('attacks that go around the usual statements', () => {
  it('INSERT OR REPLACE cannot rewrite a posting, a transaction, an idempotency record or a reservation', () => {
    const t = Number(insertTxn(twoLegs(1_000), { amount: 1_000 }).lastInsertRowid);
    const p = db
      .prepare(`SELECT id FROM postings WHERE txn_id = ? AND account = 'float'`)
      .pluck()
      .get(t) as number;
    expect(() =>
      db
        .prepare(
          `INSERT OR REPLACE INTO postings (id, txn_id, account, amount_fen, balance_after_fen, business_day) VALUES (?, ?, 'float', 1000, 2000, '2026-11-28')`,
        )
        .run(p, t),
    ).toThrow(/view/);
    expect(() =>
      db
        .prepare(
          `INSERT OR REPLACE INTO txns (id, kind, business_day, created_at, operator_id, amount_fen, idempotency_key, request_hash, legs)
        VALUES (?, 'topup_voucher', '2026-11-28', ?, 'op1', 5000, 'other', 'h', '[["float",5000],["owner",-5000]]')`,
        )
        .run(t, NOW),
    ).toThrow('APPEND_ONLY');
    db.prepare(
      `INSERT INTO idempotency (key, channel, request_hash, outcome, reply, created_at) VALUES ('k1', 'c', 'h', 'done', '{}', ?)`,
    ).run(NOW);
    expect(() =>
      db
        .prepare(
          `INSERT OR REPLACE INTO idempotency (key, channel, request_hash, outcome, reply, created_at) VALUES ('k1', 'c', 'h', 'refused', '{}', ?)`,
        )
        .run(NOW),
    ).toThrow('APPEND_ONLY');
    db.prepare(
      `INSERT INTO reservations (idempotency_key, amount_fen, status, request, created_at) VALUES ('r1', 100, 'pending', '{}', ?)`,
    ).run(NOW);
    expect(() =>
      db
        .prepare(
          `INSERT OR REPLACE INTO reservations (idempotency_key, amount_fen, status, request, created_at) VALUES ('r1', 1, 'pending', '{}', ?)`,
        )
        .run(NOW),
    ).toThrow('APPEND_ONLY');
    expect(floatBalance()).toBe(1_000);
    expect(db.prepare(`SELECT sum(amount_fen) FROM postings WHERE account = 'float'`).pluck().get()).toBe(
      1_000,
    );
  });

  it('with foreign keys off, a posting into a day that was never opened or by an unknown operator is still refused', () => {
    db.pragma('foreign_keys = OFF');
    expect(() => rawTopUp({ operatorId: 'op1', key: 'no-day', amountFen: 100, day: '2026-11-01' })).toThrow(
      'DAY_CLOSED',
    );
    openDay();
    expect(() => rawTopUp({ operatorId: 'nobody', key: 'no-op', amountFen: 100 })).toThrow(
      'UNKNOWN_OPERATOR',
    );
    expect(() =>
      insertTxn([
        ['float', 100],
        ['nowhere', -100],
      ]),
    ).toThrow('UNDECLARED_POSTING');
    db.pragma('foreign_keys = ON');
  });

  it('SRV-3: a reversal must undo exactly the original (legs negated, same amount)', () => {
    const t = Number(insertTxn(twoLegs(11_747), { amount: 11_747 }).lastInsertRowid);
    expect(() => insertTxn(twoLegs(5_000_000), { kind: 'reversal', reverses: t, amount: 11_747 })).toThrow(
      /REVERSAL_MISMATCH|UNBALANCED/,
    );
    expect(() =>
      insertTxn(twoLegs(-11_747, 'cash'), { kind: 'reversal', reverses: t, amount: 11_747 }),
    ).toThrow('REVERSAL_MISMATCH');
    expect(() => insertTxn(twoLegs(-11_747), { kind: 'reversal', reverses: t, amount: 1 })).toThrow(
      /REVERSAL_MISMATCH|UNBALANCED/,
    );
    expect(() =>
      insertTxn(twoLegs(-11_747), { kind: 'reversal', reverses: t, amount: 11_747 }),
    ).not.toThrow();
  });

  it('the amount of a transaction is what moves the float', () => {
    expect(() => insertTxn(twoLegs(5_000), { amount: 1 })).toThrow('UNBALANCED');
  });

  it('PAY-3: a Green Card bank reference is credited once, by the database', () => {
    const gc = (key: string) =>
      db
        .prepare(
          `INSERT INTO txns (kind, business_day, created_at, operator_id, amount_fen, idempotency_key, request_hash, legs, details)
        VALUES ('topup_green_card', '2026-11-28', ?, 'op1', 500, ?, 'h', '[["float",500],["owner",-500]]', '{"bankRef":"BR-1"}')`,
        )
        .run(NOW, key);
    openDay();
    gc('gc-1');
    expect(() => gc('gc-2')).toThrow('DUPLICATE_BANK_REF');
  });
});

describe('PAY-2: a deposit voucher is credited once', () => {
  it('PAY-2: a second voucher row with the same number is refused unless the first was reversed', () => {
    const t1 = Number(insertTxn(twoLegs(500), { amount: 500 }).lastInsertRowid);
    db.prepare(
      `INSERT INTO vouchers (voucher_no, branch_code, clerk, amount_fen, deposited_at, txn_id) VALUES ('V1', '350100', 'c', 500, ?, ?)`,
    ).run(NOW, t1);
    const t2 = Number(insertTxn(twoLegs(500), { amount: 500 }).lastInsertRowid);
    expect(() =>
      db
        .prepare(
          `INSERT INTO vouchers (voucher_no, branch_code, clerk, amount_fen, deposited_at, txn_id) VALUES ('V1', '350100', 'c', 500, ?, ?)`,
        )
        .run(NOW, t2),
    ).toThrow('DUPLICATE_VOUCHER');
    insertTxn(twoLegs(-500), { kind: 'reversal', reverses: t1, amount: 500 });
    expect(() =>
      db
        .prepare(
          `INSERT INTO vouchers (voucher_no, branch_code, clerk, amount_fen, deposited_at, txn_id) VALUES ('V1', '350100', 'c', 500, ?, ?)`,
        )
        .run(NOW, t2),
    ).not.toThrow();
  });
});

describe('closed days', () => {
  it('DAY_CLOSED: a posting dated a closed day is refused by the database, and the day cannot be reopened', () => {
    insertTxn(twoLegs(500), { amount: 500, day: '2026-11-27' });
    db.prepare(`UPDATE business_days SET status = 'closed', closed_at = ? WHERE day = '2026-11-27'`).run(NOW);
    expect(() => insertTxn(twoLegs(100), { day: '2026-11-27' })).toThrow('DAY_CLOSED');
    expect(() =>
      db.prepare(`UPDATE business_days SET status = 'open', closed_at = NULL WHERE day = '2026-11-27'`).run(),
    ).toThrow('DAY_CLOSED');
    expect(() => db.prepare(`DELETE FROM business_days WHERE day = '2026-11-27'`).run()).toThrow(
      'APPEND_ONLY',
    );
    // The next day is not blocked.
    expect(() => insertTxn(twoLegs(100), { day: '2026-11-28' })).not.toThrow();
  });
});

describe('opening the database', () => {
  it('sets and verifies WAL + synchronous=FULL on every open, including a reopen', () => {
    db.close();
    for (let i = 0; i < 2; i++) {
      db = openDatabase(path.join(dir, 'station.sqlite'));
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(2);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      if (i === 0) db.close();
    }
  });

  it('migrates by user_version and takes a backup before migrating an existing ledger', () => {
    const file = path.join(dir, 'old.sqlite');
    const first = openDatabase(file, { migrations: MIGRATIONS.slice(0, 1) });
    expect(schemaVersion(first)).toBe(1);
    first.close();
    const extra = { version: 999, sql: `CREATE TABLE migration_probe (x INTEGER) STRICT;` };
    const later = openDatabase(file, { migrations: [...MIGRATIONS, extra] });
    expect(schemaVersion(later)).toBe(999);
    later.close();
    const backups = fs.readdirSync(path.join(dir, 'backups'));
    expect(backups.some((f) => f.startsWith('old-before-v'))).toBe(true);
  });

  it('a brand-new database reaches the latest migration', () => {
    expect(schemaVersion(db)).toBe(Math.max(...MIGRATIONS.map((m) => m.version)));
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});
