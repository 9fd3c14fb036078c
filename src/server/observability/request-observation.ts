import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayMetrics } from './gateway-metrics.js';
import { REQUEST_ID_HEADER } from './request-id.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The tenant (mount) that served the request; set by the SCIM plugin. */
    tenant?: string;
    /** The resource type of a resource endpoint (`User`, `Group`); set by the SCIM plugin. */
    resourceType?: string;
    /**
     * The matched route template (`/scim/v2/Users/:id`), read once when the
     * request arrives: Fastify's `routeOptions` getter builds a new object on
     * every access.
     */
    routeTemplate: string | undefined;
  }
}

/** Probes and scrapes come every few seconds; their lines are debug so they do not drown the log. */
const QUIET_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Whether a line at `level` would be written. The app's logger is pino,
 * which can tell, or — with logging off (`logger: false`) — Fastify's no-op
 * logger, which has no isLevelEnabled and writes nothing.
 */
function logsAt(log: FastifyBaseLogger, level: 'debug' | 'info'): boolean {
  const isLevelEnabled = (log as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled;
  return isLevelEnabled?.call(log, level) === true;
}

/** The route template (`/scim/v2/Users/:id`), never the raw URL: bounded label values, no ids or filters. */
function routeOf(request: FastifyRequest): string {
  return request.routeTemplate ?? 'unmatched';
}

/**
 * One JSON log line per request (request id, tenant, method, route, resource
 * type, credential name, status, duration) and the HTTP metrics. The request
 * id goes back to the client as X-Request-Id. Query strings, headers and
 * bodies are never logged: filters and bodies carry personal data, headers
 * carry credentials.
 */
export function registerRequestObservation(app: FastifyInstance, metrics: GatewayMetrics | undefined): void {
  // Callback-style hooks: they run on every request, and an async hook costs promises.
  app.decorateRequest('routeTemplate', undefined);
  app.addHook('onRequest', (request, reply, done) => {
    request.routeTemplate = request.routeOptions.url;
    reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });

  app.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done) => {
    const route = routeOf(request);
    const status = reply.statusCode;
    const elapsedMs = reply.elapsedTime;
    const tenant = request.tenant ?? '';
    if (metrics !== undefined) {
      metrics.observeRequest(tenant, route, request.method, status, elapsedMs / 1000);
    }
    const level = QUIET_ROUTES.has(route) ? 'debug' : 'info';
    if (!logsAt(request.log, level)) {
      done();
      return;
    }
    const durationMs = Math.round(elapsedMs * 100) / 100;
    const line = {
      ...(request.tenant === undefined ? {} : { tenant }),
      method: request.method,
      path: request.url.split('?', 1)[0],
      route,
      ...(request.resourceType === undefined ? {} : { resourceType: request.resourceType }),
      ...(request.credentialName === undefined ? {} : { credential: request.credentialName }),
      status,
      durationMs,
    };
    request.log[level](line, 'request');
    done();
  });
}
