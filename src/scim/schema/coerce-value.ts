import { scimErrors } from '../errors.js';
import { findAttribute } from './find-attribute.js';
import type { AttributeDefinition } from './model.js';

/**
 * Tolerant value coercion shared by write preparation and PATCH: accepts what
 * real clients send (Entra's "False", numbers as strings, `manager` as a bare
 * id) and returns the canonical JSON form, or throws 400 invalidValue naming
 * the attribute. `undefined` means "unassigned" (null, [], {} — RFC 7643 §2.5).
 */

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** RFC 7643 §2.5: null, "", [] and {} all mean unassigned. */
export function isPresentValue(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.length > 0;
  if (Array.isArray(value)) return value.some(isPresentValue);
  if (isPlainObject(value)) return Object.values(value).some(isPresentValue);
  return true;
}

// xsd:dateTime (RFC 7643 §2.3.5): date, time, optional fraction, optional zone.
const DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;
const INTEGER_TEXT = /^[+-]?\d+$/;
const DECIMAL_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function wrongType(label: string, expected: string, value: unknown): never {
  const got = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  throw scimErrors.invalidValue(`Attribute '${label}' must be ${expected}, got ${got}`);
}

/** One simple (non-complex) value. */
export function coerceSimpleValue(definition: AttributeDefinition, value: unknown, label: string): unknown {
  switch (definition.type) {
    case 'string':
    case 'reference':
    case 'binary':
      if (typeof value === 'string') return value;
      // A number where text is expected (employeeNumber: 1234) is unambiguous.
      if (typeof value === 'number' && Number.isFinite(value)) return String(value);
      return wrongType(label, 'a string', value);
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string') {
        const lower = value.trim().toLowerCase();
        if (lower === 'true') return true;
        if (lower === 'false') return false;
      }
      return wrongType(label, 'a boolean', value);
    case 'integer':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      if (typeof value === 'string' && INTEGER_TEXT.test(value.trim()))
        return Number.parseInt(value.trim(), 10);
      return wrongType(label, 'an integer', value);
    case 'decimal':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      if (typeof value === 'string' && DECIMAL_TEXT.test(value.trim())) return Number(value.trim());
      return wrongType(label, 'a decimal number', value);
    case 'dateTime':
      if (typeof value === 'string' && DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)))
        return value;
      return wrongType(label, 'an xsd:dateTime string', value);
    case 'complex':
      return wrongType(label, 'a complex value', value);
  }
}

/**
 * One value of the attribute, ignoring `multiValued`: a complex object with
 * canonical sub-attribute names (unknown and readOnly sub-attributes dropped,
 * RFC 7643 §2.2), or a simple value.
 */
export function coerceSingleValue(definition: AttributeDefinition, value: unknown, label: string): unknown {
  if (value === null || value === undefined) return undefined;
  if (definition.type !== 'complex') return coerceSimpleValue(definition, value, label);

  // `manager: "26118915"` — a bare id for a single-valued reference-like complex.
  const valueSub = findAttribute(definition.subAttributes, 'value');
  if (
    !definition.multiValued &&
    valueSub !== undefined &&
    (typeof value === 'string' || typeof value === 'number')
  ) {
    return { [valueSub.name]: coerceSimpleValue(valueSub, value, `${label}.value`) };
  }
  if (!isPlainObject(value)) return wrongType(label, 'a complex object', value);

  const result: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(value)) {
    const sub = findAttribute(definition.subAttributes, key);
    if (sub === undefined || sub.mutability === 'readOnly') continue;
    const coerced = coerceSingleValue(sub, raw, `${label}.${sub.name}`);
    if (coerced !== undefined) result[sub.name] = coerced;
  }
  return Object.keys(result).length === 0 ? undefined : result;
}

/** RFC 7643 §2.4: at most one value of a multi-valued attribute is primary. */
export function assertSinglePrimary(values: readonly unknown[], label: string): void {
  const primaries = values.filter((item) => isPlainObject(item) && item.primary === true).length;
  if (primaries > 1) throw scimErrors.invalidValue(`Attribute '${label}' has more than one primary value`);
}

/** The values of a multi-valued attribute; a single value is wrapped into an array. */
export function coerceMultiValue(definition: AttributeDefinition, value: unknown, label: string): unknown[] {
  if (value === null || value === undefined) return [];
  const items = Array.isArray(value) ? value : [value];
  const result: unknown[] = [];
  for (const item of items) {
    if (Array.isArray(item)) wrongType(label, 'a list of values', item);
    const coerced = coerceSingleValue(definition, item, label);
    if (coerced !== undefined) result.push(coerced);
  }
  assertSinglePrimary(result, label);
  return result;
}

/** A whole attribute value: an array for multi-valued attributes, otherwise one value. */
export function coerceAttributeValue(
  definition: AttributeDefinition,
  value: unknown,
  label: string,
): unknown {
  if (definition.multiValued) {
    const values = coerceMultiValue(definition, value, label);
    return values.length === 0 ? undefined : values;
  }
  if (Array.isArray(value)) {
    // A one-element array for a single-valued attribute is a common client slip.
    if (value.length === 1) return coerceSingleValue(definition, value[0], label);
    if (value.length === 0) return undefined;
    return wrongType(label, 'a single value', value);
  }
  return coerceSingleValue(definition, value, label);
}
