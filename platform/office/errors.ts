// The branch console's refusals: { ok: false, error: { code, message, details } } as everywhere
// else, with the message in Chinese (office/messages.ts). Nothing is written on a refusal except
// its audit row.
import { codedErrorClass } from '../coded-error';
import { zhCN } from './messages';

export const OFFICE_ERROR_STATUS = {
  INVALID_INPUT: 400,
  UNAUTHENTICATED: 401,
  SESSION_EXPIRED: 401,
  BAD_CREDENTIALS: 401,
  CSRF_FAILED: 403,
  FORBIDDEN_ROLE: 403,
  READ_ONLY_ROLE: 403,
  NOT_YOUR_BRANCH: 403,
  UNKNOWN_STATION: 404,
  VOUCHER_NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  NO_GREEN_CARD: 404,
  NOT_FOUND: 404,
  USERNAME_TAKEN: 409,
  STATION_EXISTS: 409,
  FAULT_TRANSITION: 409,
  UNKNOWN_PERSON: 404,
  CERTIFICATE_NOT_FOUND: 404,
  IDEMPOTENCY_CONFLICT: 409,
  CARD_ALREADY_BOUND: 409,
  CANNOT_DISABLE_SELF: 409,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INVALID_CARD_NUMBER: 422,
  WEAK_PASSWORD: 422,
  WRONG_PASSWORD: 422,
  LOGIN_THROTTLED: 429,
  INTERNAL: 500,
} as const;

export type OfficeErrorCode = keyof typeof OFFICE_ERROR_STATUS;

export class OfficeError extends codedErrorClass('OfficeError', OFFICE_ERROR_STATUS, zhCN.errors) {}
