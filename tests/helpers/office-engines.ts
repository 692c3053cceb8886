// The office tests run on both store engines: a temp SQLite folder, or a fresh database on the
// throwaway PostgreSQL server (tests/helpers/pg.ts; skipped, with one printed line, where no
// server can be started).
import { afterAll, beforeAll } from 'vitest';
import type { StoreEngine } from '../../platform/store/types';
import type { StoreOpener } from './office';
import { startPg, type PgServer } from './pg';
import { ENGINES, openTestStore } from './stores';

let server: PgServer | undefined;

/** Call once at the top of a test file: starts the PostgreSQL server for the file's tests. */
export function usePgServer(): void {
  beforeAll(async () => {
    server = await startPg();
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    server = undefined;
  });
}

export function engineAvailable(engine: StoreEngine): boolean {
  return engine === 'sqlite' || server !== undefined;
}

export function officeEngines(): Array<[StoreEngine, StoreOpener]> {
  return ENGINES.map((engine) => [
    engine,
    async () => {
      const store = await openTestStore(engine, server);
      return { store, cleanup: () => store.cleanup() };
    },
  ]);
}
