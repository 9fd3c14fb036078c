import type { Knex } from 'knex';
import type { ChildTableAttribute } from '../../mapping/compiled-mapping.js';
import { isAttributeRequested } from '../../scim/projection.js';
import type { ScimResource } from '../../scim/schema/model.js';
import type { AttributeSelection } from '../resource-store.js';
import type { SqlDialect } from './dialects/sql-dialect.js';
import { type ChildElement, elementsOfRows, ResourceDecoder } from './resource-decoder.js';
import type { SqlResourceLayout } from './sql-resource-layout.js';

type Row = Record<string, unknown>;

/** Bound parameters per IN list: well below every driver's limit (SQL Server: 2100). */
const IN_CHUNK = 500;

/**
 * Sub-attribute types whose JSON form reads back as the driver's own value
 * would (fromColumnValue turns 0/1, true/false, "1.5" and 1.5 alike). A
 * `binary` or `dateTime` sub-attribute cannot: JSON shows a bytea as `\x…`
 * text and a timestamp in the server's own format, and which one a column
 * holds is not in the mapping. Such child tables keep their own statement.
 */
const JSON_READABLE = new Set(['string', 'reference', 'boolean', 'integer', 'decimal']);

/** What one read fetches, decided once per combination of requested attributes. */
export interface ReadShape {
  /** The main SELECT's column list: main-table columns, then one JSON sub-select per inline child table. */
  readonly selectList: string;
  /** Child tables read inside the main statement: [position in layout.childTables, result column]. */
  readonly inlineChildren: readonly (readonly [number, string])[];
  /** Child tables read by a statement of their own (positions in layout.childTables). */
  readonly separateChildren: readonly number[];
  /** Join tables read by a statement of their own (positions in layout.joinTables). */
  readonly joins: readonly number[];
}

interface ChildRead {
  readonly index: number;
  readonly entry: ChildTableAttribute;
  /** The JSON sub-select with its alias, when the child table can be read inside the main statement. */
  readonly inline: { readonly sql: string; readonly alias: string } | undefined;
}

function chunks<T>(items: readonly T[]): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += IN_CHUNK) result.push(items.slice(i, i + IN_CHUNK));
  return result;
}

async function runQuery(query: Knex.QueryBuilder): Promise<Row[]> {
  return (await query) as Row[];
}

/** A JSON array column as the driver returns it: parsed (pg's json type), JSON text, or bytes. */
function parseChildArray(value: unknown): readonly ChildElement[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value as ChildElement[];
  const text = Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed)) throw new Error('A child-table column is not a JSON array');
  return parsed as ChildElement[];
}

/**
 * How one resource type is read: the main SELECT with every child table
 * whose values JSON carries aggregated into it (one statement per resource
 * or per page), join tables — group members, possibly tens of thousands —
 * by one statement per table for the whole page, and the decoding of what
 * came back. Everything that depends only on the mapping (quoted
 * identifiers, the sub-selects, the select list per set of requested
 * attributes) is built once.
 */
export class ResourceReader {
  readonly decoder: ResourceDecoder;
  private readonly mainColumns: string;
  private readonly children: readonly ChildRead[];
  private readonly constants: readonly (readonly [string, string | number | boolean])[];
  /** Shapes by which tables they read ('1'/'0' per table, as requestedOf lists them). */
  private readonly shapes = new Map<string, ReadShape>();
  /** The shapes of a read without `attributes` / `excludedAttributes`, with and without join tables. */
  private readonly defaults: { readonly withLists: ReadShape; readonly withoutLists: ReadShape };
  /** The derived table of a page's keys (selectPage): a name the main table does not have. */
  private readonly pageAlias: string;

