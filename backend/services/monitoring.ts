// The standing and monitor-upload domain (MON-2, MON-3): this station's own standing, the
// uploader's status and settings (the uploader itself is monitor-upload.ts), and faults reported by
// hand with the platform's handling of them (faults.ts).
import type { MonitorStatusDto, StandingDto } from '../../shared/contract';
import { YizhanError } from '../../shared/errors';
import { monthlySeriesFromDaily, monthlyTotals, standingOf } from '../../shared/exit-rule';
import { countedByDay, countedOn } from '../../db/monitor-outbox';
import { today, type Ctx } from '../context';
import type { Handlers } from '../handler';
import { openingDateOf, setOpeningDate, type MonitorUploader } from './monitor-upload';
import { listFaults, reportFault } from './faults';

/** Months the standing page charts. */
const MONTHS_SHOWN = 12;

function uploader(ctx: Ctx): MonitorUploader {
  if (!ctx.monitor) throw new Error('the monitor uploader is not set up');
  return ctx.monitor;
}

/** MON-2 for this station, from its own ledger, with the same rule the monitor applies. */
export function standingOfStation(ctx: Ctx): StandingDto {
  const { day: asOf } = today(ctx);
  const opening = openingDateOf(ctx.db);
  const daily = new Map(asOf >= opening.day ? countedByDay(ctx.db, opening.day, asOf) : []);
  const series = monthlySeriesFromDaily(daily, opening.day, asOf);
  return {
    asOf,
    openingDate: opening.day,
    openingSource: opening.source,
    standing: standingOf(series, opening.day, asOf),
    months: monthlyTotals(series, opening.day, asOf).slice(-MONTHS_SHOWN),
    todayCount: countedOn(ctx.db, asOf),
  };
}

/** uploadNow for the API: the outcome as a status, or a refusal with a stable code. */
export async function uploadNow(u: MonitorUploader): Promise<MonitorStatusDto> {
  const r = await u.run({ force: true });
  switch (r.kind) {
    case 'not_configured':
      throw new YizhanError('MONITOR_NOT_CONFIGURED');
    case 'key_error':
      throw new YizhanError('MONITOR_KEY_UNAVAILABLE', { reason: r.message });
    case 'unreachable':
      throw new YizhanError('MONITOR_UNREACHABLE', {
        reason: r.reason,
        nextAttemptAt: r.nextAttemptAt,
        variant: 'reason',
      });
    case 'refused':
      throw new YizhanError('MONITOR_REFUSED', {
        monitorCode: r.code,
        monitorMessage: r.message,
        nextAttemptAt: r.nextAttemptAt,
        variant: 'monitor',
      });
    default:
      return u.status();
  }
}

export const monitorHandlers: Handlers<
  | 'standing.get'
  | 'monitor.status'
  | 'monitor.setUrl'
  | 'monitor.setOpeningDate'
  | 'monitor.uploadNow'
  | 'fault.report'
  | 'fault.list'
> = {
  'standing.get': (ctx) => standingOfStation(ctx),
  'monitor.status': (ctx) => uploader(ctx).status(),
  'monitor.setUrl': (ctx, a) => {
    uploader(ctx).setUrl(a.url);
    return uploader(ctx).status();
  },
  'monitor.setOpeningDate': (ctx, a) => {
    setOpeningDate(ctx.db, a.openingDate);
    return standingOfStation(ctx);
  },
  'monitor.uploadNow': (ctx) => uploadNow(uploader(ctx)),
  // MON-3: faults reported by hand, and the platform's handling (./faults.ts).
  'fault.report': (ctx, a) => reportFault(ctx, a),
  'fault.list': (ctx) => listFaults(ctx),
};
