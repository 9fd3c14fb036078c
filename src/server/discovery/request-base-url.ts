import type { FastifyRequest } from 'fastify';

/**
 * The absolute SCIM base URL of a request as the client reached it
 * (`https://gw.example/scim/v2`): scheme and host from the request (honouring
 * trustProxy), path = as many leading segments of the request path as the
 * plugin prefix has. Counting segments rather than copying the prefix keeps
 * parametrised mounts (`/tenants/:tenant/scim/v2`) right.
 */
export function requestBaseUrl(request: FastifyRequest, prefix: string): string {
  const wanted = segmentCount(prefix);
  const url = request.url;
  const end = url.indexOf('?');
  const path = end < 0 ? url : url.slice(0, end);
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segments.length === wanted) break;
    if (segment !== '') segments.push(segment);
  }
  const base = segments.join('/');
  return `${request.protocol}://${request.host}${base === '' ? '' : `/${base}`}`;
}

/** Segments of each mount prefix (a handful per app), counted once. */
const segmentCounts = new Map<string, number>();

function segmentCount(prefix: string): number {
  let count = segmentCounts.get(prefix);
  if (count === undefined) {
    count = prefix.split('/').filter((segment) => segment !== '').length;
    segmentCounts.set(prefix, count);
  }
  return count;
}
