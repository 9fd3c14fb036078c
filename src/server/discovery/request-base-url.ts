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
  const base = leadingSegments(url, wanted) ?? joinedLeadingSegments(url, wanted);
  return `${request.protocol}://${request.host}${base}`;
}

/**
 * `/a/b` of `/a/b/Users/42?x=1` for two segments, read in place (this runs
 * on every request); undefined when an empty segment (`//`) needs the
 * general path below.
 */
function leadingSegments(url: string, wanted: number): string | undefined {
  if (wanted === 0) return '';
  if (url.charCodeAt(0) !== SLASH) return undefined;
  let opening = 0;
  for (let segment = 1; ; segment += 1) {
    const end = segmentEnd(url, opening + 1);
    if (end === opening + 1) return undefined;
    if (segment === wanted) return url.slice(0, end);
    // Fewer segments than wanted: the general path says what is there.
    if (url.charCodeAt(end) !== SLASH) return undefined;
    opening = end;
  }
}

const SLASH = 47;
const QUESTION_MARK = 63;

/** Index of the `/`, `?` or end that closes the segment starting at `from`. */
function segmentEnd(url: string, from: number): number {
  for (let i = from; i < url.length; i += 1) {
    const code = url.charCodeAt(i);
    if (code === SLASH || code === QUESTION_MARK) return i;
  }
  return url.length;
}

/** The general case: empty segments dropped, the rest joined. */
function joinedLeadingSegments(url: string, wanted: number): string {
  const end = url.indexOf('?');
  const path = end < 0 ? url : url.slice(0, end);
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segments.length === wanted) break;
    if (segment !== '') segments.push(segment);
  }
  const base = segments.join('/');
  return base === '' ? '' : `/${base}`;
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
