// Test helper: the usual set-up of a test file where clients log in to one backend (vitest only).
import { afterEach, beforeEach } from 'vitest';
import {
  backendAt,
  platformDelegate,
  sessionCaller,
  testBackend,
  testClock,
  type TestBackend,
} from './backend';

/** Registers the file's hooks: before each test a fresh backend at TEST_START on `clock`, closed
 *  after it. `backend()` is the test's backend; `as(session)` calls as the client holding
 *  `session` (sessionCaller); `restart()` closes the backend and opens it again on its data
 *  directory, as a restart of the app does; `recordSon()` records the holder's son at the platform, an
 *  authorised person trained on water who may pay and top up (platformDelegate): his operator id. */
export function backendWithClients() {
  const clock = testClock();
  let b: TestBackend;
  beforeEach(async () => (b = await backendAt(clock)));
  afterEach(() => b.close());
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
