import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    // Bounds that only catch a hang: a test never waits for them to pass, so they are generous
    // (a busy 2-core machine can take minutes where an idle one takes seconds).
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // SQLite files and child processes: keep files isolated, but do not oversubscribe 2 cores.
    pool: 'forks',
    maxWorkers: 2,
  },
});
