// A platform for tests: the real server (Fastify on 127.0.0.1, a free port) on either store,
// simulated billers with a short timeout, and stations registered with fresh Ed25519 keys.
import crypto from 'node:crypto';
import { buildPlatform, type Platform } from '../../platform/app';
import type { StoreEngine } from '../../platform/store/types';
import { PlatformGateway } from '../../backend/gateway/platform-gateway';
import { loadOrCreateStationKey } from '../../backend/services/station-key';
import type { ApiReply } from '../../shared/errors';
import type { PgServer } from './pg';
import { openTestStore, sha, type TestStore } from './stores';

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
  const url = await p.app.listen({ host: '127.0.0.1', port: 0 });
  return {
    ...p,
    url,
    store,
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
      const { voucher } = await store.accounts.deposit({
        institutionNo,
        amountFen,
        depositor: '张三',
        branchId: 'B001',
        clerk: 'clerk1',
        requestKey: k,
        requestSha256: sha(k),
        at: new Date().toISOString(),
      });
      return voucher.voucherNo;
    },
    async stop() {
      await p.app.close();
      await store.cleanup();
    },
  };
}

/** Registers a station backend with the platform by the public key it shows (站点状态), through
 *  the admin API; returns its 机构号. */
export async function registerBackend(
  url: string,
  b: { call(channel: string, args: unknown): Promise<ApiReply<unknown>>; dataDir: string },
): Promise<string> {
  const st = await b.call('station.get', undefined);
  if (!st.ok) throw new Error(`station.get: ${st.error.code}`);
  const institutionNo = (st.data as { institutionNo: string }).institutionNo;
  const res = await fetch(`${url}/v1/stations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    body: JSON.stringify({
      institutionNo,
      name: '演示站点',
      openingDate: '2026-01-05',
      publicKey: loadOrCreateStationKey(b.dataDir).publicKeyPem,
    }),
  });
  if (res.status !== 201) throw new Error(`registration failed: ${res.status} ${await res.text()}`);
  return institutionNo;
}
