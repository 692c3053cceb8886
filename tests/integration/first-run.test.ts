// The first run (issue 12 item 1) and the platform address (issue 10): a data folder with no
// station starts in the set-up state; a real station is activated with the code the office
// issued at a platform run in-process, and is made from the signed profile it keeps; a refused
// activation leaves the folder as it was; the holder may change the platform address afterwards.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStationRuntime, type StationRuntime } from '../../scripts/station-runtime';
import { stationChoice } from '../../backend/setup';
import { PROFILE_FILE } from '../../backend/services/station-profile';
import { STATION_KEY_FILE } from '../../backend/services/station-key';
import type { ApiReply } from '../../shared/errors';
import type { AuthStatusDto, PlatformSettingDto, SetupStatusDto, StationDto } from '../../shared/contract';
import { ConsoleClient, stationForm } from '../helpers/office';
import { startTestPlatform, type TestPlatform } from '../helpers/platform';

const NO = '44010077';
const DAY_MS = 86_400_000;

function ok<T>(r: ApiReply<unknown>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.data as T;
}
function refused(r: ApiReply<unknown>, code: string) {
  expect(r.ok, JSON.stringify(r)).toBe(false);
  if (r.ok) throw new Error('not refused');
  expect(r.error.code).toBe(code);
  expect(r.error.message).toMatch(/[\u4e00-\u9fff]/);
  return r.error;
}

