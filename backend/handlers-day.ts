// Handlers of the day-close, takings, report and low-float channels (shared/contract-day.ts),
// spread into the handler table in handlers.ts. Every argument arrives parsed by `dispatch`.
import type { ChannelArgs, ChannelOutput } from '../shared/contract';
import type { DayChannel } from '../shared/contract-day';
import type { Ctx } from './context';
import { closeDay, countDrawer, dayStatusOf, xReport, zList, zReport } from './services/day-close';
import { settleTakings } from './services/takings';
import { exportReport, periodReport } from './services/reports';
import { floatForecast } from './services/forecast';
import { printZSlip, zSlipPreview } from './services/z-slip';

type DayHandler<C extends DayChannel> = (
  ctx: Ctx,
  args: ChannelArgs<C>,
) => Promise<ChannelOutput<C>> | ChannelOutput<C>;

export const dayHandlers: { [C in DayChannel]: DayHandler<C> } = {
  'day.status': (ctx) => dayStatusOf(ctx),
  'day.xReport': xReport,
  'day.count': countDrawer,
  'day.close': closeDay,
  'day.zList': zList,
  'day.zReport': zReport,
  'day.zSlip': zSlipPreview,
  'day.printZ': printZSlip,
  'takings.settle': settleTakings,
  'report.period': periodReport,
  'report.export': exportReport,
  'float.forecast': floatForecast,
};
