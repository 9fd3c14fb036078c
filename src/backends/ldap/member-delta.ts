import { scimErrors } from '../../scim/errors.js';
import type { Filter } from '../../scim/filter/ast.js';
import type { PatchOperation } from '../../scim/patch/operation.js';
import { isPlainObject } from '../../scim/schema/coerce-value.js';
import type { DnListAttribute, LdapLayout } from './ldap-resource-layout.js';

/** A PATCH operation on a DN-list attribute (group members), as a value-level LDAP change. */
export type MemberDelta =
  | { readonly kind: 'add' | 'replace'; readonly attribute: DnListAttribute; readonly ids: readonly string[] }
  | { readonly kind: 'remove'; readonly attribute: DnListAttribute; readonly ids: readonly string[] }
  | { readonly kind: 'removeWhere'; readonly attribute: DnListAttribute; readonly filter: Filter }
  | { readonly kind: 'removeAll'; readonly attribute: DnListAttribute };

/** Reference values as clients send them: `[{value, type?, display?}]`, one object, or bare ids. */
export function memberIds(raw: unknown, label: string): string[] {
  if (raw === undefined || raw === null) return [];
  const items = Array.isArray(raw) ? raw : [raw];
  return items.map((item) => {
    if (typeof item === 'string' && item !== '') return item;
    if (isPlainObject(item)) {
      const key = Object.keys(item).find((name) => name.toLowerCase() === 'value');
      const value = key === undefined ? undefined : item[key];
      if (typeof value === 'string' && value !== '') return value;
    }
    throw scimErrors.invalidValue(`Each value of '${label}' needs a non-empty string 'value'`);
  });
}

function listFor(
  layout: LdapLayout,
  path: { schema?: string; attribute: string },
): DnListAttribute | undefined {
  const resolved = layout.schema.resolve({
    ...(path.schema === undefined ? {} : { schema: path.schema }),
    attribute: path.attribute,
  });
  if (resolved === undefined) return undefined;
  return layout.referenceFor(resolved.schema, resolved.attribute.name);
}

function deltaFor(attribute: DnListAttribute, operation: PatchOperation): MemberDelta {
  const label = attribute.scim.attribute;
  if (attribute.readOnly) throw scimErrors.mutability(`'${label}' is read-only`);
  const path = operation.path;
  if (path?.subAttribute !== undefined) {
    throw scimErrors.invalidPath(
      `'${label}.${path.subAttribute}' cannot be changed on its own; add or remove whole values`,
    );
  }
  if (path?.valueFilter !== undefined) {
    if (operation.op !== 'remove')
      throw scimErrors.invalidPath(`Only 'remove' may select '${label}' values with a filter`);
    return { kind: 'removeWhere', attribute, filter: path.valueFilter };
  }
  const ids = memberIds(operation.value, label);
  if (operation.op === 'add') return { kind: 'add', attribute, ids };
  if (operation.op === 'replace') return { kind: 'replace', attribute, ids };
  // remove: with a value list (Entra) only those, without one all of them (RFC 7644 §3.5.2.2).
  return ids.length > 0 ? { kind: 'remove', attribute, ids } : { kind: 'removeAll', attribute };
}

/**
 * Separates PATCH operations on DN-list attributes — applied as LDAP value
 * add/delete without reading the other members — from everything else,
 * which goes through applyPatch() on the entry read without its members.
 */
export function splitPatch(
  layout: LdapLayout,
  operations: readonly PatchOperation[],
): { deltas: MemberDelta[]; others: PatchOperation[] } {
  const deltas: MemberDelta[] = [];
  const others: PatchOperation[] = [];
  for (const operation of operations) {
    if (operation.path !== undefined) {
      const attribute = listFor(layout, operation.path);
      if (attribute === undefined) others.push(operation);
      else deltas.push(deltaFor(attribute, operation));
      continue;
    }
    if (!isPlainObject(operation.value)) {
      others.push(operation);
      continue;
    }
    // Path-less add/replace: `{ "members": [...], "displayName": "x" }` — split the object.
    const rest: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(operation.value)) {
      const attribute = listFor(layout, { attribute: key });
      if (attribute === undefined) rest[key] = value;
      else deltas.push(deltaFor(attribute, { op: operation.op, value }));
    }
    if (Object.keys(rest).length > 0) others.push({ ...operation, value: rest });
  }
  return { deltas, others };
}

/** `members[value eq "a" or value eq "b"]` → the ids; undefined for any other shape. */
export function idsOfValueFilter(filter: Filter): string[] | undefined {
  if (filter.kind === 'or') {
    const left = idsOfValueFilter(filter.left);
    const right = idsOfValueFilter(filter.right);
    return left === undefined || right === undefined ? undefined : [...left, ...right];
  }
  if (
    filter.kind === 'compare' &&
    filter.op === 'eq' &&
    filter.path.attribute.toLowerCase() === 'value' &&
    typeof filter.value === 'string'
  ) {
    return [filter.value];
  }
  return undefined;
}
