// The closed set of refusals the backend can give, in the order a request is checked.
// Codes are stable (clients match on them); messages are Chinese, for the operator.

export const ERROR_CODES = {
  INVALID_INPUT: { status: 400, message: '输入有误，请检查后重试' },
  UNAUTHORIZED: { status: 401, message: '未授权：请从本机驿站程序打开' },
  NOT_TRAINED: { status: 403, message: '该操作员尚未完成此项业务培训，不能办理' },
  NOT_FOUND: { status: 404, message: '未找到该记录' },
  IDEMPOTENCY_CONFLICT: { status: 409, message: '同一笔业务编号已用于不同的请求，请重新发起' },
  IN_PROGRESS: { status: 409, message: '这笔业务正在处理中，请稍候查看结果' },
  DUPLICATE_VOUCHER: { status: 409, message: '该存款凭证号已经入账，不能重复充值' },
  ALREADY_REVERSED: { status: 409, message: '该笔交易已经冲正，不能再次冲正' },
  NOT_REVERSIBLE: { status: 409, message: '该笔交易不能冲正' },
  DAY_CLOSED: { status: 409, message: '该营业日已轧帐关闭，不能再记账' },
  BILL_EXPIRED: { status: 409, message: '账单查询已过期，请重新查询' },
  BILL_ALREADY_PAID: { status: 409, message: '该账单已缴费' },
  NO_BILL_DUE: { status: 404, message: '该户号当前没有待缴账单' },
  CASH_SHORT: { status: 422, message: '实收现金不足应收金额' },
  INSUFFICIENT_FLOAT: { status: 422, message: '预存款余额不足，请先充值' },
  PAYMENT_NOT_MADE: { status: 422, message: '缴费系统未收到这笔缴费，未扣款。请与客户重新确认后再缴' },
  PAYMENT_DECLINED: { status: 422, message: '缴费机构拒绝了这笔缴费' },
  GATEWAY_UNAVAILABLE: { status: 503, message: '缴费系统暂时无法连接，请稍后重试' },
  // 日终轧帐 (day close, PAY-4/PAY-5) — see backend/services/day-close.ts
  DAY_NOT_CLOSABLE: { status: 409, message: '该营业日现在不能轧帐：请先轧帐之前未轧帐的营业日' },
  PENDING_PAYMENTS: { status: 409, message: '还有结果待确认的缴费，不能轧帐：请先处理待确认的缴费' },
  COUNT_REQUIRED: { status: 409, message: '请先清点钱箱现金（以最近一次清点为准）' },
  REMARK_REQUIRED: { status: 422, message: '有差额，请填写差额说明后再轧帐' },
  TAKINGS_EXCEEDED: { status: 422, message: '结算金额超过未结算的营业款' },
  RECONCILIATION_FAILED: { status: 409, message: '账务核对不平，不能轧帐：请联系技术支持' },
  // 监测平台上报 (MON-2, MON-3) — see backend/services/monitor-upload.ts
  MONITOR_NOT_CONFIGURED: {
    status: 409,
    message: '尚未设置监测平台地址，暂不上报（记录会保留，设置后补报）',
  },
  MONITOR_UNREACHABLE: { status: 503, message: '无法连接监测平台，系统会自动重试，记录不会丢失' },
  MONITOR_REFUSED: { status: 502, message: '监测平台拒绝了本站的上报，请联系邮政管理部门核对站点登记' },
  MONITOR_KEY_UNAVAILABLE: { status: 500, message: '无法读取本站的上报密钥，请联系技术支持' },
  // 账本加固 (issue 9)
  PAYMENT_PENDING: {
    status: 409,
    message: '该账单有一笔缴费结果待确认，不能再次缴费：请先用原业务查询结果',
  },
  DAY_NOT_COUNTABLE: {
    status: 409,
    message: '只能清点当天或最早一个未轧帐的营业日的钱箱',
  },
  SECOND_HOLDER: { status: 409, message: '本站已有经营者（合同持有人），不能再添加第二位' },
  LEDGER_TAMPERED: {
    status: 503,
    message: '账本校验未通过（记录可能被改动），已停止收付业务：请联系邮政管理部门和技术支持',
  },
  INTERNAL: { status: 500, message: '系统内部错误，本笔业务未完成' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export type ErrorDetails = Record<string, unknown>;

export class YizhanError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;
  constructor(code: ErrorCode, details: ErrorDetails = {}, message?: string) {
    super(message ?? ERROR_CODES[code].message);
    this.name = 'YizhanError';
    this.code = code;
    this.details = details;
  }
  toJSON(): ApiError {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export interface ApiError {
  code: ErrorCode;
  message: string;
  details: ErrorDetails;
}

export type ApiReply<T> = { ok: true; data: T } | { ok: false; error: ApiError };

export function isErrorCode(x: unknown): x is ErrorCode {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CODES, x);
}

export function httpStatusOf(code: ErrorCode): number {
  return ERROR_CODES[code].status;
}
