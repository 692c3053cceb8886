// CSV for spreadsheets (station reports, the office's station list): UTF-8 with a BOM and CRLF
// line ends so Excel opens Chinese text correctly; text a spreadsheet would run as a formula
// is defused.
export type CsvCell = string | number | null;

const MONEY_CELL_RE = /^-?\d+\.\d{2}$/;

/** A CSV field: quoted when needed; a leading = + - @ (not a money amount) is defused. */
export function csvField(v: CsvCell): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  let s = v;
  if (/^[=+\-@\t\r]/.test(s) && !MONEY_CELL_RE.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLines(lines: readonly string[]): string {
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

export const csvRow = (row: readonly CsvCell[]): string => row.map(csvField).join(',');
