// Business days are local dates in Asia/Shanghai (UTC+8 all year: China has had no DST since 1991).
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

export const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** The business day (YYYY-MM-DD, Asia/Shanghai) an instant belongs to. */
export function businessDayOf(instant: Date): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** Local time of day in Shanghai, "HH:MM:SS". */
export function shanghaiTimeOf(instant: Date): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(11, 19);
}

/** "2026-11-28 09:15:02" in Shanghai time, for receipts and lists. */
export function shanghaiDateTime(instant: Date | string): string {
  const d = typeof instant === 'string' ? new Date(instant) : instant;
  return `${businessDayOf(d)} ${shanghaiTimeOf(d)}`;
}

/** Day arithmetic on YYYY-MM-DD strings (calendar days, no time zone involved). */
export function addDays(day: string, n: number): string {
  const t = Date.parse(`${day}T00:00:00Z`) + n * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** The instant a Shanghai business day starts, as a UTC ISO string. */
export function dayStartUtc(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - SHANGHAI_OFFSET_MS).toISOString();
}

export function isValidDay(day: string): boolean {
  if (!DAY_RE.test(day)) return false;
  const t = Date.parse(`${day}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === day;
}