  constructor(
    db: Knex,
    private readonly dialect: SqlDialect,
    readonly layout: SqlResourceLayout,
  ) {
    this.decoder = new ResourceDecoder(layout);
    const quote = (identifier: string) => db.raw('??', [identifier]).toSQL().sql;
    const columns = [
      layout.idColumn,
      layout.version?.column,
      layout.createdColumn,
      layout.lastModifiedColumn,
      ...layout.scalars.map((entry) => entry.target),
    ].filter((column): column is string => column !== undefined);
    const distinct = [...new Set(columns)];
    this.mainColumns = distinct.map((column) => quote(layout.qualified(column))).join(', ');
    const taken = new Set(distinct.map((column) => column.toLowerCase()));
    this.children = layout.childTables.map((entry, index) => {
      const readable = Object.keys(entry.columns).every((sub) => {
        const type = layout.schema.resolve({
          schema: entry.scim.schema,
          attribute: entry.scim.attribute,
          subAttribute: sub,
        })?.subAttribute?.type;
        return type === undefined || JSON_READABLE.has(type);
      });
      if (!readable) return { index, entry, inline: undefined };
      // The result column's name: one no main column has.
      let alias = `${entry.scim.attribute}_json`;
      while (taken.has(alias.toLowerCase())) alias = `_${alias}`;
      taken.add(alias.toLowerCase());
      const sql = dialect.childArraySql({
        table: quote(entry.table),
        columns: Object.values(entry.columns).map((column) => quote(`${entry.table}.${column}`)),
        owner: quote(`${entry.table}.${entry.ownerColumn}`),
        key: quote(layout.qualified(layout.idColumn)),
      });
      return { index, entry, inline: { sql: `${sql} AS ${quote(alias)}`, alias } };
    });
    let pageAlias = 'page_keys';
    while (pageAlias.toLowerCase() === layout.table.toLowerCase()) pageAlias = `_${pageAlias}`;
    this.pageAlias = pageAlias;
    this.constants = Object.entries(layout.constants).map(([column, value]) => [
      layout.qualified(column),
      value,
    ]);
    this.defaults = {
      withLists: this.shapeOf(this.requestedOf({}, true)),
      withoutLists: this.shapeOf(this.requestedOf({}, false)),
    };
  }

  /** Which tables a selection reads: one flag per child table, then one per join table. */
  private requestedOf(selection: AttributeSelection, referenceLists: boolean): boolean[] {
    const layout = this.layout;
    const requested = (scim: { schema: string; attribute: string }) =>
      isAttributeRequested(layout.schema, selection, scim);
    return [
      ...layout.childTables.map((entry) => requested(entry.scim)),
      ...layout.joinTables.map((entry) => referenceLists && requested(entry.scim)),
    ];
  }

  /**
   * What a read of `selection` fetches. `referenceLists: false` skips join
   * tables whatever the selection (PATCH reads the resource without them).
   */
  shape(selection: AttributeSelection, referenceLists: boolean): ReadShape {
    const plain =
      (selection.attributes?.length ?? 0) === 0 && (selection.excludedAttributes?.length ?? 0) === 0;
    if (plain) return referenceLists ? this.defaults.withLists : this.defaults.withoutLists;
    const requested = this.requestedOf(selection, referenceLists);
    const key = requested.map((flag) => (flag ? '1' : '0')).join('');
    let shape = this.shapes.get(key);
    if (shape === undefined) {
      shape = this.shapeOf(requested);
      this.shapes.set(key, shape);
    }
    return shape;
  }

  private shapeOf(requested: readonly boolean[]): ReadShape {
    const children = this.children.filter((child) => requested[child.index] === true);
    const inline = children.flatMap((child) =>
      child.inline === undefined ? [] : [{ index: child.index, ...child.inline }],
    );
    const offset = this.layout.childTables.length;
    return {
      selectList: [this.mainColumns, ...inline.map((child) => child.sql)].join(', '),
      inlineChildren: inline.map((child) => [child.index, child.alias] as const),
      separateChildren: children.filter((child) => child.inline === undefined).map((child) => child.index),
      joins: this.layout.joinTables.flatMap((_, index) =>
        requested[offset + index] === true ? [index] : [],
      ),
    };
  }

  /** SELECT <shape's list> FROM <main table> WHERE <the mapping's constants>; the caller adds the rest. */
  select(executor: Knex | Knex.Transaction, shape: ReadShape): Knex.QueryBuilder {
    return this.withConstants(executor(this.layout.table).select(executor.raw(shape.selectList)));
  }

