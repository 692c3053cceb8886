// The branch console's pages: server-rendered HTML, Chinese, plain forms that work with the
// keyboard alone (autofocus on the field to type next, Enter submits, Alt+digit for the menu).
// One inline script (CSP nonce) only on the voucher page, for its print button.
// The frame they are drawn in (style, menu, shell) is ./frame.ts.
import { shanghaiDateTime } from '../../shared/business-day';
import { formatFen, formatFenGrouped } from '../../shared/money';
import type { GreenCardBinding, TransferRecord, VoucherRecord } from '../store/types';
import { amountInWords } from './amount-words';
import { csrfField, errorBox, esc, page, type PageContext } from './frame';
import type { OfficeErrorCode } from './errors';
import { zhCN } from './messages';
import type { AuditRecord, OfficeUser } from './types';

const T = zhCN.ui;

export function loginPage(
  ctx: PageContext,
  preloginToken: string,
  error?: { code: OfficeErrorCode; message: string },
  notice?: string,
): string {
  return page(
    ctx,
    T.loginTitle,
    `${error ? errorBox(error.code, error.message) : ''}${notice ? `<p class="note" data-testid="notice">${esc(notice)}</p>` : ''}
<div class="card" style="max-width:360px"><h2>${esc(T.loginTitle)}</h2>
<form method="post" action="/office/login" autocomplete="off">${csrfField(preloginToken)}
<label for="username">${esc(T.username)}</label><input id="username" name="username" required maxlength="64" autofocus autocomplete="username">
<label for="password">${esc(T.password)}</label><input id="password" name="password" type="password" required maxlength="200" autocomplete="current-password">
<p><button type="submit" data-testid="login">${esc(T.loginButton)}</button></p></form></div>`,
  );
}

export interface StationView {
  institutionNo: string;
  name: string;
  holder: string | null;
}

export function depositPage(
  ctx: PageContext,
  opts: {
    query: string;
    station?: StationView | undefined;
    card?: GreenCardBinding | undefined;
    canDeposit: boolean;
    requestKey?: string | undefined;
    error?: { code: OfficeErrorCode; message: string } | undefined;
  },
): string {
  const s = opts.station;
  const lookup = `<form method="get" action="/office/deposit" class="card">
<label for="no">${esc(T.institutionNo)}</label>
<input id="no" name="no" value="${esc(opts.query)}" required maxlength="32" inputmode="numeric" ${s ? '' : 'autofocus'}>
<button type="submit" data-testid="find">${esc(T.find)}</button></form>`;
  let detail = '';
  if (s) {
    detail = `<div class="card" data-testid="station"><p class="note">${esc(T.confirmStation)}</p>
<table><tr><th>${esc(T.institutionNo)}</th><td data-testid="station-no">${esc(s.institutionNo)}</td></tr>
<tr><th>${esc(T.stationName)}</th><td class="big" data-testid="station-name">${esc(s.name)}</td></tr>
<tr><th>${esc(T.holder)}</th><td class="big" data-testid="station-holder">${esc(s.holder ?? T.holderUnknown)}</td></tr>
<tr><th>${esc(T.cardMasked)}</th><td>${opts.card ? esc(opts.card.cardMasked) : esc(T.noCard)}</td></tr></table></div>`;
    detail += opts.canDeposit
      ? `<form method="post" action="/office/deposits" class="card" data-testid="deposit-form">${csrfField(ctx.csrf)}
<input type="hidden" name="institutionNo" value="${esc(s.institutionNo)}">
<input type="hidden" name="requestKey" value="${esc(opts.requestKey)}">
<label for="amount">${esc(T.amount)}</label><input id="amount" name="amount" required maxlength="16" inputmode="decimal" pattern="[0-9]+(\\.[0-9]{1,2})?" autofocus>
<label for="depositor">${esc(T.depositor)}</label><input id="depositor" name="depositor" required maxlength="32">
<p><button type="submit" data-testid="deposit">${esc(T.depositButton)}</button></p></form>`
      : `<p class="note" data-testid="read-only">${esc(T.readOnlyNote)}</p>`;
  }
  return page(
    { ...ctx, nav: 'deposit' },
    T.navDeposit,
    `${opts.error ? errorBox(opts.error.code, opts.error.message) : ''}${lookup}${detail}`,
  );
}

