// The upload contract between a station and the exit-threshold monitor (MON-2, MON-3).
//
// POST /v1/stations/<institutionNo>/counts
//   body:   UTF-8 JSON matching `uploadBodySchema`
//   header: x-yizhan-signature: base64(Ed25519 signature over the EXACT body bytes)
// The station signs the bytes it sends (no canonical JSON: never re-serialize after signing).
// A day entry is the whole truth about that day as of its seq: its count AND its faults; a
// later seq that repeats the day replaces both. Signing helpers live where node:crypto is
// allowed: backend/monitor-signing.ts (station: keys, sign) and platform/signing.ts
// (monitor: verify).
import { z } from 'zod';
import { isValidDay } from './business-day';

export const SIGNATURE_HEADER = 'x-yizhan-signature';

/** Limits, each with its reason. */
/** A station that was offline for a quarter can catch up in one upload; more → split it. */
export const MAX_DAYS_PER_UPLOAD = 100;
/** A counter serves at most one customer every ~10 s: 24 h of that is 8,640. */
export const MAX_DAY_COUNT = 10_000;
/** Faults are rare events, not a log stream; a day with more is itself the fault. */
export const MAX_FAULTS_PER_DAY = 20;
export const MAX_FAULTS_PER_UPLOAD = 200;
export const MAX_FAULT_DETAIL_CHARS = 500;
/** 200 faults × 500 Chinese characters × 3 bytes ≈ 300 KB, plus 100 days: 512 KiB is ample. */
export const MAX_UPLOAD_BYTES = 512 * 1024;
export const MAX_STATION_NAME_CHARS = 60;
/** An SPKI PEM of an Ed25519 key is 113 bytes; leave room for CRLFs and whitespace. */
export const MAX_PUBLIC_KEY_CHARS = 400;

/** 机构号: letters and digits (it appears in URL paths). */
export const INSTITUTION_NO_RE = /^[0-9A-Za-z]{4,32}$/;

