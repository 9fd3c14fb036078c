import type { AttributeDefinition } from './model.js';

/** Each attribute list indexed by exact and lower-case name, built on first lookup (lists are never mutated). */
const indexes = new WeakMap<readonly AttributeDefinition[], Map<string, AttributeDefinition>>();

function indexOf(attributes: readonly AttributeDefinition[]): Map<string, AttributeDefinition> {
  let index = indexes.get(attributes);
  if (index === undefined) {
    index = new Map();
    // Lower-case keys first, then exact names, so the first definition wins as with a linear search.
    for (const attribute of [...attributes].reverse()) index.set(attribute.name.toLowerCase(), attribute);
    for (const attribute of [...attributes].reverse()) index.set(attribute.name, attribute);
    indexes.set(attributes, index);
  }
  return index;
}

/** Case-insensitive lookup of an attribute or sub-attribute by name (RFC 7643 §2.1: names are case insensitive). */
export function findAttribute(
  attributes: readonly AttributeDefinition[] | undefined,
  name: string,
): AttributeDefinition | undefined {
  if (attributes === undefined) return undefined;
  const index = indexOf(attributes);
  return index.get(name) ?? index.get(name.toLowerCase());
}

/** The key under which `name` is stored in `container`, whatever its case. */
export function findKey(container: Readonly<Record<string, unknown>>, name: string): string | undefined {
  if (Object.hasOwn(container, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(container).find((key) => key.toLowerCase() === lower);
}
