// The office's provisioning and supervision pages (issue 11): server-rendered Chinese HTML in
// the console's frame (office/frame.ts), plain forms that work with the keyboard alone. This file:
// the watch lists, the station list, a new station, the fee schedule; one station's page is
// ./station-page.ts, the fault pages ./fault-pages.ts.
import { shanghaiDateTime } from '../../shared/business-day';
import { CATALOGUE, SERVICE_IDS } from '../../shared/catalogue';
import { formatFen, formatFenGrouped } from '../../shared/money';
import { STATION_TYPE_ZH, STATION_TYPES } from '../../shared/station-profile';
import {
  csrfField,
  errorBox,
  esc,
  option,
  page,
  table,
  td,
  type FormError,
  type PageContext,
} from '../office/frame';
import type { FeeEntry, ProvisionedStation } from './types';
import { STANDING_ZH } from './station-page';

// ---------------------------------------------------------------- watch lists (front page)

export interface WatchLists {
  today: string;
  agreements: Array<{ institutionNo: string; name: string; endDay: string }>;
  certificates: Array<{ institutionNo: string; name: string; expiresAt: string; serial: string }>;
  notActivated: Array<{ institutionNo: string; name: string }>;
  unclosed: Array<{ institutionNo: string; name: string; lastDay: string | null }>;
  atRisk: Array<{ institutionNo: string; name: string; status: string; why: string }>;
  takings: Array<{ institutionNo: string; name: string; day: string; takingsDue: string }>;
  openFaults: number;
  overdueFaults: number;
}

export function watchPage(ctx: PageContext, w: WatchLists): string {
  const link = (no: string): string => `<a href="/office/stations/${esc(no)}">${esc(no)}</a>`;
  return page(
    { ...ctx, nav: 'watch' },
    '关注事项',
    `<h2>关注事项 <span class="note">（${esc(w.today)}）</span></h2>
<p>待处理异常 <strong data-testid="open-faults">${w.openFaults}</strong> 件，其中超过 2 天未处理 <strong class="warn" data-testid="overdue-faults">${w.overdueFaults}</strong> 件 · <a href="/office/faults">异常处理</a></p>
<div class="grid">
<div class="card"><h3>30 天内到期的代办协议</h3>${table(
      ['机构号', '站点', '协议到期'],
      w.agreements.map(
        (a) =>
          `<tr>${`<td>${link(a.institutionNo)}</td>`}${td(a.name)}${td(a.endDay, a.endDay < w.today ? 'warn' : '')}</tr>`,
      ),
      'watch-agreements',
    )}</div>
<div class="card"><h3>30 天内到期的安全证书</h3>${table(
      ['机构号', '站点', '证书到期', '序列号'],
      w.certificates.map(
        (c) =>
          `<tr><td>${link(c.institutionNo)}</td>${td(c.name)}${td(shanghaiDateTime(c.expiresAt))}${td(c.serial)}</tr>`,
      ),
      'watch-certificates',
    )}</div>
<div class="card"><h3>尚未激活的站点</h3>${table(
      ['机构号', '站点'],
      w.notActivated.map((s) => `<tr><td>${link(s.institutionNo)}</td>${td(s.name)}</tr>`),
      'watch-not-activated',
    )}</div>
<div class="card"><h3>有营业日未轧账上报的站点</h3>${table(
      ['机构号', '站点', '最后上报营业日'],
      w.unclosed.map(
        (s) => `<tr><td>${link(s.institutionNo)}</td>${td(s.name)}${td(s.lastDay ?? '从未上报')}</tr>`,
      ),
      'watch-unclosed',
    )}</div>
<div class="card"><h3>有淘汰风险的站点（MON-2）</h3>${table(
      ['机构号', '站点', '状态', '原因'],
      w.atRisk.map(
        (s) =>
          `<tr><td>${link(s.institutionNo)}</td>${td(s.name)}${td(STANDING_ZH[s.status] ?? s.status)}${td(s.why)}</tr>`,
      ),
      'watch-at-risk',
    )}</div>
</div>
<div class="card"><h3>营业款未结清的站点（PAY-5，最近一次轧账时）</h3>${table(
      ['机构号', '站点', '轧账营业日', '未结清营业款（元）'],
      w.takings.map(
        (x) =>
          `<tr><td>${link(x.institutionNo)}</td>${td(x.name)}${td(x.day)}${td(x.takingsDue, 'num')}</tr>`,
      ),
      'watch-takings',
    )}</div>`,
  );
}

