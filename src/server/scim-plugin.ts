import type { FastifyPluginAsync } from 'fastify';
import type { ResourceStore } from '../backends/resource-store.js';
import type { CompiledMapping } from '../mapping/compiled-mapping.js';
import { registerAuthentication } from './auth/auth-hook.js';
import type { TenantAuth } from './auth/credential.js';
import type { FailedAuthLimiter } from './auth/failed-auth-limiter.js';
import { storeWithDeadline } from './deadline-store.js';
import { scimErrorHandler, scimNotFoundHandler } from './error-handler.js';
import { registerJsonBodyParser } from './json-body-parser.js';
import type { ScimLimits } from './limits.js';
import { type CredentialRateLimits, registerCredentialRateLimit } from './rate-limit.js';
import { createResourceService } from './resource-service.js';
import { bulkRoute } from './routes/bulk.js';
import { discoveryRoutes } from './routes/discovery.js';
import { resourceRoutes } from './routes/resources.js';
import { rootSearchRoutes } from './routes/root-search.js';
import { SCIM_CONTENT_TYPE } from './scim-reply.js';

export interface ScimPluginOptions {
  readonly mapping: CompiledMapping;
  readonly store: ResourceStore;
  readonly auth: TenantAuth;
  readonly limits: ScimLimits;
  /** Names the mount in rate-limit keys (`default` for the one at the base path). */
  readonly tenant?: string;
  /** Shared by every mount: failed authentications per client address. */
  readonly failedAuth?: FailedAuthLimiter;
  readonly rateLimits?: CredentialRateLimits;
  /** Deadline of one backend call; past it the client gets 503 with Retry-After. */
  readonly backendTimeoutMs?: number;
}

/**
 * One SCIM service provider: its mapping, store and credentials, with its
 * own body parser, auth hook, error and 404 handlers. Registered
 * (encapsulated, not wrapped in fastify-plugin) under a prefix, so several
 * tenants can be mounted side by side without sharing any of it.
 */
export const scimPlugin: FastifyPluginAsync<ScimPluginOptions> = async (fastify, options) => {
  const { mapping, limits } = options;
  const store =
    options.backendTimeoutMs === undefined
      ? options.store
      : storeWithDeadline(options.store, options.backendTimeoutMs);
  const service = createResourceService(mapping, store, limits);

  registerJsonBodyParser(fastify, limits.bodyLimit);
  fastify.setErrorHandler(scimErrorHandler);
  fastify.setNotFoundHandler(scimNotFoundHandler);

  registerAuthentication(fastify, {
    auth: options.auth,
    ...(options.failedAuth === undefined ? {} : { failedAuth: options.failedAuth }),
  });
  await registerCredentialRateLimit(fastify, options.tenant ?? 'default', options.rateLimits ?? {});
  // Whatever a route forgot: SCIM bodies are application/scim+json (RFC 7644 §3.1).
  fastify.addHook('onSend', async (_request, reply, payload) => {
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('application/json')) reply.type(SCIM_CONTENT_TYPE);
    return payload;
  });

  await fastify.register(resourceRoutes, { service });
  await fastify.register(rootSearchRoutes, { service });
  await fastify.register(bulkRoute, { mapping, service, limits });
  await fastify.register(discoveryRoutes, {
    mapping,
    service,
    limits,
    cursorPagination: cursorPaginationOf(mapping, store),
  });
};

/** Advertise RFC 9865 cursors only when the store can page every served type by cursor. */
function cursorPaginationOf(mapping: CompiledMapping, store: ResourceStore): boolean {
  return mapping.resourceTypes.every((type) => store.supportsCursor(type.name));
}
