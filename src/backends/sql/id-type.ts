import type { SqlResourceSpec } from '../../mapping/compiled-mapping.js';

/** What a key column holds. */
export type IdType = NonNullable<SqlResourceSpec['id']['type']>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Up to 18 digits: every such number is exact in a JS number and fits a BIGINT. */
const INTEGER = /^-?[0-9]{1,18}$/;

/** The key type of a resource spec, with the compiler's default for hand-built mappings. */
export function idTypeOf(spec: SqlResourceSpec): IdType {
  return spec.id.type ?? (spec.id.generate === 'database' ? 'integer' : 'uuid');
}

/**
 * Whether a client-supplied id can be a key of this type. An id that cannot
 * is answered without the database: PostgreSQL would fail the statement (and
 * with it the whole transaction), MySQL would cast `'3fa8…'` to 3 and match
 * the wrong row.
 */
export function fitsId(type: IdType, id: string): boolean {
  switch (type) {
    case 'uuid':
      return UUID.test(id);
    case 'integer':
      return INTEGER.test(id);
    case 'text':
      return id !== '';
  }
}
