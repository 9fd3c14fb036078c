import { scimErrors } from '../errors.js';
import type { Filter } from '../filter/ast.js';
import { isPlainObject } from '../schema/coerce-value.js';
import type { PatchOperation } from './operation.js';

/** One reference as clients send it (`{value, type?, display?}` or a bare id), reduced to what we store. */
export interface ReferenceValue {
  readonly value: string;
  readonly type?: string;
}

/**
 * A PATCH operation on a reference list (group `members`) as a value-level
 * delta, so a backend can apply it without reading the other values.
 * `Attribute` is the backend's own description of the list (a join table, a
 * DN-valued LDAP attribute).
 */
export type ReferenceDelta<Attribute> =
  | {
      readonly kind: 'add' | 'replace';
      readonly attribute: Attribute;
      readonly values: readonly ReferenceValue[];
      /** `values` as bare ids. */
      readonly ids: readonly string[];
    }
  | { readonly kind: 'remove'; readonly attribute: Attribute; readonly ids: readonly string[] }
  | { readonly kind: 'removeWhere'; readonly attribute: Attribute; readonly filter: Filter }
  | { readonly kind: 'removeAll'; readonly attribute: Attribute };

/** How a backend finds its reference lists among PATCH targets. */
export interface ReferenceListLookup<Attribute> {
  /** The reference list a path names, or undefined when it is some other attribute. */
  find(path: { schema?: string; attribute: string }): Attribute | undefined;
  /** The SCIM name, for messages. */
  label(attribute: Attribute): string;
  readOnly?(attribute: Attribute): boolean;
}

/** Reference values as clients send them: `[{value, type?, display?}]`, one object, or bare ids. */
export function parseReferenceValues(raw: unknown, label: string): ReferenceValue[] {
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

function deltaFor<Attribute>(
  lookup: ReferenceListLookup<Attribute>,
  attribute: Attribute,
  operation: PatchOperation,
): ReferenceDelta<Attribute> {
  const label = lookup.label(attribute);
  if (lookup.readOnly?.(attribute) === true) throw scimErrors.mutability(`'${label}' is read-only`);
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
  const values = parseReferenceValues(operation.value, label);
  const ids = values.map((reference) => reference.value);
  if (operation.op === 'add' || operation.op === 'replace')
    return { kind: operation.op, attribute, values, ids };
  // remove: with a value list (Entra) only those, without one all of them (RFC 7644 §3.5.2.2).
  return ids.length > 0 ? { kind: 'remove', attribute, ids } : { kind: 'removeAll', attribute };
}

/**
 * Separates PATCH operations on reference lists — deltas applied without
 * reading the other values — from everything else, which a backend applies
 * to the resource read without its reference lists. Order is kept within
 * each list; the two touch disjoint data, so their relative order does not
 * matter.
 */
export function splitReferencePatch<Attribute>(
  lookup: ReferenceListLookup<Attribute>,
  operations: readonly PatchOperation[],
): { deltas: ReferenceDelta<Attribute>[]; others: PatchOperation[] } {
  const deltas: ReferenceDelta<Attribute>[] = [];
  const others: PatchOperation[] = [];
  for (const operation of operations) {
    if (operation.path !== undefined) {
      const attribute = lookup.find(operation.path);
      if (attribute === undefined) others.push(operation);
      else deltas.push(deltaFor(lookup, attribute, operation));
      continue;
    }
    // Path-less add/replace: `{ "members": [...], "displayName": "x" }` — split the object.
    if (!isPlainObject(operation.value)) {
      others.push(operation);
      continue;
    }
    const rest: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(operation.value)) {
      const attribute = lookup.find({ attribute: key });
      if (attribute === undefined) rest[key] = value;
      else deltas.push(deltaFor(lookup, attribute, { op: operation.op, value }));
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
