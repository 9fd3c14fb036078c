import { isScimError, scimErrors } from '../errors.js';
import type { Filter, FilterValue } from '../filter/ast.js';
import { isPresentValue, matchesValueFilter } from '../filter/evaluate-filter.js';
import { validateValueFilter } from '../filter/validate-filter.js';
import type { PatchPath } from '../path/ast.js';
import {
  assertSinglePrimary,
  coerceAttributeValue,
  coerceMultiValue,
  coerceSingleValue,
  isPlainObject,
} from '../schema/coerce-value.js';
import { findAttribute, findKey } from '../schema/find-attribute.js';
import type {
  AttributeDefinition,
  ResolvedAttribute,
  ResourceSchema,
  ScimResource,
} from '../schema/model.js';
import { splitAttributeName, wholeExtensionUrn } from '../schema/resource-schema.js';
import type { PatchOperation, PatchOpKind } from './operation.js';
import { deepEqual, sameMultiValue } from './value-equality.js';

/**
 * RFC 7644 §3.5.2 PATCH semantics on an in-memory resource. Pure: returns a
 * new resource, the input is untouched; any failing operation fails the
 * whole request (§3.5.2: operations are atomic).
 *
 * Choices where the RFC is silent or real clients differ:
 * - removing a required attribute → 400 invalidValue ("a required value was
 *   missing", RFC 7644 §3.12), not mutability, which is about readOnly/immutable;
 * - `add` to `attr[filter].sub` matching no value creates one from the
 *   filter's `eq` terms (Entra/Okta add `emails[type eq "work"].value` to a
 *   user without a work email); `replace` matching nothing is 400 noTarget;
 * - a `null` or empty value on replace means remove; on add it changes nothing;
 * - path-less add/replace ignore unknown and readOnly attribute names, as
 *   POST/PUT do (Okta sends `id` along); a path naming a readOnly attribute
 *   is 400 mutability;
 * - remove of a value filter matching nothing changes nothing (idempotent retries).
 */
export function applyPatch(
  schema: ResourceSchema,
  resource: ScimResource,
  ops: readonly PatchOperation[],
): ScimResource {
  const target = structuredClone(resource);
  for (const operation of ops) applyOperation(schema, target, operation);
  target.schemas = [
    schema.coreSchema.id,
    ...schema.extensions.filter((ext) => isPresentValue(readContainer(target, ext.id))).map((ext) => ext.id),
  ];
  return target;
}

function applyOperation(schema: ResourceSchema, resource: ScimResource, operation: PatchOperation): void {
  const { op, path, value } = operation;
  if (path === undefined) {
    if (op === 'remove') throw scimErrors.noTarget('A remove operation needs a path');
    applyAttributeMap(schema, resource, op, value, undefined);
    return;
  }

  const extensionUrn = wholeExtensionUrn(schema, path);
  if (extensionUrn !== undefined && path.valueFilter === undefined) {
    if (op === 'remove' || (op === 'replace' && !isPresentValue(value))) {
      const required = schema.resourceType.schemaExtensions.find(
        (ref) => ref.schema === extensionUrn,
      )?.required;
      if (required === true) throw scimErrors.invalidValue(`Schema extension '${extensionUrn}' is required`);
      deleteKey(resource, extensionUrn);
      return;
    }
    applyAttributeMap(schema, resource, op, value, extensionUrn);
    return;
  }

  const resolved = schema.resolve({
    ...(path.schema === undefined ? {} : { schema: path.schema }),
    attribute: path.attribute,
    ...(path.subAttribute === undefined ? {} : { subAttribute: path.subAttribute }),
  });
  if (resolved === undefined) throw scimErrors.invalidPath(`Unknown attribute in path '${formatPath(path)}'`);
  if (path.valueFilter !== undefined) {
    if (!resolved.attribute.multiValued) {
      throw scimErrors.invalidPath(
        `A value filter needs a multi-valued attribute; '${resolved.attribute.name}' is not`,
      );
    }
    try {
      validateValueFilter({ ...resolved, subAttribute: undefined }, path.valueFilter);
    } catch (error) {
      if (isScimError(error)) throw scimErrors.invalidPath(`Invalid value filter in path: ${error.message}`);
      throw error;
    }
  }
  applyToAttribute(resource, op, resolved, value, path.valueFilter);
}

function formatPath(path: PatchPath): string {
  const name = path.subAttribute === undefined ? path.attribute : `${path.attribute}.${path.subAttribute}`;
  return path.schema === undefined ? name : `${path.schema}:${name}`;
}

