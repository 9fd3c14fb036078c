import { createHash } from 'node:crypto';
import { scimErrors } from '../../scim/errors.js';
import type { Filter } from '../../scim/filter/ast.js';
import type { SortSpec } from '../resource-store.js';

/**
 * RFC 9865 cursors over VLV offsets: opaque base64url of the query's
 * signature and the next 1-based offset. Nothing is kept on the gateway or
 * on a connection, so any replica continues any listing. Entries created or
 * removed between pages shift later pages, as with index paging.
 */
export function querySignature(sort: SortSpec | undefined, filter: Filter | undefined): string {
  return createHash('sha256')
    .update(JSON.stringify({ sort: sort ?? null, filter: filter ?? null }))
    .digest('base64url')
    .slice(0, 16);
}

export function encodeCursor(signature: string, offset: number): string {
  return Buffer.from(JSON.stringify({ s: signature, o: offset })).toString('base64url');
}

export function decodeCursor(token: string, signature: string): number {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(token)) throw new Error('not base64url');
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw scimErrors.invalidCursor('The cursor is not one this server issued');
  }
  if (typeof parsed !== 'object' || parsed === null)
    throw scimErrors.invalidCursor('The cursor is malformed');
  const { s, o } = parsed as Record<string, unknown>;
  if (typeof s !== 'string' || typeof o !== 'number' || !Number.isInteger(o) || o < 1) {
    throw scimErrors.invalidCursor('The cursor is malformed');
  }
  if (s !== signature)
    throw scimErrors.invalidCursor('The cursor belongs to a query with another filter or sort order');
  return o;
}
