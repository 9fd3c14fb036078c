import { scimErrors } from '../../scim/errors.js';
import type { ValueTransform } from './value-transform.js';

const CANONICAL_GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Active Directory objectGUID: 16 bytes whose first three fields are
 * little-endian (MS-DTYP §2.3.4.2), shown as 32 hex digits grouped 8-4-4-4-12.
 */
export function guidFromBytes(bytes: Uint8Array): string | undefined {
  if (bytes.length !== 16) return undefined;
  const hex = (indices: readonly number[]): string =>
    indices.map((index) => (bytes[index] ?? 0).toString(16).padStart(2, '0')).join('');
  return [hex([3, 2, 1, 0]), hex([5, 4]), hex([7, 6]), hex([8, 9]), hex([10, 11, 12, 13, 14, 15])].join('-');
}

export function guidToBytes(guid: string): Buffer | undefined {
  if (!CANONICAL_GUID.test(guid)) return undefined;
  const plain = Buffer.from(guid.replace(/-/g, ''), 'hex');
  const order = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
  return Buffer.from(order.map((index) => plain[index] ?? 0));
}

/** objectGUID (Buffer) ↔ canonical lower-case GUID string. */
export const guid: ValueTransform = {
  name: 'guid',
  toBackend(scimValue) {
    if (scimValue === undefined || scimValue === null) return scimValue;
    const bytes = typeof scimValue === 'string' ? guidToBytes(scimValue.trim()) : undefined;
    if (bytes === undefined)
      throw scimErrors.invalidValue(`guid: expected a GUID, got ${JSON.stringify(scimValue)}`);
    return bytes;
  },
  fromBackend(backendValue) {
    if (backendValue instanceof Uint8Array) return guidFromBytes(backendValue);
    if (typeof backendValue === 'string' && CANONICAL_GUID.test(backendValue))
      return backendValue.toLowerCase();
    return undefined;
  },
};
