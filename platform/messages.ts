// The monitor's user-facing text: zh-CN first (what the office sees), en second.
import type { AtRiskReason, ExitStatus, RemovalTrigger, WarningLevel } from '../shared/exit-rule';
import type { FaultKind } from '../shared/monitor-protocol';
import type { MonitorErrorCode } from './errors';

export interface MonitorMessages {
  errors: Record<MonitorErrorCode, string>;
  status: Record<ExitStatus, string>;
  level: Record<WarningLevel, string>;
  faultKind: Record<FaultKind, string>;
  reason(r: AtRiskReason): string;
  trigger(t: RemovalTrigger): string;
  ui: {
    title: string;
    subtitle: (asOf: string) => string;
    total: string;
    removeHeading: string;
    atRiskHeading: string;
    noneRemove: string;
    noneAtRisk: string;
    weeklyHeading: string;
    faultsHeading: string;
    noFaults: string;
    refusalsHeading: string;
    noRefusals: string;
    institutionNo: string;
    name: string;
    openingDate: string;
    why: string;
    monthly: string;
    weekly: string;
    faults: string;
    thisWeek: string;
    lastWeek: string;
    thisMonth: string;
    lastMonth: string;
    lastUpload: string;
    never: string;
    statusCol: string;
    time: string;
    kind: string;
    detail: string;
    code: string;
    truncated: (shown: number, total: number) => string;
    loginTitle: string;
    loginPrompt: string;
    loginButton: string;
    loginFailed: string;
    logout: string;
    chartCount: string;
    chartThreshold: string;
  };
}