describe('first run: a real station activated at its platform, or the demo', () => {
  let p: TestPlatform;
  let office: ConsoleClient;
  let clockMs = 0;
  const dirs: string[] = [];
  const runtimes: StationRuntime[] = [];
  const newDir = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'yizhan-first-run-'));
    dirs.push(d);
    return d;
  };
  const start = async (dataDir: string, platform?: string) => {
    const r = await startStationRuntime({ dataDir, platform, demo: false });
    runtimes.push(r);
    return r;
  };
  const issueCode = async () =>
    (await office.post<{ data: { code: string } }>(`/office/stations/${NO}/activation-code`)).json.data.code;

  beforeEach(async () => {
    clockMs = 0;
    p = await startTestPlatform('sqlite', undefined, {
      now: () => new Date(Date.now() + clockMs),
    });
    office = new ConsoleClient({ url: p.url });
    const login = await office.login(p.admin.username, p.admin.password);
    expect(login.status).toBe(200);
    const created = await office.post(
      '/office/stations',
      stationForm(NO, {
        name: '天河报刊亭',
        address: '广州市天河区体育东路 1 号',
        holderName: '李经营',
        holderId: '44010619800101123X',
        agreementEnd: '2099-12-31',
        deposit: '2000.00',
        depositReceiptNo: 'BZJ-0001',
      }),
    );
    expect(created.status, created.text).toBe(201);
    const delegate = await office.post(`/office/stations/${NO}/delegates`, {
      name: '李家属',
      idNumber: '440106199001011234',
      documentNo: 'SQ-2026-01',
      scope: ['pay', 'topup', 'settings'],
      validFrom: '2020-01-01',
      validTo: '2099-12-31',
    });
    expect(delegate.status, delegate.text).toBe(200);
  });
  afterEach(async () => {
    for (const r of runtimes.splice(0)) await r.close();
    await p?.stop();
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('the office issues a code; the station activates with it: the profile is kept, the station and its operators come from it, the holder logs in', async () => {
    const dataDir = newDir();
    const rt = await start(dataDir);
    expect(rt.station).toBeUndefined();
    expect(ok<SetupStatusDto>(await rt.callAs({ session: undefined }, 'setup.status', undefined))).toEqual({
      state: 'setup',
      platformUrl: null,
    });
    // Nothing but the setup channels answers before the choice.
    refused(await rt.callAs({ session: undefined }, 'auth.status', undefined), 'SETUP_REQUIRED');

    const code = await issueCode();
    const done = ok<SetupStatusDto>(
      await rt.callAs({ session: undefined }, 'setup.activate', {
        platformUrl: `${p.url}/`,
        institutionNo: NO,
        activationCode: code.toLowerCase(),
      }),
    );
    expect(done.state).toBe('ready');
    expect(rt.station).toBeDefined();
    expect(fs.existsSync(path.join(dataDir, PROFILE_FILE))).toBe(true);
    // The platform bound the station's key: its certificate is current.
    expect(await p.store.provisioning.currentCertificate(NO)).toBeDefined();

    const call = (channel: string, args?: unknown, session?: string) => rt.callAs({ session }, channel, args);
    const st = ok<StationDto>(await call('station.get'));
    expect(st).toMatchObject({ institutionNo: NO, name: '天河报刊亭', demo: false });
    const auth = ok<AuthStatusDto>(await call('auth.status'));
    expect(auth.operators.map((o) => [o.name, o.role])).toEqual([
      ['李经营', 'holder'],
      ['李家属', 'delegate'],
    ]);
    const holder = auth.operators[0]!;
    const login = ok<{ session: string }>(
      await call('auth.login', { operatorId: holder.id, pin: '2468', newPin: '2468' }),
    );
    const setting = ok<PlatformSettingDto>(await call('platform.get', undefined, login.session));
    expect(setting).toEqual({
      url: p.url,
      inUse: p.url,
      embedded: false,
      restartNeeded: false,
      overridden: false,
    });
    // Chosen once: the choice is not offered again.
    refused(await call('setup.demo'), 'ALREADY_SET_UP');
    refused(
      await call('setup.activate', {
        platformUrl: p.url,
        institutionNo: NO,
        activationCode: await issueCode(),
      }),
      'ALREADY_SET_UP',
    );

    // The next start uses the stored choice: the real station, at the stored address.
    await rt.close();
    runtimes.splice(runtimes.indexOf(rt), 1);
    expect(stationChoice(dataDir)).toEqual({ kind: 'real', platformUrl: p.url });
    const again = await start(dataDir);
    expect(again.station?.platformUrl).toBe(p.url);
    expect(
      ok<SetupStatusDto>(await again.callAs({ session: undefined }, 'setup.status', undefined)).state,
    ).toBe('ready');
    const relogin = ok<{ session: string }>(
      await again.callAs({ session: undefined }, 'auth.login', { operatorId: holder.id, pin: '2468' }),
    );
    expect(
      ok<StationDto>(await again.callAs({ session: relogin.session }, 'station.get', undefined)).demo,
    ).toBe(false);
  });

  it('a wrong, a used and an expired code, an unreachable platform: refused with a coded Chinese message, and the folder stays in the set-up state (with nothing written, or only the station key when there was no answer)', async () => {
    const dataDir = newDir();
    const rt = await start(dataDir);
    const activate = (activationCode: string, platformUrl = p.url) =>
      rt.callAs({ session: undefined }, 'setup.activate', { platformUrl, institutionNo: NO, activationCode });
    const untouched = () => {
      expect(fs.readdirSync(dataDir)).toEqual([]);
      expect(stationChoice(dataDir)).toEqual({ kind: 'none' });
      expect(rt.station).toBeUndefined();
    };

    expect(refused(await activate('ABCD-EFGH-JKLM'), 'ACTIVATION_REFUSED').details['variant']).toBe('code');
    untouched();

    // A code used by another folder (the station activated elsewhere) is not accepted twice.
    const code = await issueCode();
    const other = await start(newDir());
    ok(
      await other.callAs({ session: undefined }, 'setup.activate', {
        platformUrl: p.url,
        institutionNo: NO,
        activationCode: code,
      }),
    );
    expect(refused(await activate(code), 'ACTIVATION_REFUSED').details['variant']).toBe('code');
    untouched();

    // A code past its week of validity.
    const old = await issueCode();
    clockMs = 8 * DAY_MS;
    expect(refused(await activate(old), 'ACTIVATION_REFUSED').details['variant']).toBe('code');
    clockMs = 0;
    untouched();

    // Nobody listening at the address.
    const closed = await startTestPlatform('sqlite', undefined);
    const deadUrl = closed.url;
    await closed.stop();
    const err = refused(await activate(await issueCode(), deadUrl), 'PLATFORM_UNREACHABLE');
    expect(err.message).toContain(deadUrl);
    // No answer: only the station's key is kept, for a retry (see the lost reply below).
    expect(fs.readdirSync(dataDir)).toEqual([STATION_KEY_FILE]);
    expect(stationChoice(dataDir)).toEqual({ kind: 'none' });
    expect(rt.station).toBeUndefined();

    // The folder is still in the set-up state: a good code now activates it.
    ok(await activate(await issueCode()));
    expect(stationChoice(dataDir).kind).toBe('real');
  });

  it('the activation reply is lost on the way back: the platform bound the key, the station saw no answer; the same code again activates it with the same certificate', async () => {
    // A relay to the platform that swallows the first activation reply (the line drops after
    // the platform has answered).
    let swallow = true;
    const relay = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void fetch(`${p.url}${req.url}`, {
          method: req.method,
          headers: Object.fromEntries(
            Object.entries(req.headers).filter(([k]) => k === 'content-type' || k.startsWith('x-')),
          ) as Record<string, string>,
          ...(req.method === 'POST' ? { body: Buffer.concat(chunks) } : {}),
        }).then(async (up) => {
          const body = Buffer.from(await up.arrayBuffer());
          if (swallow && req.url === '/v1/activate') {
            swallow = false;
            req.socket.destroy();
            return;
          }
          res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'application/json' });
          res.end(body);
        });
      });
    });
    await new Promise<void>((r) => relay.listen(0, '127.0.0.1', () => r()));
    const relayUrl = `http://127.0.0.1:${(relay.address() as AddressInfo).port}`;
    try {
      const dataDir = newDir();
      const rt = await start(dataDir);
      const code = await issueCode();
      const activate = () =>
        rt.callAs({ session: undefined }, 'setup.activate', {
          platformUrl: relayUrl,
          institutionNo: NO,
          activationCode: code,
        });
      refused(await activate(), 'PLATFORM_UNREACHABLE');
      expect(swallow).toBe(false); // the platform did answer: the reply was lost
      const certs = (await p.store.provisioning.latestCertificates()).filter((c) => c.institutionNo === NO);
      expect(certs).toHaveLength(1);
      expect(stationChoice(dataDir)).toEqual({ kind: 'none' });
      // The operator tries again with the same code: activated, under the certificate already bound.
      ok(await activate());
      expect(stationChoice(dataDir).kind).toBe('real');
      const after = (await p.store.provisioning.latestCertificates()).filter((c) => c.institutionNo === NO);
      expect(after.map((c) => c.serial)).toEqual(certs.map((c) => c.serial));
    } finally {
      relay.closeAllConnections();
      await new Promise((r) => relay.close(r));
    }
  });

  it('a platform address that is not http(s) is refused, at the first run and as a setting; only the holder may change it, and the demo has none to change', async () => {
    const dataDir = newDir();
    const rt = await start(dataDir);
    const bad = [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'ftp://post.example.cn/',
      'http://user:pw@x.cn',
    ];
    for (const platformUrl of bad) {
      const e = refused(
        await rt.callAs({ session: undefined }, 'setup.activate', {
          platformUrl,
          institutionNo: NO,
          activationCode: 'ABCD-EFGH-JKLM',
        }),
        'INVALID_INPUT',
      );
      expect(e.details['path']).toBe('platformUrl');
      expect(e.message).toContain('http:// 或 https://');
    }
    expect(fs.readdirSync(dataDir)).toEqual([]);
    ok(
      await rt.callAs({ session: undefined }, 'setup.activate', {
        platformUrl: p.url,
        institutionNo: NO,
        activationCode: await issueCode(),
      }),
    );
    const auth = ok<AuthStatusDto>(await rt.callAs({ session: undefined }, 'auth.status', undefined));
    const [holder, delegate] = auth.operators;
    const session = async (id: string) =>
      ok<{ session: string }>(
        await rt.callAs({ session: undefined }, 'auth.login', {
          operatorId: id,
          pin: '1357',
          newPin: '1357',
        }),
      ).session;
    const h = await session(holder!.id);
    for (const url of bad)
      refused(await rt.callAs({ session: h }, 'platform.setUrl', { url }), 'INVALID_INPUT');
    expect(ok<PlatformSettingDto>(await rt.callAs({ session: h }, 'platform.get', undefined)).url).toBe(
      p.url,
    );

    // An authorised person, even with 设置 in the scope, may not change it.
    const d = await session(delegate!.id);
    const e = refused(
      await rt.callAs({ session: d }, 'platform.setUrl', { url: 'https://yizhan.post.example.cn' }),
      'NOT_PERMITTED',
    );
    expect(e.message).toBe('此项设置只能由经营者本人办理');

    // The holder changes it: stored, shown, and in effect from the next start.
    const changed = ok<PlatformSettingDto>(
      await rt.callAs({ session: h }, 'platform.setUrl', { url: ' https://yizhan.post.example.cn/ ' }),
    );
    expect(changed).toMatchObject({
      url: 'https://yizhan.post.example.cn',
      inUse: p.url,
      restartNeeded: true,
      embedded: false,
    });
    expect(stationChoice(dataDir)).toEqual({ kind: 'real', platformUrl: 'https://yizhan.post.example.cn' });
    // --platform overrides the stored address for a run.
    await rt.close();
    runtimes.splice(runtimes.indexOf(rt), 1);
    const over = await start(dataDir, p.url);
    expect(over.station?.platformUrl).toBe(p.url);
    const h2 = ok<{ session: string }>(
      await over.callAs({ session: undefined }, 'auth.login', { operatorId: holder!.id, pin: '1357' }),
    ).session;
    expect(
      ok<PlatformSettingDto>(await over.callAs({ session: h2 }, 'platform.get', undefined)),
    ).toMatchObject({
      url: 'https://yizhan.post.example.cn',
      inUse: p.url,
      overridden: true,
    });
  });

  it('the demo is chosen at the first run: the embedded platform provisions it, its labelled holder logs in, and its platform address is not a setting', async () => {
    const dataDir = newDir();
    const rt = await start(dataDir);
    expect(ok<SetupStatusDto>(await rt.callAs({ session: undefined }, 'setup.demo', undefined)).state).toBe(
      'ready',
    );
    expect(rt.station?.embedded).toBeDefined();
    const auth = ok<AuthStatusDto>(await rt.callAs({ session: undefined }, 'auth.status', undefined));
    expect(auth.operators.map((o) => o.name)).toEqual(['店主（演示）']);
    const h = ok<{ session: string }>(
      await rt.callAs({ session: undefined }, 'auth.login', {
        operatorId: auth.operators[0]!.id,
        pin: '2468',
        newPin: '2468',
      }),
    ).session;
    expect(ok<StationDto>(await rt.callAs({ session: h }, 'station.get', undefined)).demo).toBe(true);
    // The opening float was confirmed with the demo branch's voucher: a bill can be paid at once.
    expect(ok<{ balance: string }>(await rt.callAs({ session: h }, 'float.balance', undefined)).balance).toBe(
      '2000.00',
    );
    expect(ok<PlatformSettingDto>(await rt.callAs({ session: h }, 'platform.get', undefined))).toMatchObject({
      embedded: true,
      restartNeeded: false,
    });
    refused(
      await rt.callAs({ session: h }, 'platform.setUrl', { url: 'https://yizhan.post.example.cn' }),
      'PLATFORM_EMBEDDED',
    );
    expect(stationChoice(dataDir)).toEqual({ kind: 'demo' });
  });
});
