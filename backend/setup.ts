// The first run (issue 12 item 1): what a data folder holds — no station yet, the demo station,
// or a real station with its platform's address — and the activation of a real station. The
// activation makes the station's key pair, binds its public key at the platform with the one-time
// code (POST /v1/activate), verifies and keeps the signed profile, and makes the station from it:
// 机构号, name, the holder and the authorised people, with the platform's address as a setting.
// Nothing is left behind when any step fails: the folder stays in its set-up state.
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../db/open';
import { createStation, getStation, syncOperatorsFromProfile } from '../db/station';
import { getSetting, setSetting } from '../db/settings';
import { YizhanError } from '../shared/errors';
import type { StationProfile } from '../shared/station-profile';
import { STATION_DB } from './backend';
import { loadOrCreateStationKey } from './services/station-key';
import { activate, PROFILE_FILE, ProfileKeeper, ProfileRefused } from './services/station-profile';
import { normalisePlatformUrl, PLATFORM_URL_SETTING } from './services/platform-setting';

export type StationChoice =
  { kind: 'none' } | { kind: 'demo' } | { kind: 'real'; platformUrl: string | undefined };

/** What the data folder holds. Reads only: a folder without a station database stays untouched. */
export function stationChoice(dataDir: string): StationChoice {
  const file = path.join(dataDir, STATION_DB);
  if (!fs.existsSync(file)) return { kind: 'none' };
  const db = openDatabase(file);
  try {
    const s = getStation(db);
    if (!s) return { kind: 'none' };
    if (s.demo === 1) return { kind: 'demo' };
    return { kind: 'real', platformUrl: getSetting(db, PLATFORM_URL_SETTING) };
  } finally {
    db.close();
  }
}

export interface ActivationInput {
  platformUrl: string;
  institutionNo: string;
  activationCode: string;
  now?: Date;
}

/** Activates a real station in an empty data folder: on success the folder holds the station
 *  (demo = 0), its key, the signed profile and the platform address; on a refusal, nothing; when
 *  the platform did not answer, only the station's key (for the retry). */
export async function activateStation(dataDir: string, a: ActivationInput): Promise<StationProfile> {
  if (stationChoice(dataDir).kind !== 'none') throw new YizhanError('ALREADY_SET_UP');
  const url = normalisePlatformUrl(a.platformUrl);
  const dbFile = path.join(dataDir, STATION_DB);
  const profileFile = path.join(dataDir, PROFILE_FILE);
  // What this attempt may write, so a failure takes exactly that away again.
  const existed = new Set(
    [dbFile, `${dbFile}-wal`, `${dbFile}-shm`, profileFile].filter((f) => fs.existsSync(f)),
  );
  const key = loadOrCreateStationKey(dataDir);
  const undo = (keepKey = false) => {
    for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`, profileFile])
      if (!existed.has(f)) fs.rmSync(f, { force: true });
    if (key.created && !keepKey) fs.rmSync(key.file, { force: true });
  };
  let profile: StationProfile;
  try {
    // A profile file left by an earlier attempt would pin another platform's key: start afresh.
    if (existed.has(profileFile)) fs.rmSync(profileFile, { force: true });
    existed.delete(profileFile);
    const out = await activate({
      url,
      institutionNo: a.institutionNo,
      activationCode: a.activationCode,
      privateKeyPem: key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      keeper: new ProfileKeeper(dataDir, a.institutionNo),
      ...(a.now ? { now: a.now } : {}),
    });
    profile = out.profile;
  } catch (e) {
    const refusal = activationRefusal(e, url);
    // No answer: the platform may have bound this key before the reply was lost. The key stays,
    // so that the same code again gets the platform's answer (it replays it for the same key).
    undo(refusal.code === 'PLATFORM_UNREACHABLE');
    throw refusal;
  }
  try {
    const nowIso = (a.now ?? new Date()).toISOString();
    const holder = profile.operators.find((o) => o.role === 'holder');
    if (!holder) throw new YizhanError('ACTIVATION_REFUSED', { variant: 'profile', reason: 'no_holder' });
    const db = openDatabase(dbFile);
    try {
      createStation(db, {
        institutionNo: profile.institutionNo,
        name: profile.station.name,
        demo: false,
        greenCardMasked: null,
        holder: { id: holder.id, name: holder.name },
        nowIso,
      });
      setSetting(db, PLATFORM_URL_SETTING, url);
      syncOperatorsFromProfile(db, profile, nowIso);
    } finally {
      db.close();
    }
  } catch (e) {
    undo();
    throw e;
  }
  return profile;
}

/** The platform's answer (or its silence) as the station's refusal. */
function activationRefusal(e: unknown, url: string): YizhanError {
  if (e instanceof YizhanError) return e;
  if (e instanceof ProfileRefused)
    return new YizhanError('ACTIVATION_REFUSED', { variant: 'profile', reason: e.reason });
  const code = (e as { code?: unknown } | null)?.code;
  // activate() puts the platform's refusal code on the error; a network failure has none.
  if (typeof code === 'string' && /^[A-Z][A-Z_]+$/.test(code)) {
    if (code === 'ACTIVATION_CODE_INVALID')
      return new YizhanError('ACTIVATION_REFUSED', { variant: 'code', platformCode: code });
    return new YizhanError('ACTIVATION_REFUSED', {
      platformCode: code,
      platformMessage: e instanceof Error ? e.message.slice(0, 200) : '',
    });
  }
  // A reply that is not JSON: something answered, but not a platform.
  if (e instanceof SyntaxError)
    return new YizhanError('PLATFORM_UNREACHABLE', { url, variant: 'notPlatform' });
  const cause = (e as { cause?: { code?: unknown } } | null)?.cause?.code;
  return new YizhanError('PLATFORM_UNREACHABLE', {
    url,
    reason: typeof cause === 'string' ? cause : e instanceof Error ? e.name : 'unknown',
  });
}