export function voucherPage(
  ctx: PageContext,
  v: VoucherRecord,
  stationName: string,
  mark: { kind: 'original' } | { kind: 'replay' } | { kind: 'reprint'; n: number },
): string {
  const markHtml =
    mark.kind === 'reprint'
      ? `<p><span class="mark" data-testid="reprint-mark">${esc(T.reprintMark(mark.n))}</span></p>`
      : mark.kind === 'replay'
        ? `<p><span class="mark" data-testid="reprint-mark">${esc(T.reprint)}</span> <span class="note">${esc(T.replayMark)}</span></p>`
        : `<p class="noprint note" data-testid="credited">${esc(T.credited)}</p>`;
  return page(
    ctx,
    `${T.voucherTitle} ${v.voucherNo}`,
    `<div class="voucher" data-testid="voucher">
<h2>中国邮政 · ${esc(T.voucherTitle)}</h2>${markHtml}
<table>
<tr><td>${esc(T.voucherNo)}</td><td class="big" data-testid="voucher-no">${esc(v.voucherNo)}</td></tr>
<tr><td>${esc(T.institutionNo)}</td><td data-testid="voucher-station">${esc(v.institutionNo)}</td></tr>
<tr><td>${esc(T.stationName)}</td><td>${esc(stationName)}</td></tr>
<tr><td>${esc(T.depositor)}</td><td>${esc(v.depositor)}</td></tr>
<tr><td>${esc(T.amountLower)}</td><td class="big" data-testid="voucher-amount">¥${esc(formatFenGrouped(v.amountFen))}</td></tr>
<tr><td>${esc(T.amountUpper)}</td><td data-testid="voucher-words">${esc(amountInWords(v.amountFen))}</td></tr>
<tr><td>${esc(T.branch)}</td><td>${esc(v.branchId)}</td></tr>
<tr><td>${esc(T.clerk)}</td><td>${esc(v.clerk)}</td></tr>
<tr><td>${esc(T.time)}</td><td>${esc(shanghaiDateTime(v.issuedAt))}</td></tr>
</table><p class="note">${esc(T.keepVoucher)}</p></div>
<p class="noprint"><button id="print" type="button" accesskey="p" autofocus data-testid="print">${esc(T.print)}（P）</button>
<a href="/office/deposit">${esc(T.navDeposit)}</a> · <a href="/office/day">${esc(T.navDay)}</a></p>`,
    `document.getElementById('print').addEventListener('click',function(){window.print();});`,
  );
}

export interface DayTotals {
  count: number;
  totalFen: number;
}

export function dayPage(
  ctx: PageContext,
  opts: {
    day: string;
    branch: string | null;
    scope: 'mine' | 'branch';
    vouchers: VoucherRecord[];
    mine: DayTotals | null;
    branchTotals: DayTotals;
    canReprint: boolean;
    chooseBranch: boolean;
  },
): string {
  const rows = opts.vouchers
    .map(
      (
        v,
      ) => `<tr data-testid="day-row" data-voucher="${esc(v.voucherNo)}"><td>${esc(v.voucherNo)}</td><td>${esc(shanghaiDateTime(v.issuedAt).slice(11))}</td>
<td>${esc(v.institutionNo)}</td><td>${esc(v.depositor)}</td><td>${esc(v.clerk)}</td><td class="num">${esc(formatFenGrouped(v.amountFen))}</td>
<td data-testid="confirmed">${v.confirmedAt ? esc(T.confirmedAt(shanghaiDateTime(v.confirmedAt).slice(11))) : esc(T.notConfirmed)}</td>
<td>${v.reprints > 0 ? esc(T.reprintMark(v.reprints)) : ''}</td>
<td>${
        opts.canReprint
          ? `<form method="post" action="/office/vouchers/${encodeURIComponent(v.voucherNo)}/reprint">${csrfField(ctx.csrf)}<button type="submit">${esc(T.reprint)}</button></form>`
          : ''
      }</td></tr>`,
    )
    .join('');
  const filter = `<form method="get" action="/office/day" class="card noprint">
<label for="date">${esc(T.date)}</label><input id="date" name="date" type="date" value="${esc(opts.day)}">
${
  opts.chooseBranch
    ? `<label for="branch">${esc(T.branch)}</label><input id="branch" name="branch" value="${esc(opts.branch ?? '')}" maxlength="20">`
    : `<select name="scope" aria-label="${esc(T.show)}"><option value="mine"${opts.scope === 'mine' ? ' selected' : ''}>${esc(T.mine)}</option><option value="branch"${opts.scope === 'branch' ? ' selected' : ''}>${esc(T.wholeBranch)}</option></select>`
}
<button type="submit">${esc(T.show)}</button></form>`;
  const totals = `<div class="card"><table>
${opts.mine ? `<tr><th>${esc(T.myTotal)}</th><td data-testid="my-count">${esc(T.count(opts.mine.count))}</td><td class="num big" data-testid="my-total">${esc(formatFenGrouped(opts.mine.totalFen))}</td></tr>` : ''}
<tr><th>${esc(T.handover)}</th><td data-testid="branch-count">${esc(T.count(opts.branchTotals.count))}</td><td class="num big" data-testid="branch-total">${esc(formatFenGrouped(opts.branchTotals.totalFen))}</td></tr>
</table></div>`;
  const table = opts.vouchers.length
    ? `<table data-testid="day-list"><thead><tr><th>${esc(T.voucherNo)}</th><th>${esc(T.time)}</th><th>${esc(T.institutionNo)}</th><th>${esc(T.depositor)}</th><th>${esc(T.clerk)}</th><th class="num">${esc(T.amountLower)}</th><th>${esc(T.stationConfirm)}</th><th></th><th></th></tr></thead><tbody>${rows}</tbody></table>`
    : `<p class="note" data-testid="day-empty">${esc(T.noDeposits)}</p>`;
  return page(
    { ...ctx, nav: 'day' },
    T.dayTitle(opts.day),
    `<h2>${esc(T.dayTitle(opts.day))}${opts.branch ? ` · ${esc(T.branch)} ${esc(opts.branch)}` : ''}</h2>${filter}${opts.branch ? totals + table : ''}`,
  );
}

