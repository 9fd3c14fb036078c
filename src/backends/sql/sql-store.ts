import { randomUUID } from 'node:crypto';
import knex, { type Knex } from 'knex';
import type { CompiledMapping, SqlBackendConfig } from '../../mapping/compiled-mapping.js';
import { scimErrors } from '../../scim/errors.js';
import { etagMatches } from '../../scim/etag.js';
import { applyPatch } from '../../scim/patch/apply-patch.js';
import type { PatchOperation } from '../../scim/patch/operation.js';
import type { ScimResource } from '../../scim/schema/model.js';
import { type DeleteReceipt, deletedReceipt, withBackendObject } from '../backend-object.js';
import type {
  AttributeSelection,
  PoolStats,
  ResourceStore,
  SearchQuery,
  SearchResult,
  WriteCondition,
} from '../resource-store.js';
import { runBootstrap } from './bootstrap.js';
import { decodeCursor, encodeCursor, querySignature } from './cursor.js';
import { dialectFor } from './dialects/dialect-for.js';
import type { SqlDialect } from './dialects/sql-dialect.js';
import { runSelect } from './direct-select.js';
import { mapSqlError } from './error-mapping.js';
import { type CaseNotes, filterToSql, valueFilterToSql } from './filter-to-sql.js';
import { fitsId } from './id-type.js';
import { type MemberDelta, type MemberValue, parseMemberValues, splitPatch } from './member-delta.js';
import { type ProcedureWriter, procedureWriterFor } from './procedures/procedure-writer-for.js';
import type { WriteSessions } from './procedures/write-session.js';
import {
  childRowsFromResource,
  columnsFromResource,
  type Row,
  referencesFromResource,
  versionOf,
} from './resource-codec.js';
import { type ReadShape, ResourceReader } from './resource-reader.js';
import { keysetAfter, orderBySql, sortOrder } from './sort-order.js';
import type { SqlFragment } from './sql-fragment.js';
import { type JoinTableAttribute, SqlLayouts, type SqlResourceLayout } from './sql-resource-layout.js';
import { StatementTemplates, type TemplatePart, templatePart } from './statement-templates.js';

/** Bound parameters per IN list: well below every driver's limit (SQL Server: 2100). */
const IN_CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += IN_CHUNK) result.push(items.slice(i, i + IN_CHUNK));
  return result;
}

/** What a read loads besides the main row. */
interface ReadPlan {
  readonly selection: AttributeSelection;
  /** false: skip join tables whatever the selection (PATCH reads the resource without reference lists). */
  readonly referenceLists: boolean;
}

const SILENT_LOG = { warn() {}, error() {}, deprecate() {}, debug() {} };

/**
 * The ResourceStore over SQL databases through knex. Every filter is one
 * WHERE clause; every page and every resource is one SELECT, child tables
 * aggregated into it as JSON (resource-reader.ts), plus one statement per
 * join table when reference lists (members) are asked for; every
 * multi-statement write is one transaction; member changes are row deltas.
 */
export class SqlStore implements ResourceStore {
  readonly resourceTypes: readonly string[];
  private readonly layouts: SqlLayouts;
  private readonly readers = new Map<SqlResourceLayout, ResourceReader>();
  /** Writes of resource types whose mapping names stored procedures; undefined when none does. */
  private readonly procedures: ProcedureWriter | undefined;
  /** Compiled statements of the hot reads, by read shape (statement-templates.ts). */
  private readonly templates = new StatementTemplates();
  /** How reads outside a transaction run: on a pooled connection, without knex's query runner. */
  private readonly directReads = (query: Knex.QueryBuilder) => runSelect(this.db, query.toSQL());

  constructor(
    /** The knex instance (exposed for tests that watch the emitted SQL). */
    readonly db: Knex,
    readonly dialect: SqlDialect,
    mapping: CompiledMapping,
    /** Where procedure calls run (tests may pass their own); default: knex, or the mssql driver on SQL Server. */
    writeSessions?: WriteSessions,
  ) {
    this.layouts = new SqlLayouts(mapping);
    for (const name of this.layouts.names) {
      const layout = this.layouts.get(name);
      this.readers.set(layout, new ResourceReader(db, dialect, layout));
    }
    this.procedures = procedureWriterFor(
      db,
      dialect,
      this.layouts,
      mapping,
      (layout) => this.reader(layout),
      writeSessions,
    );
    this.resourceTypes = this.layouts.names;
  }

