// The monitor's upload endpoint over real HTTP: registration, signatures, sequence numbers,
// refusals (each logged), latest-seq-wins, faults (MON-3).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminPost,
  call,
  get,
  READ_TOKEN,
  startMonitor,
  TestStation,
  type TestMonitor,
} from '../helpers/monitor';
import { buildUploadBody, MAX_UPLOAD_BYTES } from '../../shared/monitor-protocol';
import { signUploadBody, generateStationKeyPair } from '../../backend/monitor-signing';
import crypto from 'node:crypto';

// 12:00 in Shanghai on 15 June 2025.
const NOON = '2025-06-15T04:00:00Z';
let m: TestMonitor;

beforeAll(async () => {
  m = await startMonitor(NOON);
});
afterAll(async () => {
  await m.close();
});

interface ErrorJson {
  ok: false;
  error: { code: string; message: string; details: Record<string, unknown> };
}
interface UploadJson {
  ok: true;
  data: { applied: boolean; reason?: string; seq: number; lastSeq: number; daysApplied?: number };
}
interface DetailJson {
  ok: true;
  data: {
    standing: { monthCount: number; status: string };
    months: Array<{ month: string; count: number }>;
    faults: Array<{ kind: string; detail: string; day: string }>;
  };
}

async function station(no: string, opening = '2025-01-01'): Promise<TestStation> {
  const s = new TestStation(m, no, opening);
  expect((await s.register()).status).toBe(201);
  return s;
}

function expectRefusal(r: { status: number; json: unknown }, status: number, code: string): ErrorJson {
  expect(r.status).toBe(status);
  const j = r.json as ErrorJson;
  expect(j.ok).toBe(false);
  expect(j.error.code).toBe(code);
  expect(j.error.message).toMatch(/[\u4e00-\u9fff]/); // Chinese, for people
  expect(typeof j.error.details).toBe('object');
  return j;
}

async function lastRefusalCode(): Promise<string | undefined> {
  return (await m.store.recentRefusals(1))[0]?.code;
}

/** The signed-over body of a first upload (seq 1) counting `count` payments on 2025-06-01. */
const oneDayBody = (institutionNo: string, count: number) =>
  buildUploadBody({
    institutionNo,
    seq: 1,
    sentAt: '2025-06-15T20:00:00+08:00',
    days: [{ day: '2025-06-01', count }],
  });

