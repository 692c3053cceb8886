// Issue 9: the holes a hostile test found, each attacked again — mostly with hand-written SQL on
// the station database, the way someone with the data folder would.
// Long on purpose (about 490 lines): a catalogue of attacks, each independent, over the set-up at
// the top of the file.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  billPayArgs,
  branchVoucher,
  closeDayExactly,
  confirmPayee,
  key,
  ok,
  payBill,
  refused,
  shanghaiHour,
  sqlReaders,
  testBackend,
  testClock,
  topUp,
} from '../helpers/backend';
import type { Backend } from '../../backend/backend';
import type { FaultyGateway } from '../helpers/demo-platform';
import type { DayReportDto } from '../../shared/contract';
import type { Db } from '../../db/open';

let b: Backend & { dataDir: string };
let db: Db;
const clock = testClock();
/** 10:00 Shanghai on the given day. */
const at = shanghaiHour(clock);

beforeEach(async () => {
  at('2026-11-27');
  b = await testBackend({ now: clock.now });
  db = b.db;
});
afterEach(() => b.close());

const { one, value } = sqlReaders(() => db);

const closeDay = (day?: string): Promise<DayReportDto> => closeDayExactly(b, day ? { day } : {});

/** A ledger with something in every table: a closed day (27th) with a count, a Z, a Z print, a
 *  paid bill; an open day (28th) with a payment and a dirty outbox; a printed job and a fault. */
async function populate() {
  await topUp(b, '3000');
  await payBill(b, 'water', '10000001');
  await closeDay();
  db.prepare(
    `INSERT INTO z_prints (z_no, attempt_no, printed_at, operator_id, outcome) VALUES (1, 1, ?, 'op-holder', 'sent')`,
  ).run(clock.now().toISOString());
  at('2026-11-28');
  const paid = await payBill(b, 'gas', '10000002');
  ok(await b.call('day.count', { method: 'total', total: '5.00' })); // count id 3, an open day
  const job = Number(
    db
      .prepare(
        `INSERT INTO print_jobs (kind, ref, txn_id, serial, document, status, created_at) VALUES ('test_page', 'tp-1', NULL, 'S1', '{}', 'queued', ?)`,
      )
      .run(clock.now().toISOString()).lastInsertRowid,
  );
  db.prepare(`UPDATE print_jobs SET status = 'printing', claimed_at = ? WHERE id = ?`).run(
    clock.now().toISOString(),
    job,
  );
  db.prepare(`UPDATE print_jobs SET status = 'printed', printed_at = ? WHERE id = ?`).run(
    clock.now().toISOString(),
    job,
  );
  db.prepare(
    `INSERT INTO monitor_faults (day, kind, at, last_at, detail, source) VALUES ('2026-11-28', 'network', ?, ?, '断网', 'test')`,
  ).run(clock.now().toISOString(), clock.now().toISOString());
  return { paid, job };
}