/** MON-3 「便民服务站异常情况」: the kinds a station reports upward. */
export const FAULT_KINDS = ['printer', 'network', 'reconciliation', 'gateway', 'power', 'other'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const institutionNoSchema = z.string().regex(INSTITUTION_NO_RE, '机构号应为 4–32 位字母或数字');
export const daySchema = z.string().refine(isValidDay, '日期格式应为 YYYY-MM-DD');
const isoInstant = z.iso.datetime({
  offset: true,
  error: '时间应为 ISO 8601 格式，例如 2025-06-01T18:30:00+08:00',
});

export const faultSchema = z.strictObject({
  kind: z.enum(FAULT_KINDS, { error: `故障类型应为：${FAULT_KINDS.join('、')}` }),
  at: isoInstant,
  detail: z.string().max(MAX_FAULT_DETAIL_CHARS, `故障说明最长 ${MAX_FAULT_DETAIL_CHARS} 个字`),
});
export type Fault = z.infer<typeof faultSchema>;

export const chainAnchorSchema = z.strictObject({
  zNo: z.int('Z 号应为正整数').min(1, 'Z 号应为正整数').max(Number.MAX_SAFE_INTEGER),
  txnId: z.int('交易号应为整数').min(0, '交易号不能为负').max(Number.MAX_SAFE_INTEGER),
  head: z.string().regex(/^[0-9a-f]{64}$/, '校验值应为 64 位十六进制'),
});
export type ChainAnchor = z.infer<typeof chainAnchorSchema>;

export const dayReportSchema = z.strictObject({
  day: daySchema,
  /** Counted transactions that day (RULES.md: payments; reversals cancel; no top-ups, no training). */
  count: z.int('笔数应为整数').min(0, '笔数不能为负').max(MAX_DAY_COUNT, `单日笔数不能超过 ${MAX_DAY_COUNT}`),
  faults: z.array(faultSchema).max(MAX_FAULTS_PER_DAY, `单日故障最多 ${MAX_FAULTS_PER_DAY} 条`).optional(),
  /** A closed day: its Z and the station ledger's hash-chain head at that close (issue 9). The
   *  office keeps it; a later upload with another head under the same Z means history changed. */
  chain: chainAnchorSchema.optional(),
  /** A closed day: takings not yet settled at its close (PAY-5), yuan — the office lists
   *  stations that keep takings unsettled. */
  takingsDue: z
    .string()
    .regex(/^[0-9]{1,10}\.[0-9]{2}$/, '营业款金额格式应为 0.00')
    .optional(),
});
export type DayReport = z.infer<typeof dayReportSchema>;

export const uploadBodySchema = z
  .strictObject({
    institutionNo: institutionNoSchema,
    /** Strictly increasing per station; the monitor keeps the highest it has applied. */
    seq: z.int('序号应为正整数').min(1, '序号应为正整数').max(Number.MAX_SAFE_INTEGER),
    sentAt: isoInstant,
    days: z
      .array(dayReportSchema)
      .min(1, '至少上报一天')
      .max(MAX_DAYS_PER_UPLOAD, `一次最多上报 ${MAX_DAYS_PER_UPLOAD} 天`),
  })
  .superRefine((body, ctx) => {
    const seen = new Set<string>();
    let faults = 0;
    body.days.forEach((d, i) => {
      if (seen.has(d.day))
        ctx.addIssue({ code: 'custom', message: `日期 ${d.day} 重复`, path: ['days', i, 'day'] });
      seen.add(d.day);
      faults += d.faults?.length ?? 0;
    });
    if (faults > MAX_FAULTS_PER_UPLOAD)
      ctx.addIssue({
        code: 'custom',
        message: `一次最多上报 ${MAX_FAULTS_PER_UPLOAD} 条故障`,
        path: ['days'],
      });
  });
export type UploadBody = z.infer<typeof uploadBodySchema>;

/** The body to sign and send, as a string. Validates first, so a station never signs something
 *  the monitor will refuse as malformed. */
export function buildUploadBody(body: UploadBody): string {
  return JSON.stringify(uploadBodySchema.parse(body));
}

export function uploadPath(institutionNo: string): string {
  return `/v1/stations/${encodeURIComponent(institutionNo)}/counts`;
}

/** What the monitor answers to an upload with a valid signature and body. A replay (same seq,
 *  same bytes) and a stale seq (lower than the last applied) change nothing: both are 200 with
 *  applied=false, and `lastSeq` lets a station whose counter went backwards (restored from a
 *  backup) jump past it. */
export type UploadReply =
  | { applied: true; seq: number; lastSeq: number; daysApplied: number }
  | { applied: false; reason: 'replay' | 'stale'; seq: number; lastSeq: number };

// ---- registration (admin) ----------------------------------------------------------------------

/** A person's name as the branch sees it. */
export const MAX_HOLDER_CHARS = 32;

export const stationRegistrationSchema = z.strictObject({
  institutionNo: institutionNoSchema,
  name: z
    .string()
    .trim()
    .min(1, '请填写站点名称')
    .max(MAX_STATION_NAME_CHARS, `站点名称最长 ${MAX_STATION_NAME_CHARS} 个字`),
  /** 经营者: the contract holder, shown to the branch clerk to confirm a deposit (optional). */
  holder: z
    .string()
    .trim()
    .min(1)
    .max(MAX_HOLDER_CHARS, `经营者姓名最长 ${MAX_HOLDER_CHARS} 个字`)
    .optional(),
  /** The day the station opened for business (Asia/Shanghai); MON-2 judges from here. */
  openingDate: daySchema,
  /** Ed25519 public key: SPKI PEM, or the raw 32-byte key in base64. */
  publicKey: z.string().trim().min(1, '请提供公钥').max(MAX_PUBLIC_KEY_CHARS, '公钥过长'),
});
export type StationRegistration = z.infer<typeof stationRegistrationSchema>;
