// The dashboard for the postal e-commerce office: server-rendered HTML, one small inline script
// (CSP nonce) that draws each station's months with ECharts (served from /assets).
import { shanghaiDateTime } from '../shared/business-day';
import type { MonthTotal, Standing, WeekTotal, ExitStatus } from '../shared/exit-rule';
import type { FaultRecord, RefusalRecord } from './store/types';
import { zhCN as t } from './messages';

export const ECHARTS_PATH = '/assets/echarts.min.js';

export interface DashboardRow {
  institutionNo: string;
  name: string;
  openingDate: string;
  lastUploadAt: string | null;
  standing: Standing;
  /** The last 12 months (or fewer since opening). */
  months: MonthTotal[];
  weeks: WeekTotal[];
  faults: number;
}

export interface FiguresRow {
  institutionNo: string;
  name: string;
  status: ExitStatus;
  thisWeek: number;
  lastWeek: number;
  thisMonth: number;
  lastMonth: number;
  lastUploadAt: string | null;
}

export interface DashboardData {
  asOf: string;
  total: number;
  counts: Record<ExitStatus, number>;
  remove: DashboardRow[];
  atRisk: DashboardRow[];
  figures: FiguresRow[];
  faults: Array<FaultRecord & { name: string }>;
  /** Only shown to the admin role. */
  refusals: RefusalRecord[] | null;
}

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

const STYLE = `
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:0;background:#f4f6f8;color:#1f2d3d}
header{background:#006a3a;color:#fff;padding:14px 24px;display:flex;justify-content:space-between;align-items:center}
header h1{font-size:20px;margin:0}header p{margin:4px 0 0;font-size:13px;opacity:.9}header a{color:#fff}
main{padding:16px 24px;max-width:1280px}
.cards{display:flex;gap:12px;margin-bottom:16px}.card{background:#fff;border-radius:6px;padding:12px 18px;min-width:130px;box-shadow:0 1px 2px #0002}
.card b{display:block;font-size:26px}.card.remove b{color:#c0392b}.card.at_risk b{color:#d68910}.card.ok b{color:#1e8449}
section{background:#fff;border-radius:6px;padding:12px 16px;margin-bottom:16px;box-shadow:0 1px 2px #0002}
section h2{font-size:16px;margin:4px 0 10px}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border-bottom:1px solid #e5e8eb;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#fafbfc;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
.chart{width:320px;height:110px}.weeks{font-size:12px;color:#566;white-space:nowrap}
.tag{display:inline-block;white-space:nowrap;border-radius:3px;padding:1px 6px;font-size:12px;color:#fff}
.tag.removed,.tag.remove{background:#c0392b}.tag.critical{background:#e67e22}.tag.warning,.tag.at_risk{background:#d68910}.tag.notice{background:#7f8c8d}.tag.none,.tag.ok{background:#1e8449}
ul.why{margin:0;padding-left:16px}.muted{color:#7f8c8d;font-size:12px}
form.login{background:#fff;max-width:360px;margin:80px auto;padding:24px;border-radius:6px;box-shadow:0 1px 3px #0003}
form.login input{width:100%;box-sizing:border-box;padding:8px;margin:8px 0 12px;font-size:14px}
form.login button{background:#006a3a;color:#fff;border:0;padding:8px 20px;border-radius:4px;font-size:14px}.err{color:#c0392b}
`;

function page(title: string, body: string, nonce: string, withCharts: boolean): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style>${withCharts ? `<script src="${ECHARTS_PATH}" nonce="${nonce}"></script>` : ''}</head><body>${body}</body></html>`;
}

export function renderLogin(nonce: string, failed: boolean): string {
  const body = `<form class="login" method="get" action="/"><h2>${t.ui.loginTitle}</h2>
