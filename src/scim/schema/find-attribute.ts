import type { AttributeDefinition } from './model.js';

/** Case-insensitive lookup of an attribute or sub-attribute by name (RFC 7643 §2.1: names are case insensitive). */
export function findAttribute(
  attributes: readonly AttributeDefinition[] | undefined,
  name: string,
): AttributeDefinition | undefined {
  if (attributes === undefined) return undefined;
  const lower = name.toLowerCase();
  return attributes.find((candidate) => candidate.name.toLowerCase() === lower);
}

/** The key under which `name` is stored in `container`, whatever its case. */
export function findKey(container: Readonly<Record<string, unknown>>, name: string): string | undefined {
  if (Object.hasOwn(container, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(container).find((key) => key.toLowerCase() === lower);
}
