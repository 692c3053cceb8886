// The office's provisioning and supervision pages (issue 11): server-rendered Chinese HTML in
// the console's frame (office/pages.ts), plain forms that work with the keyboard alone.
import { shanghaiDateTime } from '../../shared/business-day';
import { CATALOGUE, SERVICE_IDS } from '../../shared/catalogue';
import { formatFen, formatFenGrouped } from '../../shared/money';
import type { FaultKind } from '../../shared/monitor-protocol';
import {
  PERMISSION_ZH,
  PERMISSIONS,
  STATION_TYPE_ZH,
  STATION_TYPES,
  TRAINING_SUBJECTS,
  type TrainingSubject,
} from '../../shared/station-profile';
import { zhCN as monitorZh } from '../messages';
import { csrfField, errorBox, esc, page, type PageContext } from '../office/pages';
import type { OfficeErrorCode } from '../office/errors';
import type { JournalEntry } from '../store/types';
import type { Figure, MonthCheck } from './figures';
import type { FeeEntry, FaultStatus, ProvisionedStation, StationFile } from './types';

type Err = { code: OfficeErrorCode; message: string } | undefined;

export const SUBJECT_ZH: Record<TrainingSubject, string> = {
  operation: '操作培训',
  water: '水费业务',
  electricity: '电费业务',
  gas: '燃气费业务',
  telephone: '电话费业务',
};
export const FAULT_STATUS_ZH: Record<FaultStatus, string> = {
  received: '已接收',
  handled: '已处理',
  escalated: '已上报',
  closed: '已关闭',
};
const STANDING_ZH: Record<string, string> = { ok: '正常', at_risk: '有淘汰风险', remove: '应淘汰' };
const JOURNAL_ZH: Record<string, string> = {
  deposit: '网点存款',
  green_card: '绿卡转账',
  bill_payment: '代收缴费',
  decline: '缴费失败退回',
  reversal: '冲正退回',
};

const table = (head: string[], rows: string[], testid: string, empty = '无'): string =>
  `<table data-testid="${testid}"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${
    rows.length ? rows.join('') : `<tr><td colspan="${head.length}" class="note">${esc(empty)}</td></tr>`
  }</tbody></table>`;
const td = (v: unknown, cls = ''): string => `<td${cls ? ` class="${cls}"` : ''}>${esc(v)}</td>`;
const option = (value: string, label: string, selected = false): string =>
  `<option value="${esc(value)}"${selected ? ' selected' : ''}>${esc(label)}</option>`;

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

