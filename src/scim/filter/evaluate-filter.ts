import { isPlainObject, isPresentValue } from '../schema/coerce-value.js';
import { findAttribute, findKey } from '../schema/find-attribute.js';
import type { AttributeDefinition, ResourceSchema, ScimResource } from '../schema/model.js';
import type { CompareOperator, Filter, FilterValue } from './ast.js';

export { isPresentValue };

/**
 * In-memory filter evaluation with RFC 7644 §3.4.2.2 semantics: string
 * comparisons honour `caseExact`, a multi-valued attribute matches when any
 * value does, dateTimes compare chronologically, `pr` means present and not
 * empty. `ne` is the negation of `eq` (an absent attribute is "not equal"),
 * as LDAP `(!(a=v))` and most servers read it. Unknown attributes never
 * match; validateFilter() is what rejects them.
 */

function readKey(container: unknown, name: string): unknown {
  if (!isPlainObject(container)) return undefined;
  const key = findKey(container, name);
  return key === undefined ? undefined : container[key];
}

function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  return undefined;
}

function toNumber(value: unknown): number | undefined {
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : Number.NaN;
  return Number.isNaN(number) ? undefined : number;
}

function toTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

function order(op: CompareOperator, difference: number): boolean {
  switch (op) {
    case 'eq':
      return difference === 0;
    case 'ne':
      return difference !== 0;
    case 'gt':
      return difference > 0;
    case 'ge':
      return difference >= 0;
    case 'lt':
      return difference < 0;
    case 'le':
      return difference <= 0;
    default:
      return false;
  }
}

/** One stored value against the filter's value; `op` is never `ne` here (handled as not-eq). */
function compareOne(
  definition: AttributeDefinition,
  actual: unknown,
  op: CompareOperator,
  expected: FilterValue,
): boolean {
  switch (definition.type) {
    case 'boolean': {
      const left = toBoolean(actual);
      const right = toBoolean(expected);
      return op === 'eq' && left !== undefined && left === right;
    }
    case 'integer':
    case 'decimal': {
      const left = toNumber(actual);
      const right = toNumber(expected);
      return left !== undefined && right !== undefined && order(op, left - right);
    }
    case 'dateTime': {
      const left = toTime(actual);
      const right = toTime(expected);
      return left !== undefined && right !== undefined && order(op, left - right);
    }
    case 'complex':
      return false;
    default: {
      if (typeof actual !== 'string' && typeof actual !== 'number') return false;
      let left = String(actual);
      let right = String(expected);
      if (!definition.caseExact) {
        left = left.toLowerCase();
        right = right.toLowerCase();
      }
      switch (op) {
        case 'co':
          return left.includes(right);
        case 'sw':
          return left.startsWith(right);
        case 'ew':
          return left.endsWith(right);
        default:
          return order(op, left < right ? -1 : left > right ? 1 : 0);
      }
    }
  }
}

/** Whether any of `values` (the leaves a path reaches) satisfies `op expected`. */
function compareValues(
  definition: AttributeDefinition,
  values: readonly unknown[],
  op: CompareOperator,
  expected: FilterValue,
): boolean {
  const present = values.filter(isPresentValue);
  if (expected === null) {
    if (op === 'eq') return present.length === 0;
    if (op === 'ne') return present.length > 0;
    return false;
  }
  if (op === 'ne') return !present.some((value) => compareOne(definition, value, 'eq', expected));
  return present.some((value) => compareOne(definition, value, op, expected));
}

/**
 * The leaves a path reaches inside the values of one attribute, and the
 * definition they follow: `sub` named → that sub-attribute of every value;
 * a complex attribute named alone → its `value` sub-attribute (for compare).
 */
function leaves(
  attribute: AttributeDefinition,
  raw: unknown,
  sub: AttributeDefinition | undefined,
): { definition: AttributeDefinition | undefined; values: unknown[] } {
  const values = asList(raw);
  if (sub !== undefined)
    return { definition: sub, values: values.flatMap((item) => asList(readKey(item, sub.name))) };
  if (attribute.type !== 'complex') return { definition: attribute, values };
  const valueSub = findAttribute(attribute.subAttributes, 'value');
  return {
    definition: valueSub,
    values: valueSub === undefined ? [] : values.map((item) => readKey(item, valueSub.name)),
  };
}

/**
 * Evaluates a filter whose paths are relative to one value of `parent`
 * (the inside of `emails[type eq "work"]`): `element` is that one value.
 */
export function matchesValueFilter(parent: AttributeDefinition, element: unknown, filter: Filter): boolean {
  switch (filter.kind) {
    case 'and':
      return (
        matchesValueFilter(parent, element, filter.left) && matchesValueFilter(parent, element, filter.right)
      );
    case 'or':
      return (
        matchesValueFilter(parent, element, filter.left) || matchesValueFilter(parent, element, filter.right)
      );
    case 'not':
      return !matchesValueFilter(parent, element, filter.filter);
    case 'valuePath':
      return false;
    case 'present':
    case 'compare': {
      const name = filter.path.attribute;
      let definition: AttributeDefinition | undefined;
      let values: unknown[];
      if (parent.subAttributes === undefined) {
        // A multi-valued simple attribute: `value` is the element itself.
        definition = name.toLowerCase() === 'value' ? parent : undefined;
        values = asList(element);
      } else {
        definition = findAttribute(parent.subAttributes, name);
        values = definition === undefined ? [] : asList(readKey(element, definition.name));
      }
      if (definition === undefined) return false;
      if (filter.kind === 'present') return values.some(isPresentValue);
      return compareValues(definition, values, filter.op, filter.value);
    }
  }
}

/** The raw value of a resolved top-level attribute in a wire-shape resource. */
export function readAttribute(
  resource: ScimResource,
  schemaUrn: string,
  isExtension: boolean,
  name: string,
): unknown {
  const container = isExtension ? readKey(resource, schemaUrn) : resource;
  return readKey(container, name);
}

export function matchesFilter(schema: ResourceSchema, resource: ScimResource, filter: Filter): boolean {
  switch (filter.kind) {
    case 'and':
      return matchesFilter(schema, resource, filter.left) && matchesFilter(schema, resource, filter.right);
    case 'or':
      return matchesFilter(schema, resource, filter.left) || matchesFilter(schema, resource, filter.right);
    case 'not':
      return !matchesFilter(schema, resource, filter.filter);
    case 'present': {
      const resolved = schema.resolve(filter.path);
      if (resolved === undefined) return false;
      const raw = readAttribute(resource, resolved.schema, resolved.isExtension, resolved.attribute.name);
      if (resolved.subAttribute === undefined) return isPresentValue(raw);
      return leaves(resolved.attribute, raw, resolved.subAttribute).values.some(isPresentValue);
    }
    case 'compare': {
      const resolved = schema.resolve(filter.path);
      if (resolved === undefined) return false;
      const raw = readAttribute(resource, resolved.schema, resolved.isExtension, resolved.attribute.name);
      const { definition, values } = leaves(resolved.attribute, raw, resolved.subAttribute);
      return definition !== undefined && compareValues(definition, values, filter.op, filter.value);
    }
    case 'valuePath': {
      const resolved = schema.resolve(filter.path);
      if (resolved === undefined || resolved.subAttribute !== undefined) return false;
      const raw = readAttribute(resource, resolved.schema, resolved.isExtension, resolved.attribute.name);
      return asList(raw).some((element) => matchesValueFilter(resolved.attribute, element, filter.filter));
    }
  }
}
