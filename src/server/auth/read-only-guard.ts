const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a request changes data. POST to `/.search` (RFC 7644 §3.4.3) is a
 * query; every other POST, PUT, PATCH and DELETE writes — Bulk included, as
 * its operations can only be POST, PUT, PATCH or DELETE (§3.7).
 */
export function isWriteRequest(method: string, url: string): boolean {
  const upper = method.toUpperCase();
  if (READS.has(upper)) return false;
  const path = (url.split('?')[0] ?? '').replace(/\/+$/, '');
  return !(upper === 'POST' && path.endsWith('/.search'));
}
