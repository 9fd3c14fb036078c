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

/** The two metrics' label sets for one kind of response. */
interface HttpLabels {
  readonly requests: Record<string, string>;
  readonly duration: Record<string, string>;
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

  // Label sets by tenant, route template, method and status: bounded, and made once rather than per request.
  const labelSets = new Map<string, HttpLabels>();
  const labelsOf = (tenant: string, route: string, method: string, status: number): HttpLabels => {
    const key = `${tenant}\u0000${route}\u0000${method}\u0000${status}`;
    let labels = labelSets.get(key);
    if (labels === undefined) {
      labels = {
        requests: { tenant, route, method, status: String(status) },
        duration: { tenant, route, method },
      };
      labelSets.set(key, labels);
    }
    return labels;
  };

  app.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done) => {
    const route = routeOf(request);
    const status = reply.statusCode;
    const elapsedMs = reply.elapsedTime;
    const tenant = request.tenant ?? '';
    if (metrics !== undefined) {
      const labels = labelsOf(tenant, route, request.method, status);
      metrics.observeRequest(labels.requests, labels.duration, elapsedMs / 1000);
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
