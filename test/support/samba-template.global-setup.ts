import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAMBA_TEMPLATE_ENV } from './samba-ad.js';

/**
 * Vitest global setup: a folder for the run's provisioned Samba domain,
 * which test/support/samba-ad.ts fills on first use (test runs that start no
 * Samba pay nothing) and every Samba-backed test file copies. Removed when
 * the run ends.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'crosswalk-samba-template-'));
  process.env[SAMBA_TEMPLATE_ENV] = dir;
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}
