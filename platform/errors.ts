// The monitor's refusals: the same reply shape as the station backend (shared/errors.ts),
// { ok: false, error: { code, message, details } }, with codes of its own.
// An upload is checked in this order (the first failure is the answer):
//   PAYLOAD_TOO_LARGE 413 → UNSUPPORTED_MEDIA_TYPE 415 → UNKNOWN_STATION 404 → BAD_SIGNATURE 401
//   → INVALID_INPUT 400 → INSTITUTION_MISMATCH 400 → FUTURE_DAY 422 → SEQ_CONFLICT 409.
// A replay (same seq, same bytes) or a stale seq is not an error: 200 with applied=false.
import { codedErrorClass } from './coded-error';
import { zhCN } from './messages';

export const MONITOR_ERROR_STATUS = {
  INVALID_INPUT: 400,
  INSTITUTION_MISMATCH: 400,
  UNAUTHORIZED: 401,
  BAD_SIGNATURE: 401,
  UNKNOWN_STATION: 404,
  NOT_FOUND: 404,
  STATION_EXISTS: 409,
  SEQ_CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  FUTURE_DAY: 422,
  INVALID_PUBLIC_KEY: 422,
  // The station API (shared/platform-protocol.ts)
  OP_MISMATCH: 400,
  IDEMPOTENCY_CONFLICT: 409,
  INSUFFICIENT_CENTRAL_BALANCE: 422,
  VOUCHER_NOT_FOUND: 404,
  VOUCHER_ALREADY_CONFIRMED: 409,
  VOUCHER_AMOUNT_MISMATCH: 422,
  NO_GREEN_CARD: 422,
  REFERENCE_USED: 409,
  PAYMENT_NOT_FOUND: 404,
  PAYMENT_NOT_REVERSIBLE: 409,
  AMOUNT_OUT_OF_RANGE: 422,
  BILL_MISMATCH: 422,
  BILL_ALREADY_PAID: 409,
  BILLER_UNAVAILABLE: 503,
  NOT_ACTIVATED: 403,
  CERTIFICATE_REVOKED: 403,
  CERTIFICATE_EXPIRED: 403,
  ACTIVATION_CODE_INVALID: 403,
  INTERNAL: 500,
} as const;

export type MonitorErrorCode = keyof typeof MONITOR_ERROR_STATUS;

export class MonitorError extends codedErrorClass('MonitorError', MONITOR_ERROR_STATUS, zhCN.errors) {}