export function cardsPage(
  ctx: PageContext,
  opts: {
    query: string;
    station?: StationView | undefined;
    card?: GreenCardBinding | undefined;
    transfers: TransferRecord[];
    canBind: boolean;
    error?: { code: OfficeErrorCode; message: string } | undefined;
  },
): string {
  const s = opts.station;
  let body = `${opts.error ? errorBox(opts.error.code, opts.error.message) : ''}
<form method="get" action="/office/cards" class="card"><label for="no">${esc(T.institutionNo)}</label>
<input id="no" name="no" value="${esc(opts.query)}" required maxlength="32" inputmode="numeric" autofocus>
<button type="submit">${esc(T.find)}</button></form>`;
  if (s) {
    body += `<div class="card" data-testid="card-station"><table>
<tr><th>${esc(T.institutionNo)}</th><td>${esc(s.institutionNo)}</td></tr>
<tr><th>${esc(T.stationName)}</th><td>${esc(s.name)}</td></tr>
<tr><th>${esc(T.holder)}</th><td>${esc(s.holder ?? T.holderUnknown)}</td></tr>
<tr><th>${esc(T.cardMasked)}</th><td data-testid="card-masked">${opts.card ? esc(opts.card.cardMasked) : esc(T.noCard)}</td></tr>
${opts.card ? `<tr><th>${esc(T.boundAt)}</th><td>${esc(shanghaiDateTime(opts.card.boundAt))}（${esc(opts.card.boundBy)}）</td></tr>` : ''}
</table>`;
    if (opts.canBind) {
      body += opts.card
        ? `<form method="post" action="/office/cards/unbind">${csrfField(ctx.csrf)}<input type="hidden" name="institutionNo" value="${esc(s.institutionNo)}"><p><button type="submit" data-testid="unbind">${esc(T.unbindConfirm)}</button></p></form>`
        : `<form method="post" action="/office/cards/bind">${csrfField(ctx.csrf)}<input type="hidden" name="institutionNo" value="${esc(s.institutionNo)}">
<label for="cardNumber">${esc(T.cardNumber)}</label><input id="cardNumber" name="cardNumber" required maxlength="23" inputmode="numeric" autocomplete="off">
<p><button type="submit" data-testid="bind">${esc(T.bind)}</button></p></form>`;
    }
    body += `</div><h3>${esc(T.transfers)}</h3>${
      opts.transfers.length
        ? `<table data-testid="transfers"><thead><tr><th>${esc(T.time)}</th><th>${esc(T.bankRef)}</th><th>${esc(T.cardMasked)}</th><th class="num">${esc(T.amountLower)}</th></tr></thead><tbody>${opts.transfers
            .map(
              (t) =>
                `<tr><td>${esc(shanghaiDateTime(t.at))}</td><td>${esc(t.bankRef)}</td><td>${esc(t.cardMasked)}</td><td class="num">${esc(formatFen(t.amountFen))}</td></tr>`,
            )
            .join('')}</tbody></table>`
        : `<p class="note">${esc(T.noTransfers)}</p>`
    }`;
  }
  return page({ ...ctx, nav: 'cards' }, T.cardsTitle, `<h2>${esc(T.cardsTitle)}</h2>${body}`);
}

