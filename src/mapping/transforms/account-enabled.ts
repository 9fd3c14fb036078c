import { scimBoolean } from './boolean-transforms.js';
import type { ValueTransform } from './value-transform.js';

/** userAccountControl bit ACCOUNTDISABLE (MS-ADTS §2.2.16). */
export const ACCOUNT_DISABLE = 0x2;
/** userAccountControl NORMAL_ACCOUNT: the value for a new user account. */
export const NORMAL_ACCOUNT = 0x200;

/**
 * The new userAccountControl for `enabled`, keeping every other bit of the
 * current value (password-never-expires, smartcard-required, …): stores must
 * read the entry's current value and write this, never a constant.
 */
export function applyAccountEnabled(currentUac: number, enabled: boolean): number {
  return enabled ? currentUac & ~ACCOUNT_DISABLE : currentUac | ACCOUNT_DISABLE;
}

function toUac(value: unknown): number | undefined {
  const number = typeof value === 'number' ? value : Number.parseInt(String(value), 10);
  return Number.isInteger(number) ? number : undefined;
}

/**
 * SCIM `active` ↔ Active Directory userAccountControl. `toBackend` knows no
 * current value, so it gives the value for a new normal account (512 or 514);
 * updates go through applyAccountEnabled.
 */
export const adAccountEnabled: ValueTransform = {
  name: 'adAccountEnabled',
  toBackend(scimValue) {
    if (scimValue === undefined || scimValue === null) return scimValue;
    return applyAccountEnabled(NORMAL_ACCOUNT, scimBoolean('adAccountEnabled', scimValue));
  },
  fromBackend(backendValue) {
    if (backendValue === undefined || backendValue === null) return undefined;
    const uac = toUac(Array.isArray(backendValue) ? backendValue[0] : backendValue);
    return uac === undefined ? undefined : (uac & ACCOUNT_DISABLE) === 0;
  },
};
