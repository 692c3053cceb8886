// The counter's warnings from the signed profile (issue 12 item 6).
import { describe, expect, it } from 'vitest';
import { profileWarnings, PROFILE_FORMAT, type StationProfile } from '../../shared/station-profile';

const profile = (over: Partial<StationProfile> = {}): StationProfile => ({
  format: PROFILE_FORMAT,
  institutionNo: '35010099001',
  version: 3,
  issuedAt: '2026-12-01T00:00:00.000Z',
  validUntil: '2026-12-10T00:00:00.000Z',
  station: { name: 's', type: 'other', address: 'a', branchCode: 'b', openingDate: '2026-01-01' },
  agreement: { startDay: '2026-01-01', endDay: '2026-12-31', deposit: '0.00', depositReceiptNo: 'r' },
  certificate: { serial: 'YZ0000000000000001', expiresAt: '2027-06-01T00:00:00.000Z' },
  services: ['water'],
  fees: [],
  operators: [],
  platformPublicKey: 'k',
  ...over,
});

describe('profile warnings', () => {
  it('PPL-4 the agreement warns 30 days before its end and on every day after', () => {
    expect(profileWarnings(profile(), new Date('2026-11-30T15:00:00Z')).map((w) => w.kind)).toEqual([]);
    const w = profileWarnings(profile(), new Date('2026-12-01T02:00:00Z'));
    expect(w).toEqual([{ kind: 'agreement', ends: '2026-12-31', daysLeft: 30 }]);
    const past = profileWarnings(
      profile({ validUntil: '2027-02-01T00:00:00.000Z' }),
      new Date('2027-01-05T02:00:00Z'),
    );
    expect(past).toEqual([{ kind: 'agreement', ends: '2026-12-31', daysLeft: -5 }]);
  });

  it('PPL-5 the certificate warns 30 days before it expires and after; an expired profile and no profile warn too', () => {
    const p = profile({ agreement: null, validUntil: '2027-06-01T00:00:00.000Z' });
    expect(profileWarnings(p, new Date('2027-04-30T00:00:00Z'))).toEqual([]);
    expect(profileWarnings(p, new Date('2027-05-02T00:00:00Z'))).toEqual([
      { kind: 'certificate', ends: '2027-06-01T00:00:00.000Z', daysLeft: 30 },
    ]);
    expect(profileWarnings(p, new Date('2027-06-02T00:00:00Z')).map((w) => [w.kind, w.daysLeft])).toEqual([
      ['certificate', -1],
      ['profile', -1],
    ]);
    expect(profileWarnings(undefined, new Date())).toEqual([{ kind: 'no_profile', ends: '', daysLeft: 0 }]);
  });
});
