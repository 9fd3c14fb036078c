import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { createStore } from '../../../src/backends/create-store.js';
import type { ResourceStore } from '../../../src/backends/resource-store.js';
import type { CompiledMapping } from '../../../src/mapping/compiled-mapping.js';
import { loadMappingFile } from '../../../src/mapping/load-mapping.js';
import { type AppOptions, buildApp } from '../../../src/server/app.js';

export const DEMO_MAPPING = fileURLToPath(new URL('../../../mappings/demo-sqlite.yaml', import.meta.url));

export const TOKEN = 'test-token-0123456789';
export const AUTH = { authorization: `Bearer ${TOKEN}` };

/** Seed ids from mappings/demo-sqlite/seed.sql. */
export const SEED = {
  ada: '6f1c7a52-4a4e-4c1e-9a57-3d2c1b8e0a01',
  grace: '6f1c7a52-4a4e-4c1e-9a57-3d2c1b8e0a02',
  alan: '6f1c7a52-4a4e-4c1e-9a57-3d2c1b8e0a03',
  engineering: '9b2d4e61-7c3f-4d8a-b1e2-5f6a7b8c9d01',
  allStaff: '9b2d4e61-7c3f-4d8a-b1e2-5f6a7b8c9d02',
} as const;

export interface DemoApp {
  readonly app: FastifyInstance;
  readonly store: ResourceStore;
  readonly mapping: CompiledMapping;
  close(): Promise<void>;
}

/** mappings/demo-sqlite.yaml, loaded as `serve` loads it, on a fresh SQLite file (bootstrapped with the seed), served by the real app. */
export async function startDemoApp(overrides: Partial<AppOptions> = {}): Promise<DemoApp> {
  const dir = await mkdtemp(join(tmpdir(), 'crosswalk-server-'));
  // The variable the demo mapping's header names for its database file.
  const mapping = await loadMappingFile(DEMO_MAPPING, {
    ...process.env,
    CROSSWALK_SQLITE_FILE: join(dir, 'demo.sqlite'),
  });
  const store = await createStore(mapping);
  const app = await buildApp({
    mapping,
    store,
    auth: { bearerTokens: [{ name: 'test', token: TOKEN }] },
    ...overrides,
  });
  await app.ready();
  return {
    app,
    store,
    mapping,
    close: async () => {
      await app.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
