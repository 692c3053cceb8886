// The station's side of the signed profile (issue 11 item 4): verify what the platform sends
// against the platform key pinned at activation, refuse a profile that is not newer, keep the
// last good one in the data folder. The file holds the signed text, so a profile edited by hand
// no longer verifies and is ignored (the station then has no profile until it fetches one).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  ACTIVATE_PATH,
  isNewerProfile,
  signedProfileSchema,
  stationProfileSchema,
  type ActivationReply,
  type SignedProfile,
  type StationProfile,
} from '../../shared/station-profile';
import { SIGNATURE_HEADER } from '../../shared/monitor-protocol';

export const PROFILE_FILE = 'station-profile.json';

export type ProfileRefusalReason =
  'malformed' | 'bad_signature' | 'other_platform_key' | 'other_station' | 'not_newer' | 'expired';

export class ProfileRefused extends Error {
  constructor(readonly reason: ProfileRefusalReason) {
    super(`station profile refused: ${reason}`);
    this.name = 'ProfileRefused';
  }
}

function rawKeyObject(rawBase64: string): crypto.KeyObject {
  return crypto.createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(rawBase64, 'base64').toString('base64url') },
    format: 'jwk',
  });
}

/** The profile in `signed`, if the pinned platform key signed it for this station and it is
 *  newer than `last` and still valid at `now`. */
export function verifyProfile(
  signed: unknown,
  opts: { pinnedKey: string; institutionNo: string; last?: StationProfile | undefined; now: Date },
): StationProfile {
  const env = signedProfileSchema.safeParse(signed);
  if (!env.success) throw new ProfileRefused('malformed');
  let ok = false;
  try {
    ok = crypto.verify(
      null,
      Buffer.from(env.data.profile, 'utf8'),
      rawKeyObject(opts.pinnedKey),
      Buffer.from(env.data.signature, 'base64'),
    );
  } catch {
    ok = false;
  }
  if (!ok) throw new ProfileRefused('bad_signature');
  let json: unknown;
  try {
    json = JSON.parse(env.data.profile);
  } catch {
    throw new ProfileRefused('malformed');
  }
  const p = stationProfileSchema.safeParse(json);
  if (!p.success) throw new ProfileRefused('malformed');
  if (p.data.platformPublicKey !== opts.pinnedKey) throw new ProfileRefused('other_platform_key');
  if (p.data.institutionNo !== opts.institutionNo) throw new ProfileRefused('other_station');
  if (!isNewerProfile(p.data, opts.last)) throw new ProfileRefused('not_newer');
  if (Date.parse(p.data.validUntil) <= opts.now.getTime()) throw new ProfileRefused('expired');
  return p.data;
}

interface StoredProfile {
  pinnedKey: string;
  signed: SignedProfile;
}

/** The last good profile and the pinned platform key, in `<data>/station-profile.json`. */
export class ProfileKeeper {
  private current: StationProfile | undefined;
  private pinned: string | undefined;

  constructor(
    private readonly dataDir: string,
    private readonly institutionNo: string,
  ) {
    this.reload();
  }

  /** Reads the kept profile again (another process activated the station meanwhile). */
  reload(): void {
    const file = path.join(this.dataDir, PROFILE_FILE);
    if (!fs.existsSync(file)) return;
    try {
      const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as StoredProfile;
      // Re-verified on every start; only "newer" is not asked of the profile already kept, and
      // an expired one is kept (the counter says so) rather than thrown away.
      const p = verifyProfile(stored.signed, {
        pinnedKey: stored.pinnedKey,
        institutionNo: this.institutionNo,
        now: new Date(0),
      });
      this.current = p;
      this.pinned = stored.pinnedKey;
    } catch {
      this.current = undefined;
    }
  }

  get profile(): StationProfile | undefined {
    return this.current;
  }

  get pinnedKey(): string | undefined {
    return this.pinned;
  }

  /** Pins the key (first time only: at activation) and keeps the profile if it is good. */
  accept(signed: unknown, now: Date, pinKey?: string): StationProfile {
    const pinnedKey = this.pinned ?? pinKey;
    if (!pinnedKey) throw new ProfileRefused('other_platform_key');
    const p = verifyProfile(signed, {
      pinnedKey,
      institutionNo: this.institutionNo,
      last: this.current,
      now,
    });
    const stored: StoredProfile = { pinnedKey, signed: signedProfileSchema.parse(signed) };
    const file = path.join(this.dataDir, PROFILE_FILE);
    const tmp = `${file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(stored), { mode: 0o600 });
    fs.renameSync(tmp, file);
    this.current = p;
    this.pinned = pinnedKey;
    return p;
  }
}

/** Activation (PPL-5): binds the station's key with the one-time code; the reply's profile
 *  pins the platform's key (trust on first use, over the URL the operator typed). */
export async function activate(opts: {
  url: string;
  institutionNo: string;
  activationCode: string;
  privateKeyPem: string;
  keeper: ProfileKeeper;
  now?: Date;
}): Promise<{ certificate: ActivationReply['certificate']; profile: StationProfile }> {
  const key = crypto.createPrivateKey(opts.privateKeyPem);
  const x = crypto.createPublicKey(key).export({ format: 'jwk' }).x as string;
  const body = JSON.stringify({
    institutionNo: opts.institutionNo,
    activationCode: opts.activationCode,
    publicKey: Buffer.from(x, 'base64url').toString('base64'),
    sentAt: (opts.now ?? new Date()).toISOString(),
  });
  const res = await fetch(`${opts.url.replace(/\/+$/, '')}${ACTIVATE_PATH}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [SIGNATURE_HEADER]: crypto.sign(null, Buffer.from(body, 'utf8'), key).toString('base64'),
    },
    body,
    signal: AbortSignal.timeout(30_000),
  });
  const json = (await res.json()) as {
    ok: boolean;
    data?: ActivationReply;
    error?: { code: string; message: string };
  };
  if (!res.ok || !json.ok || !json.data)
    throw Object.assign(new Error(json.error?.message ?? `activation failed: ${res.status}`), {
      code: json.error?.code ?? 'ACTIVATION_FAILED',
    });
  const inner = JSON.parse(json.data.profile.profile) as { platformPublicKey?: unknown };
  const profile = opts.keeper.accept(
    json.data.profile,
    opts.now ?? new Date(),
    typeof inner.platformPublicKey === 'string' ? inner.platformPublicKey : undefined,
  );
  return { certificate: json.data.certificate, profile };
}
