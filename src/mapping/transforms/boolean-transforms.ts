import { scimErrors } from '../../scim/errors.js';
import type { ValueTransform } from './value-transform.js';

/** A SCIM boolean, tolerating the strings some clients send ("True", "false"). */
export function scimBoolean(transformName: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  throw scimErrors.invalidValue(`${transformName}: expected a boolean, got ${JSON.stringify(value)}`);
}

/**
 * A boolean stored as two backend values. Reading accepts the values in any
 * case and as numbers or strings (drivers differ); anything else reads as
 * absent rather than as false.
 */
function booleanPair(
  name: string,
  whenTrue: string | number,
  whenFalse: string | number,
  alsoTrue: readonly string[],
  alsoFalse: readonly string[],
): ValueTransform {
  const truthy = new Set([String(whenTrue).toLowerCase(), ...alsoTrue]);
  const falsy = new Set([String(whenFalse).toLowerCase(), ...alsoFalse]);
  return {
    name,
    toBackend(scimValue) {
      if (scimValue === undefined || scimValue === null) return scimValue;
      return scimBoolean(name, scimValue) ? whenTrue : whenFalse;
    },
    fromBackend(backendValue) {
      if (backendValue === undefined || backendValue === null) return undefined;
      const text = String(backendValue).trim().toLowerCase();
      if (truthy.has(text)) return true;
      if (falsy.has(text)) return false;
      return undefined;
    },
  };
}

/** 1 / 0 (SQLite, MySQL TINYINT, SQL Server BIT; `true`/`false` from drivers that map BIT). */
export const boolean01 = booleanPair('boolean01', 1, 0, ['true'], ['false']);
/** 'Y' / 'N' (CHAR(1) flags in legacy schemas). */
export const booleanYN = booleanPair('booleanYN', 'Y', 'N', [], []);
/** 'TRUE' / 'FALSE': the LDAP Boolean syntax (RFC 4517 §3.3.3); also reads 'T' / 'F'. */
export const booleanTF = booleanPair('booleanTF', 'TRUE', 'FALSE', ['t'], ['f']);
