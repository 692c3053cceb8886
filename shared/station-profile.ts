// The signed station profile (issue 11, 'Who decides' in RULES.md): everything the platform
// grants a station — its details, agreement (PPL-4), certificate (PPL-5), services, fees with
// their effective dates (SRV-4), the holder and authorised people with their scope (PPL-3) and
// training (PPL-1, PPL-2). The platform signs the exact JSON text with its Ed25519 key; the
// station verifies it against the key it pinned at activation and keeps the last good one.
// Pure: signing and verifying live in platform/ and backend/ (node:crypto).
import { z } from 'zod';
import { SERVICE_IDS, type ServiceId } from './catalogue';
import { daySchema, institutionNoSchema } from './monitor-protocol';

export const PROFILE_FORMAT = 'yizhan-station-profile/1';

export const STATION_TYPES = ['newsstand', 'village', 'agency', 'other'] as const;
export type StationType = (typeof STATION_TYPES)[number];
export const STATION_TYPE_ZH: Record<StationType, string> = {
  newsstand: '报刊亭',
  village: '村邮站',
  agency: '社会代办点',
  other: '其他',
};

/** What an authorisation may allow (PPL-3). The holder may do everything. */
export const PERMISSIONS = ['pay', 'topup', 'reverse', 'close', 'takings', 'settings'] as const;
export type Permission = (typeof PERMISSIONS)[number];
export const PERMISSION_ZH: Record<Permission, string> = {
  pay: '代收缴费',
  topup: '备付金充值',
  reverse: '冲正',
  close: '日终轧账',
  takings: '营业款交接',
  settings: '设置',
};

/** Training subjects: the operation training (PPL-1) and each service's (PPL-2). */
export const TRAINING_SUBJECTS = ['operation', ...SERVICE_IDS] as const;
export type TrainingSubject = (typeof TRAINING_SUBJECTS)[number];

const moneyText = z.string().regex(/^[0-9]{1,9}\.[0-9]{2}$/);
const isoTime = z.string().datetime({ offset: true });

export const profileOperatorSchema = z.strictObject({
  /** The platform's person id, e.g. "P12": stable for the person's life. */
  id: z.string().regex(/^P[0-9]{1,12}$/),
  name: z.string().min(1).max(32),
  role: z.enum(['holder', 'delegate']),
  authorisation: z
    .strictObject({
      documentNo: z.string().min(1).max(40),
      scope: z.array(z.enum(PERMISSIONS)).max(PERMISSIONS.length),
      validFrom: daySchema,
      validTo: daySchema,
    })
    .nullable(),
  /** Subject → the day trained; absent: not trained. */
  training: z.partialRecord(z.enum(TRAINING_SUBJECTS), daySchema),
});
export type ProfileOperator = z.infer<typeof profileOperatorSchema>;

export const stationProfileSchema = z.strictObject({
  format: z.literal(PROFILE_FORMAT),
  institutionNo: institutionNoSchema,
  version: z.number().int().min(1),
  issuedAt: isoTime,
  validUntil: isoTime,
  station: z.strictObject({
    name: z.string().min(1).max(60),
    type: z.enum(STATION_TYPES),
    address: z.string().max(120),
    branchCode: z.string().max(20),
    openingDate: daySchema,
  }),
  agreement: z
    .strictObject({
      startDay: daySchema,
      endDay: daySchema,
      deposit: moneyText,
      depositReceiptNo: z.string().max(40),
    })
    .nullable(),
  certificate: z.strictObject({ serial: z.string().max(64), expiresAt: isoTime }).nullable(),
  services: z.array(z.enum(SERVICE_IDS)).max(SERVICE_IDS.length),
  fees: z
    .array(z.strictObject({ service: z.enum(SERVICE_IDS), fee: moneyText, effectiveFrom: daySchema }))
    .max(400),
  operators: z.array(profileOperatorSchema).max(50),
  /** Raw Ed25519 public key, base64: must equal the key the station pinned. */
  platformPublicKey: z.string().max(100),
});
export type StationProfile = z.infer<typeof stationProfileSchema>;