// ---------------------------------------------------------------- stations (list, new)

export interface StationRow {
  station: ProvisionedStation;
  holder: string;
  balanceFen: number;
  monthCount: number;
  standing: string;
  activated: boolean;
}

export function stationsPage(
  ctx: PageContext,
  rows: StationRow[],
  f: { branch: string; type: string; standing: string; query: string },
  isAdmin: boolean,
): string {
  const typeOpts = [
    option('', '全部类型'),
    ...STATION_TYPES.map((t) => option(t, STATION_TYPE_ZH[t], f.type === t)),
  ];
  const standingOpts = [
    option('', '全部状况'),
    ...Object.entries(STANDING_ZH).map(([k, v]) => option(k, v, f.standing === k)),
  ];
  const q = new URLSearchParams(Object.entries(f).filter(([, v]) => v !== '')).toString();
  const chartData = JSON.stringify(rows.map((r) => [r.station.institutionNo, r.monthCount]));
  return page(
    { ...ctx, nav: 'stations' },
    '便民服务站',
    `<h2>便民服务站（${rows.length}）</h2>
${isAdmin ? '<p><a href="/office/stations/new" accesskey="n" data-testid="new-station">新建便民服务站（Alt+N）</a></p>' : ''}
<form method="get" action="/office/stations" class="card">
<label for="q">机构号或名称</label><input id="q" name="q" value="${esc(f.query)}" maxlength="32">
<label for="branch">所属网点</label><input id="branch" name="branch" value="${esc(f.branch)}" maxlength="20">
<label for="type">类型</label><select id="type" name="type">${typeOpts.join('')}</select>
<label for="standing">经营状况</label><select id="standing" name="standing">${standingOpts.join('')}</select>
<p><button type="submit">筛选</button> <a href="/office/stations.csv?${esc(q)}" data-testid="export-csv">导出 CSV</a> · <a href="/office/stations.xlsx?${esc(q)}" data-testid="export-xlsx">导出 Excel</a></p></form>
${table(
  ['机构号', '名称', '类型', '所属网点', '经营者', '中心余额（元）', '本月笔数', '经营状况', '激活'],
  rows.map(
    (r) =>
      `<tr data-testid="station-row" data-no="${esc(r.station.institutionNo)}"><td><a href="/office/stations/${esc(r.station.institutionNo)}">${esc(r.station.institutionNo)}</a></td>${td(r.station.name)}${td(STATION_TYPE_ZH[r.station.type])}${td(r.station.branchCode)}${td(r.holder)}${td(formatFenGrouped(r.balanceFen), 'num')}${td(r.monthCount, 'num')}${td(STANDING_ZH[r.standing] ?? r.standing)}${td(r.activated ? '已激活' : '未激活')}</tr>`,
  ),
  'stations-table',
)}
<div class="card"><h3>本月各站交易笔数（中心账务）</h3><div id="chart" style="height:280px" data-testid="stations-chart"></div></div>
<script type="application/json" id="chart-data">${chartData.replace(/</g, '\\u003c')}</script>
<script nonce="${esc(ctx.nonce)}" src="/assets/echarts.min.js"></script>`,
    CHART_SCRIPT,
  );
}

const CHART_SCRIPT = `(function(){var el=document.getElementById('chart');if(!el||!window.echarts)return;
var rows=JSON.parse(document.getElementById('chart-data').textContent).slice(0,60);
var c=window.echarts.init(el);c.setOption({animation:false,tooltip:{},grid:{left:48,right:16,top:16,bottom:64},
xAxis:{type:'category',data:rows.map(function(r){return r[0]}),axisLabel:{rotate:45}},yAxis:{type:'value',minInterval:1},
series:[{type:'bar',name:'笔数',data:rows.map(function(r){return r[1]})}]});})();`;

