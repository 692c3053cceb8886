// Test helpers: the usual set-ups of a test file on one backend, as vitest hooks.
import { afterEach, beforeEach } from 'vitest';
import type { BackendOptions } from '../../backend/backend';
import {
  backendAt,
  platformDelegate,
  sessionCaller,
  testBackend,
  testClock,
  TEST_START,
  type TestBackend,
} from './backend';

/** Registers the file's hooks: before each test a fresh backend at `startIso` on the clock it
 *  returns, handed to `b.set` (the file's `b`); after the test the file's backend then, `b.get()`,
 *  is closed (a test may have reopened it). */
export function backendForEachTest(
  b: { set(fresh: TestBackend): void; get(): TestBackend },
  startIso = TEST_START,
  opts: Partial<BackendOptions> = {},
) {
  const clock = testClock();
  beforeEach(async () => b.set(await backendAt(clock, startIso, opts)));
  afterEach(() => b.get().close());
  return clock;
}

/** backendForEachTest for a file where clients log in: `clock`; `backend()` is the test's
 *  backend; `as(session)` calls as the client holding `session` (sessionCaller); `restart()` closes
 *  the backend and opens it again on its data directory, as a restart of the app does;
 *  `recordSon()` records the holder's son at the platform, an authorised person trained on water
 *  who may pay and top up (platformDelegate): his operator id. */
export function backendWithClients() {
  let b: TestBackend;
  const clock = backendForEachTest({ set: (fresh) => (b = fresh), get: () => b });
  return {
    clock,
    backend: () => b,
    as: sessionCaller(() => b),
    recordSon: () => platformDelegate(b, { name: '儿子', services: ['water'], scope: ['pay', 'topup'] }),
    async restart(): Promise<TestBackend> {
      const dataDir = b.dataDir;
      b.close();
      b = await testBackend({ now: clock.now, dataDir });
      return b;
    },
  };
}