describe('issue 9 defect 2: INSERT OR REPLACE is refused on every protected table', () => {
  // Each attack: the statement, and what must still hold after it (read back from the table).
  const attacks: { table: string; sql: string; holds: () => void }[] = [
    {
      table: 'accounts',
      sql: `INSERT OR REPLACE INTO accounts (code, name_zh, no_overdraft) VALUES ('float', '预存款', 0)`,
      holds: () => expect(value(`SELECT no_overdraft FROM accounts WHERE code = 'float'`)).toBe(1),
    },
    {
      table: 'business_days (an open day closed without a Z)',
      sql: `INSERT OR REPLACE INTO business_days (day, status, opened_at, closed_at) VALUES ('2026-11-28', 'closed', 'x', 'x')`,
      holds: () => expect(value(`SELECT status FROM business_days WHERE day = '2026-11-28'`)).toBe('open'),
    },
    {
      table: 'business_days (a closed day reopened)',
      sql: `INSERT OR REPLACE INTO business_days (day, status, opened_at) VALUES ('2026-11-27', 'open', 'x')`,
      holds: () => expect(value(`SELECT status FROM business_days WHERE day = '2026-11-27'`)).toBe('closed'),
    },
    {
      table: 'day_counts',
      sql: `INSERT OR REPLACE INTO day_counts (id, day, counted_at, operator_id, method, total_fen, later_cash_fen)
            SELECT id, day, counted_at, operator_id, 'total', total_fen + 100000, later_cash_fen FROM day_counts WHERE id = 3`,
      holds: () => expect(value(`SELECT total_fen FROM day_counts WHERE id = 3`)).toBe(500),
    },
    {
      table: 'day_closes',
      sql: `INSERT OR REPLACE INTO day_closes SELECT * FROM day_closes WHERE z_no = 1`,
      holds: () => expect(value(`SELECT count(*) FROM day_closes`)).toBe(1),
    },
    {
      table: 'z_prints',
      sql: `INSERT OR REPLACE INTO z_prints (id, z_no, attempt_no, printed_at, operator_id, outcome) VALUES (1, 1, 1, 'x', 'op-holder', 'failed')`,
      holds: () => expect(value(`SELECT outcome FROM z_prints WHERE id = 1`)).toBe('sent'),
    },
    {
      table: 'monitor_outbox (a day marked sent)',
      sql: `INSERT OR REPLACE INTO monitor_outbox (day, version, acked_version, changed_at, acked_at, acked_seq) VALUES ('2026-11-28', 1, 1, 'x', 'x', 1)`,
      holds: () =>
        expect(value(`SELECT version > acked_version FROM monitor_outbox WHERE day = '2026-11-28'`)).toBe(1),
    },
    {
      table: 'print_jobs (printed back to queued)',
      sql: `INSERT OR REPLACE INTO print_jobs (id, kind, ref, serial, document, status, created_at) SELECT id, kind, ref, serial, document, 'queued', created_at FROM print_jobs WHERE ref = 'tp-1'`,
      holds: () => expect(value(`SELECT status FROM print_jobs WHERE ref = 'tp-1'`)).toBe('printed'),
    },
    {
      table: 'monitor_faults',
      sql: `INSERT OR REPLACE INTO monitor_faults (id, day, kind, at, last_at, detail) SELECT id, '2026-11-27', 'other', at, last_at, '无' FROM monitor_faults WHERE source = 'test'`,
      holds: () =>
        expect(one(`SELECT day, kind, detail FROM monitor_faults WHERE source = 'test'`)).toEqual({
          day: '2026-11-28',
          kind: 'network',
          detail: '断网',
        }),
    },
    {
      table: 'monitor_state',
      sql: `INSERT OR REPLACE INTO monitor_state (id, seq) VALUES (1, 0)`,
      holds: () => expect(value(`SELECT seq FROM monitor_state`)).toBe(7),
    },
    {
      table: 'operators',
      sql: `INSERT OR REPLACE INTO operators (id, name, role, created_at) VALUES ('op-holder', '别人', 'holder', 'x')`,
      holds: () =>
        expect(value(`SELECT operator_name FROM txns WHERE kind = 'bill_payment' ORDER BY id LIMIT 1`)).toBe(
          '店主（演示）',
        ),
    },
    {
      table: 'operator_training',
      sql: `INSERT OR REPLACE INTO operator_training (operator_id, service, trained_at) VALUES ('op-holder', 'water', 'never')`,
      holds: () =>
        expect(
          value(
            `SELECT trained_at FROM operator_training WHERE operator_id = 'op-holder' AND service = 'water'`,
          ),
        ).not.toBe('never'),
    },
    {
      table: 'station',
      sql: `INSERT OR REPLACE INTO station (id, institution_no, name, demo, created_at) VALUES (1, '99999999999', '冒名', 0, 'x')`,
      holds: () =>
        expect(one(`SELECT institution_no, name FROM station`)['institution_no']).toBe('35010099001'),
    },
    {
      table: 'operator_versions',
      sql: `INSERT OR REPLACE INTO operator_versions (operator_id, version, name, active, valid_from, reason) VALUES ('op-holder', 1, '别人', 1, 'x', '改写')`,
      holds: () =>
        expect(
          value(`SELECT name FROM operator_versions WHERE operator_id = 'op-holder' AND version = 1`),
        ).toBe('店主（演示）'),
    },
    {
      table: 'station_versions',
      sql: `INSERT OR REPLACE INTO station_versions (version, institution_no, name, demo, created_at, valid_from, reason) SELECT 1, institution_no, '冒名', demo, created_at, valid_from, '改写' FROM station_versions WHERE version = 1`,
      holds: () => expect(value(`SELECT name FROM station_versions WHERE version = 1`)).not.toBe('冒名'),
    },
    {
      table: 'z_anchors',
      sql: `INSERT OR REPLACE INTO z_anchors (z_no, txn_id, chain_hash) VALUES (1, 0, '${'0'.repeat(64)}')`,
      holds: () => expect(value(`SELECT txn_id FROM z_anchors WHERE z_no = 1`)).toBeGreaterThan(0),
    },
    {
      table: 'ledger_verifications',
      sql: `INSERT OR REPLACE INTO ledger_verifications (id, at, scope, ok, from_txn_id, to_txn_id, chain_hash, to_posting_id, balances) SELECT id, at, scope, 0, 0, 0, 'x', 0, '{}' FROM ledger_verifications ORDER BY id DESC LIMIT 1`,
      holds: () => expect(value(`SELECT ok FROM ledger_verifications ORDER BY id DESC LIMIT 1`)).toBe(1),
    },
    {
      table: 'txns',
      sql: `INSERT OR REPLACE INTO txns (id, kind, business_day, created_at, operator_id, amount_fen, idempotency_key, request_hash, legs)
            VALUES (1, 'topup_voucher', '2026-11-28', 'x', 'op-holder', 1, 'other', 'h', '[["float",1],["owner",-1]]')`,
      holds: () => expect(value(`SELECT amount_fen FROM txns WHERE id = 1`)).toBe(300_000),
    },
    {
      table: 'txns (its balances after)',
      sql: `INSERT OR REPLACE INTO txns SELECT id, kind, business_day, created_at, operator_id, amount_fen, fee_fen, service, reverses_id, idempotency_key, request_hash, legs, details, operator_name, chain_hash, float_after_fen + 1, cash_after_fen, owner_after_fen, fees_after_fen FROM txns WHERE id = 1`,
      holds: () => expect(value(`SELECT float_after_fen FROM txns WHERE id = 1`)).toBe(300_000),
    },
    {
      table: 'postings (a view of the legs)',
      sql: `INSERT OR REPLACE INTO postings (id, txn_id, account, amount_fen, balance_after_fen, business_day) SELECT id, txn_id, account, amount_fen, balance_after_fen + 1, business_day FROM postings ORDER BY id LIMIT 1`,
      holds: () =>
        expect(value(`SELECT balance_after_fen FROM postings WHERE txn_id = 1 AND account = 'float'`)).toBe(
          300_000,
        ),
    },
    {
      table: 'vouchers',
      sql: `INSERT OR REPLACE INTO vouchers (id, voucher_no, branch_code, clerk, amount_fen, deposited_at, txn_id) SELECT id, 'X-OTHER', branch_code, clerk, amount_fen, deposited_at, txn_id FROM vouchers WHERE id = 1`,
      holds: () => expect(value(`SELECT voucher_no FROM vouchers WHERE id = 1`)).not.toBe('X-OTHER'),
    },
    {
      table: 'reservations',
      sql: `INSERT OR REPLACE INTO reservations (id, idempotency_key, amount_fen, status, request, created_at) SELECT id, idempotency_key, 1, 'pending', '{}', created_at FROM reservations WHERE id = 1`,
      holds: () => expect(value(`SELECT status FROM reservations WHERE id = 1`)).toBe('posted'),
    },
    {
      table: 'idempotency',
      sql: `INSERT OR REPLACE INTO idempotency (key, channel, request_hash, outcome, reply, created_at) SELECT key, channel, request_hash, 'refused', '{}', created_at FROM idempotency LIMIT 1`,
      holds: () => expect(value(`SELECT count(*) FROM idempotency WHERE outcome = 'refused'`)).toBe(0),
    },
  ];

  for (const a of attacks) {
    it(`issue 9 defect 2: INSERT OR REPLACE on ${a.table} is refused`, async () => {
      await populate();
      db.prepare(`UPDATE monitor_state SET seq = 7`).run();
      // Training is the platform's record now (the signed profile); the station's old table
      // stays guarded: a row of it, as an old ledger has them.
      db.prepare(
        `INSERT OR IGNORE INTO operator_training (operator_id, service, trained_at) VALUES ('op-holder', 'water', '2026-01-01')`,
      ).run();
      expect(() => db.prepare(a.sql).run()).toThrow();
      a.holds();
    });
  }

  it('issue 9 defect 2: INSERT OR REPLACE on bill_inquiries cannot forget that a bill was paid', async () => {
    const { paid } = await populate();
    const billId = value(`SELECT bill_id FROM bill_inquiries WHERE paid_txn_id = ?`, paid.txnId) as string;
    db.prepare(
      `INSERT OR REPLACE INTO bill_inquiries (bill_id, service, account_no, payee_masked, amount_fen, fee_fen, inquired_at, operator_id)
       SELECT bill_id, service, account_no, payee_masked, amount_fen, fee_fen, inquired_at, operator_id FROM bill_inquiries WHERE bill_id = ?`,
    ).run(billId);
    expect(value(`SELECT paid_txn_id FROM bill_inquiries WHERE bill_id = ?`, billId)).toBe(paid.txnId);
  });

  it('issue 9 defect 2: a repeated fault or outbox entry is one more occurrence, never a reset', async () => {
    await populate();
    const before = one(`SELECT id, occurrences FROM monitor_faults WHERE source = 'test'`);
    db.prepare(
      `INSERT OR REPLACE INTO monitor_faults (day, kind, at, last_at, detail, source) VALUES ('2026-11-28', 'network', ?, ?, '断网', 'other')`,
    ).run(clock.now().toISOString(), clock.now().toISOString());
    expect(one(`SELECT id, occurrences, source FROM monitor_faults WHERE detail = '断网'`)).toEqual({
      id: before['id'],
      occurrences: 2,
      source: 'test',
    });
    const v = value(`SELECT version FROM monitor_outbox WHERE day = '2026-11-28'`) as number;
    db.prepare(
      `INSERT OR REPLACE INTO monitor_outbox (day, version, changed_at) VALUES ('2026-11-28', 1, 'x')`,
    ).run();
    expect(value(`SELECT version FROM monitor_outbox WHERE day = '2026-11-28'`)).toBe(v + 1);
  });

  it('issue 9 defect 2: UPDATE OR REPLACE cannot delete another row through a key column', async () => {
    await populate();
    const days = () => db.prepare(`SELECT day FROM monitor_outbox ORDER BY day`).pluck().all();
    const before = days();
    expect(() =>
      db.prepare(`UPDATE OR REPLACE monitor_outbox SET day = '2026-11-27' WHERE day = '2026-11-28'`).run(),
    ).toThrow('APPEND_ONLY');
    expect(days()).toEqual(before);
    expect(() =>
      db.prepare(`UPDATE OR REPLACE business_days SET day = '2026-11-27' WHERE day = '2026-11-28'`).run(),
    ).toThrow('APPEND_ONLY');
    expect(value(`SELECT count(*) FROM business_days`)).toBe(2);
    // A pending reservation "resolved" onto another one's transaction would delete that one.
    const bill = ok(await b.call('bill.inquire', { service: 'water', account: '72000001' }));
    (b.gateway as FaultyGateway).offline = true;
    refused(
      await b.call('bill.pay', await billPayArgs(b, bill, { cash: bill.total })),
      'GATEWAY_UNAVAILABLE',
    );
    const n = value(`SELECT count(*) FROM reservations`);
    expect(() =>
      db
        .prepare(
          `UPDATE OR REPLACE reservations SET status = 'voided', resolved_at = 'x', txn_id = (SELECT txn_id FROM reservations WHERE id = 1) WHERE status = 'pending'`,
        )
        .run(),
    ).toThrow('APPEND_ONLY');
    expect(value(`SELECT count(*) FROM reservations`)).toBe(n);
  });
});

