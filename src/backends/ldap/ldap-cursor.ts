import { scimErrors } from '../../scim/errors.js';
import type { Filter } from '../../scim/filter/ast.js';
import { openCursor, sealCursor, signQuery } from '../opaque-cursor.js';
import type { SortSpec } from '../resource-store.js';

/*
 * RFC 9865 cursors over VLV offsets: the query's signature and the next
 * 1-based offset. Entries created or removed between pages shift later
 * pages, as with index paging.
 */
export function querySignature(sort: SortSpec | undefined, filter: Filter | undefined): string {
  return signQuery(JSON.stringify({ sort: sort ?? null, filter: filter ?? null }));
}

export function encodeCursor(signature: string, offset: number): string {
  return sealCursor(signature, { o: offset });
}

export function decodeCursor(token: string, signature: string): number {
  const { o } = openCursor(token, signature);
  if (typeof o !== 'number' || !Number.isInteger(o) || o < 1) {
    throw scimErrors.invalidCursor('The cursor is malformed');
  }
  return o;
}
