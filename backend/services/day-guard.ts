// Whether a business day still takes postings. Below day-close.ts and every service that posts
// (top-up, takings, reversal), so none of them has to import the close itself.
import { YizhanError } from '../../shared/errors';
import { dayStatus, lastClose } from '../../db/day-close';
import type { Ctx } from '../context';

/** True when a posting dated `day` would be accepted (not closed, not at or before the last close). */
export function dayAcceptsPostings(ctx: Ctx, day: string): boolean {
  const last = lastClose(ctx.db);
  return dayStatus(ctx.db, day) !== 'closed' && !(last && day <= last.day);
}

/** Refuses before anything is asked of the central system: a posting on a closed day would be
 *  refused by the ledger after the central system had acted. */
export function assertDayOpen(ctx: Ctx, day: string): void {
  if (!dayAcceptsPostings(ctx, day)) {
    throw new YizhanError('DAY_CLOSED', { day, variant: 'untilTomorrow' });
  }
}