  supportsCursor(resourceType: string): boolean {
    return this.layouts.has(resourceType);
  }

  /** Runs `work`, mapping every failure in one place. */
  private async guard<T>(layout: SqlResourceLayout | undefined, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      throw mapSqlError(err, this.dialect, layout);
    }
  }

  // ---------------------------------------------------------------- reads

  private reader(layout: SqlResourceLayout): ResourceReader {
    const reader = this.readers.get(layout);
    if (reader === undefined) throw new Error(`No reader for ${layout.name}`);
    return reader;
  }

  private whereOf(layout: SqlResourceLayout, query: SearchQuery, notes?: CaseNotes): SqlFragment | undefined {
    return query.filter === undefined ? undefined : filterToSql(layout, this.dialect, query.filter, notes);
  }

  /** The resource type's rows: the main table, limited to the mapping's `constants`. */
  private rowsOf(executor: Knex | Knex.Transaction, layout: SqlResourceLayout): Knex.QueryBuilder {
    return this.reader(layout).rowsOf(executor);
  }

  /**
   * The page query of a search and a maker of its count query (built only
   * when needed), unexecuted (for search and explain). `page` builds the
   * page's SELECT; `pageStatement` gives it compiled, from a template when
   * the page starts at the first row or at a cursor (statement-templates.ts).
   */
  private searchQueries(
    executor: Knex | Knex.Transaction,
    layout: SqlResourceLayout,
    query: SearchQuery,
    notes?: CaseNotes,
  ) {
    const reader = this.reader(layout);
    const where = this.whereOf(layout, query, notes);
    const filtered = (builder: Knex.QueryBuilder) =>
      where === undefined ? builder : builder.whereRaw(where.sql, [...where.bindings] as Knex.RawBinding[]);
    const count = () => filtered(reader.rowsOf(executor)).count({ total: '*' });
    const order = sortOrder(layout, query.sort);
    const shape = reader.shape(query, true);
    const orderBy = orderBySql(this.dialect, order);
    const ordered = (builder: Knex.QueryBuilder) =>
      builder.orderByRaw(orderBy.sql, [...orderBy.bindings] as Knex.RawBinding[]);
    const offset = query.cursor === undefined ? Math.max(0, query.startIndex - 1) : 0;
    if (offset > 0) {
      // Page the keys first: the child sub-selects then run for the page's rows only (selectPage).
      const keys = () =>
        ordered(filtered(reader.rowsOf(executor)))
          .offset(offset)
          .limit(query.count);
      const page = () => ordered(reader.selectPage(executor, shape, keys()));
      return { count, page, pageStatement: () => page().toSQL(), shape, order };
    }
    let signature: string | undefined;
    let after: SqlFragment | undefined;
    if (query.cursor !== undefined) {
      signature = querySignature(order.signature, query.filter);
      if (query.cursor !== '') {
        const position = decodeCursor(query.cursor, signature);
        if (!fitsId(layout.idType, String(position.id)))
          throw scimErrors.invalidCursor('The cursor is not one this server issued');
        after = keysetAfter(this.dialect, order, position);
      }
    }
    // With a cursor, one row more than asked tells whether another page follows.
    const limit = signature === undefined ? query.count : query.count + 1;
    const parts = [templatePart(where), templatePart(after), templatePart(orderBy)] as const;
    const [wherePart, afterPart, orderPart] = parts;
    // The page's SELECT with `values` in place of the value bindings of the filter, the cursor and the ORDER BY.
    const pageWith = (values: readonly unknown[]) => {
      let at = 0;
      const next = (part: TemplatePart) => {
        const bindings = part.bind(values.slice(at, at + part.values.length)) as Knex.RawBinding[];
        at += part.values.length;
        return bindings;
      };
      const builder = reader.select(executor, shape);
      if (where !== undefined) builder.whereRaw(where.sql, next(wherePart));
      if (after !== undefined) builder.whereRaw(after.sql, next(afterPart));
      return builder.limit(limit).orderByRaw(orderBy.sql, next(orderPart));
    };
    const values = parts.flatMap((part) => part.values);
    const page = () => pageWith(values);
    const key = `${parts.map((part) => part.key).join('\u0001')}\u0001${limit}`;
    const pageStatement = () => this.templates.compiled(shape, key, values, pageWith) ?? page().toSQL();
    return { count, page, pageStatement, shape, order, signature };
  }

  async search(resourceType: string, query: SearchQuery): Promise<SearchResult> {
    const layout = this.layouts.get(resourceType);
    return this.guard(layout, async () => {
      const { count, pageStatement, shape, order, signature } = this.searchQueries(this.db, layout, query);
      const countRows = async () => totalOf(await runSelect(this.db, count().toSQL()));
      if (query.count <= 0) return { totalResults: await countRows(), resources: [] };
      let rows = await runSelect(this.db, pageStatement());
      // A first page that holds every match is its own count: no COUNT round trip for the
      // common lookups (`userName eq …`, `externalId eq …`), which match one row or none.
      const firstPage = signature === undefined ? query.startIndex <= 1 : query.cursor === '';
      const complete = firstPage && rows.length < (signature === undefined ? query.count : query.count + 1);
      const totalResults = complete ? rows.length : await countRows();
      let nextCursor: string | undefined;
      if (signature !== undefined && rows.length > query.count) {
        rows = rows.slice(0, query.count);
        const last = rows[rows.length - 1];
        if (last !== undefined) {
          const value = order.columnName === undefined ? null : last[order.columnName];
          nextCursor = encodeCursor(signature, {
            value:
              value === undefined || value === null
                ? null
                : typeof value === 'number'
                  ? value
                  : String(value),
            id: String(last[layout.idColumn]),
          });
        }
      }
      const resources = await this.reader(layout).resources(this.db, shape, rows, this.directReads);
      return nextCursor === undefined ? { totalResults, resources } : { totalResults, resources, nextCursor };
    });
  }

  explain(resourceType: string, query: SearchQuery): string {
    const layout = this.layouts.get(resourceType);
    const notes: CaseNotes = new Map();
    const { count, page, order } = this.searchQueries(this.db, layout, query, notes);
    if (order.column !== undefined && !order.caseExact)
      notes.set(order.column, order.native ? 'native' : 'fold');
    const show = (label: string, builder: Knex.QueryBuilder) => {
      const native = builder.toSQL().toNative();
      return `-- ${label}\n${native.sql}\n-- bindings: ${JSON.stringify(native.bindings)}`;
    };
    const parts = [show('totalResults', count())];
    if (query.count > 0) parts.push(show('page', page()));
    // Which index can serve each case-insensitive comparison (the issue's "show which").
    for (const [qualified, how] of notes) {
      const dot = qualified.lastIndexOf('.');
      const table = qualified.slice(0, dot);
      const column = qualified.slice(dot + 1);
      parts.push(
        `-- case-insensitive ${qualified}: ${
          how === 'native'
            ? `the column ignores case itself (citext / _ci collation), compared plainly; a plain index on ${table} (${column}) serves it`
            : this.dialect.describeFolding(table, column)
        }`,
      );
    }
    return parts.join('\n');
  }

  /** One resource: one statement (child tables inside it), plus one per requested join table. */
  private async readOne(
    executor: Knex | Knex.Transaction,
    layout: SqlResourceLayout,
    id: string,
    plan: ReadPlan,
  ): Promise<ScimResource> {
    const reader = this.reader(layout);
    const shape = reader.shape(plan.selection, plan.referenceLists);
    const rows = await this.readRowsById(executor, reader, shape, id);
    if (rows.length === 0) throw scimErrors.notFound(`${layout.name} ${id} not found`);
    const direct = executor === this.db ? this.directReads : undefined;
    const [resource] = await reader.resources(executor, shape, rows.slice(0, 1), direct);
    if (resource === undefined) throw scimErrors.notFound(`${layout.name} ${id} not found`);
    return resource;
  }

  /** WHERE id = ?, where an id the column type cannot hold (not a UUID, not a number) simply matches nothing. */
  private byId(query: Knex.QueryBuilder, layout: SqlResourceLayout, id: string): Promise<Row[]> {
    return this.rowsById(layout, id, () => query.where(layout.qualified(layout.idColumn), id));
  }

  /** A resource's main row by id, from a compiled template when outside a transaction. */
  private readRowsById(
    executor: Knex | Knex.Transaction,
    reader: ResourceReader,
    shape: ReadShape,
    id: string,
  ): Promise<Row[]> {
    const layout = reader.layout;
    const withId = (value: unknown) =>
      reader.select(executor, shape).where(layout.qualified(layout.idColumn), value as Knex.Value);
    if (executor !== this.db) return this.rowsById(layout, id, () => withId(id));
    return this.rowsById(layout, id, () =>
      runSelect(
        this.db,
        this.templates.compiled(shape, 'byId', [id], ([slot]) => withId(slot)) ?? withId(id).toSQL(),
      ),
    );
  }

  private async rowsById(
    layout: SqlResourceLayout,
    id: string,
    run: () => PromiseLike<unknown>,
  ): Promise<Row[]> {
    // Decided without the database: a failed statement would abort a PostgreSQL transaction.
    if (!fitsId(layout.idType, id)) return [];
    try {
      return (await run()) as Row[];
    } catch (err) {
      if (this.dialect.classifyError(err).kind === 'invalidInput') return [];
      throw err;
    }
  }

  async get(resourceType: string, id: string, selection: AttributeSelection = {}): Promise<ScimResource> {
    const layout = this.layouts.get(resourceType);
    return this.guard(layout, () => this.readOne(this.db, layout, id, { selection, referenceLists: true }));
  }

  // --------------------------------------------------------------- writes

  /**
   * Version and lastModified of a write (created too, on insert). A timestamp
   * version always moves forward, by a millisecond at least, so two writes in
   * the same millisecond still differ for If-Match.
   */
  private stamp(
    trx: Knex.Transaction,
    layout: SqlResourceLayout,
    creating: boolean,
    previousVersion?: unknown,
  ): Row {
    const stamp: Row = {};
    let time = new Date();
    if (layout.version?.kind === 'timestamp') time = laterThan(time, previousVersion);
    const now = this.dialect.timestampValue(time);
    if (layout.lastModifiedColumn !== undefined) stamp[layout.lastModifiedColumn] = now;
    if (creating && layout.createdColumn !== undefined) stamp[layout.createdColumn] = now;
    const version = layout.version;
    if (version?.kind === 'counter') {
      stamp[version.column] = creating ? 1 : trx.raw('?? + 1', [version.column]);
    } else if (version?.kind === 'timestamp') {
      stamp[version.column] = now;
    }
    return stamp;
  }

  /**
   * Locks the row and enforces If-Match against the stored version; 404 when
   * absent, 412 when stale. Returns the stored version value.
   */
  private async lockAndCheck(
    trx: Knex.Transaction,
    layout: SqlResourceLayout,
    id: string,
    condition: WriteCondition | undefined,
  ): Promise<unknown> {
    const columns =
      layout.version === undefined ? [layout.idColumn] : [layout.idColumn, layout.version.column];
    const query = this.dialect.lockForUpdate(this.rowsOf(trx, layout).select(columns));
    const rows = await this.byId(query, layout, id);
    const row = rows[0];
    if (row === undefined) throw scimErrors.notFound(`${layout.name} ${id} not found`);
    const stored = layout.version === undefined ? undefined : row[layout.version.column];
    const ifMatch = condition?.ifMatch;
    if (ifMatch === undefined) return stored;
    const version = versionOf(layout, row);
    const matches = version === undefined ? ifMatch.trim() === '*' : etagMatches(ifMatch, version);
    if (!matches)
      throw scimErrors.preconditionFailed(`${layout.name} ${id} has changed (If-Match does not match)`);
    return stored;
  }

  /** Referenced ids that exist, by resource type name, looked up inside the transaction. */
  private async existingReferences(
    trx: Knex.Transaction,
    targets: readonly string[],
    ids: readonly string[],
  ): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const target of targets) {
      const layout = this.layouts.find(target);
      if (layout === undefined) continue;
      // Only ids this key type can hold are looked up (see byId).
      const missing = ids.filter((id) => !found.has(id) && fitsId(layout.idType, id));
      for (const part of chunks(missing)) {
        const rows = (await this.byIdList(
          this.rowsOf(trx, layout).select(layout.idColumn),
          layout.idColumn,
          part,
        )) as Row[];
        for (const row of rows) found.set(String(row[layout.idColumn]), layout.name);
      }
    }
    return found;
  }

  private async byIdList(
    query: Knex.QueryBuilder,
    column: string,
    ids: readonly string[],
  ): Promise<unknown[]> {
    try {
      return (await query.whereIn(column, [...ids])) as unknown[];
    } catch (err) {
      if (this.dialect.classifyError(err).kind === 'invalidInput') return [];
      throw err;
    }
  }

  /** A scalar reference (`manager`) must name an existing resource: 400 naming the value otherwise. */
  private async checkScalarReferences(
    trx: Knex.Transaction,
    layout: SqlResourceLayout,
    columns: Row,
  ): Promise<void> {
    for (const entry of layout.scalars) {
      const value = columns[entry.target];
      if (entry.ref === undefined || entry.ref.length === 0 || value === null || value === undefined)
        continue;
      const found = await this.existingReferences(trx, entry.ref, [String(value)]);
      if (!found.has(String(value))) {
        throw scimErrors.invalidValue(
          `'${entry.scim.attribute}' refers to '${String(value)}', which is not an existing ${entry.ref.join(' or ')}`,
        );
      }
    }
  }

  /** Join rows for new reference values, with their type; 400 naming the first unknown id. */
  private async referenceRows(
    trx: Knex.Transaction,
    attribute: JoinTableAttribute,
    ownerId: unknown,
    values: readonly MemberValue[],
  ): Promise<Row[]> {
    const ids = [...new Set(values.map((member) => member.value))];
    if (ids.length === 0) return [];
    // A value that names its type (`{ value, type: "Group" }`) is looked up as that type only.
    const targets = attribute.ref ?? [];
    const typeOf = new Map<string, string>();
    for (const member of values) {
      const named = targets.find((ref) => ref.toLowerCase() === member.type?.toLowerCase());
      if (named !== undefined) typeOf.set(member.value, named);
    }
    const found = new Map<string, string>();
    for (const target of targets) {
      const typed = ids.filter((id) => typeOf.get(id) === target);
      for (const [id, type] of await this.existingReferences(trx, [target], typed)) found.set(id, type);
    }
    const untyped = ids.filter((id) => !typeOf.has(id));
    for (const [id, type] of await this.existingReferences(trx, targets, untyped)) found.set(id, type);
    const unknown = ids.find((id) => !found.has(id));
    if (unknown !== undefined) {
      throw scimErrors.invalidValue(
        `'${attribute.scim.attribute}' value '${unknown}' is not an existing ${(attribute.ref ?? []).join(' or ')}`,
      );
    }
    const { ownerColumn, valueColumn, typeColumn } = attribute.joinTable;
    return ids.map((id) => ({
      [ownerColumn]: ownerId,
      [valueColumn]: id,
      ...(typeColumn === undefined ? {} : { [typeColumn]: found.get(id) }),
    }));
  }

  private async insertRows(trx: Knex.Transaction, table: string, rows: readonly Row[]): Promise<void> {
    // Small batches keep every dialect under its bound-parameter limit.
    for (let i = 0; i < rows.length; i += 100) await trx(table).insert(rows.slice(i, i + 100));
  }

  private async writeRelated(
    trx: Knex.Transaction,
    layout: SqlResourceLayout,
    resource: ScimResource,
    id: Knex.Value,
    replacing: boolean,
  ): Promise<void> {
    for (const entry of layout.childTables) {
      if (entry.readOnly) continue;
      if (replacing) await trx(entry.table).where(entry.ownerColumn, id).delete();
      await this.insertRows(
        trx,
        entry.table,
        childRowsFromResource(this.dialect, layout, entry, resource, id),
      );
    }
    for (const entry of layout.joinTables) {
      if (entry.readOnly) continue;
      if (replacing) await trx(entry.joinTable.table).where(entry.joinTable.ownerColumn, id).delete();
      const values = parseMemberValues(referencesFromResource(layout, entry, resource), entry.scim.attribute);
      await this.insertRows(trx, entry.joinTable.table, await this.referenceRows(trx, entry, id, values));
    }
  }

  /** The procedure writer when the type's writes go through stored procedures. */
  private procedureWriter(layout: SqlResourceLayout): ProcedureWriter | undefined {
    return layout.procedures === undefined ? undefined : this.procedures;
  }

  /** Reads a resource back after a procedure write committed. */
  private async readBack(layout: SqlResourceLayout, id: string, selection: AttributeSelection = {}) {
    const resource = await this.get(layout.name, id, selection);
    return withBackendObject(resource, rowKey(layout, id));
  }

  async create(resourceType: string, resource: ScimResource): Promise<ScimResource> {
    const layout = this.layouts.get(resourceType);
    const procedures = this.procedureWriter(layout);
    if (procedures !== undefined) {
      const id = await this.guard(layout, () => procedures.create(layout, resource));
      return this.readBack(layout, id);
    }
    return this.guard(layout, () =>
      this.db.transaction(async (trx) => {
        const columns = columnsFromResource(this.dialect, layout, resource);
        await this.checkScalarReferences(trx, layout, columns);
        const row: Row = { ...columns, ...layout.constants, ...this.stamp(trx, layout, true) };
        let id: Knex.Value;
        if (layout.generate === 'uuid') {
          id = randomUUID();
          await trx(layout.table).insert({ ...row, [layout.idColumn]: id });
        } else {
          const inserted = (await trx(layout.table).insert(row).returning(layout.idColumn)) as unknown[];
          const first = inserted[0];
          id = (
            typeof first === 'object' && first !== null ? (first as Row)[layout.idColumn] : first
          ) as Knex.Value;
        }
        await this.writeRelated(trx, layout, resource, id, false);
        const created = await this.readOne(trx, layout, String(id), { selection: {}, referenceLists: true });
        return withBackendObject(created, rowKey(layout, String(id)));
      }),
    );
  }

  async replace(
    resourceType: string,
    id: string,
    resource: ScimResource,
    condition?: WriteCondition,
  ): Promise<ScimResource> {
    const layout = this.layouts.get(resourceType);
    const procedures = this.procedureWriter(layout);
    if (procedures !== undefined) {
      await this.guard(layout, () => procedures.replace(layout, id, resource, condition));
      return this.readBack(layout, id);
    }
    return this.guard(layout, () =>
      this.db.transaction(async (trx) => {
        const stored = await this.lockAndCheck(trx, layout, id, condition);
        const columns = columnsFromResource(this.dialect, layout, resource);
        await this.checkScalarReferences(trx, layout, columns);
        await trx(layout.table)
          .where(layout.idColumn, id)
          .update({ ...columns, ...this.stamp(trx, layout, false, stored) });
        await this.writeRelated(trx, layout, resource, id, true);
        const replaced = await this.readOne(trx, layout, id, { selection: {}, referenceLists: true });
        return withBackendObject(replaced, rowKey(layout, id));
      }),
    );
  }

  async modify(
    resourceType: string,
    id: string,
    operations: readonly PatchOperation[],
    condition?: WriteCondition,
    selection: AttributeSelection = {},
  ): Promise<ScimResource> {
    const layout = this.layouts.get(resourceType);
    const procedures = this.procedureWriter(layout);
    if (procedures !== undefined) {
      await this.guard(layout, () => procedures.modify(layout, id, operations, condition));
      return this.readBack(layout, id, selection);
    }
    const { deltas, others } = splitPatch(layout, operations);
    return this.guard(layout, () =>
      this.db.transaction(async (trx) => {
        const stored = await this.lockAndCheck(trx, layout, id, condition);
        let changed: Row = {};
        if (others.length > 0) changed = await this.applyToColumns(trx, layout, id, others);
        for (const delta of deltas) await this.applyDelta(trx, layout, id, delta);
        await trx(layout.table)
          .where(layout.idColumn, id)
          .update({ ...changed, ...this.stamp(trx, layout, false, stored) });
        const modified = await this.readOne(trx, layout, id, { selection, referenceLists: true });
        return withBackendObject(modified, rowKey(layout, id));
      }),
    );
  }

  /**
   * Non-reference operations: read the resource without its reference lists,
   * applyPatch() in memory, and return only the main-table columns that
   * changed (child tables that changed are rewritten here).
   */
  private async applyToColumns(
    trx: Knex.Transaction,
    layout: SqlResourceLayout,
    id: string,
    operations: readonly PatchOperation[],
  ): Promise<Row> {
    const current = await this.readOne(trx, layout, id, { selection: {}, referenceLists: false });
    const patched = applyPatch(layout.schema, current, operations);
    const before = columnsFromResource(this.dialect, layout, current);
    const after = columnsFromResource(this.dialect, layout, patched);
    const changed: Row = {};
    for (const [column, value] of Object.entries(after)) {
      if (JSON.stringify(value) !== JSON.stringify(before[column])) changed[column] = value;
    }
    await this.checkScalarReferences(trx, layout, changed);
    for (const entry of layout.childTables) {
      if (entry.readOnly) continue;
      const oldRows = childRowsFromResource(this.dialect, layout, entry, current, id);
      const newRows = childRowsFromResource(this.dialect, layout, entry, patched, id);
      if (JSON.stringify(oldRows) === JSON.stringify(newRows)) continue;
      await trx(entry.table).where(entry.ownerColumn, id).delete();
      await this.insertRows(trx, entry.table, newRows);
    }
    return changed;
  }

  /** One member change as row INSERT/DELETE, touching only the rows it names. */
  private async applyDelta(
    trx: Knex.Transaction,
    layout: SqlResourceLayout,
    id: string,
    delta: MemberDelta,
  ): Promise<void> {
    const { table, ownerColumn, valueColumn } = delta.attribute.joinTable;
    const owned = () => trx(table).where(ownerColumn, id);
    switch (delta.kind) {
      case 'add': {
        const ids = [...new Set(delta.values.map((member) => member.value))];
        const present = new Set<string>();
        for (const part of chunks(ids)) {
          const rows = (await owned().select(valueColumn).whereIn(valueColumn, part)) as Row[];
          for (const row of rows) present.add(String(row[valueColumn]));
        }
        const fresh = delta.values.filter((member) => !present.has(member.value));
        await this.insertRows(trx, table, await this.referenceRows(trx, delta.attribute, id, fresh));
        return;
      }
      case 'replace':
        await owned().delete();
        await this.insertRows(trx, table, await this.referenceRows(trx, delta.attribute, id, delta.values));
        return;
      case 'remove': {
        const types = layout.idTypesOf(delta.attribute.ref);
        const ids = [...new Set(delta.ids)].filter((member) => types.some((type) => fitsId(type, member)));
        for (const part of chunks(ids)) await owned().whereIn(valueColumn, part).delete();
        return;
      }
      case 'removeWhere': {
        const condition = valueFilterToSql(layout, this.dialect, delta.attribute.scim, delta.filter);
        await owned()
          .whereRaw(condition.sql, [...condition.bindings] as Knex.RawBinding[])
          .delete();
        return;
      }
      case 'removeAll':
        await owned().delete();
        return;
    }
  }

  async delete(resourceType: string, id: string, condition?: WriteCondition): Promise<DeleteReceipt> {
    const layout = this.layouts.get(resourceType);
    const procedures = this.procedureWriter(layout);
    if (procedures !== undefined) {
      await this.guard(layout, () => procedures.delete(layout, id, condition));
      return deletedReceipt(rowKey(layout, id));
    }
    await this.guard(layout, () =>
      this.db.transaction(async (trx) => {
        await this.lockAndCheck(trx, layout, id, condition);
        // References to this resource elsewhere: memberships, and scalar references such as manager.
        for (const name of this.layouts.names) {
          const other = this.layouts.get(name);
          for (const entry of other.joinTables) {
            if (
              entry.ref !== undefined &&
              !entry.ref.some((ref) => ref.toLowerCase() === layout.name.toLowerCase())
            )
              continue;
            const memberships = trx(entry.joinTable.table).where(entry.joinTable.valueColumn, id);
            // Users and groups may share key values (integer keys): only rows of this type go.
            if (entry.joinTable.typeColumn !== undefined)
              memberships.where(entry.joinTable.typeColumn, layout.name);
            await memberships.delete();
          }
          for (const entry of other.scalars) {
            if (entry.readOnly || !entry.ref?.some((ref) => ref.toLowerCase() === layout.name.toLowerCase()))
              continue;
            await trx(other.table)
              .where(entry.target, id)
              .update({ [entry.target]: null });
          }
        }
        for (const entry of layout.joinTables) {
          await trx(entry.joinTable.table).where(entry.joinTable.ownerColumn, id).delete();
        }
        for (const entry of layout.childTables) await trx(entry.table).where(entry.ownerColumn, id).delete();
        await trx(layout.table).where(layout.idColumn, id).delete();
      }),
    );
    return deletedReceipt(rowKey(layout, id));
  }

  async ping(): Promise<void> {
    await this.guard(undefined, async () => {
      await this.db.raw('SELECT 1');
    });
  }

  poolStats(): PoolStats {
    const pool = this.db.client.pool as KnexPool | undefined;
    if (pool === undefined) return { used: 0, free: 0, pending: 0, max: 0 };
    return { used: pool.numUsed(), free: pool.numFree(), pending: pool.numPendingAcquires(), max: pool.max };
  }

  async close(): Promise<void> {
    await this.procedures?.close();
    await this.db.destroy();
  }
}

