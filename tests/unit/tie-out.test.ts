// PAY-4 tie-out: how the station's day and the central journal are netted per key.
import { describe, expect, it } from 'vitest';
import {
  centralMove,
  dayWindow,
  matchByKey,
  stationMove,
  type CentralMove,
  type StationMove,
} from '../../backend/services/tie-out';
import type { FloatMovementRow } from '../../db/tie-out';
import { fen } from '../../shared/money';

const W = dayWindow('2026-12-03');
const IN = '2026-12-03T02:00:00.000Z';
const BEFORE = '2026-11-30T02:00:00.000Z';
const AFTER = '2026-12-03T16:00:00.100Z'; // 00:00:00.1 the next day in Beijing

let n = 0;
const row = (r: Partial<FloatMovementRow> & Pick<FloatMovementRow, 'kind' | 'float_fen'>): StationMove =>
  stationMove({
    id: ++n,
    created_at: IN,
    idempotency_key: `k${n}`,
    typed_ref: null,
    orig_kind: null,
    orig_idempotency_key: null,
    orig_typed_ref: null,
    ...r,
  });
const entry = (kind: string, amountFen: number, ref: string, at = IN): CentralMove =>
  centralMove({ entryNo: ++n, kind, amountFen: fen(amountFen), ref, at });

describe('PAY-4 tie-out by key', () => {
  it('the business day is Beijing midnight to midnight', () => {
    expect(W).toEqual({ fromAt: '2026-12-02T16:00:00.000Z', toAt: '2026-12-03T16:00:00.000Z' });
  });

  it('a payment and its debit agree; a declined payment nets to nothing centrally and is not listed', () => {
    const pay = row({ kind: 'bill_payment', float_fen: -5_000, idempotency_key: 'p1' });
    const m = matchByKey(
      [pay],
      [entry('bill_payment', -5_000, 'p1'), entry('bill_payment', -800, 'p2'), entry('decline', 800, 'p2')],
      W,
    );
    expect(m).toEqual({ matchedCount: 1, lines: [], explainedFen: 0 });
  });

  it('vouchers match in canonical form, also when the branch credited them days before the station confirmed', () => {
    const v = row({ kind: 'topup_voucher', float_fen: 50_000, typed_ref: 'ck-2026 0001' });
    const m = matchByKey([v], [entry('deposit', 50_000, 'CK20260001', BEFORE)], W);
    expect(m.lines).toEqual([]);
    expect(m.matchedCount).toBe(1);
  });

  it("a reversal today of yesterday's payment matches today's central reversal, not yesterday's debit", () => {
    const rev = row({
      kind: 'reversal',
      float_fen: 5_000,
      orig_kind: 'bill_payment',
      orig_idempotency_key: 'p9',
    });
    const m = matchByKey(
      [rev],
      [entry('bill_payment', -5_000, 'p9', BEFORE), entry('reversal', 5_000, 'p9')],
      W,
    );
    expect(m).toEqual({ matchedCount: 1, lines: [], explainedFen: 0 });
  });

  it("a debit stamped just after midnight is the counterpart of the station's payment; other later entries are not the day's", () => {
    const pay = row({ kind: 'bill_payment', float_fen: -1_000, idempotency_key: 'p5' });
    const m = matchByKey(
      [pay],
      [entry('bill_payment', -1_000, 'p5', AFTER), entry('deposit', 9_900, 'CK9', AFTER)],
      W,
    );
    expect(m).toEqual({ matchedCount: 1, lines: [], explainedFen: 0 });
  });

  it('lists what only one side has and amounts that differ; the lines add up to central − station', () => {
    const s = [
      row({ kind: 'bill_payment', float_fen: -2_000, idempotency_key: 'a' }),
      row({ kind: 'topup_green_card', float_fen: 10_000, typed_ref: 'br-1' }),
      row({ kind: 'bill_payment', float_fen: -3_000, idempotency_key: 'c' }),
    ];
    const c = [
      entry('bill_payment', -2_000, 'a'),
      entry('green_card', 10_000, 'BR1'),
      entry('bill_payment', -3_000, 'c'),
      entry('reversal', 3_000, 'c'), // the centre reversed it; the station did not
      entry('deposit', 20_000, 'CK77'), // credited at the branch, not yet confirmed
    ];
    const m = matchByKey(s, c, W);
    expect(m.matchedCount).toBe(2);
    expect(m.lines.map((l) => [l.ref, l.side, l.station, l.central, l.difference])).toEqual([
      ['c', 'amount', '-30.00', '0.00', '30.00'],
      ['CK77', 'centralOnly', '0.00', '200.00', '200.00'],
    ]);
    expect(m.explainedFen).toBe(23_000);
  });
});