${failed ? `<p class="err">${t.ui.loginFailed}</p>` : ''}<label>${t.ui.loginPrompt}<input type="password" name="token" autocomplete="off" autofocus></label>
<button type="submit">${t.ui.loginButton}</button></form>`;
  return page(t.ui.title, body, nonce, false);
}

/** Instants are shown in Beijing time, whatever offset they were sent with. */
function when(at: string): string {
  return Number.isNaN(Date.parse(at)) ? escapeHtml(at) : shanghaiDateTime(at);
}

function upload(at: string | null): string {
  return at ? when(at) : `<span class="muted">${t.ui.never}</span>`;
}

function riskRows(rows: DashboardRow[], chartData: Record<string, unknown>, prefix: string): string {
  return rows
    .map((r, i) => {
      const id = `${prefix}${i}`;
      chartData[id] = {
        labels: r.months.map((m) => m.month.slice(2)),
        counts: r.months.map((m) => m.count),
        colors: r.months.map((m) =>
          !m.judged ? '#bdc3c7' : !m.complete ? '#5dade2' : m.low ? '#c0392b' : '#27ae60',
        ),
      };
      const v = r.standing.verdict;
      const why =
        v.status === 'remove'
          ? v.triggers.map(t.trigger)
          : v.status === 'at_risk'
            ? v.reasons.map(t.reason)
            : [];
      return `<tr data-station="${escapeHtml(r.institutionNo)}"><td>${escapeHtml(r.institutionNo)}</td><td>${escapeHtml(r.name)}<div class="muted">${t.ui.openingDate} ${r.openingDate}</div></td>
