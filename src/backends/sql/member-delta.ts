import { scimErrors } from '../../scim/errors.js';
import type { Filter } from '../../scim/filter/ast.js';
import type { PatchOperation } from '../../scim/patch/operation.js';
import { isPlainObject } from '../../scim/schema/coerce-value.js';
import { entriesFor, type JoinTableAttribute, type SqlResourceLayout } from './sql-resource-layout.js';

export interface MemberValue {
  readonly value: string;
  readonly type?: string;
}

/** A PATCH operation on a join-table attribute, as a row-level delta. */
export type MemberDelta =
  | { readonly kind: 'add'; readonly attribute: JoinTableAttribute; readonly values: readonly MemberValue[] }
  | {
      readonly kind: 'replace';
      readonly attribute: JoinTableAttribute;
      readonly values: readonly MemberValue[];
    }
  | { readonly kind: 'remove'; readonly attribute: JoinTableAttribute; readonly ids: readonly string[] }
  | { readonly kind: 'removeWhere'; readonly attribute: JoinTableAttribute; readonly filter: Filter }
  | { readonly kind: 'removeAll'; readonly attribute: JoinTableAttribute };

/** Reference values as clients send them: `[{value, type?, display?}]`, one object, or bare ids. */
export function parseMemberValues(raw: unknown, label: string): MemberValue[] {
  if (raw === undefined || raw === null) return [];
  const items = Array.isArray(raw) ? raw : [raw];
  return items.map((item) => {
    if (typeof item === 'string' && item !== '') return { value: item };
    if (isPlainObject(item)) {
      const valueKey = Object.keys(item).find((key) => key.toLowerCase() === 'value');
      const typeKey = Object.keys(item).find((key) => key.toLowerCase() === 'type');
      const value = valueKey === undefined ? undefined : item[valueKey];
      const type = typeKey === undefined ? undefined : item[typeKey];
      if (typeof value === 'string' && value !== '') {
        return { value, ...(typeof type === 'string' ? { type } : {}) };
      }
    }
    throw scimErrors.invalidValue(`Each value of '${label}' needs a non-empty string 'value'`);
  });
}

function joinAttributeFor(
  layout: SqlResourceLayout,
  path: { schema?: string; attribute: string },
): JoinTableAttribute | undefined {
  const resolved = layout.schema.resolve({
    ...(path.schema === undefined ? {} : { schema: path.schema }),
    attribute: path.attribute,
  });
  if (resolved === undefined) return undefined;
  return entriesFor(layout.joinTables, resolved.schema, resolved.attribute.name)[0];
}

function deltaFor(attribute: JoinTableAttribute, operation: PatchOperation, label: string): MemberDelta {
  const path = operation.path;
  if (path?.subAttribute !== undefined) {
    throw scimErrors.invalidPath(
      `'${label}.${path.subAttribute}' cannot be changed on its own; add or remove whole values`,
    );
  }
  if (path?.valueFilter !== undefined) {
    if (operation.op !== 'remove') {
      throw scimErrors.invalidPath(`Only 'remove' may select '${label}' values with a filter`);
    }
    return { kind: 'removeWhere', attribute, filter: path.valueFilter };
  }
  if (operation.op === 'add')
    return { kind: 'add', attribute, values: parseMemberValues(operation.value, label) };
  if (operation.op === 'replace')
    return { kind: 'replace', attribute, values: parseMemberValues(operation.value, label) };
  // remove: with a value list (Entra) only those, without one all of them (RFC 7644 §3.5.2.2).
  const values = parseMemberValues(operation.value, label);
  if (values.length > 0) return { kind: 'remove', attribute, ids: values.map((member) => member.value) };
  return { kind: 'removeAll', attribute };
}

/**
 * Separates PATCH operations on join-table attributes (group `members`) —
 * applied as row INSERT/DELETE deltas without reading the other values —
 * from everything else, which goes through applyPatch() on the resource
 * read without its reference lists. Order is kept within each list; the two
 * touch disjoint data, so their relative order does not matter.
 */
export function splitPatch(
  layout: SqlResourceLayout,
  operations: readonly PatchOperation[],
): { deltas: MemberDelta[]; others: PatchOperation[] } {
  const deltas: MemberDelta[] = [];
  const others: PatchOperation[] = [];
  for (const operation of operations) {
    if (operation.path !== undefined) {
      const attribute = joinAttributeFor(layout, operation.path);
      if (attribute === undefined) others.push(operation);
      else deltas.push(deltaFor(attribute, operation, attribute.scim.attribute));
      continue;
    }
    // Path-less add/replace: `{ "members": [...], "displayName": "x" }` — split the object.
    if (!isPlainObject(operation.value)) {
      others.push(operation);
      continue;
    }
    const rest: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(operation.value)) {
      const attribute = joinAttributeFor(layout, { attribute: key });
      if (attribute === undefined) rest[key] = value;
      else deltas.push(deltaFor(attribute, { op: operation.op, value }, attribute.scim.attribute));
    }
    if (Object.keys(rest).length > 0) others.push({ ...operation, value: rest });
  }
  return { deltas, others };
}
