import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration suites start real servers (slapd, samba, databases); give them room.
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // A run-scoped folder for the provisioned Samba AD domain the AD tests copy (filled on first use).
    globalSetup: ['test/support/samba-template.global-setup.ts'],
  },
});
