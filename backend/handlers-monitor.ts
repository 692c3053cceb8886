// Handlers of the standing and monitor-upload channels (shared/contract-monitor.ts, MON-2/MON-3),
// spread into the handler table in handlers.ts. Every argument arrives parsed by `dispatch`.
import type { ChannelArgs, ChannelOutput } from '../shared/contract';
import type { MonitorChannel, StandingDto } from '../shared/contract-monitor';
import { monthlySeriesFromDaily, monthlyTotals, standingOf } from '../shared/exit-rule';
import { countedByDay, countedOn } from '../db/monitor-outbox';
import { today, type Ctx } from './context';
import { openingDateOf, setOpeningDate, uploadNow, type MonitorUploader } from './services/monitor-upload';

type MonitorHandler<C extends MonitorChannel> = (
  ctx: Ctx,
  args: ChannelArgs<C>,
) => Promise<ChannelOutput<C>> | ChannelOutput<C>;

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

export const monitorHandlers: { [C in MonitorChannel]: MonitorHandler<C> } = {
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
};