describe('issue 9 defect 5: voucher numbers and bank references in canonical form', () => {
  it('issue 9 defect 5: ck0000000001, CK0000000001 and Ck0000000001 are one voucher, credited once', async () => {
    const issued = await branchVoucher(b, '100'); // CK…, as the branch prints it
    const typed = issued.toLowerCase();
    ok(
      await b.call('topup.voucher', {
        voucherNo: typed,
        branchCode: '350100',
        clerk: '王五',
        amount: '100',
        idempotencyKey: key(),
      }),
    );
    const digits = issued.slice(2);
    for (const voucherNo of [issued, `Ck${digits}`, `CK-${digits}`, ` ${typed} `]) {
      refused(
        await b.call('topup.voucher', {
          voucherNo,
          branchCode: '350100',
          clerk: '王五',
          amount: '100',
          idempotencyKey: key(),
        }),
        'DUPLICATE_VOUCHER',
      );
    }
    expect(ok(await b.call('float.balance', {})).balance).toBe('100.00');
    // Kept as typed.
    expect(value(`SELECT voucher_no FROM vouchers`)).toBe(typed);
    // And the database itself refuses the other spellings.
    const txnId = value(`SELECT txn_id FROM vouchers`);
    expect(() =>
      db
        .prepare(
          `INSERT INTO vouchers (voucher_no, branch_code, clerk, amount_fen, deposited_at, txn_id) VALUES (?, '350100', 'c', 100, 'x', ?)`,
        )
        .run(`c_K-${digits}`, txnId),
    ).toThrow(/DUPLICATE_VOUCHER|APPEND_ONLY/);
  });

  it('issue 9 defect 5: BR-CASE0001 and BRCASE0001 are one bank reference, credited once', async () => {
    ok(await b.call('topup.greenCard', { amount: '100', bankRef: 'BR-CASE0001', idempotencyKey: key() }));
    for (const bankRef of ['BRCASE0001', 'br-case0001', 'Br-Case-0001']) {
      refused(
        await b.call('topup.greenCard', { amount: '100', bankRef, idempotencyKey: key() }),
        'DUPLICATE_VOUCHER',
      );
    }
    expect(ok(await b.call('float.balance', {})).balance).toBe('100.00');
    expect(value(`SELECT json_extract(details, '$.bankRef') FROM txns WHERE kind = 'topup_green_card'`)).toBe(
      'BR-CASE0001',
    );
    expect(() =>
      db
        .prepare(
          `INSERT INTO txns (kind, business_day, created_at, operator_id, amount_fen, idempotency_key, request_hash, legs, details)
           VALUES ('topup_green_card', '2026-11-27', 'x', 'op-holder', 100, 'raw-gc', 'h', '[["float",100],["owner",-100]]', '{"bankRef":"brcase0001"}')`,
        )
        .run(),
    ).toThrow('DUPLICATE_BANK_REF');
  });
});

