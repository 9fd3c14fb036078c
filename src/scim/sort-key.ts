import { isPlainObject } from './schema/coerce-value.js';
import { findKey } from './schema/find-attribute.js';
import type { ResolvedAttribute, ScimResource } from './schema/model.js';

/** What a resource sorts by: a string, number or boolean, or undefined when it has no value. */
export type SortKey = string | number | boolean | undefined;

function readKey(container: unknown, name: string): unknown {
  if (!isPlainObject(container)) return undefined;
  const key = findKey(container, name);
  return key === undefined ? undefined : container[key];
}

/**
 * The value `sortBy` names in a wire-shape resource (RFC 7644 §3.4.2.3): of a
 * multi-valued attribute the primary value, else the first; dateTimes as
 * epoch milliseconds so they order chronologically.
 */
export function sortKeyOf(resource: ScimResource, resolved: ResolvedAttribute): SortKey {
  const container = resolved.isExtension ? readKey(resource, resolved.schema) : resource;
  let value = readKey(container, resolved.attribute.name);
  if (resolved.attribute.multiValued) {
    const items = Array.isArray(value) ? value : [];
    value = items.find((item) => isPlainObject(item) && item.primary === true) ?? items[0];
  }
  if (resolved.attribute.type === 'complex') {
    value = readKey(value, resolved.subAttribute?.name ?? 'value');
  }
  const definition = resolved.subAttribute ?? resolved.attribute;
  if (definition.type === 'dateTime' && typeof value === 'string') {
    const time = Date.parse(value);
    return Number.isNaN(time) ? value : time;
  }
  if (typeof value === 'string') return definition.caseExact === true ? value : value.toLowerCase();
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return undefined;
}

/** Orders two keys; resources without a value come last in both directions, as the stores order them. */
export function compareSortKeys(a: SortKey, b: SortKey, descending: boolean): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  const difference = a < b ? -1 : a > b ? 1 : 0;
  return descending ? -difference : difference;
}
