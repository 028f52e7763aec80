import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The Temporal worker's native module needs real processes, not worker threads.
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
    // Integration tests wait for workflows on real servers; a first Temporal CLI build happens in global setup.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: more parallel files only queue on the same Temporal server and PostgreSQL.
    maxWorkers: 2,
  },
});
