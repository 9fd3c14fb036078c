import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration suites start real servers (slapd, samba, databases); give them room.
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
