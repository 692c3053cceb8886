// Whether a business day still takes postings. Below day-close.ts and every service that posts
// (top-up, takings, reversal), so none of them has to import the close itself.
import { YizhanError } from '../../shared/errors';
import { dayStatus, lastClose } from '../../db/day-close';
import { lastVerification, ledgerTampered, verifyLedger, type Verification } from '../../db/chain-verify';
import { recordFault } from '../../db/monitor-outbox';
import { businessDayOf } from '../../shared/business-day';
import type { Ctx } from '../context';

/** True when a posting dated `day` would be accepted (not closed, not at or before the last close). */
export function dayAcceptsPostings(ctx: Ctx, day: string): boolean {
  const last = lastClose(ctx.db);
  return dayStatus(ctx.db, day) !== 'closed' && !(last && day <= last.day);
}

/** Refuses before anything is asked of the central system: a posting on a closed day would be
 *  refused by the ledger after the central system had acted. */
export function assertDayOpen(ctx: Ctx, day: string): void {
  assertLedgerSound(ctx);
  if (!dayAcceptsPostings(ctx, day)) {
    throw new YizhanError('DAY_CLOSED', { day, variant: 'untilTomorrow' });
  }
}

/** Money channels stop while the latest ledger verification failed (issue 9, ledger v2); with a
 *  fresh verification `v`, its outcome decides. */
export function assertLedgerSound(ctx: Ctx, v?: Verification): void {
  if (v ? !v.ok : ledgerTampered(ctx.db)) {
    const last = lastVerification(ctx.db);
    const problem = v?.problem ?? last?.detail ?? null;
    throw new YizhanError('LEDGER_TAMPERED', {
      problem,
      at: last?.at ?? null,
      ...(problem ? { variant: 'problem' as const } : {}),
    });
  }
}

/** Verifies the ledger (from the last verified point, or in full) and, when it does not verify,
 *  records a fault for the monitor upload (MON-3): at start, before every X and Z, on demand. */
export function verifyAndReport(
  db: Ctx['db'],
  scope: Verification['scope'],
  nowIso: string,
  full = false,
): Verification {
  // Before an X or a Z a pass leaves no row: the report or close may still be refused, and a
  // refusal writes nothing. Checkpoints are written at start and by a full verification.
  const v = verifyLedger(db, { scope, nowIso, full, recordPass: scope !== 'x' && scope !== 'z' });
  if (!v.ok)
    recordFault(db, {
      day: businessDayOf(new Date(nowIso)),
      kind: 'other',
      at: nowIso,
      detail: `账本校验失败，已停止收付业务：${v.problem}`,
      source: 'ledger',
    });
  return v;
}
