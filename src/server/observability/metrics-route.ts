import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { GatewayMetrics } from './gateway-metrics.js';

export interface MetricsRouteOptions {
  /**
   * When set, scrapers must send `Authorization: Bearer <token>`. Metrics
   * hold no secrets, but tenant names and traffic shape are nobody else's
   * business on an internet-facing port.
   */
  readonly token?: string;
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** GET /metrics in the Prometheus text format, outside SCIM authentication. */
export function registerMetricsRoute(
  app: FastifyInstance,
  metrics: GatewayMetrics,
  options: MetricsRouteOptions = {},
): void {
  const expected = options.token === undefined || options.token === '' ? undefined : digest(options.token);
  app.get('/metrics', async (request, reply) => {
    if (expected !== undefined) {
      const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(request.headers.authorization ?? '');
      const presented = match?.[1];
      if (presented === undefined || !timingSafeEqual(digest(presented), expected)) {
        return reply
          .code(401)
          .header('WWW-Authenticate', 'Bearer realm="crosswalk-metrics"')
          .type('text/plain')
          .send('metrics need a bearer token\n');
      }
    }
    const body = await metrics.text();
    return reply.code(200).type(metrics.registry.contentType).send(body);
  });
}
