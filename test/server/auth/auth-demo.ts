import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createStore } from '../../../src/backends/create-store.js';
import { loadMappingFile } from '../../../src/mapping/load-mapping.js';
import { type AppOptions, buildApp } from '../../../src/server/app.js';
import { DEMO_MAPPING } from '../support/demo-app.js';

export interface AuthDemo {
  readonly app: FastifyInstance;
  /** Credential names of answered requests, in order. */
  readonly credentialsSeen: string[];
  close(): Promise<void>;
}

/** The demo mapping on a fresh SQLite file, served with the given auth settings; records who each request was. */
export async function startAuthDemo(
  options: Partial<AppOptions> & Pick<AppOptions, 'auth'>,
  beforeReady?: (app: FastifyInstance) => void,
): Promise<AuthDemo> {
  const dir = await mkdtemp(join(tmpdir(), 'crosswalk-auth-'));
  const mapping = await loadMappingFile(DEMO_MAPPING, {
    ...process.env,
    CROSSWALK_SQLITE_FILE: join(dir, 'demo.sqlite'),
  });
  const store = await createStore(mapping);
  const app = await buildApp({ mapping, store, ...options });
  const credentialsSeen: string[] = [];
  app.addHook('onResponse', async (request) => {
    if (request.credentialName !== undefined) credentialsSeen.push(request.credentialName);
  });
  beforeReady?.(app);
  await app.ready();
  return {
    app,
    credentialsSeen,
    close: async () => {
      await app.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