/**
 * Path-less add/replace (or a path naming a whole extension): the value is
 * an object whose keys are attribute paths — `name.givenName`,
 * `urn:…:User:department`, or `{"urn:…:User": {…}}` nested.
 */
function applyAttributeMap(
  schema: ResourceSchema,
  resource: ScimResource,
  op: 'add' | 'replace',
  value: unknown,
  extensionUrn: string | undefined,
): void {
  if (!isPlainObject(value)) {
    throw scimErrors.invalidValue(`A ${op} without an attribute path needs an object of attributes as value`);
  }
  for (const [key, inner] of Object.entries(value)) {
    if (extensionUrn === undefined && key.toLowerCase() === 'schemas') continue;
    const nestedExtension =
      extensionUrn === undefined
        ? schema.extensions.find((ext) => ext.id.toLowerCase() === key.toLowerCase())
        : undefined;
    if (nestedExtension !== undefined) {
      applyAttributeMap(schema, resource, op, inner, nestedExtension.id);
      continue;
    }
    const split = splitAttributeName(extensionUrn === undefined ? schema.schemaUrns : [], key);
    const resolved =
      split === undefined
        ? undefined
        : schema.resolve(extensionUrn === undefined ? split : { ...split, schema: extensionUrn });
    // Okta echoes `id` in path-less replaces: readOnly values are ignored here as in POST/PUT (RFC 7643 §2.2).
    if (resolved === undefined || isReadOnly(resolved)) continue;
    applyToAttribute(resource, op, resolved, inner, undefined);
  }
}

// ---- reading and writing one attribute of the wire-shape resource ----

function readContainer(resource: ScimResource, urn: string): unknown {
  const key = findKey(resource, urn);
  return key === undefined ? undefined : resource[key];
}

function deleteKey(container: Record<string, unknown>, name: string): void {
  const lower = name.toLowerCase();
  for (const key of Object.keys(container)) if (key.toLowerCase() === lower) delete container[key];
}

function containerOf(
  resource: ScimResource,
  resolved: ResolvedAttribute,
  create: boolean,
): Record<string, unknown> | undefined {
  if (!resolved.isExtension) return resource;
  const existing = readContainer(resource, resolved.schema);
  if (isPlainObject(existing)) return existing;
  if (!create) return undefined;
  const fresh: Record<string, unknown> = {};
  deleteKey(resource, resolved.schema);
  resource[resolved.schema] = fresh;
  return fresh;
}

function readValue(resource: ScimResource, resolved: ResolvedAttribute): unknown {
  const container = containerOf(resource, resolved, false);
  if (container === undefined) return undefined;
  const key = findKey(container, resolved.attribute.name);
  return key === undefined ? undefined : container[key];
}

/** Writes the canonical key; `undefined` or an empty value removes the attribute (RFC 7643 §2.5). */
function writeValue(resource: ScimResource, resolved: ResolvedAttribute, value: unknown): void {
  const container = containerOf(resource, resolved, isPresentValue(value));
  if (container === undefined) return;
  deleteKey(container, resolved.attribute.name);
  if (isPresentValue(value)) container[resolved.attribute.name] = value;
  else if (resolved.isExtension && Object.keys(container).length === 0) deleteKey(resource, resolved.schema);
}

function valuesOf(raw: unknown): unknown[] {
  if (raw === undefined || raw === null) return [];
  return Array.isArray(raw) ? [...raw] : [raw];
}

function readSub(element: unknown, name: string): unknown {
  if (!isPlainObject(element)) return undefined;
  const key = findKey(element, name);
  return key === undefined ? undefined : element[key];
}

function withSub(element: unknown, sub: AttributeDefinition, value: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = isPlainObject(element) ? { ...element } : {};
  deleteKey(copy, sub.name);
  if (isPresentValue(value)) copy[sub.name] = value;
  return copy;
}

// ---- mutability ----

function label(resolved: ResolvedAttribute): string {
  const base = resolved.isExtension
    ? `${resolved.schema}:${resolved.attribute.name}`
    : resolved.attribute.name;
  return resolved.subAttribute === undefined ? base : `${base}.${resolved.subAttribute.name}`;
}

function isReadOnly(resolved: ResolvedAttribute): boolean {
  return resolved.attribute.mutability === 'readOnly' || resolved.subAttribute?.mutability === 'readOnly';
}

function assertWritable(resolved: ResolvedAttribute): void {
  if (isReadOnly(resolved)) {
    throw scimErrors.mutability(`Attribute '${label(resolved)}' is readOnly`);
  }
}