describe('issue 9 defect 6: a bill with a pending payment is not sent again', () => {
  it('issue 9 defect 6: a second key for a bill whose payment is pending is refused with PAYMENT_PENDING', async () => {
    await topUp(b, '2000');
    const bill = ok(await b.call('bill.inquire', { service: 'water', account: '72000001' }));
    const first = {
      billId: bill.billId,
      cashReceived: bill.total,
      confirmedPayee: await confirmPayee(b, bill),
      idempotencyKey: key('first'),
    };
    (b.gateway as FaultyGateway).offline = true;
    refused(await b.call('bill.pay', first), 'GATEWAY_UNAVAILABLE');
    (b.gateway as FaultyGateway).offline = false;
    const e = refused(
      await b.call('bill.pay', {
        billId: bill.billId,
        cashReceived: bill.total,
        confirmedPayee: await confirmPayee(b, bill), // confirmed again: the first one's is used
        idempotencyKey: key('second'),
      }),
      'PAYMENT_PENDING',
    );
    expect(e.details['pendingKey']).toBe(first.idempotencyKey);
    expect(value(`SELECT count(*) FROM reservations`)).toBe(1);
    // The database refuses it too, whatever the service does.
    expect(() =>
      db
        .prepare(
          `INSERT INTO reservations (idempotency_key, amount_fen, status, request, created_at) VALUES ('raw', 1, 'pending', ?, ?)`,
        )
        .run(JSON.stringify({ billId: bill.billId }), clock.now().toISOString()),
    ).toThrow('PAYMENT_PENDING');
    // Once the central system says it never received it (after the grace period), the bill is free.
    clock.advance(11 * 60 * 1000);
    refused(await b.call('bill.pay', first), 'PAYMENT_NOT_MADE');
    const again = ok(await b.call('bill.inquire', { service: 'water', account: '72000001' }));
    ok(await b.call('bill.pay', await billPayArgs(b, again, { cash: again.total })));
  });
});

