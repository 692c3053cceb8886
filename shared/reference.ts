// Voucher numbers and bank references (PAY-2, PAY-3) are compared in one canonical form: trimmed,
// upper case, separators removed (issue 9 defect 5). What was typed is kept as typed; the
// database compares the same form (migration 006: vouchers.voucher_key, txns_bank_ref_key), so
// `vcase1`, `VCASE1` and `V-case 1` are one voucher.

/** The characters taken out: space, tab, line breaks, - _ . / (the SQL does the same). */
const SEPARATORS = /[ \t\n\r\-_./]/g;

/** The canonical form. Upper case is ASCII only, like SQLite's upper(). */
export function canonicalRef(typed: string): string {
  return typed.replace(SEPARATORS, '').replace(/[a-z]/g, (c) => c.toUpperCase());
}

/** The same canonical form as SQL, for an expression `x` (kept in step with canonicalRef). */
export function canonicalRefSql(x: string): string {
  return `upper(replace(replace(replace(replace(replace(replace(replace(replace(${x}, ' ', ''), char(9), ''), char(10), ''), char(13), ''), '-', ''), '_', ''), '.', ''), '/', ''))`;
}
