// The closed set of refusals the backend can give, in the order a request is checked.
// Codes are stable (clients match on them). The text of each refusal lives in the message
// catalogues (shared/messages: zh-CN and en), keyed by code and a `variant` in the details; the
// backend fills every reply's `message` in Chinese from it, the renderer shows its own language.
import { formatFrom } from './messages/format';
import { zhCN } from './messages/zh-CN';

/** What a refusal says about the request's outcome:
 *  - `answer`:   the final outcome of this request (recorded against its idempotency key; the
 *                same key replays it);
 *  - `rejected`: final too, but the request was refused before it was examined (bad input, not
 *                authorised, a key reused for another request): it says nothing about the business;
 *  - `unknown`:  not a final outcome — the request's fate is not known yet, and a retry must reuse
 *                the same idempotency key. */
export type Finality = 'answer' | 'rejected' | 'unknown';

export const ERROR_CODES = {
  INVALID_INPUT: { status: 400, finality: 'rejected' },
  UNAUTHORIZED: { status: 401, finality: 'rejected' },
  NOT_LOGGED_IN: { status: 401, finality: 'rejected' },
  NOT_PERMITTED: { status: 403, finality: 'rejected' },
  NOT_ADMITTED: { status: 403, finality: 'rejected' },
  OPERATOR_LOCKED: { status: 423, finality: 'rejected' },
  WRONG_PIN: { status: 401, finality: 'rejected' },
  PIN_NOT_SET: { status: 400, finality: 'rejected' },
  PIN_MISMATCH: { status: 400, finality: 'rejected' },
  NOT_TRAINED: { status: 403, finality: 'answer' },
  SERVICE_NOT_OPEN: { status: 403, finality: 'answer' },
  CERTIFICATE_REFUSED: { status: 403, finality: 'answer' },
  // 练习模式 (PPL-2) — see backend/training.ts
  /** This station runs no training ledger (no simulated central system beside it). */
  TRAINING_UNAVAILABLE: { status: 503, finality: 'rejected' },
  /** A real setting cannot be changed from training mode. */
  TRAINING_NOT_ALLOWED: { status: 403, finality: 'rejected' },
  NOT_FOUND: { status: 404, finality: 'answer' },
  IDEMPOTENCY_CONFLICT: { status: 409, finality: 'rejected' },
  IN_PROGRESS: { status: 409, finality: 'unknown' },
  DUPLICATE_VOUCHER: { status: 409, finality: 'answer' },
  ALREADY_REVERSED: { status: 409, finality: 'answer' },
  NOT_REVERSIBLE: { status: 409, finality: 'answer' },
  DAY_CLOSED: { status: 409, finality: 'answer' },
  BILL_EXPIRED: { status: 409, finality: 'answer' },
  BILL_ALREADY_PAID: { status: 409, finality: 'answer' },
  NO_BILL_DUE: { status: 404, finality: 'answer' },
  // Customer-chosen amounts (prepaid meter, phone top-up) — see backend/services/bill.ts
  /** Nothing is due on this bill: the customer's chosen amount must be given. */
  AMOUNT_REQUIRED: { status: 422, finality: 'answer' },
  /** A chosen amount outside the biller's limits. */
  AMOUNT_OUT_OF_RANGE: { status: 422, finality: 'answer' },
  /** An amount other than the amount due, for a bill that takes no chosen amount. */
  AMOUNT_FIXED: { status: 422, finality: 'answer' },
  // SRV-2: the payee confirmed with the customer before a payment — see backend/services/payee-confirmation.ts
  /** No confirmation, or not one of this bill at this amount by this operator. */
  PAYEE_NOT_CONFIRMED: { status: 409, finality: 'answer' },
  /** The confirmation is older than its validity (10 minutes): confirm with the customer again. */
  PAYEE_CONFIRMATION_EXPIRED: { status: 409, finality: 'answer' },
  /** The confirmation was used by another payment. */
  PAYEE_CONFIRMATION_USED: { status: 409, finality: 'answer' },
  CASH_SHORT: { status: 422, finality: 'answer' },
  CASH_TOO_MUCH: { status: 422, finality: 'answer' },
  INSUFFICIENT_FLOAT: { status: 422, finality: 'answer' },
  PAYMENT_NOT_MADE: { status: 422, finality: 'answer' },
  PAYMENT_DECLINED: { status: 422, finality: 'answer' },
  GATEWAY_UNAVAILABLE: { status: 503, finality: 'unknown' },
  // 日终轧账 (day close, PAY-4/PAY-5) — see backend/services/day-close.ts
  DAY_NOT_CLOSABLE: { status: 409, finality: 'answer' },
  PENDING_PAYMENTS: { status: 409, finality: 'answer' },
  COUNT_REQUIRED: { status: 409, finality: 'answer' },
  REMARK_REQUIRED: { status: 422, finality: 'answer' },
  TAKINGS_EXCEEDED: { status: 422, finality: 'answer' },
  RECONCILIATION_FAILED: { status: 409, finality: 'answer' },
  // 监测平台上报 (MON-2, MON-3) — see backend/services/monitor-upload.ts
  MONITOR_NOT_CONFIGURED: { status: 409, finality: 'answer' },
  MONITOR_UNREACHABLE: { status: 503, finality: 'answer' },
  MONITOR_REFUSED: { status: 502, finality: 'answer' },
  MONITOR_KEY_UNAVAILABLE: { status: 500, finality: 'answer' },
  // 手工上报异常 (MON-3) — see backend/services/faults.ts
  FAULT_ALREADY_REPORTED: { status: 409, finality: 'answer' },
  FAULT_REPORT_LIMIT: { status: 409, finality: 'answer' },
  // 账本加固 (issue 9) — see db/migrations/006-hardening.ts, 007-ledger-chain.ts
  /** Another key while a payment of the same bill is pending: not this request's outcome. */
  PAYMENT_PENDING: { status: 409, finality: 'unknown' },
  DAY_NOT_COUNTABLE: { status: 409, finality: 'answer' },
  SECOND_HOLDER: { status: 409, finality: 'answer' },
  /** Money stops until the ledger verifies again: not this request's outcome. */
  LEDGER_TAMPERED: { status: 503, finality: 'unknown' },
  // 首次启动 (issue 12 item 1) and the platform address — see scripts/station-runtime.ts, backend/setup.ts
  /** The data folder has no station yet: only the first-run choice answers. */
  SETUP_REQUIRED: { status: 409, finality: 'rejected' },
  /** The first-run choice was made already. */
  ALREADY_SET_UP: { status: 409, finality: 'answer' },
  /** The platform refused the activation (a wrong, used or expired code), or its profile did not verify. */
  ACTIVATION_REFUSED: { status: 422, finality: 'answer' },
  /** The platform at the address given could not be reached (or is no platform). Nothing was written. */
  PLATFORM_UNREACHABLE: { status: 503, finality: 'answer' },
  /** The demo station's platform runs embedded beside it: its address is not a setting. */
  PLATFORM_EMBEDDED: { status: 409, finality: 'answer' },
  INTERNAL: { status: 500, finality: 'unknown' },
} as const satisfies Record<string, { status: number; finality: Finality }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export type ErrorDetails = Record<string, unknown>;

