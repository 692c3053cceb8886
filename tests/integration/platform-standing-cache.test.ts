// MON-2 standing over the fleet is kept up to date as stations register and upload (not
// recomputed per request): after every change the cached answer equals a fresh computation.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fleetStanding } from '../../platform/standing';
import { get, monthDays, startMonitor, TestStation, type TestMonitor } from '../helpers/monitor';

describe('fleet standing cache', () => {
  let m: TestMonitor;
  beforeEach(async () => {
    m = await startMonitor('2025-06-20T04:00:00Z');
  });
  afterEach(async () => m?.close());

  const served = async () => {
    const r = await get(m, '/v1/standing?limit=10000');
    expect(r.status).toBe(200);
    const d = (
      r.json as {
        data: {
          total: number;
          counts: unknown;
          stations: Array<{ institutionNo: string; standing: { status: string; level: string } }>;
        };
      }
    ).data;
    return {
      total: d.total,
      counts: d.counts,
      order: d.stations.map((s) => `${s.institutionNo}:${s.standing.status}:${s.standing.level}`),
    };
  };
  const fresh = async () => {
    const f = await fleetStanding(m.store, '2025-06-20');
    return {
      total: f.total,
      counts: f.counts,
      order: f.stations.map((s) => `${s.institutionNo}:${s.standing.status}:${s.standing.level}`),
    };
  };

  it('MON-2: registrations and uploads (including downward revisions) move stations in the cached standing exactly as a recomputation would', async () => {
    const stations = Array.from(
      { length: 12 },
      (_, i) =>
        new TestStation(m, `3501009${String(i).padStart(4, '0')}`, i % 2 ? '2024-01-10' : '2025-01-06'),
    );
    for (const s of stations.slice(0, 6)) expect((await s.register()).status).toBe(201);
    expect(await served()).toEqual(await fresh());
    for (const s of stations.slice(6)) expect((await s.register()).status).toBe(201);
    for (const [i, s] of stations.entries()) {
      expect((await s.upload([...monthDays('2025-04', i * 3), ...monthDays('2025-05', i * 5)])).status).toBe(
        200,
      );
      if (i % 3 === 0) expect(await served()).toEqual(await fresh());
    }
    expect(await served()).toEqual(await fresh());
    // A revision downwards takes a station from ok back to at risk.
    const s = stations[11]!;
    expect((await s.upload([...monthDays('2025-04', 0), ...monthDays('2025-05', 0)])).status).toBe(200);
    expect(await served()).toEqual(await fresh());
    // The next day the whole fleet is judged again.
    m.setNow('2025-07-02T04:00:00Z');
    const r = await get(m, '/v1/standing?limit=10000');
    const f = await fleetStanding(m.store, '2025-07-02');
    expect((r.json as { data: { counts: unknown } }).data.counts).toEqual(f.counts);
  });
});
