// Issue 12's tables attacked directly, with hand-written SQL on the station database, the way
// someone with the data folder would (the pattern of ledger-hardening.test.ts): operator_pins
// (migration 013), shifts (014) and payee_confirmations (015). Each attack must be refused by the
// database itself, and what it aimed at must read back unchanged. The holes this found are closed
// by migration 016 (a PIN hash blanked to a bare prefix; a second shift over a span already handed
// over, which re-ended an ended shift with another count).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  backendAt,
  confirmPayee,
  ok,
  payBill,
  sqlAttacker,
  sqlReaders,
  type TestBackend,
  testClock,
  topUp,
} from '../helpers/backend';
import type { Db } from '../../db/open';

const clock = testClock();
let b: TestBackend;
let db: Db;
let attack: (sql: string) => string;
beforeEach(async () => {
  b = await backendAt(clock);
  db = b.db;
  attack = sqlAttacker(db);
});
afterEach(() => b.close());

const { one, value } = sqlReaders(() => db);

/** The holder logged in (their PIN set), a paid bill (a used confirmation), a confirmation not
 *  yet used, and one shift handed over with a count. */
async function populate() {
  ok(
    await b.callAs({ session: undefined }, 'auth.login', {
      operatorId: 'op-holder',
      pin: '1357',
      newPin: '1357',
    }),
  );
  await topUp(b, '500');
  await payBill(b, 'water', '31000001');
  const bill = ok(await b.call('bill.inquire', { service: 'gas', account: '31000002' }));
  const unused = await confirmPayee(b, bill);
  clock.advance(60_000);
  const shift = ok(await b.call('shift.end', { countedCash: '10.00' }));
  const used = value(`SELECT token FROM payee_confirmations WHERE used_key IS NOT NULL`) as string;
  return { unused, used, shift };
}

const pinRow = () => one(`SELECT * FROM operator_pins WHERE operator_id = 'op-holder'`);
const shiftRows = () => db.prepare(`SELECT * FROM shifts ORDER BY id`).all();
const confirmations = () => db.prepare(`SELECT * FROM payee_confirmations ORDER BY token`).all();

describe('operator_pins (migration 013) attacked by SQL', () => {
  it("issue 12: INSERT OR REPLACE cannot swap an operator's PIN row (nor reset its failures and lock)", async () => {
    await populate();
    db.prepare(`UPDATE operator_pins SET failures = 3 WHERE operator_id = 'op-holder'`).run();
    const before = pinRow();
    expect(
      attack(
        `INSERT OR REPLACE INTO operator_pins (operator_id, pin_hash, set_at) VALUES ('op-holder', '$argon2id$v=19$m=19456,p=1,t=2$QUFBQUFBQUE$QkJCQkJCQkI', 'x')`,
      ),
    ).toBe('operator_pins: a PIN is changed, not replaced');
    expect(pinRow()).toEqual(before);
  });

  it('issue 12: a PIN row is never deleted (a deleted row would let anyone set the PIN at the next login)', async () => {
    await populate();
    const before = pinRow();
    expect(attack(`DELETE FROM operator_pins`)).toContain('operator_pins: never deleted');
    expect(attack(`DELETE FROM operator_pins WHERE operator_id = 'op-holder'`)).toContain('never deleted');
    expect(pinRow()).toEqual(before);
  });

  it('issue 12: the operator of a PIN row is fixed, also through UPDATE OR REPLACE', async () => {
    await populate();
    const before = pinRow();
    expect(
      attack(`UPDATE operator_pins SET operator_id = 'op-other' WHERE operator_id = 'op-holder'`),
    ).toContain('the operator is fixed');
    expect(
      attack(`UPDATE OR REPLACE operator_pins SET operator_id = 'op-other' WHERE operator_id = 'op-holder'`),
    ).toContain('the operator is fixed');
    expect(pinRow()).toEqual(before);
  });

  it('issue 12: a PIN hash is never blanked or stored in clear — not even as a bare argon2id prefix', async () => {
    await populate();
    const before = pinRow();
    for (const hash of [
      '',
      '1357',
      '$argon2i$v=19$m=4096,t=3,p=1$c2FsdA$aGFzaA',
      '$argon2id$',
      '$argon2id$$$',
      '$ARGON2ID$x',
    ])
      expect(
        attack(`UPDATE operator_pins SET pin_hash = '${hash}' WHERE operator_id = 'op-holder'`),
      ).not.toBe('accepted');
    expect(pinRow()).toEqual(before);
    // A real PIN change (the service's own statement) still goes through.
    expect(
      attack(
        `UPDATE operator_pins SET pin_hash = '$argon2id$v=19$m=19456,p=1,t=2$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo', set_at = 'later', failures = 0, locked_until = NULL WHERE operator_id = 'op-holder'`,
      ),
    ).toBe('accepted');
  });
});

