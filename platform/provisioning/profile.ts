// The signed station profile, built from the provisioning records and signed with the
// platform's Ed25519 key (issue 11, item 4). The station verifies it against the key it pinned
// at activation (backend/profile/), keeps the last good one and refuses one that is not newer.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { addDays, businessDayOf } from '../../shared/business-day';
import { formatFen } from '../../shared/money';
import {
  PROFILE_FORMAT,
  stationProfileSchema,
  type ProfileOperator,
  type SignedProfile,
  type StationProfile,
  type TrainingSubject,
} from '../../shared/station-profile';
import type { FeeEntry, StationFile } from './types';

/** How long a profile is good for: the station fetches a new one well before (every hour). */
export const PROFILE_VALID_MS = 72 * 3600_000;

export function rawPublicKey(key: crypto.KeyObject): Buffer {
  const pub = key.type === 'private' ? crypto.createPublicKey(key) : key;
  return Buffer.from(pub.export({ format: 'jwk' }).x as string, 'base64url');
}

/** The platform's signing key: a PEM file made on first start (0600), read afterwards. */
export function loadOrCreatePlatformKey(file: string): crypto.KeyObject {
  if (fs.existsSync(file)) {
    const key = crypto.createPrivateKey(fs.readFileSync(file, 'utf8'));
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${file}: not an Ed25519 private key`);
    return key;
  }
  const { privateKey } = crypto.generateKeyPairSync('ed25519');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
  return privateKey;
}

export function buildProfile(
  file: StationFile,
  fees: readonly FeeEntry[],
  opts: { now: Date; platformKey: crypto.KeyObject },
): StationProfile {
  const today = businessDayOf(opts.now);
  const operators: ProfileOperator[] = [];
  for (const p of file.people) {
    const training: Partial<Record<TrainingSubject, string>> = {};
    for (const t of p.trainings) training[t.subject] = t.trainedOn; // the latest record wins
    if (p.role === 'holder') {
      operators.push({ id: `P${p.id}`, name: p.name, role: 'holder', authorisation: null, training });
      continue;
    }
    // The newest authorisation that is not revoked and not over (PPL-3): an expired one leaves.
    const a = [...p.authorisations].reverse().find((x) => x.revokedAt === null && x.validTo >= today);
    if (!a) continue;
    operators.push({
      id: `P${p.id}`,
      name: p.name,
      role: 'delegate',
      authorisation: { documentNo: a.documentNo, scope: a.scope, validFrom: a.validFrom, validTo: a.validTo },
      training,
    });
  }
  const cert = file.certificate && file.certificate.revokedAt === null ? file.certificate : null;
  const s = file.station;
  const profile: StationProfile = {
    format: PROFILE_FORMAT,
    institutionNo: s.institutionNo,
    version: s.profileVersion,
    issuedAt: opts.now.toISOString(),
    validUntil: new Date(opts.now.getTime() + PROFILE_VALID_MS).toISOString(),
    station: {
      name: s.name,
      type: s.type,
      address: s.address,
      branchCode: s.branchCode,
      openingDate: s.openingDate,
    },
    agreement: file.agreement
      ? {
          startDay: file.agreement.startDay,
          endDay: file.agreement.endDay,
          deposit: formatFen(file.agreement.depositFen),
          depositReceiptNo: file.agreement.depositReceiptNo,
        }
      : null,
    certificate: cert ? { serial: cert.serial, expiresAt: cert.expiresAt } : null,
    services: file.services,
    // Entries whose successor took effect more than a year ago are history, not schedule.
    fees: fees
      .filter((f, i) => {
        const next = fees.slice(i + 1).find((g) => g.service === f.service && g.effectiveFrom <= today);
        return !next || next.effectiveFrom > addDays(today, -366);
      })
      .map((f) => ({ service: f.service, fee: formatFen(f.feeFen), effectiveFrom: f.effectiveFrom })),
    operators,
    platformPublicKey: rawPublicKey(opts.platformKey).toString('base64'),
  };
  return stationProfileSchema.parse(profile);
}

export function signProfile(profile: StationProfile, key: crypto.KeyObject): SignedProfile {
  const text = JSON.stringify(profile);
  return { profile: text, signature: crypto.sign(null, Buffer.from(text, 'utf8'), key).toString('base64') };
}
