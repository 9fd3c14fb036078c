import type { ScalarAttribute } from '../../mapping/compiled-mapping.js';
import type { ValueTransform } from '../../mapping/transforms/value-transform.js';
import type { AttributeDefinition, ResolvedAttribute } from '../../scim/schema/model.js';
import type { IdType } from './id-type.js';
import { entriesFor, type SqlResourceLayout, sameName } from './sql-resource-layout.js';

/** A filterable / sortable thing on the main row: a column, or a value the mapping fixes. */
export type Operand =
  | {
      readonly kind: 'column';
      /** Qualified column (`users.user_name`), bound as `??`. */
      readonly column: string;
      readonly definition: AttributeDefinition;
      readonly transform?: ValueTransform;
      /** The column ignores case itself (citext, `_ci`): case-insensitive compares stay plain. */
      readonly nativeCaseInsensitive?: boolean;
      /** The column holds resource ids of these types: a value that fits none matches nothing. */
      readonly idTypes?: readonly IdType[];
    }
  | { readonly kind: 'constant'; readonly value: unknown; readonly definition: AttributeDefinition };

/**
 * The scalar mapping entry for an attribute path, if one column holds it:
 * `userName`, `name.givenName`, `urn:…:department`, and a reference mapped
 * as a whole (`manager` → manager_id) also answers `manager.value`.
 */
export function scalarEntryFor(
  layout: SqlResourceLayout,
  resolved: ResolvedAttribute,
): ScalarAttribute | undefined {
  const candidates = entriesFor(layout.scalars, resolved.schema, resolved.attribute.name).filter(
    (entry) => entry.scim.typeValue === undefined,
  );
  const sub = resolved.subAttribute?.name;
  return (
    candidates.find((entry) => sameName(entry.scim.subAttribute, sub)) ??
    (sub === 'value' && resolved.attribute.type === 'complex'
      ? candidates.find((entry) => entry.scim.subAttribute === undefined)
      : undefined)
  );
}

/** The operand of a single-valued path on the main table: id, meta.*, or a mapped scalar column. */
export function mainOperand(layout: SqlResourceLayout, resolved: ResolvedAttribute): Operand | undefined {
  const { attribute, subAttribute } = resolved;
  if (!resolved.isExtension && attribute.name === 'id') {
    return {
      kind: 'column',
      column: layout.qualified(layout.idColumn),
      definition: attribute,
      idTypes: [layout.idType],
    };
  }
  if (!resolved.isExtension && attribute.name === 'meta') {
    if (subAttribute === undefined) return undefined;
    const column =
      subAttribute.name === 'created'
        ? layout.createdColumn
        : subAttribute.name === 'lastModified'
          ? layout.lastModifiedColumn
          : undefined;
    if (column !== undefined)
      return { kind: 'column', column: layout.qualified(column), definition: subAttribute };
    if (subAttribute.name === 'resourceType')
      return { kind: 'constant', value: layout.name, definition: subAttribute };
    return undefined;
  }
  const entry = scalarEntryFor(layout, resolved);
  if (entry === undefined) return undefined;
  const definition =
    resolved.subAttribute ??
    (attribute.type === 'complex'
      ? (attribute.subAttributes?.find((sub) => sub.name === 'value') ?? attribute)
      : attribute);
  return {
    kind: 'column',
    column: layout.qualified(entry.target),
    // A reference column holds resource ids, which compare exactly.
    definition: entry.ref === undefined ? definition : { ...definition, caseExact: true },
    ...(entry.transform === undefined ? {} : { transform: entry.transform }),
    ...(entry.nativeCaseInsensitive === true ? { nativeCaseInsensitive: true } : {}),
    ...(entry.ref === undefined ? {} : { idTypes: layout.idTypesOf(entry.ref) }),
  };
}