/** The part of knex's (tarn) pool that metrics read. */
interface KnexPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  readonly max: number;
}

/** totalResults from a COUNT row (drivers answer a number, a bigint's string, or a bigint). */
function totalOf(rows: readonly Row[]): number {
  return Number(rows[0]?.total ?? 0);
}

/** The audit trail's name for a row: `users[id=42]`. */
function rowKey(layout: SqlResourceLayout, id: string): string {
  return `${layout.table}[${layout.idColumn}=${id}]`;
}

/** `now`, or a millisecond after `previous` (a stored timestamp version) when the clock has not moved past it. */
function laterThan(now: Date, previous: unknown): Date {
  const before =
    previous instanceof Date ? previous : typeof previous === 'string' ? new Date(previous) : undefined;
  if (before === undefined || Number.isNaN(before.getTime()) || now > before) return now;
  return new Date(before.getTime() + 1);
}

function knexConfig(dialect: SqlDialect, backend: SqlBackendConfig): Knex.Config {
  return {
    client: dialect.knexClient,
    ...dialect.knexConfig(backend),
    // Errors must not carry bound values (they may be personal data); our mapping drops the SQL too.
    compileSqlOnError: false,
    asyncStackTraces: false,
    log: SILENT_LOG,
    acquireConnectionTimeout: backend.timeouts?.connectMs ?? 10_000,
  };
}

/**
 * A ResourceStore for a SQL mapping. Runs the mapping's bootstrap (schema +
 * seed) when its marker table is missing.
 */
export async function createSqlStore(mapping: CompiledMapping): Promise<ResourceStore> {
  const backend = mapping.backend;
  if (backend.type !== 'sql') throw new Error(`Mapping ${mapping.source} is not a SQL mapping`);
  const dialect = dialectFor(backend.dialect);
  await dialect.prepare(backend);
  const db = knex(knexConfig(dialect, backend));
  try {
    if (backend.bootstrap !== undefined) await runBootstrap(db, dialect, backend.bootstrap);
  } catch (err) {
    await db.destroy();
    throw mapSqlError(err, dialect);
  }
  return new SqlStore(db, dialect, mapping);
}
