// Gathers what the dashboard shows: stations to remove and at risk (with months, weeks and
// fault counts), the weekly/monthly figures table (MON-1), recent faults (MON-3).
import { addDays } from '../shared/business-day';
import { monthIndexOf, monthKeyOf, monthlySeriesFromTotals, monthlyTotals } from '../shared/exit-rule';
import type { DashboardData, DashboardRow, FiguresRow } from './dashboard';
import { fleetStanding, weeklyOf, withDetail, type FleetStanding, type StationStanding } from './standing';
import type { MonitorStore } from './store/types';

/** Rows per risk table and in the figures table: a page, not a data export (that is /v1/standing). */
export const DASHBOARD_MAX_ROWS = 200;
const MONTHS_CHARTED = 12;
const FAULTS_LISTED = 50;
const REFUSALS_LISTED = 20;
/** The fault column counts the last 90 days: recent trouble, not the station's whole history. */
const FAULT_COUNT_DAYS = 90;

export async function buildDashboard(
  store: MonitorStore,
  asOf: string,
  isAdmin: boolean,
  /** The fleet's standing, when the caller keeps it up to date (server.ts); else computed. */
  fleetOf: (asOf: string) => Promise<FleetStanding> = (d) => fleetStanding(store, d),
): Promise<DashboardData> {
  const fleet = await fleetOf(asOf);
  const remove = fleet.stations
    .filter((s) => s.standing.status === 'remove')
    .slice(0, DASHBOARD_MAX_ROWS)
    .map((s) => withDetail(s, asOf));
  const atRisk = fleet.stations.filter((s) => s.standing.status === 'at_risk').slice(0, DASHBOARD_MAX_ROWS);
  const figuresOf = [...fleet.stations]
    .sort((a, b) => (a.institutionNo < b.institutionNo ? -1 : 1))
    .slice(0, DASHBOARD_MAX_ROWS);

  const shown = [...new Set([...remove, ...atRisk, ...figuresOf].map((s) => s.institutionNo))];
  const weeks = await weeklyOf(store, shown, asOf);
  const faults = await store.faults(null, FAULTS_LISTED);
  const faultCounts = await store.faultCountsSince(addDays(asOf, -FAULT_COUNT_DAYS));
  const names = new Map(fleet.stations.map((s) => [s.institutionNo, s.name]));

  const row = (s: StationStanding): DashboardRow => ({
    institutionNo: s.institutionNo,
    name: s.name,
    openingDate: s.openingDate,
    lastUploadAt: s.lastUploadAt,
    standing: s.standing,
    months: monthlyTotals(monthlySeriesFromTotals(s.months), s.openingDate, asOf).slice(-MONTHS_CHARTED),
    weeks: weeks.get(s.institutionNo) ?? [],
    faults: faultCounts.get(s.institutionNo) ?? 0,
  });
  const thisMonth = asOf.slice(0, 7);
  const lastMonth = monthKeyOf(monthIndexOf(asOf) - 1);
  const figures: FiguresRow[] = figuresOf.map((s) => {
    const w = weeks.get(s.institutionNo) ?? [];
    const month = (m: string) => s.months.find(([k]) => k === m)?.[1] ?? 0;
    return {
      institutionNo: s.institutionNo,
      name: s.name,
      status: s.standing.status,
      thisWeek: w.at(-1)?.count ?? 0,
      lastWeek: w.at(-2)?.count ?? 0,
      thisMonth: month(thisMonth),
      lastMonth: month(lastMonth),
      lastUploadAt: s.lastUploadAt,
    };
  });

  return {
    asOf,
    total: fleet.total,
    counts: fleet.counts,
    remove: remove.map(row),
    atRisk: atRisk.map(row),
    figures,
    faults: faults.map((f) => ({ ...f, name: names.get(f.institutionNo) ?? '' })),
    refusals: isAdmin ? await store.recentRefusals(REFUSALS_LISTED) : null,
  };
}