describe('shifts (migration 014) attacked by SQL', () => {
  it("issue 12: INSERT OR REPLACE cannot rewrite a handed-over shift's count", async () => {
    await populate();
    const before = shiftRows();
    expect(
      attack(
        `INSERT OR REPLACE INTO shifts (id, business_day, operator_id, operator_name, started_at, ended_at, txn_count, payments_fen, cash_in_fen, counted_cash_fen, expected_cash_fen, variance_fen)
         SELECT id, business_day, operator_id, operator_name, started_at, ended_at, txn_count, payments_fen, cash_in_fen, expected_cash_fen, expected_cash_fen, 0 FROM shifts`,
      ),
    ).toMatch(/^shifts: /);
    expect(shiftRows()).toEqual(before);
  });

  it('issue 12: a shift is never deleted', async () => {
    await populate();
    const before = shiftRows();
    expect(attack(`DELETE FROM shifts`)).toContain('shifts: append-only');
    expect(shiftRows()).toEqual(before);
  });

  it('issue 12: no column of a shift changes — not the counted amount, the span, the figures or who', async () => {
    await populate();
    const before = shiftRows();
    for (const set of [
      `counted_cash_fen = expected_cash_fen, variance_fen = 0`,
      `counted_cash_fen = counted_cash_fen + 10000, variance_fen = variance_fen + 10000`,
      `ended_at = '2026-11-28T09:00:00.000Z'`,
      `started_at = '2026-11-27T16:00:00.000Z'`,
      `txn_count = 0`,
      `payments_fen = 0, cash_in_fen = 0`,
      `operator_id = 'op-other', operator_name = '别人'`,
      `business_day = '2026-11-27'`,
    ]) {
      expect(attack(`UPDATE shifts SET ${set}`), set).toContain('shifts: append-only');
      expect(attack(`UPDATE OR REPLACE shifts SET ${set}`), set).toContain('shifts: append-only');
    }
    expect(shiftRows()).toEqual(before);
  });

  it('issue 12: an ended shift cannot be ended again — no second handover over a span already handed over', async () => {
    const { shift } = await populate();
    const before = shiftRows();
    const insert = (startedAt: string, endedAt: string, counted = 100_000) =>
      attack(
        `INSERT INTO shifts (business_day, operator_id, operator_name, started_at, ended_at, txn_count, payments_fen, cash_in_fen, counted_cash_fen, expected_cash_fen, variance_fen)
         SELECT business_day, operator_id, operator_name, '${startedAt}', '${endedAt}', txn_count, payments_fen, cash_in_fen, ${counted}, expected_cash_fen, ${counted} - expected_cash_fen FROM shifts WHERE id = 1`,
      );
    // The same shift again, with another count; one that starts inside it; one ended "before" it.
    expect(insert(shift.startedAt, shift.endedAt)).toContain('shifts');
    expect(insert(shift.startedAt, '2026-11-28T03:00:00.000Z')).toContain('shifts');
    expect(insert('2026-11-28T01:59:00.000Z', '2026-11-28T03:00:00.000Z')).toContain('shifts');
    expect(shiftRows()).toEqual(before);
    // The next shift starts where the last one ended: that is the service's own insert, accepted.
    expect(insert(shift.endedAt, '2026-11-28T03:00:00.000Z')).toBe('accepted');
  });

  it('issue 12: the difference is always counted − expected', async () => {
    const { shift } = await populate();
    expect(
      attack(
        `INSERT INTO shifts (business_day, operator_id, operator_name, started_at, ended_at, txn_count, payments_fen, cash_in_fen, counted_cash_fen, expected_cash_fen, variance_fen)
         VALUES ('2026-11-28', 'op-holder', '店主', '${shift.endedAt}', '2026-11-28T04:00:00.000Z', 0, 0, 0, 5000, 1000, 0)`,
      ),
    ).toMatch(/CHECK/);
    expect(value(`SELECT count(*) FROM shifts`)).toBe(1);
  });
});

