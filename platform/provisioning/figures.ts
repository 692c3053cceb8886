// MON-1 from the central journal: a station's weekly and monthly figures, its top-ups, and the
// monthly counts MON-2 uses (bill payments; a decline or reversal cancels the payment it
// answers; top-ups do not count) — compared with what the station's own signed uploads say.
import { addDays, businessDayOf } from '../../shared/business-day';
import type { JournalEntry } from '../store/types';

export interface Figure {
  /** Week: its Monday (YYYY-MM-DD); month: YYYY-MM. */
  period: string;
  count: number;
  /** What the customers paid through the station (bill payments less cancellations), fen. */
  amountFen: number;
}

export interface StationFigures {
  weekly: Figure[];
  monthly: Figure[];
  topUps: JournalEntry[];
}

export function mondayOf(day: string): string {
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(day, -((dow + 6) % 7));
}

const dayOf = (e: JournalEntry): string => businessDayOf(new Date(e.at));

/** Counted (+1, amount) or cancelled (−1, −amount) by an entry; top-ups are neither. */
function effect(e: JournalEntry): [number, number] | undefined {
  if (e.kind === 'bill_payment') return [1, -e.amountFen];
  if (e.kind === 'decline' || e.kind === 'reversal') return [-1, -e.amountFen];
  return undefined;
}

export function stationFigures(
  entries: readonly JournalEntry[],
  today: string,
  opts: { weeks: number; months: number },
): StationFigures {
  const weekly = new Map<string, Figure>();
  let w = mondayOf(today);
  for (let i = 0; i < opts.weeks; i++, w = addDays(w, -7))
    weekly.set(w, { period: w, count: 0, amountFen: 0 });
  const monthly = new Map<string, Figure>();
  let m = today.slice(0, 7);
  for (let i = 0; i < opts.months; i++) {
    monthly.set(m, { period: m, count: 0, amountFen: 0 });
    m = addDays(`${m}-01`, -1).slice(0, 7);
  }
  const topUps: JournalEntry[] = [];
  for (const e of entries) {
    if (e.kind === 'deposit' || e.kind === 'green_card') topUps.push(e);
    const fx = effect(e);
    if (!fx) continue;
    const day = dayOf(e);
    for (const f of [weekly.get(mondayOf(day)), monthly.get(day.slice(0, 7))]) {
      if (!f) continue;
      f.count += fx[0];
      f.amountFen += fx[1];
    }
  }
  return { weekly: [...weekly.values()], monthly: [...monthly.values()], topUps: topUps.reverse() };
}

export interface MonthCheck {
  month: string;
  central: number;
  uploaded: number | null;
}

/** Months where the station's uploads and the central journal disagree (uploads are its own
 *  account; MON-2's counts come from the journal). A month without an upload is not a
 *  disagreement: the station may simply not have closed it yet. */
export function disagreements(
  central: readonly Figure[],
  uploadedMonths: ReadonlyArray<[string, number]>,
): MonthCheck[] {
  const up = new Map(uploadedMonths);
  return central
    .map((f) => ({ month: f.period, central: f.count, uploaded: up.get(f.period) ?? null }))
    .filter((c) => c.uploaded !== null && c.uploaded !== c.central);
}
