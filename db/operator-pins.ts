// Operators' PINs (issue 12): the hash, the failures since the last success, the lock.
import { stmt, type Db } from './open';

export interface PinRow {
  operator_id: string;
  pin_hash: string;
  set_at: string;
  failures: number;
  locked_until: string | null;
}

export function pinOf(db: Db, operatorId: string): PinRow | undefined {
  return stmt(db, `SELECT * FROM operator_pins WHERE operator_id = ?`).get(operatorId) as PinRow | undefined;
}

export function allPins(db: Db): PinRow[] {
  return stmt(db, `SELECT * FROM operator_pins`).all() as PinRow[];
}

export function setPin(db: Db, operatorId: string, pinHash: string, nowIso: string): void {
  if (pinOf(db, operatorId))
    stmt(
      db,
      `UPDATE operator_pins SET pin_hash = ?, set_at = ?, failures = 0, locked_until = NULL WHERE operator_id = ?`,
    ).run(pinHash, nowIso, operatorId);
  else
    stmt(db, `INSERT INTO operator_pins (operator_id, pin_hash, set_at) VALUES (?, ?, ?)`).run(
      operatorId,
      pinHash,
      nowIso,
    );
}

/** A wrong PIN: one more failure; at `max` the operator is locked until `lockUntilIso`. */
export function pinFailed(db: Db, operatorId: string, max: number, lockUntilIso: string): PinRow {
  stmt(
    db,
    `UPDATE operator_pins SET failures = failures + 1,
       locked_until = CASE WHEN failures + 1 >= ? THEN ? ELSE locked_until END
     WHERE operator_id = ?`,
  ).run(max, lockUntilIso, operatorId);
  return pinOf(db, operatorId)!;
}

export function pinSucceeded(db: Db, operatorId: string): void {
  stmt(db, `UPDATE operator_pins SET failures = 0, locked_until = NULL WHERE operator_id = ?`).run(operatorId);
}
