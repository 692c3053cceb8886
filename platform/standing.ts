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
import type { FaultRecord, MonitorStore, StationMonths, StationRecord } from './store/types';
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
  // No trigger details here (100,000 stations); `withDetail` adds them to the rows shown.
  const stations = rows.map((r) => {
    const row = rowOf(r, asOf);
    counts[row.standing.status]++;
    return row;
  });
  stations.sort(compareRows);
  return { asOf, total: rows.length, counts, stations };
}

function rowOf(r: StationMonths, asOf: string): StationStanding {
  return {
    institutionNo: r.institutionNo,
    name: r.name,
    openingDate: r.openingDate,
    lastSeq: r.lastSeq,
    lastUploadAt: r.lastUploadAt,
    standing: standingOf(monthlySeriesFromTotals(r.months), r.openingDate, asOf, 0),
    months: r.months,
  };
}

function compareRows(a: StationStanding, b: StationStanding): number {
  return (
    STATUS_ORDER[a.standing.status] - STATUS_ORDER[b.standing.status] ||
    LEVEL_ORDER[a.standing.level] - LEVEL_ORDER[b.standing.level] ||
    (a.institutionNo < b.institutionNo ? -1 : a.institutionNo > b.institutionNo ? 1 : 0)
  );
}

/** First index whose row does not sort before `row`. */
function lowerBound(rows: StationStanding[], row: StationStanding): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareRows(rows[mid]!, row) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Touched stations are refreshed in the background this long after the first touch. */
const REFRESH_DELAY_MS = 50;

/** The fleet's standing kept up to date as uploads and registrations arrive, instead of being
 *  recomputed from every station's months on each request: built once a day (the standing
 *  depends on "today"), then each touched station is re-read and moved to its place in the
 *  sorted list. Readers get the cached object: they must not change it. */
export class FleetStandingCache {
  private fleet: FleetStanding | undefined;
  private readonly byNo = new Map<string, StationStanding>();
  private readonly dirty = new Set<string>();
  private pending: Promise<FleetStanding> | undefined;
  private scheduled = false;

  constructor(private readonly store: MonitorStore) {}

  /** A station registered or uploaded: its row is refreshed soon after, in the background,
   *  and in any case before the next answer. */
  touch(institutionNo: string): void {
    this.dirty.add(institutionNo);
    if (this.fleet && !this.scheduled) {
      this.scheduled = true;
      setTimeout(() => {
        this.scheduled = false;
        if (this.fleet) void this.get(this.fleet.asOf).catch(() => undefined);
      }, REFRESH_DELAY_MS).unref?.();
    }
  }

  get(asOf: string): Promise<FleetStanding> {
    if (this.fleet && this.fleet.asOf === asOf && this.dirty.size === 0) return Promise.resolve(this.fleet);
    // One refresh at a time; concurrent readers share it.
    this.pending ??= this.refresh(asOf).finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async refresh(asOf: string): Promise<FleetStanding> {
    // Most of the fleet changed (a restart's first minutes, a bulk import): rebuild at once.
    if (!this.fleet || this.fleet.asOf !== asOf || this.dirty.size > Math.max(1_000, this.fleet.total / 5)) {
      this.dirty.clear();
      const fleet = await fleetStanding(this.store, asOf);
      this.byNo.clear();
      for (const r of fleet.stations) this.byNo.set(r.institutionNo, r);
      this.fleet = fleet;
      return fleet;
    }
    const fleet = this.fleet;
    const touched = [...this.dirty];
    this.dirty.clear();
    for (const no of touched) {
      const months = await this.store.stationMonths(no);
      const old = this.byNo.get(no);
      if (old) {
        const at = lowerBound(fleet.stations, old);
        if (fleet.stations[at] === old) fleet.stations.splice(at, 1);
        fleet.counts[old.standing.status]--;
        fleet.total--;
        this.byNo.delete(no);
      }
      if (!months) continue;
      const row = rowOf(months, asOf);
      fleet.stations.splice(lowerBound(fleet.stations, row), 0, row);
      fleet.counts[row.standing.status]++;
      fleet.total++;
      this.byNo.set(no, row);
    }
    return fleet;
  }
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
