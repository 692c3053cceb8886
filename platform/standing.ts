// MON-2 over the fleet (from monthly totals) and for one station (from daily counts, exact
// for any past date), plus the MON-1 weekly and monthly figures.
import { addDays } from '../shared/business-day';
import {
  monthlySeriesFromDaily,
  monthlySeriesFromTotals,
  monthlyTotals,
  mondayOf,
  standingOf,
  weeklyTotals,
  type ExitStatus,
  type MonthTotal,
  type Standing,
  type WeekTotal,
} from '../shared/exit-rule';
import type { FaultRecord, MonitorStore, StationRecord } from './store/types';
import { keyFingerprint } from './signing';

/** Weeks of figures shown per station (MON-1). */
export const WEEKS_SHOWN = 8;
export const FAULTS_SHOWN = 50;

export interface StationStanding {
  institutionNo: string;
  name: string;
  openingDate: string;
  lastSeq: number;
  lastUploadAt: string | null;
  standing: Standing;
  /** ['YYYY-MM', count] as stored. */
  months: Array<[string, number]>;
}

export interface FleetStanding {
  asOf: string;
  total: number;
  counts: Record<ExitStatus, number>;
  /** Remove first, then at risk by severity, then ok; by 机构号 within. Removal triggers are
   *  counted (`triggerCount`) but not listed: see `withDetail`. */
  stations: StationStanding[];
}

const STATUS_ORDER: Record<ExitStatus, number> = { remove: 0, at_risk: 1, ok: 2 };
const LEVEL_ORDER = { removed: 0, critical: 1, warning: 2, notice: 3, none: 4 } as const;

/** Every station's standing as of `asOf` (today: the monthly totals hold no later days). */
export async function fleetStanding(store: MonitorStore, asOf: string): Promise<FleetStanding> {
  const rows = await store.listStationsWithMonths();
  const counts: Record<ExitStatus, number> = { ok: 0, at_risk: 0, remove: 0 };
  const stations = rows.map((r) => {
    // No trigger details here (100,000 stations); `withDetail` adds them to the rows shown.
    const standing = standingOf(monthlySeriesFromTotals(r.months), r.openingDate, asOf, 0);
    counts[standing.status]++;
    return {
      institutionNo: r.institutionNo,
      name: r.name,
      openingDate: r.openingDate,
      lastSeq: r.lastSeq,
      lastUploadAt: r.lastUploadAt,
      standing,
      months: r.months,
    };
  });
  stations.sort(
    (a, b) =>
      STATUS_ORDER[a.standing.status] - STATUS_ORDER[b.standing.status] ||
      LEVEL_ORDER[a.standing.level] - LEVEL_ORDER[b.standing.level] ||
      (a.institutionNo < b.institutionNo ? -1 : 1),
  );
  return { asOf, total: rows.length, counts, stations };
}

/** The same row with its removal triggers listed. */
export function withDetail(s: StationStanding, asOf: string): StationStanding {
  if (s.standing.status !== 'remove') return s;
  return { ...s, standing: standingOf(monthlySeriesFromTotals(s.months), s.openingDate, asOf) };
}

export interface StationDetail {
  institutionNo: string;
  name: string;
  openingDate: string;
  publicKeyFingerprint: string;
  registeredAt: string;
  lastSeq: number;
  lastUploadAt: string | null;
  standing: Standing;
  months: MonthTotal[];
  weeks: WeekTotal[];
  faults: FaultRecord[];
}

export async function stationDetail(
  store: MonitorStore,
  s: StationRecord,
  asOf: string,
): Promise<StationDetail> {
  const daily = new Map(await store.dailyCounts(s.institutionNo, undefined, asOf));
  const series = monthlySeriesFromDaily(daily, s.openingDate, asOf);
  const weeksFrom = addDays(mondayOf(asOf), -7 * (WEEKS_SHOWN - 1));
  return {
    institutionNo: s.institutionNo,
    name: s.name,
    openingDate: s.openingDate,
    publicKeyFingerprint: keyFingerprint(s.publicKey),
    registeredAt: s.registeredAt,
    lastSeq: s.lastSeq,
    lastUploadAt: s.lastUploadAt,
    standing: standingOf(series, s.openingDate, asOf),
    months: monthlyTotals(series, s.openingDate, asOf),
    weeks: weeklyTotals(daily, weeksFrom, asOf),
    faults: await store.faults(s.institutionNo, FAULTS_SHOWN),
  };
}

/** Weekly totals of several stations, the last `weeks` weeks up to `asOf`. */
export async function weeklyOf(
  store: MonitorStore,
  institutionNos: readonly string[],
  asOf: string,
  weeks = WEEKS_SHOWN,
): Promise<Map<string, WeekTotal[]>> {
  const from = addDays(mondayOf(asOf), -7 * (weeks - 1));
  const days = await store.dailyCountsOf(institutionNos, from, asOf);
  const out = new Map<string, WeekTotal[]>();
  for (const no of institutionNos) out.set(no, weeklyTotals(new Map(days.get(no) ?? []), from, asOf));
  return out;
}
