// PAY-1, zero credit: money that leaves the float must be in it now — its balance less what
// pending payments already hold. Checked inside the write transaction that then reserves the
// money (the database refuses a reservation it cannot cover as well).
import { YizhanError } from '../../shared/errors';
import { formatFen } from '../../shared/money';
import { accountBalance } from '../../db/ledger';
import type { Db } from '../../db/open';

/** Refuses with INSUFFICIENT_FLOAT (the shortfall, what is available and what is needed, and
 *  which screen's wording: a payment's or a reversal's) unless the float covers `neededFen`. */
export function assertFloatCovers(db: Db, neededFen: number, variant: 'payment' | 'reversal'): void {
  const bal = accountBalance(db, 'float');
  const available = bal.balanceFen - bal.pendingFen;
  if (available >= neededFen) return;
  throw new YizhanError('INSUFFICIENT_FLOAT', {
    shortfall: formatFen(neededFen - available),
    available: formatFen(available),
    needed: formatFen(neededFen),
    variant,
  });
}