/** Immutable attributes may be assigned once (RFC 7644 §3.5.2), and "changed" to their own value. */
function assertMayChange(
  definition: AttributeDefinition,
  existing: unknown,
  next: unknown,
  name: string,
): void {
  if (definition.mutability !== 'immutable' || !isPresentValue(existing)) return;
  if (!deepEqual(existing, next)) throw scimErrors.mutability(`Attribute '${name}' is immutable`);
}

// ---- the operations ----

function applyToAttribute(
  resource: ScimResource,
  op: PatchOpKind,
  resolved: ResolvedAttribute,
  value: unknown,
  valueFilter: Filter | undefined,
): void {
  assertWritable(resolved);
  const removing = op === 'remove' || (op === 'replace' && !isPresentValue(value));
  if (removing) {
    removeFrom(resource, resolved, valueFilter, op === 'remove' ? value : undefined);
    return;
  }
  if (!isPresentValue(value)) return; // add of null/empty: nothing to add
  const { attribute, subAttribute } = resolved;
  if (attribute.multiValued) {
    setMultiValued(resource, op, resolved, value, valueFilter);
    return;
  }
  const existing = readValue(resource, resolved);
  if (subAttribute !== undefined) {
    const next = coerceSingleValue(subAttribute, value, label(resolved));
    assertMayChange(subAttribute, readSub(existing, subAttribute.name), next, label(resolved));
    writeValue(resource, resolved, withSub(existing, subAttribute, next));
    return;
  }
  const next = coerceAttributeValue(attribute, value, label(resolved));
  if (attribute.type === 'complex' && isPlainObject(next)) {
    // §3.5.2.1/§3.5.2.3: sub-attributes not given are left unchanged.
    for (const sub of attribute.subAttributes ?? []) {
      if (next[sub.name] !== undefined)
        assertMayChange(sub, readSub(existing, sub.name), next[sub.name], `${label(resolved)}.${sub.name}`);
    }
    writeValue(resource, resolved, { ...(isPlainObject(existing) ? existing : {}), ...next });
    return;
  }
  assertMayChange(attribute, existing, next, label(resolved));
  writeValue(resource, resolved, next);
}

function assertRemovable(definition: AttributeDefinition, existing: unknown, name: string): void {
  if (definition.required)
    throw scimErrors.invalidValue(`Attribute '${name}' is required and cannot be removed`);
  if (definition.mutability === 'immutable' && isPresentValue(existing)) {
    throw scimErrors.mutability(`Attribute '${name}' is immutable`);
  }
}

function removeFrom(
  resource: ScimResource,
  resolved: ResolvedAttribute,
  valueFilter: Filter | undefined,
  valuesToRemove: unknown,
): void {
  const { attribute, subAttribute } = resolved;
  const existing = readValue(resource, resolved);
  if (!attribute.multiValued) {
    if (subAttribute === undefined) {
      assertRemovable(attribute, existing, label(resolved));
      writeValue(resource, resolved, undefined);
      return;
    }
    assertRemovable(subAttribute, readSub(existing, subAttribute.name), label(resolved));
    if (isPlainObject(existing)) writeValue(resource, resolved, withSub(existing, subAttribute, undefined));
    return;
  }

  const elements = valuesOf(existing);
  const selected = (element: unknown): boolean =>
    valueFilter === undefined || matchesValueFilter(attribute, element, valueFilter);

  let next: unknown[];
  if (subAttribute !== undefined) {
    next = elements.map((element) => {
      if (!selected(element)) return element;
      assertRemovable(subAttribute, readSub(element, subAttribute.name), label(resolved));
      return withSub(element, subAttribute, undefined);
    });
    next = next.filter(isPresentValue);
  } else if (valueFilter !== undefined) {
    next = elements.filter((element) => !selected(element));
  } else if (isPresentValue(valuesToRemove)) {
    // Azure: {op: remove, path: members, value: [{value: id}, …]} removes exactly those.
    const targets = coerceMultiValue(attribute, valuesToRemove, label(resolved));
    next = elements.filter(
      (element) => !targets.some((target) => sameMultiValue(attribute, element, target)),
    );
  } else {
    next = [];
  }
  if (next.length === 0 && elements.length > 0) assertRemovable(attribute, existing, label(resolved));
  writeValue(resource, resolved, next);
}

/** `emails[type eq "work" and primary eq true]` → {type: "work", primary: true}; undefined if not only `eq` terms. */
function equalityTerms(parent: AttributeDefinition, filter: Filter): Record<string, unknown> | undefined {
  if (filter.kind === 'and') {
    const left = equalityTerms(parent, filter.left);
    const right = equalityTerms(parent, filter.right);
    return left === undefined || right === undefined ? undefined : { ...left, ...right };
  }
  if (filter.kind !== 'compare' || filter.op !== 'eq' || filter.value === null) return undefined;
  const sub = findAttribute(parent.subAttributes, filter.path.attribute);
  if (sub === undefined) return undefined;
  const value: FilterValue = filter.value;
  return { [sub.name]: coerceSingleValue(sub, value, `${parent.name}.${sub.name}`) };
}