export function usersPage(
  ctx: PageContext,
  users: OfficeUser[],
  opts: {
    created?: { username: string; password: string } | undefined;
    error?: { code: OfficeErrorCode; message: string } | undefined;
  },
): string {
  const rows = users
    .map(
      (
        u,
      ) => `<tr data-testid="user-row" data-username="${esc(u.username)}"><td>${esc(u.username)}</td><td>${esc(u.displayName)}</td><td>${esc(zhCN.role[u.role])}</td><td>${esc(u.branchCode ?? '')}</td>
<td>${u.disabledAt ? esc(T.disabled) : ''}</td><td>${
        u.disabledAt
          ? ''
          : `<form method="post" action="/office/users/${u.id}/reset-password" style="display:inline">${csrfField(ctx.csrf)}<button type="submit">${esc(T.resetPassword)}</button></form>
<form method="post" action="/office/users/${u.id}/disable" style="display:inline">${csrfField(ctx.csrf)}<button type="submit">${esc(T.disable)}</button></form>`
      }</td></tr>`,
    )
    .join('');
  const roles = (['clerk', 'supervisor', 'admin'] as const)
    .map((r) => `<option value="${r}">${esc(zhCN.role[r])}</option>`)
    .join('');
  return page(
    { ...ctx, nav: 'users' },
    T.usersTitle,
    `${opts.error ? errorBox(opts.error.code, opts.error.message) : ''}${
      opts.created
        ? `<div class="card big" data-testid="new-password">${esc(T.newUserPassword(opts.created.username, opts.created.password))}</div>`
        : ''
    }
<h2>${esc(T.usersTitle)}</h2><table><thead><tr><th>${esc(T.username)}</th><th>${esc(T.displayName)}</th><th>${esc(T.role)}</th><th>${esc(T.branch)}</th><th></th><th></th></tr></thead><tbody>${rows}</tbody></table>
<form method="post" action="/office/users" class="card">${csrfField(ctx.csrf)}<h3>${esc(T.createUser)}</h3>
<label for="username">${esc(T.username)}</label><input id="username" name="username" required maxlength="32" autofocus>
<label for="displayName">${esc(T.displayName)}</label><input id="displayName" name="displayName" required maxlength="32">
<label for="role">${esc(T.role)}</label><select id="role" name="role">${roles}</select>
<label for="branchCode">${esc(T.branchCode)}</label><input id="branchCode" name="branchCode" maxlength="20">
<p><button type="submit" data-testid="create-user">${esc(T.createUser)}</button></p></form>`,
  );
}

export function auditPage(
  ctx: PageContext,
  rows: AuditRecord[],
  filter: { action?: string | undefined; username?: string | undefined },
): string {
  const body = rows
    .map(
      (
        r,
      ) => `<tr data-testid="audit-row"><td>${esc(shanghaiDateTime(r.at))}</td><td>${esc(r.username ?? '')}</td><td>${esc(r.action)}</td>
<td>${esc(r.outcome)}</td><td>${esc(r.target ?? '')}</td><td>${esc(r.remote ?? '')}</td><td><code>${esc(JSON.stringify(r.details))}</code></td></tr>`,
    )
    .join('');
  return page(
    { ...ctx, nav: 'audit' },
    T.auditTitle,
    `<h2>${esc(T.auditTitle)}</h2><form method="get" action="/office/audit" class="card noprint">
<label for="action">${esc(T.action)}</label><input id="action" name="action" value="${esc(filter.action ?? '')}" maxlength="64">
<label for="user">${esc(T.user)}</label><input id="user" name="user" value="${esc(filter.username ?? '')}" maxlength="64">
<button type="submit">${esc(T.show)}</button></form>
<table><thead><tr><th>${esc(T.time)}</th><th>${esc(T.user)}</th><th>${esc(T.action)}</th><th>${esc(T.outcome)}</th><th>${esc(T.target)}</th><th>${esc(T.remote)}</th><th>${esc(T.details)}</th></tr></thead><tbody>${body}</tbody></table>`,
  );
}

export function passwordPage(ctx: PageContext, error?: { code: OfficeErrorCode; message: string }): string {
  return page(
    { ...ctx, nav: 'password' },
    T.changePassword,
    `${error ? errorBox(error.code, error.message) : ''}<form method="post" action="/office/password" class="card" style="max-width:360px">${csrfField(ctx.csrf)}
<h2>${esc(T.changePassword)}</h2>
<label for="oldPassword">${esc(T.oldPassword)}</label><input id="oldPassword" name="oldPassword" type="password" required maxlength="200" autofocus autocomplete="current-password">
<label for="newPassword">${esc(T.newPassword)}</label><input id="newPassword" name="newPassword" type="password" required minlength="10" maxlength="200" autocomplete="new-password">
<label for="confirmPassword">${esc(T.confirmPassword)}</label><input id="confirmPassword" name="confirmPassword" type="password" required minlength="10" maxlength="200" autocomplete="new-password">
<p><button type="submit">${esc(T.changePassword)}</button></p></form>`,
  );
}
