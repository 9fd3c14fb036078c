/**
 * A piece of SQL with knex placeholders (`??` identifiers, `?` values) and its
 * bindings in order. Identifiers come from the mapping, values from the
 * client; neither is ever spliced into the text.
 */
export interface SqlFragment {
  readonly sql: string;
  readonly bindings: readonly unknown[];
}

export const fragment = (sql: string, ...bindings: unknown[]): SqlFragment => ({ sql, bindings });

/** Always true / always false, for predicates the mapping decides without the database. */
export const SQL_TRUE: SqlFragment = fragment('1 = 1');
export const SQL_FALSE: SqlFragment = fragment('1 = 0');

function combine(parts: readonly SqlFragment[], operator: 'AND' | 'OR'): SqlFragment {
  if (parts.length === 1 && parts[0] !== undefined) return parts[0];
  return {
    sql: `(${parts.map((part) => part.sql).join(` ${operator} `)})`,
    bindings: parts.flatMap((part) => part.bindings),
  };
}

/** AND with constant folding, so `1 = 1` terms do not clutter `crosswalk explain`. */
export function allOf(...parts: SqlFragment[]): SqlFragment {
  if (parts.some((part) => part === SQL_FALSE)) return SQL_FALSE;
  const kept = parts.filter((part) => part !== SQL_TRUE);
  return kept.length === 0 ? SQL_TRUE : combine(kept, 'AND');
}

export function anyOf(...parts: SqlFragment[]): SqlFragment {
  if (parts.some((part) => part === SQL_TRUE)) return SQL_TRUE;
  const kept = parts.filter((part) => part !== SQL_FALSE);
  return kept.length === 0 ? SQL_FALSE : combine(kept, 'OR');
}

export function exists(subquery: SqlFragment, negated: boolean): SqlFragment {
  return { sql: `${negated ? 'NOT EXISTS' : 'EXISTS'} (${subquery.sql})`, bindings: subquery.bindings };
}
