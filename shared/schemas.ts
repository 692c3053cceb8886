// The building blocks of the API contract's schemas, shared by every contract file.
// Messages are Chinese (zod's own in zh-CN), for the operator.
import { z } from 'zod';
import { SERVICE_IDS, ACCOUNT_NO_RE } from './catalogue';
import { formatFen, parseMoney, MAX_TRANSACTION_FEN } from './money';
import { isValidDay } from './business-day';
import { YizhanError } from './errors';

z.config(z.locales.zhCN());

/** A positive amount in yuan as a decimal string → integer fen. */
export const money = (opts: { allowZero?: boolean; maxFen?: number } = {}) =>
  z
    .string()
    .max(20)
    .transform((s, ctx) => {
      try {
        return parseMoney(s, opts);
      } catch (e) {
        const reason = e instanceof YizhanError ? String(e.details['reason']) : 'bad_format';
        ctx.addIssue({
          code: 'custom',
          message: moneyReasonZh(reason, opts.maxFen ?? MAX_TRANSACTION_FEN),
          params: { reason },
        });
        return z.NEVER;
      }
    });

function moneyReasonZh(reason: string, maxFen: number): string {
  switch (reason) {
    case 'zero':
      return '金额不能为零';
    case 'over_limit':
      return `金额超过上限 ${formatFen(maxFen)} 元`;
    default:
      return '金额格式不正确：请输入最多两位小数的数字，例如 96.50';
  }
}

/** Client-made idempotency key (e.g. a UUID): made when the operator confirms, reused on retry. */
export const idempotencyKey = z
  .string()
  .min(8, '业务编号太短')
  .max(64, '业务编号太长')
  .regex(/^[A-Za-z0-9_-]+$/, '业务编号只能包含字母、数字、- 和 _');

export const serviceId = z.enum(SERVICE_IDS);
export const accountNo = z.string().regex(ACCOUNT_NO_RE, '户号应为 8–20 位数字');
/** A branch deposit voucher's number (存款凭证号) as typed. */
export const voucherNo = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9-]{6,32}$/, '凭证号应为 6–32 位字母或数字');
/** A postal branch's code (网点号). */
export const branchCode = z
  .string()
  .trim()
  .regex(/^[0-9]{6,12}$/, '网点号应为 6–12 位数字');
export const day = z.string().refine(isValidDay, '日期格式应为 YYYY-MM-DD');
export const shortText = (max: number, label: string) =>
  z.string().trim().min(1, `请填写${label}`).max(max, `${label}最长 ${max} 个字`);

export const noArgs = z.union([z.undefined(), z.null(), z.object({}).strict()]).transform(() => ({}));
