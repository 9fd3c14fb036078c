import type { ChildTableAttribute, ScalarAttribute } from '../../mapping/compiled-mapping.js';
import type { ValueTransform } from '../../mapping/transforms/value-transform.js';
import { isPlainObject } from '../../scim/schema/coerce-value.js';
import { findAttribute, findKey } from '../../scim/schema/find-attribute.js';
import type { AttributeDefinition, ScimResource } from '../../scim/schema/model.js';
import { fromColumnValue } from './column-values.js';
import { versionOf } from './resource-codec.js';
import type { JoinTableAttribute, SqlResourceLayout } from './sql-resource-layout.js';

type Row = Record<string, unknown>;

/**
 * One child row: its column values by position (the order of the mapping's
 * `columns`), as an array (PostgreSQL, MySQL, SQLite JSON) or an object keyed
 * "0", "1", … (SQL Server's FOR JSON PATH, which leaves NULLs out).
 */
export type ChildElement = readonly unknown[] | Readonly<Record<string, unknown>>;

/** What was read besides the main row, by position in `layout.childTables` / `layout.joinTables`; undefined: not read. */
export interface RelatedValues {
  readonly children: readonly (readonly ChildElement[] | undefined)[];
  readonly joins: readonly (readonly Row[] | undefined)[];
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

/** Where a mapped value goes in the resource: the core object or an extension object. */
interface Container {
  /** undefined: the resource itself. */
  readonly extension: string | undefined;
}

function containerIn(resource: ScimResource, where: Container): Row {
  if (where.extension === undefined) return resource;
  const existing = resource[where.extension];
  if (isPlainObject(existing)) return existing;
  const fresh: Row = {};
  resource[where.extension] = fresh;
  return fresh;
}

/** One main-table column → its place in the resource, with everything the mapping fixes decided once. */
interface ScalarDecoder extends Container {
  readonly column: string;
  readonly definition: AttributeDefinition;
  /** The type the column value is read as (a whole reference such as `manager` reads its value as a string). */
  readonly valueDefinition: AttributeDefinition;
  readonly transform: ValueTransform | undefined;
  readonly shape:
    | { readonly kind: 'plain' }
    | { readonly kind: 'wholeReference' }
    | { readonly kind: 'sub'; readonly name: string }
    | { readonly kind: 'typed'; readonly typeValue: string; readonly key: string };
}

interface ChildDecoder extends Container {
  readonly attribute: string;
  /** Per column position: the sub-attribute it holds (undefined: not in the served schema). */
  readonly subAttributes: readonly (AttributeDefinition | undefined)[];
}

interface JoinDecoder extends Container {
  readonly attribute: string;
  readonly valueColumn: string;
  readonly typeColumn: string | undefined;
}

function isCore(layout: SqlResourceLayout, schemaUrn: string): boolean {
  return schemaUrn.toLowerCase() === layout.schema.coreSchema.id.toLowerCase();
}

/** The compiler writes each URN as its schema defines it, so one spelling per extension. */
function containerOf(layout: SqlResourceLayout, schemaUrn: string): Container {
  return { extension: isCore(layout, schemaUrn) ? undefined : schemaUrn };
}

function definitionOf(layout: SqlResourceLayout, schemaUrn: string, attribute: string) {
  return layout.schema.resolve({ schema: schemaUrn, attribute })?.attribute;
}

function scalarDecoder(layout: SqlResourceLayout, entry: ScalarAttribute): ScalarDecoder | undefined {
  const { schema, attribute, subAttribute, typeValue } = entry.scim;
  const definition = definitionOf(layout, schema, attribute);
  if (definition === undefined) return undefined;
  const subDefinition =
    subAttribute === undefined ? undefined : findAttribute(definition.subAttributes, subAttribute);
  const isWholeReference = subAttribute === undefined && definition.type === 'complex';
  let shape: ScalarDecoder['shape'];
  if (typeValue !== undefined) shape = { kind: 'typed', typeValue, key: subAttribute ?? 'value' };
  else if (isWholeReference) shape = { kind: 'wholeReference' };
  else if (subAttribute !== undefined && subDefinition !== undefined)
    shape = { kind: 'sub', name: subDefinition.name };
  else shape = { kind: 'plain' };
  return {
    ...containerOf(layout, schema),
    column: entry.target,
    definition,
    valueDefinition: isWholeReference ? { ...definition, type: 'string' } : (subDefinition ?? definition),
    transform: entry.transform,
    shape,
  };
}

function setScalar(resource: ScimResource, decoder: ScalarDecoder, row: Row): void {
  const value = fromColumnValue(decoder.valueDefinition, row[decoder.column], decoder.transform);
  if (value === undefined) return;
  const container = containerIn(resource, decoder);
  const name = decoder.definition.name;
  const shape = decoder.shape;
  switch (shape.kind) {
    case 'typed': {
      // Typed pick: one element of a multi-valued attribute, per type.
      const list = Array.isArray(container[name]) ? (container[name] as Row[]) : [];
      const wanted = shape.typeValue.toLowerCase();
      let element = list.find((item) => String(item.type).toLowerCase() === wanted);
      if (element === undefined) {
        element = { type: shape.typeValue };
        list.push(element);
      }
      element[shape.key] = value;
      container[name] = list;
      return;
    }
    case 'wholeReference':
      container[name] = { value };
      return;
    case 'sub': {
      const parent = isPlainObject(container[name]) ? (container[name] as Row) : {};
      parent[shape.name] = value;
      container[name] = parent;
      return;
    }
    case 'plain':
      container[name] = value;
  }
}

function childDecoder(layout: SqlResourceLayout, entry: ChildTableAttribute): ChildDecoder {
  const definition = definitionOf(layout, entry.scim.schema, entry.scim.attribute);
  return {
    ...containerOf(layout, entry.scim.schema),
    attribute: entry.scim.attribute,
    subAttributes: Object.keys(entry.columns).map((sub) => findAttribute(definition?.subAttributes, sub)),
  };
}

function childValues(decoder: ChildDecoder, elements: readonly ChildElement[]): Row[] {
  const values: Row[] = [];
  for (const element of elements) {
    const value: Row = {};
    let empty = true;
    decoder.subAttributes.forEach((definition, index) => {
      if (definition === undefined) return;
      const converted = fromColumnValue(definition, (element as Record<number, unknown>)[index]);
      if (converted === undefined) return;
      value[definition.name] = converted;
      empty = false;
    });
    if (!empty) values.push(value);
  }
  return values;
}

/** Child-table rows (keyed by column) as positional elements, for rows read by their own statement. */
export function elementsOfRows(entry: ChildTableAttribute, rows: readonly Row[]): ChildElement[] {
  const columns = Object.values(entry.columns);
  return rows.map((row) => columns.map((column) => row[column]));
}

/**
 * Main row + child values + join rows → the SCIM resource (wire shape,
 * without `meta.location`). Everything the mapping decides (definitions,
 * containers, sub-attribute names) is resolved once per resource type.
 */
export class ResourceDecoder {
  private readonly scalars: readonly ScalarDecoder[];
  private readonly children: readonly ChildDecoder[];
  private readonly joins: readonly JoinDecoder[];

