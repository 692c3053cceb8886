import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // SQLite files and child processes: keep files isolated, but do not oversubscribe 2 cores.
    pool: 'forks',
    maxWorkers: 2,
  },
});
