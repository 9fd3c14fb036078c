import type { ChildTableAttribute, ScalarAttribute } from '../../mapping/compiled-mapping.js';
import { isPlainObject } from '../../scim/schema/coerce-value.js';
import { findAttribute, findKey } from '../../scim/schema/find-attribute.js';
import type { AttributeDefinition, ScimResource } from '../../scim/schema/model.js';
import { toColumnValue } from './column-values.js';
import type { SqlDialect } from './dialects/sql-dialect.js';
import type { JoinTableAttribute, SqlResourceLayout } from './sql-resource-layout.js';

/** Resource → column values for writes (reads are decoded by resource-decoder.ts). */

export type Row = Record<string, unknown>;

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
