import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Integration suites start real processes (docker-registry, Azurite); give them room on 2 cores.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One key pool per run (test/helpers/pki/keys.ts) and seeded property tests (FC_SEED / TRUSTGATE_TEST_SEED).
    globalSetup: ['test/helpers/global-setup.ts'],
    setupFiles: ['test/helpers/fast-check-seed.ts'],
  },
});
