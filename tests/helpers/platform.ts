// A platform for tests: the real server (Fastify on 127.0.0.1, a free port) on either store,
// simulated billers with a short timeout, and stations registered with fresh Ed25519 keys.
import crypto from 'node:crypto';
import { buildPlatform, type Platform } from '../../platform/app';
import type { StoreEngine } from '../../platform/store/types';
import { PlatformGateway } from '../../backend/gateway/platform-gateway';
import { loadOrCreateStationKey } from '../../backend/services/station-key';
import type { ApiReply } from '../../shared/errors';
import { activate, ProfileKeeper } from '../../backend/services/station-profile';
import { ensureFirstAdmin } from '../../platform/office/routes';
import { ConsoleClient, stationForm } from './office';
import { testBackend, type TestBackend } from './backend';
import type { PgServer } from './pg';
import { depositRequest, openTestStore, sha, type TestStore } from './stores';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestStation {
  institutionNo: string;
  privateKeyPem: string;
  publicKeyPem: string;
  gateway: PlatformGateway;
}

export interface TestPlatform extends Platform {
  url: string;
  store: TestStore;
  /** The office's first admin (made on the fresh store). */
  admin: { username: string; password: string };
  addStation(institutionNo: string, name?: string): Promise<TestStation>;
  /** A branch deposit as the console makes it; returns the voucher number. */
  deposit(institutionNo: string, amountFen: number): Promise<string>;
  stop(): Promise<void>;
}

export async function startTestPlatform(
  engine: StoreEngine,
  pgServer: PgServer | undefined,
  opts: { simTimeoutMs?: number; now?: () => Date } = {},
): Promise<TestPlatform> {
  const store = await openTestStore(engine, pgServer);
  const p = buildPlatform({
    store,
    tokens: { admin: TEST_ADMIN_TOKEN },
    simTimeoutMs: opts.simTimeoutMs ?? 100,
    ...(opts.now ? { now: opts.now } : {}),
  });
  const admin = await ensureFirstAdmin(store, opts.now?.() ?? new Date());
  if (!admin) throw new Error('a fresh store should have no users');
  const url = await p.app.listen({ host: '127.0.0.1', port: 0 });
  return {
    ...p,
    url,
    store,
    admin,
    async addStation(institutionNo, name = '测试驿站') {
      const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
      const publicKeyPem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
      const privateKeyPem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
      const res = await fetch(`${url}/v1/stations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
        body: JSON.stringify({ institutionNo, name, openingDate: '2026-01-05', publicKey: publicKeyPem }),
      });
      if (res.status !== 201) throw new Error(`registration failed: ${res.status} ${await res.text()}`);
      return {
        institutionNo,
        privateKeyPem,
        publicKeyPem,
        gateway: new PlatformGateway({ url, institutionNo, privateKeyPem, timeoutMs: 30_000, demo: true }),
      };
    },
    async deposit(institutionNo, amountFen) {
      const k = crypto.randomUUID();
      const { voucher } = await store.accounts.deposit(depositRequest(institutionNo, amountFen, k, sha(k)));
      return voucher.voucherNo;
    },
    async stop() {
      await p.app.close();
      await store.cleanup();
    },
  };
}

/** Provisions a station backend in the platform as an office admin does (the office's JSON API:
 *  the station, its holder trained on everything) and activates it as a real station does (a
 *  one-time code; the station binds its own key and keeps the signed profile). Returns its 机构号.
 *  `admin`: the office's first admin (printed at the platform's first start). */
export async function registerBackend(
  url: string,
  b: { call(channel: string, args: unknown): Promise<ApiReply<unknown>>; dataDir: string },
  admin: { username: string; password: string },
): Promise<string> {
  const st = await b.call('station.get', undefined);
  if (!st.ok) throw new Error(`station.get: ${st.error.code}`);
  const institutionNo = (st.data as { institutionNo: string }).institutionNo;
  const office = new ConsoleClient({ url });
  const login = await office.login(admin.username, admin.password);
  if (login.status !== 200) throw new Error(`office login: ${login.status} ${login.text}`);
  const created = await office.post('/office/stations', stationForm(institutionNo));
  if (created.status !== 201) throw new Error(`provisioning refused: ${created.status} ${created.text}`);
  const file = await office.get<{ data: { file: { people: Array<{ id: number }> } } }>(
    `/office/stations/${institutionNo}`,
  );
  const holderId = file.json.data.file.people[0]!.id;
  for (const subject of ['operation', 'water', 'electricity', 'gas', 'telephone']) {
    const r = await office.post(`/office/stations/${institutionNo}/training`, {
      personId: String(holderId),
      subject,
      trainedOn: '2026-01-05',
      trainer: '测试培训',
    });
    if (r.status !== 200) throw new Error(`training refused: ${r.status} ${r.text}`);
  }
  const code = await office.post<{ data: { code: string } }>(
    `/office/stations/${institutionNo}/activation-code`,
  );
  await activate({
    url,
    institutionNo,
    activationCode: code.json.data.code,
    privateKeyPem: loadOrCreateStationKey(b.dataDir)
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString(),
    keeper: new ProfileKeeper(b.dataDir, institutionNo),
  });
  const r = await b.call('profile.refresh', undefined);
  if (!r.ok || !(r.data as { profile: unknown }).profile)
    throw new Error('the station did not take its profile');
  return institutionNo;
}

/** A platform of its own (embedded SQLite, simulated billers) with a station backend on it: the
 *  office registers the station with the public key it shows (站点状态) and activates it
 *  (registerBackend). The platform `p`, the backend `b` and its 机构号 `no`. */
export async function stationOnNewPlatform(): Promise<{ p: TestPlatform; b: TestBackend; no: string }> {
  const p = await startTestPlatform('sqlite', undefined);
  try {
    const b = await testBackend({ platformUrl: p.url, platformDemo: true, gatewayTimeoutMs: 10_000 });
    return { p, b, no: await registerBackend(p.url, b, p.admin) };
  } catch (e) {
    await p.stop();
    throw e;
  }
}
