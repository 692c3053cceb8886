// Station side of the monitor upload (MON-2, MON-3): the station's Ed25519 key pair and the
// signature over the exact body bytes. The monitor verifies with platform/signing.ts.
// Node-only (node:crypto); the body itself is built by shared/monitor-protocol.ts.
import crypto from 'node:crypto';
import { buildUploadBody, SIGNATURE_HEADER, uploadPath, type UploadBody } from '../shared/monitor-protocol';

export interface StationKeyPair {
  /** Keep secret, in the station's data directory. */
  privateKeyPem: string;
  /** What the postal office registers with the monitor (either form is accepted). */
  publicKeyPem: string;
  publicKeyRawBase64: string;
}

export function generateStationKeyPair(): StationKeyPair {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    publicKeyRawBase64: rawPublicKey(publicKey).toString('base64'),
  };
}

/** The public half of a stored private key, for showing it again at registration. */
export function publicKeyOf(
  privateKeyPem: string,
): Pick<StationKeyPair, 'publicKeyPem' | 'publicKeyRawBase64'> {
  const publicKey = crypto.createPublicKey(privateKeyPem);
  return {
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    publicKeyRawBase64: rawPublicKey(publicKey).toString('base64'),
  };
}

function rawPublicKey(publicKey: crypto.KeyObject): Buffer {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new Error('not an Ed25519 key');
  return Buffer.from(jwk.x, 'base64url');
}

/** base64 Ed25519 signature over the body bytes (a string is taken as UTF-8). */
export function signUploadBody(body: string | Uint8Array, privateKey: string | crypto.KeyObject): string {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return crypto.sign(null, bytes, privateKey).toString('base64');
}

export interface SignedUpload {
  path: string;
  /** Send exactly this string as the body (UTF-8); it is what was signed. */
  body: string;
  headers: Record<string, string>;
}

/** Everything an outbox needs for one POST: validated body, path and headers. */
export function buildSignedUpload(upload: UploadBody, privateKey: string | crypto.KeyObject): SignedUpload {
  const body = buildUploadBody(upload);
  return {
    path: uploadPath(upload.institutionNo),
    body,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      [SIGNATURE_HEADER]: signUploadBody(body, privateKey),
    },
  };
}
