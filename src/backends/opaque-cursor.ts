import { createHash } from 'node:crypto';
import { scimErrors } from '../scim/errors.js';

/**
 * RFC 9865 cursors are opaque to clients: base64url JSON carrying a
 * signature of the query they belong to (so reuse with another filter or
 * sort is 400 invalidCursor rather than a wrong page) and the adapter's
 * position fields. Nothing is stored server-side, so any replica can
 * continue any listing.
 */
export function signQuery(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 16);
}

export function sealCursor(signature: string, position: Readonly<Record<string, unknown>>): string {
  return Buffer.from(JSON.stringify({ s: signature, ...position })).toString('base64url');
}

/** The position fields of a cursor this server issued for the query `signature`; the adapter checks their shape. */
export function openCursor(token: string, signature: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(token)) throw new Error('not base64url');
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw scimErrors.invalidCursor('The cursor is not one this server issued');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw scimErrors.invalidCursor('The cursor is malformed');
  }
  const { s, ...position } = parsed as Record<string, unknown>;
  if (typeof s !== 'string') throw scimErrors.invalidCursor('The cursor is malformed');
  if (s !== signature) {
    throw scimErrors.invalidCursor('The cursor belongs to a query with another filter or sort order');
  }
  return position;
}