export const zhCN: MonitorMessages = {
  errors: {
    INVALID_INPUT: '上报内容格式有误',
    INSTITUTION_MISMATCH: '上报内容中的机构号与地址中的机构号不一致',
    UNAUTHORIZED: '未授权：请提供有效的访问令牌',
    BAD_SIGNATURE: '签名无效：上报内容未通过本站公钥验证',
    UNKNOWN_STATION: '未登记的便民服务站（机构号不存在）',
    NOT_FOUND: '未找到该地址',
    STATION_EXISTS: '该机构号已经登记',
    SEQ_CONFLICT: '该序号已用于另一份不同的上报，请使用更大的序号重新上报',
    FUTURE_DAY: '不能上报未来日期的交易笔数',
    INVALID_PUBLIC_KEY: '公钥无效：应为 Ed25519 公钥（SPKI PEM 或 32 字节 base64）',
    PAYLOAD_TOO_LARGE: '上报内容过大，请分批上报',
    UNSUPPORTED_MEDIA_TYPE: '请以 application/json 格式提交',
    OP_MISMATCH: '请求内容的操作与地址不符',
    IDEMPOTENCY_CONFLICT: '同一业务编号已用于另一笔不同的请求',
    INSUFFICIENT_CENTRAL_BALANCE: '中心账户余额不足（信誉额度为零），未扣款',
    VOUCHER_NOT_FOUND: '中心系统查无此存款凭证（请核对凭证号与机构号）',
    VOUCHER_ALREADY_CONFIRMED: '该存款凭证已入账，不能重复确认',
    VOUCHER_AMOUNT_MISMATCH: '凭证金额与网点存款记录不符',
    NO_GREEN_CARD: '本站尚未绑定绿卡，请到网点办理绑定',
    REFERENCE_USED: '该银行流水号已入账',
    PAYMENT_NOT_FOUND: '中心系统找不到这笔缴费',
    PAYMENT_NOT_REVERSIBLE: '这笔缴费当前状态不能冲正',
    AMOUNT_OUT_OF_RANGE: '金额超出缴费单位允许的范围',
    BILL_MISMATCH: '账单与缴费单位记录不符（账单号或金额），请重新查询',
    BILL_ALREADY_PAID: '该账单已缴清',
    BILLER_UNAVAILABLE: '缴费单位暂时无法连接，请稍后查询结果',
    NOT_ACTIVATED: '该便民服务站尚未激活：请用管理员发放的激活码绑定安全证书',
    CERTIFICATE_REVOKED: '该便民服务站的安全证书已被吊销，请联系邮政管理员',
    CERTIFICATE_EXPIRED: '该便民服务站的安全证书已过期，请联系邮政管理员更换',
    ACTIVATION_CODE_INVALID: '激活码无效、已使用或已过期',
    INTERNAL: '监控系统内部错误，请稍后重试',
  },
  status: { ok: '正常', at_risk: '有淘汰风险', remove: '应予淘汰' },
  level: { none: '正常', notice: '留意', warning: '警告', critical: '严重', removed: '已达淘汰条件' },
  faultKind: {
    printer: '打印机故障',
    network: '网络故障',
    reconciliation: '对账差异',
    gateway: '缴费系统故障',
    power: '停电',
    other: '其他',
  },
  reason(r) {
    switch (r.kind) {
      case 'no_business_yet':
        return `${r.month} 已过 ${r.daysElapsed} 天仍无业务，本月剩 ${r.daysLeft} 天；整月无业务将被淘汰`;
      case 'low_month_in_progress':
        return (
          `${r.month} 已办 ${r.count} 笔 / ${r.threshold} 笔，还差 ${r.needed} 笔，剩 ${r.daysLeft} 天；` +
          `若不足 ${r.threshold} 笔，将是连续第 ${r.lowMonthsBefore + 1} 个不足月份` +
          (r.removalIfLow ? '，达到淘汰条件' : '')
        );
    }
  },
  trigger(t) {
    return t.rule === 'no_business'
      ? `${t.month} 整月无业务`
      : `${t.months[0]}～${t.month} 连续三个月每月不足 20 笔（${t.counts.join('、')} 笔）`;
  },
  ui: {
    title: '便民服务站退出监控',
    subtitle: (asOf) =>
      `评估日期 ${asOf}（北京时间）· 淘汰条件：一个月内没发生业务，或连续三个月每月交易不足 20 笔`,
    total: '站点总数',
    removeHeading: '应予淘汰的站点',
    atRiskHeading: '有淘汰风险的站点',
    noneRemove: '没有达到淘汰条件的站点。',
    noneAtRisk: '没有有风险的站点。',
    weeklyHeading: '各站每周、每月交易笔数',
    faultsHeading: '近期上报的异常情况',
    noFaults: '暂无异常上报。',
    refusalsHeading: '近期拒收的上报',
    noRefusals: '暂无拒收记录。',
    institutionNo: '机构号',
    name: '站点名称',
    openingDate: '开业日期',
    why: '原因',
    monthly: '近 12 个月交易笔数',
    weekly: '近 8 周',
    faults: '近 90 天异常',
    thisWeek: '本周',
    lastWeek: '上周',
    thisMonth: '本月',
    lastMonth: '上月',
    lastUpload: '最近上报',
    never: '从未上报',
    statusCol: '状态',
    time: '时间',
    kind: '类型',
    detail: '说明',
    code: '代码',
    truncated: (shown, total) => `仅显示前 ${shown} 个，共 ${total} 个；完整数据请用 /v1/standing 接口。`,
    loginTitle: '请输入访问令牌',
    loginPrompt: '访问令牌（管理令牌或只读令牌）',
    loginButton: '进入',
    loginFailed: '令牌无效，请重新输入。',
    logout: '退出',
    chartCount: '交易笔数',
    chartThreshold: '20 笔',
  },
};

