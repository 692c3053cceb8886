// The office tests run on both store engines: a temp SQLite folder, or a fresh database on the
// throwaway PostgreSQL server (tests/helpers/pg.ts; skipped, with one printed line, where no
// server can be started).
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { StoreEngine } from '../../platform/store/types';
import { startOffice, type StoreOpener, type TestOffice } from './office';
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

/** For `describe.each(officeEngines())`: before each test an office on the engine's fresh store
 *  (the test skipped on PostgreSQL where no server could start), given `setUp`; closed after the
 *  test. `office()` is the test's office. */
export function officeForEachTest(
  engine: StoreEngine,
  opener: StoreOpener,
  setUp: (office: TestOffice) => Promise<void> = async () => undefined,
): () => TestOffice {
  let office: TestOffice | undefined;
  beforeEach(async (ctx) => {
    if (!engineAvailable(engine)) return ctx.skip();
    office = await startOffice(opener);
    await setUp(office);
  });
  afterEach(async () => {
    await office?.close();
    office = undefined;
  });
  return () => office!;
}
