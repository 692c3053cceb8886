// One station's page in the office console (issue 11): its file (agreement, certificate, people,
// trainings, authorisations, services), the central account's figures and journal (MON-1), its
// faults (MON-3), and — for an administrator — the forms that change them.
import { shanghaiDateTime } from '../../shared/business-day';
import { CATALOGUE, SERVICE_IDS } from '../../shared/catalogue';
import { formatFen, formatFenGrouped } from '../../shared/money';
import {
  PERMISSION_ZH,
  PERMISSIONS,
  STATION_TYPE_ZH,
  TRAINING_SUBJECTS,
  type TrainingSubject,
} from '../../shared/station-profile';
import { csrfField, esc, option, page, table, td, type PageContext } from '../office/frame';
import type { JournalEntry } from '../store/types';
import { faultTable, type FaultRow } from './fault-pages';
import type { Figure, MonthCheck } from './figures';
import type { StationFile } from './types';

export const SUBJECT_ZH: Record<TrainingSubject, string> = {
  operation: '操作培训',
  water: '水费业务',
  electricity: '电费业务',
  gas: '燃气费业务',
  telephone: '电话费业务',
};
export const STANDING_ZH: Record<string, string> = { ok: '正常', at_risk: '有淘汰风险', remove: '应淘汰' };
const JOURNAL_ZH: Record<string, string> = {
  deposit: '网点存款',
  green_card: '绿卡转账',
  bill_payment: '代收缴费',
  decline: '缴费失败退回',
  reversal: '冲正退回',
};

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
