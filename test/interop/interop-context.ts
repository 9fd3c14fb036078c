import type { FastifyInstance } from 'fastify';
import type { ResourceStore } from '../../src/backends/resource-store.js';
import type { CompiledMapping } from '../../src/mapping/compiled-mapping.js';
import { buildApp, DEFAULT_BASE_PATH } from '../../src/server/app.js';

/** What the interoperability suite needs: a ready app, where SCIM is mounted, and a valid bearer token. */
export interface InteropContext {
  readonly app: FastifyInstance;
  /** Where the SCIM root is mounted, e.g. `/scim/v2`. */
  readonly basePath: string;
  readonly token: string;
  cleanup(): Promise<void>;
}

export const INTEROP_TOKEN = 'interop-token-5c1d9e0f2a7b4c36';

/**
 * The real app (buildApp) over any mapping and store, as `crosswalk serve`
 * builds it. `closeBackend` tears down what the caller started (store,
 * temp files, a throw-away directory server) after the app is closed.
 */
export async function interopContextFor(
  mapping: CompiledMapping,
  store: ResourceStore,
  closeBackend: () => Promise<void>,
): Promise<InteropContext> {
  const app = await buildApp({
    mapping,
    store,
    auth: { bearerTokens: [{ name: 'interop', token: INTEROP_TOKEN }] },
  });
  await app.ready();
  return {
    app,
    basePath: DEFAULT_BASE_PATH,
    token: INTEROP_TOKEN,
    cleanup: async () => {
      await app.close();
      await closeBackend();
    },
  };
}
