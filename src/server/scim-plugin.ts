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
  /** Resource type name by route template (`/scim/v2/Users/:id` → `User`), filled as routes are hit. */
  readonly typeByRoute: Map<string, string | undefined>;
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
        typeByRoute: new Map(),
      };
      views.set(served, view);
    }
    return view;
  };
  const viewFor = (request: FastifyRequest): GenerationView =>
    viewOf(request.scimLease?.served ?? holder.current);
  const audit = options.audit;
  // Made on first use, after authentication: the request's service records writes under the credential's name.
  const serviceFor = (request: FastifyRequest): ResourceService => {
    if (request.scimService !== undefined) return request.scimService;
    const shared = viewFor(request).service;
    // A GET writes nothing, so it has nothing to audit: no wrapper per read.
    request.scimService =
      audit === undefined || request.method === 'GET'
        ? shared
        : auditedService(shared, audit, {
            requestId: request.id,
            tenant,
            actor: request.credentialName ?? 'anonymous',
            via: request.routeTemplate?.endsWith('/Bulk') === true ? 'bulk' : 'http',
          });
    return request.scimService;
  };
  const service = viewOf(holder.current).service;

  // First of all hooks: pin the mapping generation and name the tenant and resource type (logs, metrics).
  // Callback-style hooks here and below: they run on every request, and an async hook costs promises.
  fastify.addHook('onRequest', (request, _reply, done) => {
    request.scimLease = holder.lease();
    request.tenant = tenant;
    const route = request.routeTemplate;
    if (route !== undefined) {
      const view = viewFor(request);
      let type = view.typeByRoute.get(route);
      if (!view.typeByRoute.has(route)) {
        const endpoint = `/${route.slice(prefix.length).split('/')[1] ?? ''}`;
        type = route.startsWith(prefix) ? view.service.typeForEndpoint(endpoint)?.name : undefined;
        view.typeByRoute.set(route, type);
      }
      if (type !== undefined) request.resourceType = type;
    }
    done();
  });
  fastify.addHook('onResponse', (request, _reply, done) => {
    request.scimLease?.release();
    done();
  });
  fastify.addHook('onRequestAbort', (request, done) => {
    request.scimLease?.release();
    done();
  });

  registerJsonBodyParser(fastify, limits.bodyLimit);
  fastify.setErrorHandler(scimErrorHandler);
  fastify.setNotFoundHandler(scimNotFoundHandler);

  registerAuthentication(fastify, {
    auth: options.auth,
    ...(options.failedAuth === undefined ? {} : { failedAuth: options.failedAuth }),
  });
  await registerCredentialRateLimit(fastify, tenant, options.rateLimits ?? {});
  // SCIM bodies are application/scim+json (RFC 7644 §3.1): every route sends through sendScim and
  // every error through scimErrorHandler, which set it — no onSend hook on every response for it.

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
