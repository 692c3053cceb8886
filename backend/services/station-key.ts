// The station's Ed25519 key pair for signing monitor uploads (MON-2). Made once, on first start.
//
// Where the private key lives: a file in the data directory, `station-key.pem` (PKCS#8 PEM, mode
// 0600), not the settings table. The database is copied by design — backups before every
// migration and on a schedule, VACUUM INTO copies handed to support — and a key inside it would
// travel with every copy. The file stays where the station runs. (On Windows the mode bits mean
// little: the data directory sits in the user's profile, which only that user can read.)
// Losing the file is not fatal: a new key is made and the office registers the new public key.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { generateStationKeyPair, publicKeyOf } from '../monitor-signing';

export const STATION_KEY_FILE = 'station-key.pem';
const KEY_FILE_MODE = 0o600;

export interface StationKey {
  privateKey: crypto.KeyObject;
  /** SPKI PEM: what the postal office registers with the monitor. */
  publicKeyPem: string;
  /** The same key as 32 raw bytes in base64 (the monitor accepts either). */
  publicKeyRawBase64: string;
  /** sha256 of the raw public key, first 16 hex digits — the monitor's keyFingerprint. */
  fingerprint: string;
  file: string;
  /** True when this call made the key (first start). */
  created: boolean;
}

/** sha256(raw key) → 16 hex digits; the same function as platform/signing.ts keyFingerprint. */
export function fingerprintOf(publicKeyRawBase64: string): string {
  return crypto
    .createHash('sha256')
    .update(Buffer.from(publicKeyRawBase64, 'base64'))
    .digest('hex')
    .slice(0, 16);
}

/** Reads the station key from the data directory, making it first if there is none. Throws if a
 *  key file exists but cannot be used (never silently replaces a key the office registered). */
export function loadOrCreateStationKey(dataDir: string): StationKey {
  const file = path.join(dataDir, STATION_KEY_FILE);
  let created = false;
  if (!fs.existsSync(file)) created = writeNewKey(dataDir, file);
  tightenMode(file);
  const pem = fs.readFileSync(file, 'utf8');
  let privateKey: crypto.KeyObject;
  try {
    privateKey = crypto.createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new Error(`station key ${file} is not a readable private key`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(`station key ${file} is ${privateKey.asymmetricKeyType ?? 'unknown'}, not Ed25519`);
  }
  const pub = publicKeyOf(pem);
  return {
    privateKey,
    publicKeyPem: pub.publicKeyPem,
    publicKeyRawBase64: pub.publicKeyRawBase64,
    fingerprint: fingerprintOf(pub.publicKeyRawBase64),
    file,
    created,
  };
}

/** Writes a fresh key atomically: a 0600 temp file, fsynced, then linked into place — link()
 *  fails if another process got there first, and then theirs is the key. */
function writeNewKey(dataDir: string, file: string): boolean {
  fs.mkdirSync(dataDir, { recursive: true });
  const keys = generateStationKeyPair();
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  const fd = fs.openSync(tmp, 'wx', KEY_FILE_MODE);
  try {
    fs.writeSync(fd, keys.privateKeyPem);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.linkSync(tmp, file);
    syncDir(dataDir);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

function tightenMode(file: string): void {
  if (process.platform === 'win32') return;
  if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, KEY_FILE_MODE);
}

function syncDir(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