/** Setting `primary: true` on some values clears it on the others (RFC 7643 §2.4). */
function keepOnePrimary(elements: unknown[], chosen: ReadonlySet<unknown>): unknown[] {
  const chosenPrimary = elements.some(
    (element) => chosen.has(element) && readSub(element, 'primary') === true,
  );
  if (!chosenPrimary) return elements;
  return elements.map((element) =>
    !chosen.has(element) && isPlainObject(element) && readSub(element, 'primary') === true
      ? { ...withSubName(element, 'primary'), primary: false }
      : element,
  );
}

/** Merges a re-added value into the stored one, keeping the stored spelling of `value`. */
function mergeEqualValue(
  current: Record<string, unknown>,
  item: Record<string, unknown>,
): Record<string, unknown> {
  return { ...current, ...withSubName(item, 'value') };
}

function withSubName(element: Record<string, unknown>, name: string): Record<string, unknown> {
  const copy = { ...element };
  deleteKey(copy, name);
  return copy;
}

function setMultiValued(
  resource: ScimResource,
  op: 'add' | 'replace',
  resolved: ResolvedAttribute,
  value: unknown,
  valueFilter: Filter | undefined,
): void {
  const { attribute, subAttribute } = resolved;
  const name = label(resolved);
  const elements = valuesOf(readValue(resource, resolved));
  const changed = new Set<unknown>();
  let next: unknown[];

  if (subAttribute !== undefined) {
    const subValue = coerceSingleValue(subAttribute, value, name);
    const selected = elements.filter(
      (element) => valueFilter === undefined || matchesValueFilter(attribute, element, valueFilter),
    );
    if (selected.length === 0) {
      if (valueFilter !== undefined && op === 'replace') {
        throw scimErrors.noTarget(`No value of '${attribute.name}' matches the filter in the path`);
      }
      const terms = valueFilter === undefined ? {} : equalityTerms(attribute, valueFilter);
      if (terms === undefined)
        throw scimErrors.noTarget(`No value of '${attribute.name}' matches the filter in the path`);
      const created = withSub(terms, subAttribute, subValue);
      changed.add(created);
      next = [...elements, created];
    } else {
      next = elements.map((element) => {
        if (!selected.includes(element)) return element;
        assertMayChange(subAttribute, readSub(element, subAttribute.name), subValue, name);
        const updated = withSub(element, subAttribute, subValue);
        changed.add(updated);
        return updated;
      });
    }
  } else if (valueFilter !== undefined) {
    const replacement = coerceSingleValue(attribute, value, name);
    if (replacement === undefined) return;
    const matches = elements.filter((element) => matchesValueFilter(attribute, element, valueFilter));
    if (matches.length === 0) {
      if (op === 'replace')
        throw scimErrors.noTarget(`No value of '${attribute.name}' matches the filter in the path`);
      const created = {
        ...(equalityTerms(attribute, valueFilter) ?? {}),
        ...(isPlainObject(replacement) ? replacement : {}),
      };
      changed.add(created);
      next = [...elements, created];
    } else {
      next = elements.map((element) => {
        if (!matches.includes(element)) return element;
        // replace swaps the matched value (§3.5.2.3); add merges into it.
        const updated =
          op === 'replace' || !isPlainObject(element) || !isPlainObject(replacement)
            ? replacement
            : { ...element, ...replacement };
        changed.add(updated);
        return updated;
      });
    }
  } else {
    const incoming = coerceMultiValue(attribute, value, name);
    if (op === 'replace') {
      next = incoming;
      for (const item of incoming) changed.add(item);
    } else {
      next = [...elements];
      for (const item of incoming) {
        const index = next.findIndex((element) => sameMultiValue(attribute, element, item));
        const current = index >= 0 ? next[index] : undefined;
        // An equal value is not added twice; its other sub-attributes (display) are updated.
        const merged =
          isPlainObject(current) && isPlainObject(item) ? mergeEqualValue(current, item) : (current ?? item);
        if (index >= 0) next[index] = merged;
        else next.push(merged);
        changed.add(merged);
      }
    }
  }

  next = keepOnePrimary(next, changed);
  assertSinglePrimary(next, name);
  writeValue(resource, resolved, next);
}
