// Trigger text that a later migration restates. SQLite changes a trigger only by dropping it and
// creating it again whole, so a migration that changes one check of a trigger repeats all the
// others; those are written once here and used by every migration that creates the trigger.
// What each migration executes is frozen (tests/integration/migrations-frozen.test.ts): a change
// here changes released migrations, and that test refuses it. A new check goes in the new
// migration's own text.

/** txns_check (001, 006): no REPLACE over a transaction; the day is open; the operator exists. */
export const TXNS_CHECK_ONCE_OPEN_DAY = `  -- INSERT OR REPLACE would delete the old row without firing the delete trigger: refuse first.
  SELECT RAISE(ABORT, 'APPEND_ONLY')
    WHERE EXISTS (SELECT 1 FROM txns WHERE id = NEW.id)
       OR EXISTS (SELECT 1 FROM txns WHERE idempotency_key = NEW.idempotency_key);
  -- Checked here too, not only by foreign keys (a connection may have them off).
  SELECT RAISE(ABORT, 'DAY_CLOSED')
    WHERE NOT EXISTS (SELECT 1 FROM business_days WHERE day = NEW.business_day AND status = 'open');
  SELECT RAISE(ABORT, 'UNKNOWN_OPERATOR')
    WHERE NOT EXISTS (SELECT 1 FROM operators WHERE id = NEW.operator_id);`;

/** txns_check (001, 006): double entry, a reversal undoing exactly its original, the float moved by the amount. */
export const TXNS_CHECK_LEGS = `  -- Double entry, in one pass over the legs: at least two, integer and non-zero, one per account,
  -- summing to zero.
  SELECT RAISE(ABORT, 'UNBALANCED')
    FROM (SELECT count(*) AS n, sum(json_extract(value, '$[1]')) AS total,
                 count(DISTINCT json_extract(value, '$[0]')) AS accounts,
                 sum(json_type(value, '$[1]') <> 'integer' OR json_extract(value, '$[1]') = 0) AS bad
          FROM json_each(NEW.legs))
    WHERE n < 2 OR total <> 0 OR accounts <> n OR bad > 0;
  SELECT RAISE(ABORT, 'ALREADY_REVERSED')
    WHERE NEW.reverses_id IS NOT NULL AND EXISTS (SELECT 1 FROM txns WHERE reverses_id = NEW.reverses_id);
  SELECT RAISE(ABORT, 'NOT_REVERSIBLE')
    WHERE NEW.reverses_id IS NOT NULL AND (SELECT kind FROM txns WHERE id = NEW.reverses_id) = 'reversal';
  -- A reversal undoes exactly the original: its legs negated, its amount.
  SELECT RAISE(ABORT, 'REVERSAL_MISMATCH')
    WHERE NEW.reverses_id IS NOT NULL AND (
      NEW.amount_fen <> (SELECT amount_fen FROM txns WHERE id = NEW.reverses_id)
      OR (SELECT count(*) FROM json_each(NEW.legs))
         <> (SELECT count(*) FROM txns o, json_each(o.legs) WHERE o.id = NEW.reverses_id)
      OR EXISTS (SELECT 1 FROM json_each(NEW.legs) n
                 WHERE NOT EXISTS (SELECT 1 FROM txns o, json_each(o.legs) ol
                                   WHERE o.id = NEW.reverses_id
                                     AND json_extract(ol.value, '$[0]') = json_extract(n.value, '$[0]')
                                     AND json_extract(ol.value, '$[1]') = -json_extract(n.value, '$[1]'))));
  -- The amount is what moves the float, where the float moves.
  SELECT RAISE(ABORT, 'UNBALANCED')
    WHERE EXISTS (SELECT 1 FROM json_each(NEW.legs)
                  WHERE json_extract(value, '$[0]') = 'float' AND abs(json_extract(value, '$[1]')) <> NEW.amount_fen);`;

