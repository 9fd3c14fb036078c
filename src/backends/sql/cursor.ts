import { scimErrors } from '../../scim/errors.js';
import type { Filter } from '../../scim/filter/ast.js';
import { openCursor, sealCursor, signQuery } from '../opaque-cursor.js';

/** Where a cursor page ended: the last row's sort value and id. */
export interface CursorPosition {
  readonly value: string | number | null;
  readonly id: string | number;
}

/** The query a cursor belongs to (sort and filter), hashed. */
export function querySignature(sortSignature: string, filter: Filter | undefined): string {
  return signQuery(`${sortSignature}\n${JSON.stringify(filter ?? null)}`);
}

/*
 * RFC 9865 cursors as keyset positions: the last row's sort value and id,
 * so a page costs the same deep in the result as at its start.
 */
export function encodeCursor(signature: string, position: CursorPosition): string {
  return sealCursor(signature, { v: position.value, i: position.id });
}

const isKeyValue = (value: unknown): value is string | number =>
  typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));

export function decodeCursor(token: string, signature: string): CursorPosition {
  const { v, i } = openCursor(token, signature);
  if (!isKeyValue(i) || !(v === null || isKeyValue(v))) {
    throw scimErrors.invalidCursor('The cursor is malformed');
  }
  return { value: v, id: i };
}
