import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { ResourceStore } from '../backends/resource-store.js';
import type { CompiledMapping } from '../mapping/compiled-mapping.js';
import type { BearerCredential } from './auth/bearer-auth.js';
import { scimErrorHandler, scimNotFoundHandler } from './error-handler.js';
import { DEFAULT_LIMITS, type ScimLimits } from './limits.js';
import { scimPlugin } from './scim-plugin.js';

export const DEFAULT_BASE_PATH = '/scim/v2';

/** A SCIM service provider mounted at `/{name}{basePath}` with its own mapping, store and credentials. */
export interface TenantOptions {
  readonly name: string;
  readonly mapping: CompiledMapping;
  readonly store: ResourceStore;
  readonly auth: { readonly bearerTokens: readonly BearerCredential[] };
}

export interface AppOptions {
  /** The default service provider, mounted at `basePath`. */
  readonly mapping: CompiledMapping;
  readonly store: ResourceStore;
  readonly auth: { readonly bearerTokens: readonly BearerCredential[] };
  /** Further service providers, each at `/{name}{basePath}`. */
  readonly tenants?: readonly TenantOptions[];
  /** Default `/scim/v2`. */
  readonly basePath?: string;
  /** Largest request body in bytes; default 1 MiB. */
  readonly bodyLimit?: number;
  readonly limits?: Partial<Omit<ScimLimits, 'bodyLimit'>>;
  readonly logger?: FastifyServerOptions['logger'];
  /** Honour X-Forwarded-* (behind a reverse proxy) for meta.location. */
  readonly trustProxy?: boolean;
}

function normaliseBasePath(basePath: string): string {
  const trimmed = basePath.replace(/\/+$/, '');
  return trimmed.startsWith('/') || trimmed === '' ? trimmed : `/${trimmed}`;
}

/**
 * The HTTP application: `/healthz` and `/readyz` outside authentication, and
 * one encapsulated SCIM plugin per mounted service provider.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const bodyLimit = options.bodyLimit ?? DEFAULT_LIMITS.bodyLimit;
  const limits: ScimLimits = { ...DEFAULT_LIMITS, ...options.limits, bodyLimit };
  const basePath = normaliseBasePath(options.basePath ?? DEFAULT_BASE_PATH);

  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit,
    trustProxy: options.trustProxy ?? false,
    routerOptions: { ignoreTrailingSlash: true },
  });
  app.setErrorHandler(scimErrorHandler);
  app.setNotFoundHandler(scimNotFoundHandler);

  const mounts = [
    { prefix: basePath, mapping: options.mapping, store: options.store, auth: options.auth },
    ...(options.tenants ?? []).map((tenant) => ({
      prefix: `/${encodeURIComponent(tenant.name)}${basePath}`,
      mapping: tenant.mapping,
      store: tenant.store,
      auth: tenant.auth,
    })),
  ];

  // Liveness: the process answers. Never touches a backend.
  app.get('/healthz', async (_request, reply) => reply.code(200).send({ status: 'ok' }));

  // Readiness: every backend answers its ping.
  app.get('/readyz', async (request, reply) => {
    try {
      await Promise.all(mounts.map((mount) => mount.store.ping()));
      return reply.code(200).send({ status: 'ready' });
    } catch (error) {
      request.log.warn({ reason: error instanceof Error ? error.message : String(error) }, 'not ready');
      return reply.code(503).header('Retry-After', '5').send({ status: 'unavailable' });
    }
  });

  for (const mount of mounts) {
    await app.register(scimPlugin, {
      prefix: mount.prefix,
      mapping: mount.mapping,
      store: mount.store,
      auth: mount.auth,
      limits,
    });
  }
  return app;
}
