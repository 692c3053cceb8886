// Store tests run against BOTH engines: `describe.each(ENGINES)` with a fresh store per test —
// a temp SQLite folder, or a fresh database on the throwaway PostgreSQL server (tests/helpers/pg.ts).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPgPlatformStore, type PgPlatformStore } from '../../platform/store/pg';
import { openSqlitePlatformStore, type SqlitePlatformStore } from '../../platform/store/sqlite';
import type { NewStation, PlatformStore, StoreEngine } from '../../platform/store/types';
import type { PgServer } from './pg';

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
