import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ResourceStore } from '../backends/resource-store.js';
import type { CompiledMapping } from '../mapping/compiled-mapping.js';
import type { MappingHolder, MappingLease, ServedMapping } from '../runtime/mapping-holder.js';
import { registerAuthentication } from './auth/auth-hook.js';
import type { TenantAuth } from './auth/credential.js';
import type { FailedAuthLimiter } from './auth/failed-auth-limiter.js';
import { storeWithDeadline } from './deadline-store.js';
import { scimErrorHandler, scimNotFoundHandler } from './error-handler.js';
import { registerJsonBodyParser } from './json-body-parser.js';
import type { ScimLimits } from './limits.js';
import type { AuditLog } from './observability/audit-log.js';
import { auditedService } from './observability/audited-service.js';
import { type CredentialRateLimits, registerCredentialRateLimit } from './rate-limit.js';
import { createResourceService, type ResourceService } from './resource-service.js';
import { bulkRoute } from './routes/bulk.js';
import { discoveryRoutes } from './routes/discovery.js';
import { resourceRoutes } from './routes/resources.js';
import { rootSearchRoutes } from './routes/root-search.js';
import { SCIM_CONTENT_TYPE } from './scim-reply.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The mapping generation this request uses from start to end (hot reload swaps only for later requests). */
    scimLease?: MappingLease;
    /** The request's ResourceService: the leased generation's, with writes audited. */
    scimService?: ResourceService;
  }
}

export interface ScimPluginOptions {
  /** The tenant's mapping and store, swappable by hot reload. */
  readonly holder: MappingHolder;
  readonly auth: TenantAuth;
  readonly limits: ScimLimits;
  /** Names the mount in rate-limit keys (`default` for the one at the base path). */
  readonly tenant?: string;
  /** Shared by every mount: failed authentications per client address. */
  readonly failedAuth?: FailedAuthLimiter;
  readonly rateLimits?: CredentialRateLimits;
  /** Deadline of one backend call; past it the client gets 503 with Retry-After. */
  readonly backendTimeoutMs?: number;
  /** Where every write is recorded; none when absent. */
  readonly audit?: AuditLog;
}

/** What a mapping generation serves with: built once per generation, not per request. */
interface GenerationView {
  readonly mapping: CompiledMapping;
  readonly service: ResourceService;
  readonly cursorPagination: boolean;
}

/**
 * One SCIM service provider: its mapping, store and credentials, with its
 * own body parser, auth hook, error and 404 handlers. Registered
 * (encapsulated, not wrapped in fastify-plugin) under a prefix, so several
 * tenants can be mounted side by side without sharing any of it.
 */
export const scimPlugin: FastifyPluginAsync<ScimPluginOptions> = async (fastify, options) => {
  const { holder, limits } = options;
  const tenant = options.tenant ?? 'default';
  const prefix = fastify.prefix;
  const views = new WeakMap<ServedMapping, GenerationView>();
  const viewOf = (served: ServedMapping): GenerationView => {
    let view = views.get(served);
    if (view === undefined) {
      const store =
        options.backendTimeoutMs === undefined
          ? served.store
          : storeWithDeadline(served.store, options.backendTimeoutMs);
      view = {
        mapping: served.mapping,
        service: createResourceService(served.mapping, store, limits),
        cursorPagination: cursorPaginationOf(served.mapping, served.store),
      };
      views.set(served, view);
    }
    return view;
  };
  const viewFor = (request: FastifyRequest): GenerationView =>
    viewOf(request.scimLease?.served ?? holder.current);
  const serviceFor = (request: FastifyRequest): ResourceService =>
    request.scimService ?? viewFor(request).service;
  const service = viewOf(holder.current).service;

  // First of all hooks: pin the mapping generation and name the tenant and resource type (logs, metrics).
  fastify.addHook('onRequest', async (request) => {
    request.scimLease = holder.lease();
    request.tenant = tenant;
    const route = request.routeOptions.url;
    if (route?.startsWith(prefix)) {
      const endpoint = `/${route.slice(prefix.length).split('/')[1] ?? ''}`;
      const type = viewFor(request).service.typeForEndpoint(endpoint);
      if (type !== undefined) request.resourceType = type.name;
    }
  });
  const release = async (request: FastifyRequest): Promise<void> => request.scimLease?.release();
  fastify.addHook('onResponse', release);
  fastify.addHook('onRequestAbort', release);

  registerJsonBodyParser(fastify, limits.bodyLimit);
  fastify.setErrorHandler(scimErrorHandler);
  fastify.setNotFoundHandler(scimNotFoundHandler);

  registerAuthentication(fastify, {
    auth: options.auth,
    ...(options.failedAuth === undefined ? {} : { failedAuth: options.failedAuth }),
  });
  await registerCredentialRateLimit(fastify, tenant, options.rateLimits ?? {});
  // After authentication: the request's service records writes under the credential's name.
  const audit = options.audit;
  if (audit !== undefined) {
    fastify.addHook('preHandler', async (request) => {
      request.scimService = auditedService(viewFor(request).service, audit, {
        requestId: request.id,
        tenant,
        actor: request.credentialName ?? 'anonymous',
        via: request.routeOptions.url?.endsWith('/Bulk') === true ? 'bulk' : 'http',
      });
    });
  }
  // Whatever a route forgot: SCIM bodies are application/scim+json (RFC 7644 §3.1).
  fastify.addHook('onSend', async (_request, reply, payload) => {
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('application/json')) reply.type(SCIM_CONTENT_TYPE);
    return payload;
  });

  // Routes exist per resource type of the first mapping; a reload keeps that set (see mapping-reloader.ts).
  await fastify.register(resourceRoutes, { service, serviceFor });
  await fastify.register(rootSearchRoutes, { service, serviceFor });
  await fastify.register(bulkRoute, { mapping: service.mapping, service, serviceFor, limits });
  await fastify.register(discoveryRoutes, {
    mapping: service.mapping,
    service,
    limits,
    cursorPagination: viewOf(holder.current).cursorPagination,
    current: viewFor,
  });
};

/** Advertise RFC 9865 cursors only when the store can page every served type by cursor. */
function cursorPaginationOf(mapping: CompiledMapping, store: ResourceStore): boolean {
  return mapping.resourceTypes.every((type) => store.supportsCursor(type.name));
}
