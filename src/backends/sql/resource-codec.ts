import type { ChildTableAttribute, ScalarAttribute } from '../../mapping/compiled-mapping.js';
import { isPlainObject } from '../../scim/schema/coerce-value.js';
import { findAttribute, findKey } from '../../scim/schema/find-attribute.js';
import type { AttributeDefinition, ScimResource } from '../../scim/schema/model.js';
import { fromColumnValue, toColumnValue } from './column-values.js';
import type { SqlDialect } from './dialects/sql-dialect.js';
import type { JoinTableAttribute, SqlResourceLayout } from './sql-resource-layout.js';

export type Row = Record<string, unknown>;

/** A reference list value as the store returns it; the HTTP layer adds `$ref`. */
export interface ReferenceValue {
  readonly value: string;
  readonly type?: string;
}

/** Rows of child and join tables for one owner, by table name. */
export type RelatedRows = ReadonlyMap<string, readonly Row[]>;

/** The main-table columns a read selects (unqualified, distinct). */
export function mainColumns(layout: SqlResourceLayout): string[] {
  const columns = [
    layout.idColumn,
    layout.version?.column,
    layout.createdColumn,
    layout.lastModifiedColumn,
    ...layout.scalars.map((entry) => entry.target),
  ];
  return [...new Set(columns.filter((column): column is string => column !== undefined))];
}

function definitionOf(
  layout: SqlResourceLayout,
  schemaUrn: string,
  attribute: string,
): AttributeDefinition | undefined {
  return layout.schema.resolve({ schema: schemaUrn, attribute })?.attribute;
}

function isCore(layout: SqlResourceLayout, schemaUrn: string): boolean {
  return schemaUrn.toLowerCase() === layout.schema.coreSchema.id.toLowerCase();
}

/** The object holding an attribute: the resource itself, or its extension object (created on demand). */
function containerOf(
  layout: SqlResourceLayout,
  resource: ScimResource,
  schemaUrn: string,
  create: boolean,
): Row | undefined {
  if (isCore(layout, schemaUrn)) return resource;
  const key = findKey(resource, schemaUrn);
  const existing = key === undefined ? undefined : resource[key];
  if (isPlainObject(existing)) return existing;
  if (!create) return undefined;
  const fresh: Row = {};
  resource[schemaUrn] = fresh;
  return fresh;
}

function read(container: Row | undefined, name: string): unknown {
  if (container === undefined) return undefined;
  const key = findKey(container, name);
  return key === undefined ? undefined : container[key];
}