  constructor(private readonly layout: SqlResourceLayout) {
    this.scalars = layout.scalars.flatMap((entry) => scalarDecoder(layout, entry) ?? []);
    this.children = layout.childTables.map((entry) => childDecoder(layout, entry));
    this.joins = layout.joinTables.map((entry: JoinTableAttribute) => ({
      ...containerOf(layout, entry.scim.schema),
      attribute: entry.scim.attribute,
      valueColumn: entry.joinTable.valueColumn,
      typeColumn: entry.joinTable.typeColumn,
    }));
  }

  /** Child or join tables left undefined in `related` were not read (not requested) and are left out. */
  decode(row: Row, related: RelatedValues): ScimResource {
    const layout = this.layout;
    const resource: ScimResource = { id: String(row[layout.idColumn]) };
    for (const decoder of this.scalars) setScalar(resource, decoder, row);
    this.children.forEach((decoder, index) => {
      const elements = related.children[index];
      if (elements === undefined || elements.length === 0) return;
      const values = childValues(decoder, elements);
      if (values.length > 0) containerIn(resource, decoder)[decoder.attribute] = values;
    });
    this.joins.forEach((decoder, index) => {
      const rows = related.joins[index];
      if (rows === undefined || rows.length === 0) return;
      containerIn(resource, decoder)[decoder.attribute] = rows.map((joinRow) => {
        const type = decoder.typeColumn === undefined ? undefined : joinRow[decoder.typeColumn];
        const value = String(joinRow[decoder.valueColumn]);
        return type === null || type === undefined ? { value } : { value, type: String(type) };
      });
    });
    const meta: Row = { resourceType: layout.name };
    const created = layout.createdColumn === undefined ? undefined : row[layout.createdColumn];
    const lastModified = layout.lastModifiedColumn === undefined ? undefined : row[layout.lastModifiedColumn];
    if (created !== undefined && created !== null) meta.created = fromColumnValue(DATE_TIME, created);
    if (lastModified !== undefined && lastModified !== null)
      meta.lastModified = fromColumnValue(DATE_TIME, lastModified);
    const version = versionOf(layout, row);
    if (version !== undefined) meta.version = version;
    const schemas = [layout.schema.coreSchema.id];
    for (const extension of layout.schema.extensions) {
      if (findKey(resource, extension.id) !== undefined) schemas.push(extension.id);
    }
    return { schemas, ...resource, meta };
  }
}
