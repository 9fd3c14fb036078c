import type { FastifyRequest } from 'fastify';

/**
 * The absolute SCIM base URL of a request as the client reached it
 * (`https://gw.example/scim/v2`): scheme and host from the request (honouring
 * trustProxy), path = as many leading segments of the request path as the
 * plugin prefix has. Counting segments rather than copying the prefix keeps
 * parametrised mounts (`/tenants/:tenant/scim/v2`) right.
 */
export function requestBaseUrl(request: FastifyRequest, prefix: string): string {
  const prefixSegments = prefix.split('/').filter((segment) => segment !== '').length;
  const path = request.url.split('?')[0] ?? '';
  const segments = path.split('/').filter((segment) => segment !== '');
  const base = segments.slice(0, prefixSegments).join('/');
  return `${request.protocol}://${request.host}${base === '' ? '' : `/${base}`}`;
}
