import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { createStore } from '../backends/create-store.js';
import type { ResourceStore } from '../backends/resource-store.js';
import { loadMappingFile } from '../mapping/load-mapping.js';
import { type AppOptions, buildApp, type TenantOptions } from '../server/app.js';
import type { GatewayConfig } from './gateway-config.js';

export interface GatewayApp {
  readonly app: FastifyInstance;
  /** The mapping file of each mounted tenant, by tenant name (for hot reload). */
  readonly mappingFiles: readonly { readonly tenant: string; readonly file: string }[];
  /** Closes the stores created at start (after the app closed; stores a reload created belong to the app). */
  closeStores(): Promise<void>;
  /** Closes the app, then the stores. */
  close(): Promise<void>;
}

export interface GatewayAppOptions {
  readonly logger?: FastifyServerOptions['logger'];
  /** Supplies `${env:…}` references of the mapping files. */
  readonly env?: NodeJS.ProcessEnv;
  /** Observability settings (metrics, audit) passed through to buildApp. */
  readonly observability?: Pick<AppOptions, 'audit' | 'metrics'>;
}

/**
 * Every tenant of a configuration: its mapping loaded and its store created,
 * all mounted in one app with the configured credentials, TLS and limits.
 * A mapping that does not load stops the start (its MappingError says where);
 * stores already created are closed first.
 */
export async function buildGatewayApp(
  config: GatewayConfig,
  options: GatewayAppOptions = {},
): Promise<GatewayApp> {
  const stores: ResourceStore[] = [];
  const closeStores = async (): Promise<void> => {
    await Promise.allSettled(stores.map((store) => store.close()));
  };
  try {
    const tenants: TenantOptions[] = [];
    for (const tenant of config.tenants) {
      const mapping = await loadMappingFile(tenant.mappingFile, options.env ?? process.env);
      const store = await createStore(mapping);
      stores.push(store);
      tenants.push({
        name: tenant.name,
        basePath: tenant.basePath,
        mapping,
        store,
        auth: { credentials: tenant.credentials },
        rateLimits: tenant.rateLimits,
      });
    }
    // buildApp's first service provider is the first tenant, at its own base path.
    const [first, ...others] = tenants;
    if (first === undefined) throw new Error('A gateway configuration has at least one tenant');
    const app = await buildApp({
      name: first.name,
      mapping: first.mapping,
      store: first.store,
      auth: first.auth,
      basePath: first.basePath ?? '/scim/v2',
      ...(first.rateLimits === undefined ? {} : { rateLimits: first.rateLimits }),
      tenants: others,
      ...(config.bodyLimit === undefined ? {} : { bodyLimit: config.bodyLimit }),
      limits: config.limits,
      logger: options.logger,
      trustProxy: config.trustProxy,
      server: config.server,
      failedAuth: config.failedAuth,
      ...(config.backendTimeoutMs === undefined ? {} : { backendTimeoutMs: config.backendTimeoutMs }),
      ...options.observability,
    });
    return {
      app,
      mappingFiles: config.tenants.map((tenant) => ({ tenant: tenant.name, file: tenant.mappingFile })),
      closeStores,
      close: async () => {
        await app.close();
        await closeStores();
      },
    };
  } catch (error) {
    await closeStores();
    throw error;
  }
}