/** postings_check (001, 008): no REPLACE over a posting; a posting its transaction declared. */
export const POSTINGS_CHECK_DECLARED = `  SELECT RAISE(ABORT, 'APPEND_ONLY')
    WHERE EXISTS (SELECT 1 FROM postings WHERE id = NEW.id)
       OR EXISTS (SELECT 1 FROM postings WHERE txn_id = NEW.txn_id AND account = NEW.account);
  SELECT RAISE(ABORT, 'UNDECLARED_POSTING')
    WHERE NOT EXISTS (SELECT 1 FROM accounts WHERE code = NEW.account);
  SELECT RAISE(ABORT, 'UNDECLARED_POSTING')
    WHERE NOT EXISTS (SELECT 1 FROM txns t, json_each(t.legs) j
                      WHERE t.id = NEW.txn_id AND t.business_day = NEW.business_day
                        AND json_extract(j.value, '$[0]') = NEW.account
                        AND json_extract(j.value, '$[1]') = NEW.amount_fen);`;

/**
 * postings_check (001, 008): the float never below what other pending reservations hold (the
 * reservation a payment settles is released in the same transaction).
 */
export const POSTINGS_CHECK_FLOAT = `  SELECT RAISE(ABORT, 'INSUFFICIENT_FLOAT')
    WHERE (SELECT no_overdraft FROM accounts WHERE code = NEW.account) = 1
      AND NEW.amount_fen < 0
      AND NEW.balance_after_fen < coalesce(
        (SELECT sum(r.amount_fen) FROM reservations r WHERE r.account = NEW.account AND r.status = 'pending'
           AND r.idempotency_key <> (SELECT idempotency_key FROM txns WHERE id = NEW.txn_id)), 0);`;

/** reservations_check (001, 018): no REPLACE over a reservation (its id, its key, its transaction). */
export const RESERVATIONS_CHECK_ONCE = `  SELECT RAISE(ABORT, 'APPEND_ONLY')
    WHERE EXISTS (SELECT 1 FROM reservations WHERE id = NEW.id)
       OR EXISTS (SELECT 1 FROM reservations WHERE idempotency_key = NEW.idempotency_key)
       OR (NEW.txn_id IS NOT NULL AND EXISTS (SELECT 1 FROM reservations WHERE txn_id = NEW.txn_id));`;

/** day_closes_check (008, 018; 003 has the same text): the close is of the day's latest count, and counts what it says. */
export const DAY_CLOSES_CHECK_COUNT = `  SELECT RAISE(ABORT, 'COUNT_REQUIRED')
    WHERE (SELECT day FROM day_counts WHERE id = NEW.count_id) IS NOT NEW.day
       OR EXISTS (SELECT 1 FROM day_counts WHERE day = NEW.day AND id > NEW.count_id)
       OR NEW.counted_cash_fen <> (SELECT total_fen - later_cash_fen FROM day_counts WHERE id = NEW.count_id);`;

/** day_closes_check (003, 008): Z numbers in sequence; the day open, the oldest, no payment pending. */
export const DAY_CLOSES_CHECK_ORDER = `  SELECT RAISE(ABORT, 'Z_SEQUENCE')
    WHERE NEW.z_no <> coalesce((SELECT max(z_no) FROM day_closes), 0) + 1;
  SELECT RAISE(ABORT, 'DAY_CLOSED')
    WHERE EXISTS (SELECT 1 FROM business_days WHERE day = NEW.day AND status = 'closed');
  SELECT RAISE(ABORT, 'DAY_NOT_CLOSABLE')
    WHERE EXISTS (SELECT 1 FROM business_days WHERE day < NEW.day AND status = 'open')
       OR EXISTS (SELECT 1 FROM day_closes WHERE day > NEW.day);
  SELECT RAISE(ABORT, 'PENDING_PAYMENTS')
    WHERE EXISTS (SELECT 1 FROM reservations WHERE status = 'pending' AND date(created_at, '+8 hours') <= NEW.day);`;

/**
 * bill_inquiries_no_replace (006, 009, 012): looking a bill up again refreshes it (its payee,
 * amounts, period, time and operator, and the `alsoRefreshed` assignments the later migrations
 * added), but never forgets that it was paid.
 */