/** The name of one of a code's several messages (put in the details as `variant`). A typo does
 *  not compile; tests/unit/error-messages.test.ts checks each variant belongs to its code. */
export type MessageVariant = {
  [C in ErrorCode]: Exclude<keyof (typeof zhCN)[C], 'default'>;
}[ErrorCode];

export class YizhanError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;
  /** The message is the zh-CN catalogue's, filled from the details (`details.variant` picks one of
   *  a code's messages). `recordedMessage` is only for replaying a reply recorded earlier. */
  constructor(
    code: ErrorCode,
    details: ErrorDetails & { variant?: MessageVariant } = {},
    recordedMessage?: string,
  ) {
    super(recordedMessage ?? formatFrom(zhCN, 'zh-CN', code, details));
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

/** What a call that threw answers: a refusal as it is; anything else is a bug, not a refusal —
 *  said plainly (INTERNAL), with its cause in the details. */
export function errorReply(e: unknown): ApiReply<never> {
  if (e instanceof YizhanError) return { ok: false, error: e.toJSON() };
  return {
    ok: false,
    error: new YizhanError('INTERNAL', { cause: e instanceof Error ? e.message : String(e) }).toJSON(),
  };
}

export function isErrorCode(x: unknown): x is ErrorCode {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CODES, x);
}

export function httpStatusOf(code: ErrorCode): number {
  return ERROR_CODES[code].status;
}

/** True when the code is a final outcome of the request (`answer` or `rejected`): the backend
 *  records it against the idempotency key, and the client may take it as the end of the story.
 *  False while the outcome is unknown: a retry must reuse the same key. */
export function isFinal(code: ErrorCode): boolean {
  return ERROR_CODES[code].finality !== 'unknown';
}

/** True when the request was refused before it was examined: final, but it says nothing about
 *  the business (a payment so refused is neither paid nor refused by the biller). */
export function isRejectedUnexamined(code: ErrorCode): boolean {
  return ERROR_CODES[code].finality === 'rejected';
}
