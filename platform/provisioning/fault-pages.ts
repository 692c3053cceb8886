// The faults stations upload (MON-3) as the office handles them: received → handled (with a
// note) or escalated → closed; the table also stands on each station's page.
import { shanghaiDateTime } from '../../shared/business-day';
import type { FaultKind } from '../../shared/monitor-protocol';
import { zhCN as monitorZh } from '../messages';
import { csrfField, esc, option, page, table, td, type PageContext } from '../office/frame';
import type { FaultStatus } from './types';

export const FAULT_STATUS_ZH: Record<FaultStatus, string> = {
  received: '已接收',
  handled: '已处理',
  escalated: '已上报',
  closed: '已关闭',
};

export interface FaultRow {
  institutionNo: string;
  name: string;
  ref: string;
  day: string;
  kind: FaultKind;
  at: string;
  detail: string;
  status: FaultStatus;
  lastNote: string | null;
  overdue: boolean;
}

export function faultTable(ctx: PageContext, rows: FaultRow[], _today: string): string {
  const actions = (f: FaultRow): string => {
    const next: Array<[string, string]> =
      f.status === 'received'
        ? [
            ['handled', '已处理'],
            ['escalated', '上报'],
          ]
        : f.status === 'handled'
          ? [
              ['escalated', '上报'],
              ['closed', '关闭'],
            ]
          : f.status === 'escalated'
            ? [['closed', '关闭']]
            : [];
    if (!next.length) return '';
    return `<form method="post" action="/office/faults/move" data-testid="fault-form">${csrfField(ctx.csrf)}
<input type="hidden" name="institutionNo" value="${esc(f.institutionNo)}"><input type="hidden" name="faultRef" value="${esc(f.ref)}">
<input name="note" required maxlength="500" placeholder="处理说明" aria-label="处理说明" data-testid="fault-note">
<select name="status" aria-label="处理结果">${next.map(([v, l]) => option(v, l)).join('')}</select>
<button type="submit" data-testid="fault-submit">提交</button></form>`;
  };
  return table(
    ['机构号', '站点', '时间', '类别', '说明', '状态', '最近处理说明', '处理'],
    rows.map(
      (f) =>
        `<tr data-testid="fault-row" data-status="${f.status}"${f.overdue ? ' class="overdue"' : ''}>${td(f.institutionNo)}${td(f.name)}${td(shanghaiDateTime(f.at))}${td(monitorZh.faultKind[f.kind])}${td(f.detail)}<td>${esc(FAULT_STATUS_ZH[f.status])}${f.overdue ? ' <span class="warn">超期</span>' : ''}</td>${td(f.lastNote ?? '')}<td>${actions(f)}</td></tr>`,
    ),
    'faults-table',
    '没有异常',
  );
}

export function faultsPage(ctx: PageContext, rows: FaultRow[], today: string, showClosed: boolean): string {
  return page(
    { ...ctx, nav: 'faults' },
    '异常处理',
    `<h2>异常处理（MON-3）</h2><p class="note">站点随上报送来的异常：已接收 → 已处理（附说明）或已上报 → 已关闭。超过 2 天仍未处理的标为“超期”。
${showClosed ? '<a href="/office/faults">只看未关闭的</a>' : '<a href="/office/faults?all=1">包括已关闭的</a>'}</p>
${faultTable(ctx, rows, today)}`,
  );
}