/** What goes over the wire: the exact signed text and its signature. */
export const signedProfileSchema = z.strictObject({
  profile: z
    .string()
    .min(2)
    .max(256 * 1024),
  signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/),
});
export type SignedProfile = z.infer<typeof signedProfileSchema>;

/** The fee in force on `day` (SRV-4): the latest entry effective on or before it; none → 0. */
export function feeOn(profile: Pick<StationProfile, 'fees'>, service: ServiceId, day: string): string {
  let best: { fee: string; effectiveFrom: string } | undefined;
  for (const f of profile.fees) {
    if (f.service !== service || f.effectiveFrom > day) continue;
    if (!best || f.effectiveFrom >= best.effectiveFrom) best = f;
  }
  return best?.fee ?? '0.00';
}

/** May this operator act on `day`? The holder always; a delegate within the authorisation. */
export function operatorAdmitted(op: ProfileOperator, day: string): boolean {
  if (op.role === 'holder') return true;
  const a = op.authorisation;
  return a !== null && a.validFrom <= day && day <= a.validTo;
}

export function operatorMay(op: ProfileOperator, permission: Permission, day: string): boolean {
  if (!operatorAdmitted(op, day)) return false;
  return op.role === 'holder' || (op.authorisation?.scope.includes(permission) ?? false);
}

/** PPL-1 and PPL-2: operation training and the service's own. */
export function trainedFor(op: ProfileOperator, service: ServiceId, day: string): boolean {
  const ops = op.training.operation;
  const svc = op.training[service];
  return ops !== undefined && ops <= day && svc !== undefined && svc <= day;
}

/** Is `next` newer than `last`? A higher version, or the same version issued later. */
export function isNewerProfile(
  next: Pick<StationProfile, 'version' | 'issuedAt'>,
  last: Pick<StationProfile, 'version' | 'issuedAt'> | undefined,
): boolean {
  if (!last) return true;
  if (next.version !== last.version) return next.version > last.version;
  return Date.parse(next.issuedAt) > Date.parse(last.issuedAt);
}

/** POST /v1/activate: signed (x-yizhan-signature) with the private half of `publicKey`. */
export const ACTIVATE_PATH = '/v1/activate';
export const activationRequestSchema = z.strictObject({
  institutionNo: institutionNoSchema,
  activationCode: z.string().trim().min(12).max(20),
  /** Raw Ed25519 public key, base64 (32 bytes). */
  publicKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/),
  sentAt: isoTime,
});
export type ActivationRequest = z.infer<typeof activationRequestSchema>;

export interface ActivationReply {
  certificate: { serial: string; expiresAt: string };
  profile: SignedProfile;
}

/** How far ahead the counter warns of an agreement's end or a certificate's expiry (PPL-4, PPL-5). */
export const WARN_DAYS = 30;
const DAY_MS = 86_400_000;

export interface ProfileWarning {
  kind: 'no_profile' | 'agreement' | 'certificate' | 'profile';
  /** The day it ends (agreement) or the instant (certificate, profile); '' for no_profile. */
  ends: string;
  /** Whole days left; negative once past. */
  daysLeft: number;
}

/** What the counter warns of: an agreement ending or a certificate expiring within 30 days and
 *  on every day after (PPL-4, PPL-5), a profile past its validity, or no profile at all. */
export function profileWarnings(p: StationProfile | undefined, now: Date): ProfileWarning[] {
  if (!p) return [{ kind: 'no_profile', ends: '', daysLeft: 0 }];
  const out: ProfileWarning[] = [];
  const today = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  if (p.agreement) {
    const left = Math.round(
      (Date.parse(`${p.agreement.endDay}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS,
    );
    if (left <= WARN_DAYS) out.push({ kind: 'agreement', ends: p.agreement.endDay, daysLeft: left });
  }
  if (p.certificate) {
    const left = Math.floor((Date.parse(p.certificate.expiresAt) - now.getTime()) / DAY_MS);
    if (left <= WARN_DAYS) out.push({ kind: 'certificate', ends: p.certificate.expiresAt, daysLeft: left });
  }
  if (Date.parse(p.validUntil) <= now.getTime())
    out.push({
      kind: 'profile',
      ends: p.validUntil,
      daysLeft: Math.floor((Date.parse(p.validUntil) - now.getTime()) / DAY_MS),
    });
  return out;
}