  /**
   * A page that skips rows (OFFSET): `keys` — the main table's keys of the
   * page, filtered, ordered, offset and limited — as a derived table, the
   * main table joined to it, so the child sub-selects run for the page's
   * rows only. PostgreSQL (and SQLite when it sorts) evaluates the select
   * list before OFFSET discards a row: with the sub-selects in the SELECT
   * that has the OFFSET, PostgreSQL aggregated the child rows of 90,100
   * users to return the 100 at startIndex 90,001. The main table keeps its own name, so every qualified
   * identifier, the constants and the sub-selects' correlation stay as they
   * are; the caller orders the outer SELECT again, since a join keeps no
   * derived table's order.
   */
  selectPage(
    executor: Knex | Knex.Transaction,
    shape: ReadShape,
    keys: Knex.QueryBuilder,
  ): Knex.QueryBuilder {
    const key = this.layout.qualified(this.layout.idColumn);
    const page = executor.select(executor.raw(shape.selectList)).from(keys.select(key).as(this.pageAlias));
    this.dialect.joinPageRows(page, this.layout.table, key, `${this.pageAlias}.${this.layout.idColumn}`);
    return this.withConstants(page);
  }

  /** The main table's rows of the type (constants applied), for statements other than reads. */
  rowsOf(executor: Knex | Knex.Transaction): Knex.QueryBuilder {
    return this.withConstants(executor(this.layout.table));
  }

  private withConstants(query: Knex.QueryBuilder): Knex.QueryBuilder {
    for (const [column, value] of this.constants) query.where(column, value);
    return query;
  }

  /**
   * Rows of `select()` → resources. Tables the shape reads separately take
   * one statement per table (per 500 owners) for all the rows together,
   * built with `executor` and run by `run` (a procedure write session runs
   * them inside its own transaction).
   */
  async resources(
    executor: Knex | Knex.Transaction,
    shape: ReadShape,
    rows: readonly Row[],
    run: (query: Knex.QueryBuilder) => Promise<Row[]> = runQuery,
  ): Promise<ScimResource[]> {
    const layout = this.layout;
    const owners = rows.map((row) => row[layout.idColumn]);
    // Separately read tables, by position: their rows by owner key.
    const childRows = new Map<number, Map<string, Row[]>>();
    const joinRows = new Map<number, Map<string, Row[]>>();
    if (rows.length > 0) {
      for (const index of shape.separateChildren) {
        const entry = layout.childTables[index];
        if (entry === undefined) continue;
        const columns = Object.values(entry.columns);
        childRows.set(
          index,
          await this.ownedRows(executor, run, entry.table, entry.ownerColumn, columns, owners),
        );
      }
      for (const index of shape.joins) {
        const entry = layout.joinTables[index];
        if (entry === undefined) continue;
        const { table, ownerColumn, valueColumn, typeColumn } = entry.joinTable;
        const columns = typeColumn === undefined ? [valueColumn] : [valueColumn, typeColumn];
        joinRows.set(index, await this.ownedRows(executor, run, table, ownerColumn, columns, owners));
      }
    }
    return rows.map((row) => {
      const owner = String(row[layout.idColumn]);
      const children = new Array<readonly ChildElement[] | undefined>(layout.childTables.length);
      for (const [index, alias] of shape.inlineChildren) children[index] = parseChildArray(row[alias]);
      for (const [index, byOwner] of childRows) {
        const entry = layout.childTables[index];
        if (entry !== undefined) children[index] = elementsOfRows(entry, byOwner.get(owner) ?? []);
      }
      const joins = new Array<readonly Row[] | undefined>(layout.joinTables.length);
      for (const [index, byOwner] of joinRows) joins[index] = byOwner.get(owner) ?? [];
      return this.decoder.decode(row, { children, joins });
    });
  }

  /** One table's rows for many owners, by owner key: one statement per 500 owners. */
  private async ownedRows(
    executor: Knex | Knex.Transaction,
    run: (query: Knex.QueryBuilder) => Promise<Row[]>,
    table: string,
    ownerColumn: string,
    columns: readonly string[],
    owners: readonly unknown[],
  ): Promise<Map<string, Row[]>> {
    const byOwner = new Map<string, Row[]>();
    for (const part of chunks(owners)) {
      const found = await run(
        executor(table)
          .select([ownerColumn, ...columns])
          .whereIn(ownerColumn, part as Knex.Value[])
          .orderBy(ownerColumn),
      );
      for (const row of found) {
        const key = String(row[ownerColumn]);
        const list = byOwner.get(key);
        if (list === undefined) byOwner.set(key, [row]);
        else list.push(row);
      }
    }
    return byOwner;
  }
}