describe('station registration', () => {
  it('MON-2: registering a station needs the admin token (the read token is not enough)', async () => {
    const s = new TestStation(m, 'REG001', '2025-01-01');
    const body = {
      institutionNo: s.institutionNo,
      name: s.name,
      openingDate: s.openingDate,
      publicKey: s.keys.publicKeyPem,
    };
    expectRefusal(
      await call(`${m.url}/v1/stations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
      401,
      'UNAUTHORIZED',
    );
    expectRefusal(await adminPost(m, '/v1/stations', body, READ_TOKEN), 401, 'UNAUTHORIZED');
    const ok = await s.register();
    expect(ok.status).toBe(201);
    expect(ok.json).toMatchObject({ ok: true, data: { institutionNo: 'REG001', openingDate: '2025-01-01' } });
    expectRefusal(await s.register(), 409, 'STATION_EXISTS');
  });

  it('MON-2: a public key is accepted as SPKI PEM or raw base64; anything else is refused', async () => {
    const raw = new TestStation(m, 'REG002', '2025-01-01');
    expect((await raw.register(raw.keys.publicKeyRawBase64)).status).toBe(201);
    expect((await raw.upload([{ day: '2025-06-01', count: 3 }])).status).toBe(200);

    const rsa = crypto
      .generateKeyPairSync('rsa', { modulusLength: 1024 })
      .publicKey.export({ format: 'pem', type: 'spki' })
      .toString();
    expectRefusal(await new TestStation(m, 'REG003', '2025-01-01').register(rsa), 422, 'INVALID_PUBLIC_KEY');
    expectRefusal(
      await new TestStation(m, 'REG004', '2025-01-01').register('bm90IGEga2V5'),
      422,
      'INVALID_PUBLIC_KEY',
    );
    const bad = expectRefusal(
      await adminPost(m, '/v1/stations', {
        institutionNo: 'REG005',
        openingDate: '2025-02-30',
        publicKey: 'x',
      }),
      400,
      'INVALID_INPUT',
    );
    expect(JSON.stringify(bad.error.details)).toContain('openingDate');
  });
});

describe('MON-2 signed uploads', () => {
  it('MON-2: a signed upload is applied and the counts are kept', async () => {
    const s = await station('UP0001');
    const r = await s.upload([
      { day: '2025-06-01', count: 7 },
      { day: '2025-06-02', count: 5 },
    ]);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ ok: true, data: { applied: true, seq: 1, lastSeq: 1, daysApplied: 2 } });
    expect(await m.store.dailyCounts('UP0001')).toEqual([
      ['2025-06-01', 7],
      ['2025-06-02', 5],
    ]);
  });

  it('MON-2: a bad signature is refused with 401 and logged — wrong key, tampered body, missing or malformed header', async () => {
    const s = await station('UP0002');
    const body = oneDayBody('UP0002', 50);
    const other = generateStationKeyPair();
    expectRefusal(
      await s.sendRaw(body, { signature: signUploadBody(body, other.privateKeyPem) }),
      401,
      'BAD_SIGNATURE',
    );
    expect(await lastRefusalCode()).toBe('BAD_SIGNATURE');
    const sig = signUploadBody(body, s.keys.privateKeyPem);
    expectRefusal(
      await s.sendRaw(body.replace('"count":50', '"count":51'), { signature: sig }),
      401,
      'BAD_SIGNATURE',
    );
    expectRefusal(await s.sendRaw(body.replace('{', '{ '), { signature: sig }), 401, 'BAD_SIGNATURE'); // same JSON, other bytes
    expectRefusal(await s.sendRaw(body, { signature: null }), 401, 'BAD_SIGNATURE');
    expectRefusal(await s.sendRaw(body, { signature: 'not base64!' }), 401, 'BAD_SIGNATURE');
    expect(await m.store.dailyCounts('UP0002')).toEqual([]);
    expect((await s.sendRaw(body, { signature: sig })).status).toBe(200);
  });

  it('MON-2: an unknown station is refused with 404 and logged', async () => {
    const s = new TestStation(m, 'NOSUCH01', '2025-01-01');
    expectRefusal(await s.upload([{ day: '2025-06-01', count: 1 }]), 404, 'UNKNOWN_STATION');
    const last = (await m.store.recentRefusals(1))[0];
    expect(last).toMatchObject({
      code: 'UNKNOWN_STATION',
      status: 404,
      institutionNo: 'NOSUCH01',
      remote: '127.0.0.1',
    });
  });

  it('MON-2: a replay (same seq, same bytes) changes nothing and says so; the same seq with other bytes is a 409 conflict', async () => {
    const s = await station('UP0003');
    const body = oneDayBody('UP0003', 9);
    expect((await s.sendRaw(body)).json).toMatchObject({ data: { applied: true } });
    const replay = await s.sendRaw(body);
    expect(replay.status).toBe(200);
    expect(replay.json).toEqual({ ok: true, data: { applied: false, reason: 'replay', seq: 1, lastSeq: 1 } });
    const other = oneDayBody('UP0003', 2);
    expectRefusal(await s.sendRaw(other), 409, 'SEQ_CONFLICT');
    expect(await lastRefusalCode()).toBe('SEQ_CONFLICT');
    expect(await m.store.dailyCounts('UP0003')).toEqual([['2025-06-01', 9]]);
  });

  it('MON-2: an older seq is stale — nothing changes, lastSeq is returned so a restored station can jump past it', async () => {
    const s = await station('UP0004');
    await s.upload([{ day: '2025-06-01', count: 30 }], { seq: 10 });
    const stale = await s.upload([{ day: '2025-06-01', count: 1 }], { seq: 4 });
    expect(stale.status).toBe(200);
    expect((stale.json as UploadJson).data).toEqual({ applied: false, reason: 'stale', seq: 4, lastSeq: 10 });
    expect(await lastRefusalCode()).toBe('STALE_SEQ');
    expect(await m.store.dailyCounts('UP0004')).toEqual([['2025-06-01', 30]]);
    expect(
      ((await s.upload([{ day: '2025-06-01', count: 1 }], { seq: 11 })).json as UploadJson).data.applied,
    ).toBe(true);
  });

  it('MON-2: a day in the future (Asia/Shanghai) is refused with 422', async () => {
    const s = await station('UP0005');
    // 23:59 on 15 June in Shanghai (15:59 UTC): the 16th is still the future.
    m.setNow('2025-06-15T15:59:00Z');
    const r = expectRefusal(
      await s.upload([
        { day: '2025-06-15', count: 3 },
        { day: '2025-06-16', count: 1 },
      ]),
      422,
      'FUTURE_DAY',
    );
    expect(r.error.details).toMatchObject({ days: ['2025-06-16'], today: '2025-06-15' });
    expect(await lastRefusalCode()).toBe('FUTURE_DAY');
    expect(await m.store.dailyCounts('UP0005')).toEqual([]);
    // 00:30 on the 16th in Shanghai is still the 15th in UTC: the 16th is today now.
    m.setNow('2025-06-15T16:30:00Z');
    const ok = await s.upload([{ day: '2025-06-16', count: 1 }], { seq: 1 });
    expect(ok.status).toBe(200);
    m.setNow(NOON);
  });

  it('MON-2: a malformed body is refused with 400 and clear details; wrong media type 415; oversize 413', async () => {
    const s = await station('UP0006');
    const notJson = expectRefusal(await s.sendRaw('{"institutionNo":'), 400, 'INVALID_INPUT');
    expect(notJson.error.details).toEqual({ reason: 'not_json' });
    /** A body sent as it stands, refused with 400 and `code`. */
    const refused400 = async (body: object, code = 'INVALID_INPUT') =>
      expectRefusal(await s.sendRaw(JSON.stringify(body)), 400, code);
    /** An upload of `institutionNo`, seq 1, with `days`. */
    const upload = (days: object[], institutionNo = 'UP0006') => ({
      institutionNo,
      seq: 1,
      sentAt: '2025-06-15T20:00:00+08:00',
      days,
    });
    const bad = await refused400({
      institutionNo: 'UP0006',
      seq: 0,
      sentAt: 'yesterday',
      days: [{ day: '2025-06-01', count: -1 }],
      extra: true,
    });
    const paths = (bad.error.details['issues'] as Array<{ path: string; message: string }>).map(
      (i) => i.path,
    );
    expect(paths).toEqual(expect.arrayContaining(['seq', 'sentAt', 'days.0.count']));
    const dup = await refused400(
      upload([
        { day: '2025-06-01', count: 1 },
        { day: '2025-06-01', count: 2 },
      ]),
    );
    expect(JSON.stringify(dup.error.details)).toContain('重复');
    const fault = await refused400(
      upload([
        {
          day: '2025-06-01',
          count: 1,
          faults: [{ kind: 'alien', at: '2025-06-01T10:00:00+08:00', detail: '' }],
        },
      ]),
    );
    expect(JSON.stringify(fault.error.details)).toContain('days.0.faults.0.kind');
    // A body signed by UP0006 but naming another station.
    await refused400(upload([{ day: '2025-06-01', count: 1 }], 'UP0001'), 'INSTITUTION_MISMATCH');
    expectRefusal(await s.sendRaw('count=1', { contentType: 'text/plain' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectRefusal(await s.sendRaw(' '.repeat(MAX_UPLOAD_BYTES + 1)), 413, 'PAYLOAD_TOO_LARGE');
    const codes = (await m.store.recentRefusals(7)).map((r) => r.code);
    expect(codes).toEqual([
      'PAYLOAD_TOO_LARGE',
      'UNSUPPORTED_MEDIA_TYPE',
      'INSTITUTION_MISMATCH',
      'INVALID_INPUT',
      'INVALID_INPUT',
      'INVALID_INPUT',
      'INVALID_INPUT',
    ]);
    expect(await m.store.dailyCounts('UP0006')).toEqual([]);
  });

  it('MON-2: latest seq wins — a re-upload revises a day downward (a reversal) and the month follows', async () => {
    const s = await station('UP0007');
    await s.upload([
      { day: '2025-06-01', count: 12 },
      { day: '2025-06-02', count: 10 },
    ]);
    const detail = async () => (await get(m, '/v1/stations/UP0007/standing')).json as DetailJson;
    expect((await detail()).data.standing.monthCount).toBe(22);
    expect((await s.upload([{ day: '2025-06-01', count: 9 }])).status).toBe(200); // three payments of the 1st reversed later
    expect(await m.store.dailyCounts('UP0007')).toEqual([
      ['2025-06-01', 9],
      ['2025-06-02', 10],
    ]);
    expect((await detail()).data.standing.monthCount).toBe(19);
    const fleet = (await get(m, '/v1/standing')).json as {
      data: { stations: Array<{ institutionNo: string; standing: { monthCount: number } }> };
    };
    expect(fleet.data.stations.find((x) => x.institutionNo === 'UP0007')?.standing.monthCount).toBe(19); // monthly totals kept in step
  });

  it('MON-3: faults uploaded with a day are stored, shown in the standing, and replaced when the day is re-uploaded', async () => {
    const s = await station('UP0008');
    await s.upload([
      {
        day: '2025-06-10',
        count: 4,
        faults: [
          { kind: 'printer', at: '2025-06-10T09:12:00+08:00', detail: '打印机缺纸，已更换' },
          { kind: 'reconciliation', at: '2025-06-10T18:00:00+08:00', detail: '日终轧账差额 0.50 元' },
        ],
      },
    ]);
    let d = ((await get(m, '/v1/stations/UP0008/standing')).json as DetailJson).data;
    expect(d.faults.map((f) => f.kind).sort()).toEqual(['printer', 'reconciliation']);
    await s.upload([
      {
        day: '2025-06-10',
        count: 4,
        faults: [{ kind: 'network', at: '2025-06-10T11:00:00+08:00', detail: '网络中断 20 分钟' }],
      },
    ]);
    d = ((await get(m, '/v1/stations/UP0008/standing')).json as DetailJson).data;
    expect(d.faults).toEqual([
      expect.objectContaining({ kind: 'network', day: '2025-06-10', detail: '网络中断 20 分钟' }),
    ]);
  });

  it('MON-2: concurrent uploads from many stations all land (group commit keeps each its own outcome)', async () => {
    const stations = await Promise.all(
      Array.from({ length: 40 }, (_, i) => station(`CC${String(i).padStart(4, '0')}`)),
    );
    const replies = await Promise.all(
      stations.flatMap((s) => [
        s.upload([{ day: '2025-06-03', count: 21 }], { seq: 1 }),
        s.upload([{ day: '2025-06-03', count: 20 }], { seq: 1 }),
      ]),
    );
    // Each station: one of its two seq-1 uploads applied, the other a conflict.
    expect(replies.filter((r) => r.status === 200).length).toBe(40);
    expect(replies.filter((r) => r.status === 409).length).toBe(40);
    for (const s of stations) expect((await m.store.dailyCounts(s.institutionNo)).length).toBe(1);
  });
});
