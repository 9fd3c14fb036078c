import { scimErrors } from '../../scim/errors.js';
import type { ValueTransform } from './value-transform.js';

function caseFolding(name: string, fold: (text: string) => string): ValueTransform {
  const apply = (value: unknown, direction: 'to' | 'from'): unknown => {
    if (value === undefined || value === null) return direction === 'to' ? value : undefined;
    if (typeof value === 'string') return fold(value);
    if (direction === 'to')
      throw scimErrors.invalidValue(`${name}: expected a string, got ${JSON.stringify(value)}`);
    return fold(String(value));
  };
  return {
    name,
    toBackend: (scimValue) => apply(scimValue, 'to'),
    fromBackend: (backendValue) => apply(backendValue, 'from'),
  };
}

/** Stored and shown in lower case (case-insensitive keys kept canonical, e.g. mail addresses). */
export const lowercase = caseFolding('lowercase', (text) => text.toLowerCase());
/** Stored and shown in upper case (legacy user ids). */
export const uppercase = caseFolding('uppercase', (text) => text.toUpperCase());
