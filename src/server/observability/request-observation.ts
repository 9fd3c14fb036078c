import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayMetrics } from './gateway-metrics.js';
import { REQUEST_ID_HEADER } from './request-id.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The tenant (mount) that served the request; set by the SCIM plugin. */
    tenant?: string;
    /** The resource type of a resource endpoint (`User`, `Group`); set by the SCIM plugin. */
    resourceType?: string;
  }
}

/** Probes and scrapes come every few seconds; their lines are debug so they do not drown the log. */
const QUIET_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

/** The route template (`/scim/v2/Users/:id`), never the raw URL: bounded label values, no ids or filters. */
function routeOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? 'unmatched';
}

/**
 * One JSON log line per request (request id, tenant, method, route, resource
 * type, credential name, status, duration) and the HTTP metrics. The request
 * id goes back to the client as X-Request-Id. Query strings, headers and
 * bodies are never logged: filters and bodies carry personal data, headers
 * carry credentials.
 */
export function registerRequestObservation(app: FastifyInstance, metrics: GatewayMetrics | undefined): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });

  app.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    const route = routeOf(request);
    const status = reply.statusCode;
    const durationMs = Math.round(reply.elapsedTime * 100) / 100;
    const tenant = request.tenant ?? '';
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
    if (QUIET_ROUTES.has(route)) request.log.debug(line, 'request');
    else request.log.info(line, 'request');

    if (metrics !== undefined) {
      metrics.httpRequests.inc({ tenant, route, method: request.method, status: String(status) });
      metrics.httpDuration.observe({ tenant, route, method: request.method }, reply.elapsedTime / 1000);
    }
  });
}
