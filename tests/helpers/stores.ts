// Store tests run against BOTH engines: `describe.each(ENGINES)` with a fresh store per test —
// a temp SQLite folder, or a fresh database on the throwaway PostgreSQL server (tests/helpers/pg.ts).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPgPlatformStore, type PgPlatformStore } from '../../platform/store/pg';
import { openSqlitePlatformStore, type SqlitePlatformStore } from '../../platform/store/sqlite';
import type { NewStation, PlatformStore, StoreEngine } from '../../platform/store/types';
import { startPg, type PgServer } from './pg';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { dbRefusalOf } from '../../platform/store/sql';

export const ENGINES: readonly StoreEngine[] = ['sqlite', 'pg'];

export type TestStore = (SqlitePlatformStore | PgPlatformStore) & { cleanup(): Promise<void> };

export async function openTestStore(engine: StoreEngine, pgServer: PgServer | undefined): Promise<TestStore> {
  if (engine === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yz-platform-'));
    const s = openSqlitePlatformStore(dir);
    return Object.assign(s, {
      async cleanup() {
        await s.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    });
  }
  if (!pgServer) throw new Error('no PostgreSQL server');
  const s = await openPgPlatformStore(await pgServer.newDatabase());
  return Object.assign(s, { cleanup: () => s.close() });
}

/** Raw SQL straight at the database, around the store: how the tests attack it. */
export async function rawSql(store: PlatformStore, sql: string, params: unknown[] = []): Promise<unknown[]> {
  if (store.engine === 'sqlite') {
    const order: number[] = [];
    const st = (store as SqlitePlatformStore).db.prepare(
      sql.replace(/\$(\d+)/g, (_m, n: string) => (order.push(Number(n) - 1), '?')),
    );
    const p = order.map((i) => params[i]);
    return st.reader ? st.all(...p) : (st.run(...p), []);
  }
  return (await (store as PgPlatformStore).pool.query(sql, params)).rows;
}

export function newStation(institutionNo: string, name = '测试驿站'): NewStation {
  const { publicKey } = crypto.generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return {
    institutionNo,
    name,
    openingDate: '2026-01-05',
    publicKey: new Uint8Array(raw),
    registeredAt: new Date().toISOString(),
  };
}

export const sha = (s: string): string => crypto.createHash('sha256').update(s).digest('hex');
export const key = (): string => crypto.randomUUID();

/** A branch deposit at the counter of branch B001 (张三, by clerk1), now. */
export function depositRequest(
  institutionNo: string,
  amountFen: number,
  requestKey: string,
  requestSha256: string,
): Parameters<PlatformStore['accounts']['deposit']>[0] {
  return {
    institutionNo,
    amountFen,
    depositor: '张三',
    branchId: 'B001',
    clerk: 'clerk1',
    requestKey,
    requestSha256,
    at: new Date().toISOString(),
  };
}

/** A water bill payment's begin (account 12345678), now; its bill id is the payment key's. */
export function paymentRequest(
  institutionNo: string,
  amountFen: number,
  paymentKey: string,
  requestSha256 = sha(`pay:${amountFen}:${paymentKey}`),
): Parameters<PlatformStore['accounts']['beginPayment']>[0] {
  return {
    institutionNo,
    paymentKey,
    requestSha256,
    billerId: 'water',
    accountNo: '12345678',
    billId: `WA12345678-${paymentKey}`,
    amountFen,
    at: new Date().toISOString(),
  };
}

/** A station's deposits and payment begins on a test store's central accounts: the branch deposit
 *  of `depositRequest` (its request digest from the station and amount, so the same key with
 *  another amount is another request) and the water bill payment of `paymentRequest`. */
export function accountCalls(store: () => PlatformStore) {
  return {
    deposit: (institutionNo: string, amountFen: number, k = key()) =>
      store().accounts.deposit(
        depositRequest(institutionNo, amountFen, k, sha(`${institutionNo}:${amountFen}`)),
      ),
    begin: (institutionNo: string, amountFen: number, k = key(), digest?: string) =>
      store().accounts.beginPayment(paymentRequest(institutionNo, amountFen, k, digest)),
  };
}

/** Asserts that raw SQL at the store is refused by a constraint or trigger — not by a typo in
 *  the attack. */
export async function expectDbRefusal(
  store: PlatformStore,
  sql: string,
  params: unknown[] = [],
): Promise<void> {
  const e: unknown = await rawSql(store, sql, params).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e, sql).toBeDefined();
  expect([sql, dbRefusalOf(e)]).not.toEqual([sql, null]);
}

/** A set-up for storeForEachTest: the stations `institutionNos` registered in the store. */
export const withStations =
  (institutionNos: string[]) =>
  async (store: TestStore): Promise<void> => {
    await store.stations.registerStations(institutionNos.map((no) => newStation(no)));
  };

/** For a file of `describe.each(ENGINES)` store tests: the throwaway PostgreSQL server, started
 *  before the file's tests and stopped after them. `server()` is it (undefined where none could
 *  start: the PostgreSQL tests then skip). */
export function pgServerForFile(): () => PgServer | undefined {
  let server: PgServer | undefined;
  beforeAll(async () => {
    server = await startPg();
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
  });
  return () => server;
}

/** For `describe.each(ENGINES)`: before each test a fresh store on `engine` (the test skipped on
 *  PostgreSQL where no server could start), given `setUp`; cleaned up after the test. `store()` is
 *  the test's store. */
export function storeForEachTest(
  engine: StoreEngine,
  server: () => PgServer | undefined,
  setUp: (store: TestStore) => Promise<void> = async () => undefined,
): () => TestStore {
  let store: TestStore | undefined;
  beforeEach(async (ctx) => {
    if (engine === 'pg' && !server()) return ctx.skip();
    store = await openTestStore(engine, server());
    await setUp(store);
  });
  afterEach(async () => {
    await store?.cleanup();
    store = undefined;
  });
  return () => store!;
}
