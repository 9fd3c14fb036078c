import { createHash } from 'node:crypto';
import { scimErrors } from '../../scim/errors.js';
import type { Filter } from '../../scim/filter/ast.js';

/** Where a cursor page ended: the last row's sort value and id. */
export interface CursorPosition {
  readonly value: string | number | null;
  readonly id: string | number;
}

/**
 * The query a cursor belongs to (sort and filter), hashed: a cursor reused
 * with another sort or filter is 400 invalidCursor rather than a wrong page.
 */
export function querySignature(sortSignature: string, filter: Filter | undefined): string {
  return createHash('sha256')
    .update(`${sortSignature}\n${JSON.stringify(filter ?? null)}`)
    .digest('base64url')
    .slice(0, 16);
}

/**
 * RFC 9865 cursors as keyset positions: opaque base64url of the last row's
 * sort value and id, so any replica can continue a listing and a page costs
 * the same deep in the result as at its start. Nothing is stored server-side.
 */
export function encodeCursor(signature: string, position: CursorPosition): string {
  return Buffer.from(JSON.stringify({ s: signature, v: position.value, i: position.id })).toString(
    'base64url',
  );
}

const isKeyValue = (value: unknown): value is string | number =>
  typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));

export function decodeCursor(token: string, signature: string): CursorPosition {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(token)) throw new Error('not base64url');
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw scimErrors.invalidCursor('The cursor is not one this server issued');
  }
  if (typeof parsed !== 'object' || parsed === null)
    throw scimErrors.invalidCursor('The cursor is malformed');
  const { s, v, i } = parsed as Record<string, unknown>;
  if (typeof s !== 'string' || !isKeyValue(i) || !(v === null || isKeyValue(v))) {
    throw scimErrors.invalidCursor('The cursor is malformed');
  }
  if (s !== signature) {
    throw scimErrors.invalidCursor('The cursor belongs to a query with another filter or sort order');
  }
  return { value: v, id: i };
}
