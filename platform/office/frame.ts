// The frame every console page is drawn in (branch console, provisioning, supervision): the
// style, the menu by role, the page shell, the error box, the CSRF field, and the small HTML
// pieces (escaping, tables, options) the pages are written with.
import type { OfficeErrorCode } from './errors';
import { zhCN } from './messages';
import type { OfficeRole } from './types';

const T = zhCN.ui;

export function esc(s: unknown): string {
  return String(s ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export interface PageUser {
  username: string;
  displayName: string;
  role: OfficeRole;
  branchCode: string | null;
}

export interface PageContext {
  nonce: string;
  user?: PageUser | undefined;
  csrf?: string | undefined;
  /** The current menu entry, highlighted. */
  nav?:
    | 'deposit'
    | 'day'
    | 'cards'
    | 'users'
    | 'audit'
    | 'password'
    | 'watch'
    | 'stations'
    | 'fees'
    | 'faults'
    | undefined;
}

const STYLE = `
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;color:#222;background:#f6f7f9}
header{background:#006b3c;color:#fff;padding:8px 16px;display:flex;gap:16px;align-items:center;flex-wrap:wrap}
header h1{font-size:18px;margin:0 16px 0 0}
header a{color:#fff}
header nav a{margin-right:12px}
header nav a.on{font-weight:bold;text-decoration:underline}
header .who{margin-left:auto}
header form{display:inline}
main{padding:16px;max-width:1100px}
.card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:16px;margin-bottom:16px}
label{display:block;margin:8px 0 4px}
input,select,button{font-size:16px;padding:6px 8px}
button{cursor:pointer}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border:1px solid #ddd;padding:6px 8px;text-align:left}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.error{background:#fdecea;border:1px solid #f5c2c0;color:#8a1c1c;padding:12px;border-radius:6px;margin-bottom:16px}
.note{color:#555}
.overdue{background:#fff4e5}
.warn{color:#a35200;font-weight:bold}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:16px}
details{margin:8px 0}
.big{font-size:22px}
.voucher{background:#fff;border:2px solid #222;padding:24px;max-width:640px}
.voucher h2{text-align:center;margin-top:0}
.voucher .mark{color:#b00;font-weight:bold;font-size:20px;border:2px solid #b00;display:inline-block;padding:2px 8px}
.voucher table td{border:none;padding:4px 8px}
@media print{header,.noprint{display:none}body{background:#fff}main{padding:0}}
`;

function nav(ctx: PageContext): string {
  const u = ctx.user;
  if (!u) return '';
  const items: Array<[NonNullable<PageContext['nav']>, string, string, string]> = [];
  if (u.role !== 'admin') {
    items.push(['deposit', '/office/deposit', T.navDeposit, '1']);
    items.push(['day', '/office/day', T.navDay, '2']);
  }
  items.push(['cards', '/office/cards', T.navCards, '3']);
  if (u.role !== 'clerk') {
    items.push(['watch', '/office/watch', T.navWatch, '6']);
    items.push(['stations', '/office/stations', T.navStations, '7']);
    items.push(['fees', '/office/fees', T.navFees, '8']);
    items.push(['faults', '/office/faults', T.navFaults, '0']);
  }
  if (u.role === 'admin') items.push(['users', '/office/users', T.navUsers, '4']);
  if (u.role !== 'clerk') items.push(['audit', '/office/audit', T.navAudit, '5']);
  items.push(['password', '/office/password', T.changePassword, '9']);
  const links = items
    .map(
      ([id, href, label, key]) =>
        `<a href="${href}" accesskey="${key}"${ctx.nav === id ? ' class="on" aria-current="page"' : ''}>${esc(label)}</a>`,
    )
    .join('');
  const branch = u.branchCode ? ` · ${esc(T.branch)} ${esc(u.branchCode)}` : '';
  return `<nav>${links}</nav><span class="who" data-testid="who">${esc(u.displayName)}（${esc(zhCN.role[u.role])}${branch}）</span>
<form method="post" action="/office/logout"><input type="hidden" name="_csrf" value="${esc(ctx.csrf)}"><button type="submit" data-testid="logout">${esc(T.logout)}</button></form>`;
}

export function page(ctx: PageContext, title: string, body: string, script = ''): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · ${esc(T.system)}</title><style>${STYLE}</style></head>
<body><header><h1>${esc(T.system)} · ${esc(T.console)}</h1>${nav(ctx)}</header>
<main>${body}</main>${script ? `<script nonce="${esc(ctx.nonce)}">${script}</script>` : ''}</body></html>`;
}

export function errorBox(code: OfficeErrorCode, message: string): string {
  return `<div class="error" role="alert" data-testid="error" data-code="${esc(code)}"><strong>${esc(message)}</strong> <span class="note">（${esc(code)}）</span></div>`;
}

export const csrfField = (csrf: string | undefined): string =>
  `<input type="hidden" name="_csrf" value="${esc(csrf)}">`;

export function errorPage(ctx: PageContext, code: OfficeErrorCode, message: string): string {
  return page(ctx, T.error, `${errorBox(code, message)}<p><a href="/office">${esc(T.back)}</a></p>`);
}

/** A refusal shown above a form (its code and Chinese message), or none. */
export type FormError = { code: OfficeErrorCode; message: string } | undefined;

/** A table with a header row; `empty` stands in a single row when there are none. */
export const table = (head: string[], rows: string[], testid: string, empty = '无'): string =>
  `<table data-testid="${testid}"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${
    rows.length ? rows.join('') : `<tr><td colspan="${head.length}" class="note">${esc(empty)}</td></tr>`
  }</tbody></table>`;
export const td = (v: unknown, cls = ''): string => `<td${cls ? ` class="${cls}"` : ''}>${esc(v)}</td>`;
export const option = (value: string, label: string, selected = false): string =>
  `<option value="${esc(value)}"${selected ? ' selected' : ''}>${esc(label)}</option>`;