describe('issue 9 defect 4: a count only for today or the oldest unclosed business day', () => {
  it('issue 9 defect 4: day.count with a past date that was no business day is refused and creates nothing', async () => {
    await topUp(b, '100');
    for (const day of ['1970-01-01', '2020-01-01', '2026-11-26']) {
      refused(await b.call('day.count', { method: 'total', total: '0.00', day }), 'DAY_NOT_COUNTABLE');
    }
    expect(db.prepare(`SELECT day FROM business_days`).pluck().all()).toEqual(['2026-11-27']);
    expect(value(`SELECT count(*) FROM day_counts`)).toBe(0);
    expect(value(`SELECT count(*) FROM monitor_outbox WHERE day < '2026-11-27'`)).toBe(0);
  });

  it('issue 9 defect 4: the oldest unclosed business day can still be counted and closed late', async () => {
    await payBill(b, 'water', '10000001', '100').catch(() => undefined);
    await topUp(b, '100');
    at('2026-11-29');
    refused(
      await b.call('day.count', { method: 'total', total: '0.00', day: '2026-11-28' }),
      'DAY_NOT_COUNTABLE',
    );
    const z = await closeDay('2026-11-27');
    expect(z.zNo).toBe(1);
    // Today can always be counted.
    ok(await b.call('day.count', { method: 'total', total: '0.00' }));
  });

  it('issue 9 defect 4: the database refuses a count for a past day without business', async () => {
    db.prepare(`INSERT INTO business_days (day, status, opened_at) VALUES ('2020-01-01', 'open', 'x')`).run();
    expect(() =>
      db
        .prepare(
          `INSERT INTO day_counts (day, counted_at, operator_id, method, total_fen, later_cash_fen) VALUES ('2020-01-01', ?, 'op-holder', 'total', 0, 0)`,
        )
        .run(clock.now().toISOString()),
    ).toThrow('DAY_NOT_COUNTABLE');
  });
});