export const billInquiriesNoReplace = (alsoRefreshed: readonly string[]): string =>
  `CREATE TRIGGER bill_inquiries_no_replace BEFORE INSERT ON bill_inquiries
WHEN EXISTS (SELECT 1 FROM bill_inquiries WHERE bill_id = NEW.bill_id)
BEGIN
  SELECT RAISE(ABORT, 'APPEND_ONLY') WHERE NEW.paid_txn_id IS NOT NULL;
  UPDATE bill_inquiries SET payee_masked = NEW.payee_masked, amount_fen = NEW.amount_fen, fee_fen = NEW.fee_fen,
         period = NEW.period, inquired_at = NEW.inquired_at, operator_id = NEW.operator_id${alsoRefreshed
           .map((assignments) => `,\n         ${assignments}`)
           .join('')}
   WHERE bill_id = NEW.bill_id;
  SELECT RAISE(IGNORE);
END;`;

/**
 * monitor_faults_reconciliation (004, 010): a day close with a difference records a fault, its
 * amounts as yuan text built from integer fen. `zhang` is the character the fault's 日终轧… is
 * written with: 004 shipped the old one (it passes it itself: this file writes only 账), 010 made it 账.
 */
export const monitorFaultsReconciliation = (zhang: string): string =>
  `CREATE TRIGGER monitor_faults_reconciliation AFTER INSERT ON day_closes
WHEN NEW.float_difference_fen <> 0 OR NEW.cash_variance_fen <> 0
BEGIN
  INSERT INTO monitor_faults (day, kind, at, last_at, detail, source)
  SELECT NEW.day, 'reconciliation', t.at, t.at,
         substr(
           'Z' || NEW.z_no || ' 日终轧${zhang}有差额：'
           || CASE WHEN NEW.float_difference_fen <> 0 THEN
                '预存款与中心余额差额 ' || CASE WHEN NEW.float_difference_fen < 0 THEN '-' ELSE '' END
                || (abs(NEW.float_difference_fen) / 100) || '.' || printf('%02d', abs(NEW.float_difference_fen) % 100)
                || ' 元（' || coalesce(NEW.float_remark, '') || '）' ELSE '' END
           || CASE WHEN NEW.float_difference_fen <> 0 AND NEW.cash_variance_fen <> 0 THEN '；' ELSE '' END
           || CASE WHEN NEW.cash_variance_fen <> 0 THEN
                '现金长短款 ' || CASE WHEN NEW.cash_variance_fen < 0 THEN '-' ELSE '' END
                || (abs(NEW.cash_variance_fen) / 100) || '.' || printf('%02d', abs(NEW.cash_variance_fen) % 100)
                || ' 元（' || coalesce(NEW.cash_remark, '') || '）' ELSE '' END,
           1, 400),
         'z:' || NEW.z_no
  FROM (SELECT coalesce(strftime('%Y-%m-%dT%H:%M:%fZ', NEW.closed_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) AS at) t
  WHERE true
  ON CONFLICT(day, kind, detail) DO UPDATE SET occurrences = occurrences + 1, last_at = max(last_at, excluded.last_at);
END;`;

/**
 * How one migration reads what a close must open `account` with: the last close's `closing`
 * column carried over (a CASE … END), plus `firstOpening` where the very first close opens with more.
 */
export type CarriedOver = (account: string, closing: string, firstOpening?: string) => string;

/** day_closes_check (003, 008): the float and the cash open with what the last close carried over. */
export const openingMismatch = (
  carriedOver: CarriedOver,
): string => `  SELECT RAISE(ABORT, 'OPENING_MISMATCH')
    WHERE NEW.opening_float_fen <> ${carriedOver('float', 'closing_float_fen')}
       OR NEW.opening_cash_fen <> ${carriedOver(
         'cash',
         'counted_cash_fen',
         'coalesce((SELECT opening_cash_fen FROM day_counts WHERE id = NEW.count_id), 0)',
       )};`;