function versionString(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (Buffer.isBuffer(value)) return value.toString('hex');
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

export function versionOf(layout: SqlResourceLayout, row: Row): string | undefined {
  return layout.version === undefined ? undefined : versionString(row[layout.version.column]);
}

function setScalar(
  layout: SqlResourceLayout,
  resource: ScimResource,
  entry: ScalarAttribute,
  row: Row,
): void {
  const { schema, attribute, subAttribute, typeValue } = entry.scim;
  const definition = definitionOf(layout, schema, attribute);
  if (definition === undefined) return;
  const subDefinition =
    subAttribute === undefined ? undefined : findAttribute(definition.subAttributes, subAttribute);
  const valueDefinition = subDefinition ?? definition;
  const isWholeReference = subAttribute === undefined && definition.type === 'complex';
  const value = fromColumnValue(
    isWholeReference ? { ...definition, type: 'string' } : valueDefinition,
    row[entry.target],
    entry.transform,
  );
  if (value === undefined) return;
  const container = containerOf(layout, resource, schema, true);
  if (container === undefined) return;
  if (typeValue !== undefined) {
    // Typed pick: one element of a multi-valued attribute, per type.
    const list = Array.isArray(container[definition.name]) ? (container[definition.name] as Row[]) : [];
    let element = list.find((item) => String(item.type).toLowerCase() === typeValue.toLowerCase());
    if (element === undefined) {
      element = { type: typeValue };
      list.push(element);
    }
    element[subAttribute ?? 'value'] = value;
    container[definition.name] = list;
  } else if (isWholeReference) {
    container[definition.name] = { value };
  } else if (subAttribute !== undefined && subDefinition !== undefined) {
    const parent = isPlainObject(container[definition.name]) ? (container[definition.name] as Row) : {};
    parent[subDefinition.name] = value;
    container[definition.name] = parent;
  } else {
    container[definition.name] = value;
  }
}

function childValues(layout: SqlResourceLayout, entry: ChildTableAttribute, rows: readonly Row[]): Row[] {
  const definition = definitionOf(layout, entry.scim.schema, entry.scim.attribute);
  const values: Row[] = [];
  for (const row of rows) {
    const value: Row = {};
    for (const [sub, column] of Object.entries(entry.columns)) {
      const subDefinition = findAttribute(definition?.subAttributes, sub);
      if (subDefinition === undefined) continue;
      const converted = fromColumnValue(subDefinition, row[column]);
      if (converted !== undefined) value[subDefinition.name] = converted;
    }
    if (Object.keys(value).length > 0) values.push(value);
  }
  return values;
}

function referenceValues(entry: JoinTableAttribute, rows: readonly Row[]): ReferenceValue[] {
  const { valueColumn, typeColumn } = entry.joinTable;
  return rows.map((row) => {
    const type = typeColumn === undefined ? undefined : row[typeColumn];
    return {
      value: String(row[valueColumn]),
      ...(type === null || type === undefined ? {} : { type: String(type) }),
    };
  });
}

/**
 * A main row plus its child/join rows → the SCIM resource (wire shape,
 * without `meta.location`). Child or join tables absent from `related`
 * were not read (not requested) and are left out.
 */
export function resourceFromRows(layout: SqlResourceLayout, row: Row, related: RelatedRows): ScimResource {
  const resource: ScimResource = { id: String(row[layout.idColumn]) };
  for (const entry of layout.scalars) setScalar(layout, resource, entry, row);
  for (const entry of layout.childTables) {
    const rows = related.get(entry.table);
    if (rows === undefined) continue;
    const values = childValues(layout, entry, rows);
    const container = containerOf(layout, resource, entry.scim.schema, values.length > 0);
    if (values.length > 0 && container !== undefined) container[entry.scim.attribute] = values;
  }
  for (const entry of layout.joinTables) {
    const rows = related.get(entry.joinTable.table);
    if (rows === undefined || rows.length === 0) continue;
    const container = containerOf(layout, resource, entry.scim.schema, true);
    if (container !== undefined) container[entry.scim.attribute] = referenceValues(entry, rows);
  }
  const meta: Row = { resourceType: layout.name };
  const created = layout.createdColumn === undefined ? undefined : row[layout.createdColumn];
  const lastModified = layout.lastModifiedColumn === undefined ? undefined : row[layout.lastModifiedColumn];
  if (created !== undefined && created !== null) meta.created = fromColumnValue(DATE_TIME, created);
  if (lastModified !== undefined && lastModified !== null)
    meta.lastModified = fromColumnValue(DATE_TIME, lastModified);
  const version = versionOf(layout, row);
  if (version !== undefined) meta.version = version;
  const schemas = [
    layout.schema.coreSchema.id,
    ...layout.schema.extensions.filter((ext) => findKey(resource, ext.id) !== undefined).map((ext) => ext.id),
  ];
  return { schemas, ...resource, meta };
}

const DATE_TIME: AttributeDefinition = {
  name: 'dateTime',
  type: 'dateTime',
  multiValued: false,
  description: '',
  required: false,
  caseExact: false,
  mutability: 'readOnly',
  returned: 'default',
  uniqueness: 'none',
};

/** The SCIM value a scalar entry maps, read from a resource (undefined when absent). */
export function scalarValue(
  layout: SqlResourceLayout,
  resource: ScimResource,
  entry: ScalarAttribute,
): unknown {
  const { schema, attribute, subAttribute, typeValue } = entry.scim;
  const value = read(containerOf(layout, resource, schema, false), attribute);
  if (typeValue !== undefined) {
    if (!Array.isArray(value)) return undefined;
    const element = value.find(
      (item) =>
        isPlainObject(item) && String(read(item, 'type') ?? '').toLowerCase() === typeValue.toLowerCase(),
    );
    return isPlainObject(element) ? read(element, subAttribute ?? 'value') : undefined;
  }
  if (subAttribute !== undefined) return isPlainObject(value) ? read(value, subAttribute) : undefined;
  // A reference mapped as a whole (`manager` → manager_id) stores its value.
  if (isPlainObject(value)) return read(value, 'value');
  return value;
}

/** Main-table columns for a write: every writable scalar, NULL when the resource has no value. */
export function columnsFromResource(
  dialect: SqlDialect,
  layout: SqlResourceLayout,
  resource: ScimResource,
): Row {
  const columns: Row = {};
  for (const entry of layout.scalars) {
    if (entry.readOnly) continue;
    let value = scalarValue(layout, resource, entry);
    // The default stands in for a value the client did not send, on PUT as on POST.
    if ((value === undefined || value === '') && entry.defaultValue !== undefined) {
      value = entry.defaultValue;
    }
    const definition = definitionOf(layout, entry.scim.schema, entry.scim.attribute);
    const sub = entry.scim.subAttribute;
    const valueDefinition =
      (sub === undefined ? undefined : findAttribute(definition?.subAttributes, sub)) ?? definition;
    columns[entry.target] =
      valueDefinition === undefined ? null : toColumnValue(dialect, valueDefinition, value, entry.transform);
  }
  return columns;
}

/** Child-table rows for one multi-valued attribute of a resource (owner column filled in). */
export function childRowsFromResource(
  dialect: SqlDialect,
  layout: SqlResourceLayout,
  entry: ChildTableAttribute,
  resource: ScimResource,
  ownerId: unknown,
): Row[] {
  const definition = definitionOf(layout, entry.scim.schema, entry.scim.attribute);
  const values = read(containerOf(layout, resource, entry.scim.schema, false), entry.scim.attribute);
  if (!Array.isArray(values) || definition === undefined) return [];
  const rows: Row[] = [];
  for (const item of values) {
    if (!isPlainObject(item)) continue;
    const row: Row = { [entry.ownerColumn]: ownerId };
    let hasValue = false;
    for (const [sub, column] of Object.entries(entry.columns)) {
      const subDefinition = findAttribute(definition.subAttributes, sub);
      const value = read(item, sub);
      if (subDefinition === undefined) continue;
      if (value !== undefined && value !== null) hasValue = true;
      row[column] =
        subDefinition.type === 'boolean' && value === undefined
          ? false
          : toColumnValue(dialect, subDefinition, value);
    }
    if (hasValue) rows.push(row);
  }
  return rows;
}

/** Reference values (`members`) of a resource, as written by the client. */
export function referencesFromResource(
  layout: SqlResourceLayout,
  entry: JoinTableAttribute,
  resource: ScimResource,
): unknown {
  return read(containerOf(layout, resource, entry.scim.schema, false), entry.scim.attribute);
}
