import { isPlainObject } from '../../scim/schema/coerce-value.js';

/** RFC 7644 §3.7.2: a value `bulkId:qwerty` stands for the id of the resource the operation `qwerty` created. */
const REFERENCE = /^bulkId:(.+)$/;

export function referencedBulkId(value: string): string | undefined {
  return REFERENCE.exec(value)?.[1];
}

/** Every bulkId a value refers to, at any depth. */
export function collectBulkIdReferences(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (typeof value === 'string') {
    const bulkId = referencedBulkId(value);
    if (bulkId !== undefined) into.add(bulkId);
  } else if (Array.isArray(value)) {
    for (const item of value) collectBulkIdReferences(item, into);
  } else if (isPlainObject(value)) {
    for (const item of Object.values(value)) collectBulkIdReferences(item, into);
  }
  return into;
}

/** A copy of `value` with every `bulkId:x` replaced by the id `x` resolved to (all must be resolved). */
export function substituteBulkIds(value: unknown, resolved: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') {
    const bulkId = referencedBulkId(value);
    return bulkId === undefined ? value : (resolved.get(bulkId) ?? value);
  }
  if (Array.isArray(value)) return value.map((item) => substituteBulkIds(item, resolved));
  if (isPlainObject(value)) {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = substituteBulkIds(item, resolved);
    return copy;
  }
  return value;
}
