import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';
import type { ResourceStore } from '../backends/resource-store.js';
import type { CompiledMapping } from '../mapping/compiled-mapping.js';
import { MappingHolder } from '../runtime/mapping-holder.js';
import type { TenantAuth } from './auth/credential.js';
import {
  DEFAULT_FAILED_AUTH_POLICY,
  FailedAuthLimiter,
  type FailedAuthPolicy,
} from './auth/failed-auth-limiter.js';
import { scimErrorHandler, scimNotFoundHandler } from './error-handler.js';
import { fastifyServerSettings } from './http-server-options.js';
import { DEFAULT_LIMITS, type ScimLimits } from './limits.js';
import { withRedaction } from './log-redaction.js';
import { type AuditLog, createAuditLog } from './observability/audit-log.js';
import { GatewayMetrics } from './observability/gateway-metrics.js';
import { instrumentStore } from './observability/instrumented-store.js';
import { LazyRequestLogger } from './observability/lazy-request-logger.js';
import { registerMetricsRoute } from './observability/metrics-route.js';
import { requestIdOf } from './observability/request-id.js';
import { registerRequestObservation } from './observability/request-observation.js';
import type { CredentialRateLimits } from './rate-limit.js';
import { scimPlugin } from './scim-plugin.js';
import type { ServerSettings } from './server-settings.js';
import { registerCertificateReload } from './tls/register-certificate-reload.js';

export const DEFAULT_BASE_PATH = '/scim/v2';

/** A SCIM service provider mounted at `/{name}{basePath}` with its own mapping, store and credentials. */
export interface TenantOptions {
  readonly name: string;
  readonly mapping: CompiledMapping;
  readonly store: ResourceStore;
  readonly auth: TenantAuth;
  /** Mount path instead of `/{name}{basePath}` (the gateway configuration sets every tenant's). */
  readonly basePath?: string;
  readonly rateLimits?: CredentialRateLimits;
}

export interface AppOptions {
  /** The default service provider, mounted at `basePath`. */
  readonly mapping: CompiledMapping;
  readonly store: ResourceStore;
  readonly auth: TenantAuth;
  /** Tenant name of the default service provider (logs, metrics, reload); default `default`. */
  readonly name?: string;
  /** Per-credential request rate limits of the default service provider. */
  readonly rateLimits?: CredentialRateLimits;
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
  /** TLS, header size and timeouts of the Node server. */
  readonly server?: ServerSettings;
  /** Failed authentications per client address before 429; default 20 a minute, `false` turns it off. */
  readonly failedAuth?: FailedAuthPolicy | false;
  /** Deadline of one backend call (ms); past it the client gets 503 with Retry-After. Default 30 s. */
  readonly backendTimeoutMs?: number;
  /** GET /metrics (Prometheus); on by default, outside SCIM auth, optionally behind its own bearer token. */
  readonly metrics?: { readonly enabled?: boolean; readonly token?: string };
  /** Where the audit trail goes; default: the app logger (lines with `audit: true`). `false` turns it off. */
  readonly audit?: AuditLog | false;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Each mount's swappable mapping and store, by tenant name (`default` for the base path). */
    tenantHolders: ReadonlyMap<string, MappingHolder>;
    gatewayMetrics: GatewayMetrics;
  }
}

export const DEFAULT_BACKEND_TIMEOUT_MS = 30_000;

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

  // With `https` set Fastify types the app as an https one; the routes do not care which.
  const logger = withRedaction(options.logger);
  const app = Fastify({
    logger,
    // request.log is made when first written to (lazy-request-logger.ts); Fastify's no-op logger needs nothing.
    ...(logger === false ? {} : { childLoggerFactory: LazyRequestLogger.factory }),
    bodyLimit,
    trustProxy: options.trustProxy ?? false,
    routerOptions: { ignoreTrailingSlash: true },
    // One log line per request, written by request-observation.ts; ids honour X-Request-Id.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    genReqId: requestIdOf,
    requestIdHeader: false,
    ...fastifyServerSettings(options.server),
  }) as unknown as FastifyInstance;
  registerCertificateReload(app, options.server?.tls);
  const failedAuth =
    options.failedAuth === false
      ? undefined
      : new FailedAuthLimiter(options.failedAuth ?? DEFAULT_FAILED_AUTH_POLICY);
  app.setErrorHandler(scimErrorHandler);
  app.setNotFoundHandler(scimNotFoundHandler);

  const mounts = [
    {
      name: options.name ?? 'default',
      prefix: basePath,
      mapping: options.mapping,
      store: options.store,
      auth: options.auth,
      rateLimits: options.rateLimits,
    },
    ...(options.tenants ?? []).map((tenant) => ({
      name: tenant.name,
      prefix:
        tenant.basePath === undefined
          ? `/${encodeURIComponent(tenant.name)}${basePath}`
          : normaliseBasePath(tenant.basePath),
      rateLimits: tenant.rateLimits,
      mapping: tenant.mapping,
      store: tenant.store,
      auth: tenant.auth,
    })),
  ];

  const metrics = new GatewayMetrics();
  const holders = new Map<string, MappingHolder>();
  for (const mount of mounts) {
    const backend = mount.mapping.backend.type;
    holders.set(
      mount.name,
      new MappingHolder(mount.name, { mapping: mount.mapping, store: mount.store }, (store) =>
        instrumentStore(store, metrics, { tenant: mount.name, backend }),
      ),
    );
  }
  metrics.readPoolsFrom(() =>
    [...holders.values()].map((holder) => ({
      tenant: holder.tenant,
      stats: holder.current.store.poolStats?.(),
    })),
  );
  app.decorate('tenantHolders', holders);
  app.decorate('gatewayMetrics', metrics);
  // Stores that a reload created belong to the holders; the first ones to whoever passed them in.
  app.addHook('onClose', async () => {
    await Promise.all([...holders.values()].map((holder) => holder.close()));
  });
  registerRequestObservation(app, metrics);
  if (options.metrics?.enabled !== false) {
    registerMetricsRoute(app, metrics, {
      ...(options.metrics?.token === undefined ? {} : { token: options.metrics.token }),
    });
  }
  const audit = options.audit === false ? undefined : (options.audit ?? createAuditLog(app.log));

  // Liveness: the process answers. Never touches a backend.
  app.get('/healthz', async (_request, reply) => reply.code(200).send({ status: 'ok' }));

  // Readiness: every backend answers its ping.
  app.get('/readyz', async (request, reply) => {
    try {
      await Promise.all([...holders.values()].map((holder) => holder.current.store.ping()));
      return reply.code(200).send({ status: 'ready' });
    } catch (error) {
      request.log.warn({ reason: error instanceof Error ? error.message : String(error) }, 'not ready');
      return reply.code(503).header('Retry-After', '5').send({ status: 'unavailable' });
    }
  });

  for (const mount of mounts) {
    await app.register(scimPlugin, {
      prefix: mount.prefix,
      holder: holders.get(mount.name) as MappingHolder,
      auth: mount.auth,
      limits,
      ...(audit === undefined ? {} : { audit }),
      tenant: mount.name,
      ...(failedAuth === undefined ? {} : { failedAuth }),
      ...(mount.rateLimits === undefined ? {} : { rateLimits: mount.rateLimits }),
      backendTimeoutMs: options.backendTimeoutMs ?? DEFAULT_BACKEND_TIMEOUT_MS,
    });
  }
  return app;
}