<td><span class="tag ${r.standing.level}">${t.level[r.standing.level]}</span></td>
<td><ul class="why">${why.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul></td>
<td><div class="chart" data-chart="${id}"></div></td>
<td class="weeks">${r.weeks.map((w) => `${w.weekStart.slice(5)}：${w.count}`).join('<br>')}</td>
<td class="num">${r.faults}</td><td>${upload(r.lastUploadAt)}</td></tr>`;
    })
    .join('\n');
}

function riskTable(
  heading: string,
  none: string,
  rows: DashboardRow[],
  total: number,
  chartData: Record<string, unknown>,
  prefix: string,
  id: string,
): string {
  const head = `<tr><th>${t.ui.institutionNo}</th><th>${t.ui.name}</th><th>${t.ui.statusCol}</th><th>${t.ui.why}</th><th>${t.ui.monthly}</th><th>${t.ui.weekly}</th><th>${t.ui.faults}</th><th>${t.ui.lastUpload}</th></tr>`;
  const more = rows.length < total ? `<p class="muted">${t.ui.truncated(rows.length, total)}</p>` : '';
  const table =
    rows.length === 0
      ? `<p class="muted">${none}</p>`
      : `<table>${head}${riskRows(rows, chartData, prefix)}</table>${more}`;
  return `<section id="${id}"><h2>${heading}（${total}）</h2>${table}</section>`;
}

export function renderDashboard(d: DashboardData, nonce: string): string {
  const chartData: Record<string, unknown> = {};
  const cards = (['remove', 'at_risk', 'ok'] as const)
    .map((s) => `<div class="card ${s}">${t.status[s]}<b>${d.counts[s]}</b></div>`)
    .join('');
  const figures = d.figures
    .map(
      (
        f,
      ) => `<tr><td>${escapeHtml(f.institutionNo)}</td><td>${escapeHtml(f.name)}</td><td><span class="tag ${f.status}">${t.status[f.status]}</span></td>
<td class="num">${f.thisWeek}</td><td class="num">${f.lastWeek}</td><td class="num">${f.thisMonth}</td><td class="num">${f.lastMonth}</td><td>${upload(f.lastUploadAt)}</td></tr>`,
    )
    .join('\n');
  const faults = d.faults
    .map(
      (f) =>
        `<tr><td>${when(f.at)}</td><td>${escapeHtml(f.institutionNo)} ${escapeHtml(f.name)}</td><td>${t.faultKind[f.kind] ?? escapeHtml(f.kind)}</td><td>${escapeHtml(f.detail)}</td></tr>`,
    )
    .join('\n');
  const refusals =
    d.refusals === null
      ? ''
      : `<section id="refusals"><h2>${t.ui.refusalsHeading}</h2>${
          d.refusals.length === 0
            ? `<p class="muted">${t.ui.noRefusals}</p>`
            : `<table><tr><th>${t.ui.time}</th><th>${t.ui.institutionNo}</th><th>${t.ui.code}</th><th>${t.ui.detail}</th></tr>${d.refusals
                .map(
                  (r) =>
                    `<tr><td>${when(r.at)}</td><td>${escapeHtml(r.institutionNo ?? '')}</td><td>${escapeHtml(r.code)}</td><td class="muted">${escapeHtml(JSON.stringify(r.details).slice(0, 200))}</td></tr>`,
                )
                .join('')}</table>`
        }</section>`;

  const body = `<header><div><h1>${t.ui.title}</h1><p>${escapeHtml(t.ui.subtitle(d.asOf))}</p></div><a href="/logout">${t.ui.logout}</a></header><main>
<div class="cards"><div class="card">${t.ui.total}<b>${d.total}</b></div>${cards}</div>
${riskTable(t.ui.removeHeading, t.ui.noneRemove, d.remove, d.counts.remove, chartData, 'r', 'remove')}
${riskTable(t.ui.atRiskHeading, t.ui.noneAtRisk, d.atRisk, d.counts.at_risk, chartData, 'a', 'at-risk')}
<section id="figures"><h2>${t.ui.weeklyHeading}</h2><table><tr><th>${t.ui.institutionNo}</th><th>${t.ui.name}</th><th>${t.ui.statusCol}</th><th>${t.ui.thisWeek}</th><th>${t.ui.lastWeek}</th><th>${t.ui.thisMonth}</th><th>${t.ui.lastMonth}</th><th>${t.ui.lastUpload}</th></tr>${figures}</table>
${d.figures.length < d.total ? `<p class="muted">${t.ui.truncated(d.figures.length, d.total)}</p>` : ''}</section>
<section id="faults"><h2>${t.ui.faultsHeading}</h2>${d.faults.length === 0 ? `<p class="muted">${t.ui.noFaults}</p>` : `<table><tr><th>${t.ui.time}</th><th>${t.ui.name}</th><th>${t.ui.kind}</th><th>${t.ui.detail}</th></tr>${faults}</table>`}</section>
${refusals}</main>
<script type="application/json" id="chart-data">${JSON.stringify(chartData).replace(/</g, '\\u003c')}</script>
<script nonce="${nonce}">${CHART_SCRIPT(t.ui.chartCount)}</script>`;
  return page(t.ui.title, body, nonce, true);
}

const CHART_SCRIPT = (seriesName: string): string => `
(function(){
  if (typeof echarts === 'undefined') return;
  var data = JSON.parse(document.getElementById('chart-data').textContent);
  document.querySelectorAll('[data-chart]').forEach(function(el){
    var d = data[el.getAttribute('data-chart')]; if (!d) return;
    echarts.init(el).setOption({
      animation: false, grid: {left: 30, right: 24, top: 10, bottom: 22}, tooltip: {trigger: 'axis'},
      xAxis: {type: 'category', data: d.labels, axisLabel: {fontSize: 9}},
      yAxis: {type: 'value', minInterval: 1, axisLabel: {fontSize: 9}},
      series: [{name: ${JSON.stringify(seriesName)}, type: 'bar', barMaxWidth: 14,
        data: d.counts.map(function(v, i){ return {value: v, itemStyle: {color: d.colors[i]}}; }),
        markLine: {silent: true, symbol: 'none', data: [{yAxis: 20}], lineStyle: {color: '#c0392b', type: 'dashed'}, label: {fontSize: 9}}}]
    });
  });
})();`;
