import type { ValueTransform } from '../../mapping/transforms/value-transform.js';
import type { AttributeDefinition } from '../../scim/schema/model.js';
import type { SqlDialect } from './dialects/sql-dialect.js';

/** A SCIM value (already coerced to the attribute's type) as it is bound to a column. */
export function toColumnValue(
  dialect: SqlDialect,
  definition: AttributeDefinition,
  value: unknown,
  transform?: ValueTransform,
): unknown {
  if (value === undefined || value === null) return null;
  if (transform !== undefined) return transform.toBackend(value);
  if (definition.type === 'dateTime' && typeof value === 'string') {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? value : dialect.timestampValue(date);
  }
  return value;
}

function toBoolean(value: unknown): boolean {
  if (typeof value === 'string') return ['1', 'true', 't', 'y', 'yes'].includes(value.trim().toLowerCase());
  if (typeof value === 'bigint') return value !== 0n;
  return Boolean(value);
}

/** A column value read back, in the attribute's SCIM type; undefined for NULL. */
export function fromColumnValue(
  definition: AttributeDefinition,
  value: unknown,
  transform?: ValueTransform,
): unknown {
  if (value === null || value === undefined) return undefined;
  if (transform !== undefined) return transform.fromBackend(value) ?? undefined;
  switch (definition.type) {
    case 'boolean':
      return toBoolean(value);
    case 'integer':
    case 'decimal':
      return typeof value === 'number' ? value : Number(value);
    case 'dateTime':
      if (value instanceof Date) return value.toISOString();
      return String(value);
    case 'binary':
      return Buffer.isBuffer(value) ? value.toString('base64') : String(value);
    default:
      return value instanceof Date ? value.toISOString() : String(value);
  }
}