export function newStationPage(ctx: PageContext, today: string, nextYear: string, error: FormError): string {
  const services = SERVICE_IDS.map(
    (s) =>
      `<label style="display:inline"><input type="checkbox" name="services" value="${s}" checked> ${esc(CATALOGUE[s].nameZh)}</label> `,
  ).join('');
  return page(
    { ...ctx, nav: 'stations' },
    '新建便民服务站',
    `${error ? errorBox(error.code, error.message) : ''}<h2>新建便民服务站</h2>
<form method="post" action="/office/stations" class="card" autocomplete="off">${csrfField(ctx.csrf)}
<label for="institutionNo">机构号</label><input id="institutionNo" name="institutionNo" required maxlength="32" autofocus>
<label for="name">站点名称</label><input id="name" name="name" required maxlength="60">
<label for="type">类型</label><select id="type" name="type">${STATION_TYPES.map((t) => option(t, STATION_TYPE_ZH[t])).join('')}</select>
<label for="address">地址</label><input id="address" name="address" required maxlength="120" size="60">
<label for="branchCode">所属网点</label><input id="branchCode" name="branchCode" required maxlength="20">
<label for="holderName">经营者（代办协议签订人）姓名</label><input id="holderName" name="holderName" required maxlength="32">
<label for="holderId">经营者身份证号（只保存前 4 位和后 4 位）</label><input id="holderId" name="holderId" required maxlength="18">
<label for="openingDate">开办日期</label><input id="openingDate" name="openingDate" required value="${esc(today)}" maxlength="10">
<label for="agreementStart">代办协议起始日</label><input id="agreementStart" name="agreementStart" required value="${esc(today)}" maxlength="10">
<label for="agreementEnd">代办协议到期日（一般为一年）</label><input id="agreementEnd" name="agreementEnd" required value="${esc(nextYear)}" maxlength="10">
<label for="deposit">保证金（元）</label><input id="deposit" name="deposit" required maxlength="12" inputmode="decimal">
<label for="depositReceiptNo">保证金收据号</label><input id="depositReceiptNo" name="depositReceiptNo" required maxlength="40">
<fieldset><legend>开通业务</legend>${services}</fieldset>
<p><button type="submit" data-testid="create-station">开设</button></p></form>`,
  );
}
// ---------------------------------------------------------------- fees (SRV-4)

export function feesPage(
  ctx: PageContext,
  fees: FeeEntry[],
  today: string,
  isAdmin: boolean,
  error: FormError,
): string {
  const current = SERVICE_IDS.map((svc) => {
    const inForce = fees.filter((f) => f.service === svc && f.effectiveFrom <= today).at(-1);
    const coming = fees.filter((f) => f.service === svc && f.effectiveFrom > today);
    return `<tr data-testid="fee-row" data-service="${svc}">${td(CATALOGUE[svc].nameZh)}${td(formatFen(inForce?.feeFen ?? 0), 'num')}${td(
      coming.map((f) => `${f.effectiveFrom} 起 ${formatFen(f.feeFen)} 元`).join('；') || '—',
    )}</tr>`;
  });
  return page(
    { ...ctx, nav: 'fees' },
    '收费标准',
    `${error ? errorBox(error.code, error.message) : ''}<h2>收费标准（SRV-4）</h2>
<p class="note">每笔代收向客户收取的手续费，由平台统一设定并写入站点档案；站点不能自行加收或修改。未设定的业务收费为 0.00 元。</p>
${table(['业务', '今日收费（元）', '已定的调整'], current, 'fees-table')}
${
  isAdmin
    ? `<form method="post" action="/office/fees" class="card">${csrfField(ctx.csrf)}<h3>调整收费</h3>
<label for="service">业务</label><select id="service" name="service">${SERVICE_IDS.map((s) => option(s, CATALOGUE[s].nameZh)).join('')}</select>
<label for="fee">每笔收费（元）</label><input id="fee" name="fee" required maxlength="8" inputmode="decimal">
<label for="effectiveFrom">生效日期</label><input id="effectiveFrom" name="effectiveFrom" required maxlength="10">
<p><button type="submit" data-testid="set-fee">保存</button></p></form>`
    : ''
}
<div class="card"><h3>调整记录</h3>${table(
      ['业务', '收费（元）', '生效日期', '设定时间', '设定人'],
      [...fees]
        .reverse()
        .map(
          (f) =>
            `<tr>${td(CATALOGUE[f.service].nameZh)}${td(formatFen(f.feeFen), 'num')}${td(f.effectiveFrom)}${td(shanghaiDateTime(f.setAt))}${td(f.setBy)}</tr>`,
        ),
      'fee-history',
    )}</div>`,
  );
}