describe('issue 9 defect 3: the station and its operators are append-only, with versions', () => {
  it('issue 9 defect 3: renaming an operator by SQL is refused; past transactions keep the name they were made under', async () => {
    const t = await topUp(b, '100');
    expect(() => db.prepare(`UPDATE operators SET name = '改名' WHERE id = 'op-holder'`).run()).toThrow(
      'APPEND_ONLY',
    );
    expect(() => db.prepare(`DELETE FROM operators WHERE id = 'op-holder'`).run()).toThrow('APPEND_ONLY');
    expect(() => db.prepare(`UPDATE station SET name = '改名'`).run()).toThrow();
    expect(ok(await b.call('txn.get', { txnId: t.txnId })).operatorName).toBe('店主（演示）');
  });

  it('issue 9 defect 3: a second holder cannot be inserted', async () => {
    expect(() =>
      db
        .prepare(
          `INSERT INTO operators (id, name, role, created_at) VALUES ('h2', '第二店主', 'holder', 'x')`,
        )
        .run(),
    ).toThrow('SECOND_HOLDER');
    refused(await b.call('session.setOperator', { operatorId: 'h2' }), 'NOT_FOUND');
    expect(value(`SELECT count(*) FROM operators WHERE role = 'holder'`)).toBe(1);
  });

  it('issue 9 defect 3: a change is a new version with its time and reason; each transaction shows the name it was made under', async () => {
    const { changeOperator, changeStation } = await import('../../db/station');
    const before = await topUp(b, '100');
    clock.advance(60_000);
    changeOperator(db, 'op-holder', {
      name: '新店主',
      reason: '经营者更名',
      nowIso: clock.now().toISOString(),
    });
    changeStation(db, { name: '新站名', reason: '改站名', nowIso: clock.now().toISOString() });
    const after = await topUp(b, '100');
    expect(ok(await b.call('txn.get', { txnId: before.txnId })).operatorName).toBe('店主（演示）');
    expect(ok(await b.call('txn.get', { txnId: after.txnId })).operatorName).toBe('新店主');
    expect(
      db
        .prepare(
          `SELECT version, name, reason FROM operator_versions WHERE operator_id = 'op-holder' ORDER BY version`,
        )
        .all(),
    ).toEqual([
      { version: 1, name: '店主（演示）', reason: '新增操作员' },
      { version: 2, name: '新店主', reason: '经营者更名' },
    ]);
    expect(one(`SELECT name, version, reason FROM station`)).toEqual({
      name: '新站名',
      version: 2,
      reason: '改站名',
    });
    // A hand-written transaction cannot claim another name for its operator.
    expect(() =>
      db
        .prepare(
          `INSERT INTO txns (kind, business_day, created_at, operator_id, operator_name, amount_fen, idempotency_key, request_hash, legs)
           VALUES ('topup_voucher', '2026-11-27', 'x', 'op-holder', '店主（演示）', 1, 'raw-name', 'h', '[["float",1],["owner",-1]]')`,
        )
        .run(),
    ).toThrow('UNKNOWN_OPERATOR');
    expect(() => db.prepare(`UPDATE operator_versions SET name = 'x'`).run()).toThrow('APPEND_ONLY');
    expect(() => db.prepare(`DELETE FROM station_versions`).run()).toThrow('APPEND_ONLY');
  });
});
