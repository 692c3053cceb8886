// Monitor side of the upload signature: parse a registered Ed25519 public key, verify a
// signature over the exact raw body bytes. Stations sign with backend/monitor-signing.ts.
import crypto from 'node:crypto';

const ED25519_KEY_BYTES = 32;
const ED25519_SIGNATURE_BYTES = 64;
const BASE64_RE = /^[A-Za-z0-9+/]+={0,2}$/;

export class InvalidPublicKeyError extends Error {
  constructor(reason: string) {
    super(`invalid Ed25519 public key: ${reason}`);
    this.name = 'InvalidPublicKeyError';
  }
}

/** Ed25519's field prime p = 2^255 − 19. */
const P = (1n << 255n) - 19n;
/** The y coordinates of the eight points of small order (1, 2, 4, 8): y = 1 (identity), −1,
 *  0, and the two y of the order-8 points. Any x sign. For such a key one fixed signature
 *  verifies every message, so the key proves nothing. */
const SMALL_ORDER_Y = new Set<bigint>([
  1n,
  P - 1n,
  0n,
  0x7a03ac9277fdc74ec6cc392cfa53202a0f67100d760b3cba4fd84d3d706a17c7n,
  0x05fc536d880238b13933c6d305acdfd5f098eff289f4c345b027b2c28f95e826n,
]);

/** Refuses a key of small order, and a non-canonical encoding (y ≥ p). */
export function assertUsableKey(raw: Uint8Array): void {
  let y = 0n;
  for (let i = raw.length - 1; i >= 0; i--) y = (y << 8n) | BigInt(raw[i]!);
  y &= (1n << 255n) - 1n; // the top bit is x's sign
  if (y >= P) throw new InvalidPublicKeyError('non-canonical encoding');
  if (SMALL_ORDER_Y.has(y)) throw new InvalidPublicKeyError('a point of small order');
}

/** SPKI PEM or raw 32-byte base64 → the raw key (what the store keeps). */
export function parsePublicKey(text: string): Buffer {
  const raw = parseKeyBytes(text);
  assertUsableKey(raw);
  return raw;
}

function parseKeyBytes(text: string): Buffer {
  const t = text.trim();
  if (t.startsWith('-----BEGIN')) {
    let key: crypto.KeyObject;
    try {
      key = crypto.createPublicKey({ key: t, format: 'pem' });
    } catch {
      throw new InvalidPublicKeyError('unreadable PEM');
    }
    if (key.asymmetricKeyType !== 'ed25519')
      throw new InvalidPublicKeyError(`key type ${key.asymmetricKeyType ?? 'unknown'}`);
    const x = key.export({ format: 'jwk' }).x;
    if (typeof x !== 'string') throw new InvalidPublicKeyError('no key bytes');
    return Buffer.from(x, 'base64url');
  }
  if (!BASE64_RE.test(t)) throw new InvalidPublicKeyError('neither PEM nor base64');
  const raw = Buffer.from(t, 'base64');
  if (raw.length !== ED25519_KEY_BYTES || raw.toString('base64') !== t)
    throw new InvalidPublicKeyError('base64 is not 32 bytes');
  // Importing proves it is a usable point, not just 32 bytes.
  try {
    keyObjectOf(raw);
  } catch {
    throw new InvalidPublicKeyError('not a valid Ed25519 point');
  }
  return raw;
}

/** Raw key → KeyObject. Via JWK: measured ~6× cheaper than importing SPKI DER here. */
export function keyObjectOf(raw: Uint8Array): crypto.KeyObject {
  return crypto.createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') },
    format: 'jwk',
  });
}

/** Station keys seen in requests, parsed once each; cleared when full (evicting one by one from
 *  a Map's front is O(tombstones) in V8). */
export const KEY_CACHE_MAX = 20_000;
export function keyCache(max = KEY_CACHE_MAX): (raw: Uint8Array) => crypto.KeyObject {
  const cache = new Map<string, crypto.KeyObject>();
  return (raw) => {
    const id = Buffer.from(raw).toString('base64');
    let key = cache.get(id);
    if (!key) {
      key = keyObjectOf(raw);
      if (cache.size >= max) cache.clear();
      cache.set(id, key);
    }
    return key;
  };
}

export function publicKeyPem(raw: Uint8Array): string {
  return keyObjectOf(raw).export({ format: 'pem', type: 'spki' }).toString();
}

/** Short, stable id of a key for logs and the dashboard (not a secret). */
export function keyFingerprint(raw: Uint8Array): string {
  return crypto.createHash('sha256').update(raw).digest('hex').slice(0, 16);
}

/** Decodes the signature header; undefined if it is not canonical base64 of 64 bytes. */
export function decodeSignature(header: string | string[] | undefined): Buffer | undefined {
  if (typeof header !== 'string') return undefined;
  const t = header.trim();
  if (!BASE64_RE.test(t)) return undefined;
  const sig = Buffer.from(t, 'base64');
  return sig.length === ED25519_SIGNATURE_BYTES ? sig : undefined;
}

/** Verifies on libuv's thread pool, so the event loop keeps serving while a core checks. */
export function verifySignature(
  body: Uint8Array,
  signature: Uint8Array,
  key: crypto.KeyObject,
): Promise<boolean> {
  return new Promise((resolve) => {
    crypto.verify(null, body, key, signature, (err, ok) => resolve(!err && ok));
  });
}

export function sha256Hex(body: Uint8Array): string {
  return crypto.createHash('sha256').update(body).digest('hex');
}
