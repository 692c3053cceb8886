// PAY-4 tie-out at the SQL level: every transaction of one business day that moved the float,
// with what the central system knows it by — the payment's key, or the voucher / bank reference
// as typed (a reversal: its original's). Rows only; backend/services/tie-out.ts matches them
// against the central journal.
import type { TxnKind } from '../shared/contract';
import { stmt, type Db } from './open';

export interface FloatMovementRow {
  id: number;
  kind: TxnKind;
  created_at: string;
  /** The float leg, signed fen (a payment is negative). */
  float_fen: number;
  idempotency_key: string;
  /** details.voucherNo or details.bankRef as typed, if any. */
  typed_ref: string | null;
  orig_kind: TxnKind | null;
  orig_idempotency_key: string | null;
  orig_typed_ref: string | null;
}

const REF = (t: string) =>
  `coalesce(json_extract(${t}.details, '$.voucherNo'), json_extract(${t}.details, '$.bankRef'))`;

export function floatMovementsOfDay(db: Db, day: string): FloatMovementRow[] {
  return stmt(
    db,
    `SELECT * FROM (
       SELECT t.id, t.kind, t.created_at, t.idempotency_key,
              (SELECT json_extract(l.value, '$[1]') FROM json_each(t.legs) l
                WHERE json_extract(l.value, '$[0]') = 'float') AS float_fen,
              ${REF('t')} AS typed_ref,
              o.kind AS orig_kind, o.idempotency_key AS orig_idempotency_key, ${REF('o')} AS orig_typed_ref
         FROM txns t LEFT JOIN txns o ON o.id = t.reverses_id
        WHERE t.business_day = ?)
     WHERE float_fen IS NOT NULL
     ORDER BY id`,
  ).all(day) as FloatMovementRow[];
}
