import type {
  ChildTableAttribute,
  CompiledMapping,
  CompiledResourceType,
  ReferenceListAttribute,
  ScalarAttribute,
  SqlResourceSpec,
} from '../../mapping/compiled-mapping.js';
import { scimErrors } from '../../scim/errors.js';
import type { ResourceSchema } from '../../scim/schema/model.js';
import { type IdType, idTypeOf } from './id-type.js';

export type JoinTableAttribute = ReferenceListAttribute & {
  readonly joinTable: NonNullable<ReferenceListAttribute['joinTable']>;
};

/**
 * One resource type as the SQL adapter sees it: its table, key, version and
 * timestamp columns, and its mapped attributes sorted by storage kind.
 */
export interface SqlResourceLayout {
  readonly name: string;
  readonly schema: ResourceSchema;
  readonly table: string;
  readonly idColumn: string;
  readonly generate: SqlResourceSpec['id']['generate'];
  readonly idType: IdType;
  /** Column → fixed value: written on insert, and every statement is limited to rows holding them. */
  readonly constants: Readonly<Record<string, string | number | boolean>>;
  /** Key types of the resource types a reference may point to (to tell which ids can exist at all). */
  idTypesOf(refs: readonly string[] | undefined): readonly IdType[];
  readonly version?: NonNullable<SqlResourceSpec['version']>;
  readonly createdColumn?: string;
  readonly lastModifiedColumn?: string;
  /** Stored procedures that make every write of this type (see procedures/procedure-writer.ts). */
  readonly procedures?: NonNullable<SqlResourceSpec['procedures']>;
  readonly scalars: readonly ScalarAttribute[];
  readonly childTables: readonly ChildTableAttribute[];
  readonly joinTables: readonly JoinTableAttribute[];
  /** `users.user_name`: main-table columns are always qualified, so subqueries stay unambiguous. */
  qualified(column: string): string;
}

function layoutOf(
  type: CompiledResourceType,
  idTypesOf: (refs: readonly string[] | undefined) => readonly IdType[],
): SqlResourceLayout {
  const sql = type.sql;
  if (sql === undefined) throw new Error(`Resource type ${type.name} has no SQL mapping`);
  const scalars: ScalarAttribute[] = [];
  const childTables: ChildTableAttribute[] = [];
  const joinTables: JoinTableAttribute[] = [];
  for (const attribute of type.attributes) {
    if (attribute.kind === 'scalar') scalars.push(attribute);
    else if (attribute.kind === 'childTable') childTables.push(attribute);
    else if (attribute.joinTable !== undefined)
      joinTables.push({ ...attribute, joinTable: attribute.joinTable });
  }
  return {
    name: type.name,
    schema: type.schema,
    table: sql.table,
    idColumn: sql.id.column,
    generate: sql.id.generate,
    idType: idTypeOf(sql),
    constants: sql.constants ?? {},
    idTypesOf,
    ...(sql.version === undefined ? {} : { version: sql.version }),
    ...(sql.createdColumn === undefined ? {} : { createdColumn: sql.createdColumn }),
    ...(sql.lastModifiedColumn === undefined ? {} : { lastModifiedColumn: sql.lastModifiedColumn }),
    ...(sql.procedures === undefined ? {} : { procedures: sql.procedures }),
    scalars,
    childTables,
    joinTables,
    qualified: (column: string) => `${sql.table}.${column}`,
  };
}

/** Layouts of every SQL resource type of a mapping, by name. */
export class SqlLayouts {
  private readonly byName = new Map<string, SqlResourceLayout>();

  constructor(mapping: CompiledMapping) {
    const idTypes = new Map<string, IdType>();
    for (const type of mapping.resourceTypes) {
      if (type.sql !== undefined) idTypes.set(type.name.toLowerCase(), idTypeOf(type.sql));
    }
    const idTypesOf = (refs: readonly string[] | undefined): readonly IdType[] =>
      (refs ?? [...idTypes.keys()]).flatMap((ref) => idTypes.get(ref.toLowerCase()) ?? []);
    for (const type of mapping.resourceTypes) {
      if (type.sql !== undefined) this.byName.set(type.name, layoutOf(type, idTypesOf));
    }
  }

  get names(): string[] {
    return [...this.byName.keys()];
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** Unknown resource type → 404 (the HTTP layer checks first; this is the store's own guard). */
  get(name: string): SqlResourceLayout {
    const layout = this.byName.get(name);
    if (layout === undefined)
      throw scimErrors.notFound(`Resource type '${name}' is not served by this store`);
    return layout;
  }

  /** Like get(), case-insensitive, undefined when absent (for reference targets). */
  find(name: string): SqlResourceLayout | undefined {
    for (const [key, layout] of this.byName) if (key.toLowerCase() === name.toLowerCase()) return layout;
    return undefined;
  }
}

const same = (a: string | undefined, b: string | undefined): boolean =>
  (a ?? '').toLowerCase() === (b ?? '').toLowerCase();

/** Mapping entries for a canonical SCIM attribute (schema URN + name). */
export function entriesFor<
  T extends { readonly scim: { readonly schema: string; readonly attribute: string } },
>(entries: readonly T[], schemaUrn: string, attribute: string): T[] {
  return entries.filter(
    (entry) => same(entry.scim.schema, schemaUrn) && same(entry.scim.attribute, attribute),
  );
}

export { same as sameName };