export function newStationPage(ctx: PageContext, today: string, nextYear: string, error: Err): string {
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

// ---------------------------------------------------------------- one station

export interface StationView {
  file: StationFile;
  today: string;
  balanceFen: number | null;
  standing: { status: string; why: string } | null;
  weekly: Figure[];
  monthly: Figure[];
  topUps: JournalEntry[];
  recent: JournalEntry[];
  checks: MonthCheck[];
  faults: FaultRow[];
  issuedCode?: { code: string; expiresAt: string } | undefined;
  notice?: string | undefined;
}

const figuresTable = (title: string, rows: Figure[], testid: string): string =>
  `<div class="card"><h3>${esc(title)}</h3>${table(
    ['期间', '缴费笔数', '缴费金额（元）'],
    rows.map(
      (f) => `<tr>${td(f.period)}${td(f.count, 'num')}${td(formatFenGrouped(f.amountFen), 'num')}</tr>`,
    ),
    testid,
  )}</div>`;

export function stationPage(ctx: PageContext, v: StationView, isAdmin: boolean): string {
  const { file } = v;
  const s = file.station;
  const no = esc(s.institutionNo);
  const form = (action: string, inner: string, label: string, testid: string): string =>
    isAdmin
      ? `<form method="post" action="/office/stations/${no}/${action}" class="card">${csrfField(ctx.csrf)}${inner}<p><button type="submit" data-testid="${testid}">${esc(label)}</button></p></form>`
      : '';
  const a = file.agreement;
  const cert = file.certificate;
  const people = file.people.map((p) => {
    const auth = p.authorisations.at(-1);
    const trained = p.trainings
      .map((t) => `${SUBJECT_ZH[t.subject]} ${t.trainedOn}（${t.trainer}）`)
      .join('；');
    const revoke =
      isAdmin && auth && !auth.revokedAt
        ? `<form method="post" action="/office/stations/${no}/authorisations/${auth.id}/revoke" style="display:inline">${csrfField(ctx.csrf)}<button type="submit">撤销授权</button></form>`
        : '';
    return `<tr data-testid="person-row" data-person="${p.id}">${td(`P${p.id}`)}${td(p.name)}${td(p.role === 'holder' ? '经营者' : '授权人员')}${td(p.idMasked)}${td(
      auth
        ? `${auth.documentNo}；${auth.scope.map((x) => PERMISSION_ZH[x]).join('、')}；${auth.validFrom} 至 ${auth.validTo}${auth.revokedAt ? '（已撤销）' : ''}`
        : '',
    )}<td data-testid="training">${esc(trained || '未培训')}</td><td>${revoke}</td></tr>`;
  });
  const personOpts = file.people.map((p) => option(String(p.id), `P${p.id} ${p.name}`)).join('');
  const subjectOpts = TRAINING_SUBJECTS.map((t) => option(t, SUBJECT_ZH[t])).join('');
  const perms = PERMISSIONS.map(
    (p) =>
      `<label style="display:inline"><input type="checkbox" name="scope" value="${p}"${p === 'pay' || p === 'topup' ? ' checked' : ''}> ${esc(PERMISSION_ZH[p])}</label> `,
  ).join('');
  const serviceRows = SERVICE_IDS.map((svc) => {
    const open = file.services.includes(svc);
    const toggle = isAdmin
      ? `<form method="post" action="/office/stations/${no}/services" style="display:inline">${csrfField(ctx.csrf)}<input type="hidden" name="service" value="${svc}"><input type="hidden" name="opened" value="${open ? '0' : '1'}"><button type="submit">${open ? '停办' : '开通'}</button></form>`
      : '';
    return `<tr>${td(CATALOGUE[svc].nameZh)}${td(open ? '已开通' : '未开通')}<td>${toggle}</td></tr>`;
  });
  return page(
    { ...ctx, nav: 'stations' },
    `${s.institutionNo} ${s.name}`,
    `${v.notice ? `<p class="card" data-testid="notice">${esc(v.notice)}</p>` : ''}
${v.issuedCode ? `<div class="card big" data-testid="activation-code">激活码：<strong>${esc(v.issuedCode.code)}</strong>（一次有效，${esc(shanghaiDateTime(v.issuedCode.expiresAt))} 前使用；请当面交给经营者，本页关闭后不再显示）</div>` : ''}
<h2 data-testid="station-title">${no} ${esc(s.name)}</h2>
<div class="grid">
<div class="card"><h3>基本信息</h3><table>
<tr><th>类型</th>${td(STATION_TYPE_ZH[s.type])}</tr><tr><th>地址</th>${td(s.address)}</tr>
<tr><th>所属网点</th>${td(s.branchCode)}</tr><tr><th>开办日期</th>${td(s.openingDate)}</tr>
<tr><th>档案版本</th>${td(s.profileVersion)}</tr></table></div>
<div class="card"><h3>中心账户（MON-1）</h3><p class="big">余额 <strong data-testid="central-balance">${v.balanceFen === null ? '—' : esc(formatFenGrouped(v.balanceFen))}</strong> 元 <span class="note">（信誉额度 0.00）</span></p>
<p>经营状况：<strong data-testid="standing">${esc(v.standing ? (STANDING_ZH[v.standing.status] ?? v.standing.status) : '—')}</strong> ${esc(v.standing?.why ?? '')}</p>
${v.checks.length ? `<div class="error" data-testid="count-mismatch">站点上报笔数与中心账务不一致：${v.checks.map((c) => `${esc(c.month)} 中心 ${c.central} 笔，站点上报 ${c.uploaded} 笔`).join('；')}</div>` : '<p class="note">站点上报笔数与中心账务一致</p>'}</div>
<div class="card"><h3>代办协议（PPL-4）</h3>${
      a
        ? `<p data-testid="agreement">${esc(a.startDay)} 至 <span class="${a.endDay < v.today ? 'warn' : ''}">${esc(a.endDay)}</span>；保证金 ${esc(formatFen(a.depositFen))} 元（收据 ${esc(a.depositReceiptNo)}）</p>`
        : '<p>无</p>'
    }${form(
      'agreement',
      `<label for="startDay">起始日</label><input id="startDay" name="startDay" required maxlength="10">
<label for="endDay">到期日</label><input id="endDay" name="endDay" required maxlength="10">
<label for="deposit">保证金（元）</label><input id="deposit" name="deposit" required maxlength="12">
<label for="depositReceiptNo">保证金收据号</label><input id="depositReceiptNo" name="depositReceiptNo" required maxlength="40">`,
      '续签协议',
      'renew-agreement',
    )}</div>
<div class="card"><h3>安全证书（PPL-5）</h3>${
      cert
        ? `<p data-testid="certificate">序列号 ${esc(cert.serial)}；到期 ${esc(shanghaiDateTime(cert.expiresAt))}${cert.revokedAt ? `；<span class="warn">已吊销（${esc(cert.revokeReason ?? '')}）</span>` : ''}</p>`
        : '<p data-testid="certificate">未绑定（站点尚未激活）</p>'
    }${
      isAdmin
        ? `<form method="post" action="/office/stations/${no}/activation-code" style="display:inline">${csrfField(ctx.csrf)}<button type="submit" data-testid="issue-code">发放激活码</button></form>
${
  cert && !cert.revokedAt
    ? `<form method="post" action="/office/stations/${no}/certificate/renew" style="display:inline">${csrfField(ctx.csrf)}<button type="submit" data-testid="renew-cert">更换证书（延长一年）</button></form>
<form method="post" action="/office/stations/${no}/certificate/revoke" style="display:inline">${csrfField(ctx.csrf)}<input name="reason" required maxlength="100" placeholder="吊销原因" aria-label="吊销原因"><button type="submit" data-testid="revoke-cert">吊销</button></form>`
    : ''
}`
        : ''
    }</div>
</div>
<div class="card"><h3>开通业务</h3>${table(['业务', '状态', ''], serviceRows, 'services-table')}</div>
<div class="card"><h3>人员、授权与培训（PPL-1 ～ PPL-3）</h3>${table(
      ['编号', '姓名', '身份', '身份证', '书面授权（编号；范围；有效期）', '培训记录', ''],
      people,
      'people-table',
    )}
${form(
  'training',
  `<h4>登记培训</h4><label for="personId">人员</label><select id="personId" name="personId">${personOpts}</select>
<label for="subject">培训内容</label><select id="subject" name="subject">${subjectOpts}</select>
<label for="trainedOn">培训日期</label><input id="trainedOn" name="trainedOn" required value="${esc(v.today)}" maxlength="10">
<label for="trainer">培训人</label><input id="trainer" name="trainer" required maxlength="32">`,
  '登记培训',
  'record-training',
)}
${form(
  'delegates',
  `<h4>登记书面授权人员</h4><label for="dName">姓名</label><input id="dName" name="name" required maxlength="32">
<label for="dId">身份证号（只保存前 4 位和后 4 位）</label><input id="dId" name="idNumber" required maxlength="18">
<label for="documentNo">授权书编号</label><input id="documentNo" name="documentNo" required maxlength="40">
<fieldset><legend>授权范围</legend>${perms}</fieldset>
<label for="validFrom">有效期自</label><input id="validFrom" name="validFrom" required value="${esc(v.today)}" maxlength="10">
<label for="validTo">有效期至</label><input id="validTo" name="validTo" required maxlength="10">`,
  '登记授权',
  'add-delegate',
)}</div>
<div class="grid">${figuresTable('每周交易（中心账务，近 8 周）', v.weekly, 'weekly-figures')}${figuresTable('每月交易（中心账务，近 6 个月）', v.monthly, 'monthly-figures')}</div>
<div class="card"><h3>充值记录（网点存款、绿卡转账）</h3>${table(
      ['时间', '方式', '金额（元）', '凭证/流水号', '充值后余额（元）'],
      v.topUps
        .slice(0, 50)
        .map(
          (e) =>
            `<tr>${td(shanghaiDateTime(e.at))}${td(JOURNAL_ZH[e.kind])}${td(formatFenGrouped(e.amountFen), 'num')}${td(e.ref)}${td(formatFenGrouped(e.balanceAfterFen), 'num')}</tr>`,
        ),
      'topups-table',
    )}</div>
<div class="card"><h3>最近交易（中心账务）</h3>${table(
      ['序号', '时间', '类型', '金额（元）', '余额（元）', '关联号'],
      v.recent.map(
        (e) =>
          `<tr>${td(e.entryNo, 'num')}${td(shanghaiDateTime(e.at))}${td(JOURNAL_ZH[e.kind])}${td(formatFenGrouped(e.amountFen), 'num')}${td(formatFenGrouped(e.balanceAfterFen), 'num')}${td(e.ref)}</tr>`,
      ),
      'journal-table',
    )}</div>
<div class="card"><h3>异常（MON-3）</h3>${faultTable(ctx, v.faults, v.today)}</div>`,
  );
}

// ---------------------------------------------------------------- faults (MON-3)

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

// ---------------------------------------------------------------- fees (SRV-4)

export function feesPage(
  ctx: PageContext,
  fees: FeeEntry[],
  today: string,
  isAdmin: boolean,
  error: Err,
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
