// The upload contract's limits and the two halves of the signature (station signs, monitor verifies).
import { describe, expect, it } from 'vitest';
import {
  buildUploadBody,
  MAX_DAY_COUNT,
  MAX_DAYS_PER_UPLOAD,
  MAX_FAULTS_PER_UPLOAD,
  uploadBodySchema,
  type DayReport,
} from '../../shared/monitor-protocol';
import {
  buildSignedUpload,
  generateStationKeyPair,
  publicKeyOf,
  signUploadBody,
} from '../../backend/monitor-signing';
import { decodeSignature, keyObjectOf, parsePublicKey, verifySignature } from '../../platform/signing';
import { addDays } from '../../shared/business-day';

const base = { institutionNo: '44010001', seq: 1, sentAt: '2025-06-15T20:00:00+08:00' };
const days = (n: number, extra: Partial<DayReport> = {}): DayReport[] =>
  Array.from({ length: n }, (_, i) => ({ day: addDays('2025-01-01', i), count: 1, ...extra }));

describe('MON-2 upload contract', () => {
  it('MON-2: an upload is bounded — days, count per day, faults', () => {
    expect(() => buildUploadBody({ ...base, days: days(MAX_DAYS_PER_UPLOAD) })).not.toThrow();
    expect(uploadBodySchema.safeParse({ ...base, days: days(MAX_DAYS_PER_UPLOAD + 1) }).success).toBe(false);
    expect(uploadBodySchema.safeParse({ ...base, days: [] }).success).toBe(false);
    expect(
      uploadBodySchema.safeParse({ ...base, days: [{ day: '2025-06-01', count: MAX_DAY_COUNT + 1 }] })
        .success,
    ).toBe(false);
    expect(uploadBodySchema.safeParse({ ...base, days: [{ day: '2025-06-01', count: 1.5 }] }).success).toBe(
      false,
    );
    const fault = { kind: 'network' as const, at: '2025-06-01T10:00:00+08:00', detail: '断网' };
    const tooMany = days(11, { faults: Array.from({ length: 19 }, () => fault) }); // 209 faults in all
    expect(tooMany.length * 19).toBeGreaterThan(MAX_FAULTS_PER_UPLOAD);
    expect(uploadBodySchema.safeParse({ ...base, days: tooMany }).success).toBe(false);
    expect(
      uploadBodySchema.safeParse({
        ...base,
        days: [{ day: '2025-06-01', count: 1, faults: [{ ...fault, detail: 'x'.repeat(501) }] }],
      }).success,
    ).toBe(false);
    expect(
      uploadBodySchema.safeParse({ ...base, seq: Number.MAX_SAFE_INTEGER + 2, days: days(1) }).success,
    ).toBe(false);
  });

  it('MON-2: the station signs the exact bytes it sends; the monitor verifies them and nothing else', async () => {
    const keys = generateStationKeyPair();
    const signed = buildSignedUpload({ ...base, days: days(2) }, keys.privateKeyPem);
    expect(signed.path).toBe('/v1/stations/44010001/counts');
    const sig = decodeSignature(signed.headers['x-yizhan-signature']);
    expect(sig).toBeDefined();
    const key = keyObjectOf(parsePublicKey(keys.publicKeyPem));
    expect(await verifySignature(Buffer.from(signed.body), sig!, key)).toBe(true);
    expect(await verifySignature(Buffer.from(signed.body + ' '), sig!, key)).toBe(false);
    const other = keyObjectOf(parsePublicKey(generateStationKeyPair().publicKeyRawBase64));
    expect(await verifySignature(Buffer.from(signed.body), sig!, other)).toBe(false);
  });

  it('MON-2: a public key reads the same from PEM and from raw base64; signatures must be canonical base64 of 64 bytes', () => {
    const keys = generateStationKeyPair();
    expect(parsePublicKey(keys.publicKeyPem).toString('base64')).toBe(keys.publicKeyRawBase64);
    expect(publicKeyOf(keys.privateKeyPem)).toEqual({
      publicKeyPem: keys.publicKeyPem,
      publicKeyRawBase64: keys.publicKeyRawBase64,
    });
    const sig = signUploadBody('{}', keys.privateKeyPem);
    expect(decodeSignature(sig)?.length).toBe(64);
    expect(decodeSignature(sig.slice(4))).toBeUndefined();
    expect(decodeSignature(`${sig}\n${sig}`)).toBeUndefined();
    expect(decodeSignature(undefined)).toBeUndefined();
    expect(() => parsePublicKey(Buffer.alloc(31).toString('base64'))).toThrow(/32 bytes/);
  });
});