describe('payee_confirmations (migration 015) attacked by SQL', () => {
  it('issue 12: INSERT OR REPLACE can neither rewrite an unused confirmation nor free a used one', async () => {
    const { unused, used } = await populate();
    const before = confirmations();
    expect(
      attack(
        `INSERT OR REPLACE INTO payee_confirmations (token, bill_id, service, account_no, payee_masked, amount_fen, chosen, fee_fen, inquired_at, operator_id, confirmed_at, expires_at)
         SELECT token, bill_id, service, account_no, payee_masked, amount_fen * 10, chosen, fee_fen, inquired_at, operator_id, confirmed_at, '2099-01-01T00:00:00.000Z' FROM payee_confirmations WHERE token = '${unused}'`,
      ),
    ).toBe('APPEND_ONLY');
    expect(
      attack(
        `INSERT OR REPLACE INTO payee_confirmations (token, bill_id, service, account_no, payee_masked, amount_fen, chosen, fee_fen, inquired_at, operator_id, confirmed_at, expires_at)
         SELECT token, bill_id, service, account_no, payee_masked, amount_fen, chosen, fee_fen, inquired_at, operator_id, confirmed_at, expires_at FROM payee_confirmations WHERE token = '${used}'`,
      ),
    ).toBe('APPEND_ONLY');
    // Nor is one born used.
    expect(
      attack(
        `INSERT INTO payee_confirmations (token, bill_id, service, account_no, payee_masked, amount_fen, chosen, fee_fen, inquired_at, operator_id, confirmed_at, expires_at, used_key, used_at)
         SELECT '${'f'.repeat(43)}', bill_id, service, account_no, payee_masked, amount_fen, chosen, fee_fen, inquired_at, operator_id, confirmed_at, expires_at, NULL, 'x' FROM payee_confirmations WHERE token = '${unused}'`,
      ),
    ).not.toBe('accepted');
    expect(confirmations()).toEqual(before);
  });

  it('issue 12: a confirmation is never deleted', async () => {
    await populate();
    const before = confirmations();
    expect(attack(`DELETE FROM payee_confirmations`)).toBe('APPEND_ONLY');
    expect(attack(`DELETE FROM payee_confirmations WHERE used_key IS NULL`)).toBe('APPEND_ONLY');
    expect(confirmations()).toEqual(before);
  });

  it('issue 12: what was confirmed, by whom and until when never changes; a use is written once', async () => {
    const { unused, used } = await populate();
    const before = confirmations();
    for (const set of [
      `amount_fen = amount_fen + 100`,
      `payee_masked = '王*五'`,
      `account_no = '99999999'`,
      `bill_id = 'other'`,
      `fee_fen = 0, chosen = 1`,
      `operator_id = 'op-other'`,
      `confirmed_at = '2026-11-28T09:00:00.000Z', expires_at = '2099-01-01T00:00:00.000Z'`,
      `token = '${'e'.repeat(43)}'`,
    ]) {
      expect(attack(`UPDATE payee_confirmations SET ${set} WHERE token = '${unused}'`), set).not.toBe(
        'accepted',
      );
      expect(
        attack(`UPDATE OR REPLACE payee_confirmations SET ${set} WHERE token = '${used}'`),
        set,
      ).not.toBe('accepted');
    }
    // A used confirmation is not freed, nor its use moved to the unused one.
    expect(
      attack(`UPDATE payee_confirmations SET used_key = NULL, used_at = NULL WHERE token = '${used}'`),
    ).toBe('APPEND_ONLY');
    expect(
      attack(
        `UPDATE OR REPLACE payee_confirmations SET used_key = (SELECT used_key FROM payee_confirmations WHERE token = '${used}'), used_at = 'x' WHERE token = '${unused}'`,
      ),
    ).toBe('APPEND_ONLY');
    // The used one's token over the unused one's (UPDATE OR REPLACE would delete the other row).
    expect(
      attack(`UPDATE OR REPLACE payee_confirmations SET token = '${used}' WHERE token = '${unused}'`),
    ).toBe('APPEND_ONLY');
    expect(confirmations()).toEqual(before);
  });
});