export const en: MonitorMessages = {
  errors: {
    INVALID_INPUT: 'The upload is malformed',
    INSTITUTION_MISMATCH: 'The institution number in the body differs from the one in the path',
    UNAUTHORIZED: 'Unauthorised: a valid token is required',
    BAD_SIGNATURE: "Bad signature: the body does not verify against the station's public key",
    UNKNOWN_STATION: 'Unknown station (institution number not registered)',
    NOT_FOUND: 'Not found',
    STATION_EXISTS: 'This institution number is already registered',
    SEQ_CONFLICT: 'This seq was already used for a different upload; upload again with a higher seq',
    FUTURE_DAY: 'Counts for a future day cannot be uploaded',
    INVALID_PUBLIC_KEY: 'Invalid public key: expected Ed25519 (SPKI PEM or 32-byte base64)',
    PAYLOAD_TOO_LARGE: 'The upload is too large; split it',
    UNSUPPORTED_MEDIA_TYPE: 'Send application/json',
    OP_MISMATCH: 'The body names another operation than the path',
    IDEMPOTENCY_CONFLICT: 'This request key was used for a different request',
    INSUFFICIENT_CENTRAL_BALANCE: 'Central balance too low (credit limit is zero); nothing debited',
    VOUCHER_NOT_FOUND: 'No such deposit voucher for this station',
    VOUCHER_ALREADY_CONFIRMED: 'This voucher has been confirmed already',
    VOUCHER_AMOUNT_MISMATCH: 'The amount differs from the branch deposit',
    NO_GREEN_CARD: 'No Green Card is bound to this station',
    REFERENCE_USED: 'This bank reference has been credited already',
    PAYMENT_NOT_FOUND: 'No such payment',
    PAYMENT_NOT_REVERSIBLE: 'This payment cannot be reversed in its state',
    AMOUNT_OUT_OF_RANGE: "Amount outside the biller's limits",
    BILL_MISMATCH: "Bill does not match the biller's record; inquire again",
    BILL_ALREADY_PAID: 'The bill has been paid already',
    BILLER_UNAVAILABLE: 'The biller cannot be reached; ask for the status later',
    NOT_ACTIVATED:
      'This station is not activated yet: bind its certificate with the activation code from the office',
    CERTIFICATE_REVOKED: "This station's certificate has been revoked; contact the postal office",
    CERTIFICATE_EXPIRED: "This station's certificate has expired; ask the postal office for a new one",
    ACTIVATION_CODE_INVALID: 'The activation code is wrong, used or expired',
    INTERNAL: 'Internal error; try again later',
  },
  status: { ok: 'OK', at_risk: 'At risk', remove: 'To remove' },
  level: {
    none: 'OK',
    notice: 'Notice',
    warning: 'Warning',
    critical: 'Critical',
    removed: 'Removal condition met',
  },
  faultKind: {
    printer: 'Printer',
    network: 'Network',
    reconciliation: 'Reconciliation difference',
    gateway: 'Bill gateway',
    power: 'Power cut',
    other: 'Other',
  },
  reason(r) {
    return r.kind === 'no_business_yet'
      ? `${r.month}: no business after ${r.daysElapsed} days, ${r.daysLeft} left`
      : `${r.month}: ${r.count} of ${r.threshold}, ${r.needed} to go, ${r.daysLeft} days left; would be low month #${r.lowMonthsBefore + 1} in a row`;
  },
  trigger(t) {
    return t.rule === 'no_business'
      ? `${t.month}: no business`
      : `${t.months[0]}–${t.month}: under 20 three months running`;
  },
  ui: {
    title: 'Convenience station exit monitor',
    subtitle: (asOf) => `As of ${asOf} (Beijing time)`,
    total: 'Stations',
    removeHeading: 'Stations to remove',
    atRiskHeading: 'Stations at risk',
    noneRemove: 'None.',
    noneAtRisk: 'None.',
    weeklyHeading: 'Weekly and monthly transactions per station',
    faultsHeading: 'Recent faults reported',
    noFaults: 'No faults.',
    refusalsHeading: 'Recently refused uploads',
    noRefusals: 'None.',
    institutionNo: 'Institution no.',
    name: 'Name',
    openingDate: 'Opened',
    why: 'Why',
    monthly: 'Last 12 months',
    weekly: 'Last 8 weeks',
    faults: 'Faults (90 days)',
    thisWeek: 'This week',
    lastWeek: 'Last week',
    thisMonth: 'This month',
    lastMonth: 'Last month',
    lastUpload: 'Last upload',
    never: 'never',
    statusCol: 'Status',
    time: 'Time',
    kind: 'Kind',
    detail: 'Detail',
    code: 'Code',
    truncated: (shown, total) => `Showing ${shown} of ${total}; use /v1/standing for all.`,
    loginTitle: 'Access token',
    loginPrompt: 'Token (admin or read-only)',
    loginButton: 'Enter',
    loginFailed: 'Invalid token.',
    logout: 'Log out',
    chartCount: 'Transactions',
    chartThreshold: '20',
  },
};
