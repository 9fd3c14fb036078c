import { scimErrors } from '../../scim/errors.js';
import type { SortSpec } from '../resource-store.js';
import { mainOperand } from './column-operand.js';
import type { SqlDialect } from './dialects/sql-dialect.js';
import { anyOf, fragment, type SqlFragment } from './sql-fragment.js';
import type { SqlResourceLayout } from './sql-resource-layout.js';

/**
 * ORDER BY for a search: the sort column (NULLs last in both directions)
 * with the key column as tiebreaker, so pages are stable and keyset
 * pagination on (sort value, id) continues exactly where a page ended.
 */
export interface SortOrder {
  /** Qualified sort column, or undefined when sorting by id only. */
  readonly column?: string;
  /** Unqualified name, to read the value from a row. */
  readonly columnName?: string;
  readonly caseExact: boolean;
  /** A text column (only text takes a collation or lower()). */
  readonly text: boolean;
  /** Case-insensitive, and the column ignores case itself: ordered plainly (its index serves). */
  readonly native: boolean;
  readonly descending: boolean;
  readonly idColumn: string;
  /** Identifies the sort in a cursor, so a cursor is not reused under another sort. */
  readonly signature: string;
}

export function sortOrder(layout: SqlResourceLayout, sort: SortSpec | undefined): SortOrder {
  const idColumn = layout.qualified(layout.idColumn);
  if (sort === undefined)
    return { caseExact: true, text: false, native: false, descending: false, idColumn, signature: 'id' };
  const label =
    [sort.path.schema, sort.path.attribute].filter(Boolean).join(':') +
    (sort.path.subAttribute ? `.${sort.path.subAttribute}` : '');
  const resolved = layout.schema.resolve(sort.path);
  const operand = resolved === undefined ? undefined : mainOperand(layout, resolved);
  if (operand === undefined || operand.kind !== 'column') {
    throw scimErrors.invalidValue(
      `Cannot sort ${layout.name} by '${label}': it is not a column of the backend`,
    );
  }
  const descending = sort.order === 'descending';
  const { definition } = operand;
  const caseExact =
    definition.caseExact || !(definition.type === 'string' || definition.type === 'reference');
  return {
    column: operand.column,
    columnName: operand.column.slice(layout.table.length + 1),
    caseExact,
    text: definition.type === 'string' || definition.type === 'reference',
    native: !caseExact && operand.nativeCaseInsensitive === true,
    descending,
    idColumn,
    signature: `${operand.column}|${descending ? 'd' : 'a'}`,
  };
}

/** How the sort column and a bound value are written (ORDER BY and the keyset must agree). */
export function sidesOf(dialect: SqlDialect, order: SortOrder): { column: string; value: string } {
  // Numbers, booleans and dates sort plainly (SQL Server rejects COLLATE on them).
  return order.native || !order.text ? { column: '??', value: '?' } : dialect.operands(order.caseExact);
}

export function orderBySql(dialect: SqlDialect, order: SortOrder): SqlFragment {
  const direction = order.descending ? 'DESC' : 'ASC';
  if (order.column === undefined) return fragment(`?? ${direction}`, order.idColumn);
  const sides = sidesOf(dialect, order);
  return fragment(
    `CASE WHEN ?? IS NULL THEN 1 ELSE 0 END, ${sides.column} ${direction}, ?? ${direction}`,
    order.column,
    order.column,
    order.idColumn,
  );
}

/** Rows strictly after (value, id) in this order: the keyset condition of a cursor page. */
export function keysetAfter(
  dialect: SqlDialect,
  order: SortOrder,
  last: { readonly value: unknown; readonly id: unknown },
): SqlFragment {
  const after = order.descending ? '<' : '>';
  const idAfter = fragment(`?? ${after} ?`, order.idColumn, last.id);
  if (order.column === undefined) return idAfter;
  if (last.value === null || last.value === undefined) {
    return fragment(`(?? IS NULL AND ${idAfter.sql})`, order.column, ...idAfter.bindings);
  }
  const sides = sidesOf(dialect, order);
  const column = order.column;
  return anyOf(
    fragment('?? IS NULL', column),
    fragment(`${sides.column} ${after} ${sides.value}`, column, last.value),
    fragment(
      `(${sides.column} = ${sides.value} AND ${idAfter.sql})`,
      column,
      last.value,
      ...idAfter.bindings,
    ),
  );
}
