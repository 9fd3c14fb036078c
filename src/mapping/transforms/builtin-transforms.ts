import type { AttributeType } from '../../scim/schema/model.js';
import { adAccountEnabled } from './account-enabled.js';
import { boolean01, booleanTF, booleanYN } from './boolean-transforms.js';
import { lowercase, uppercase } from './case-transforms.js';
import { generalizedTime, isoDate } from './date-transforms.js';
import { guid } from './guid.js';
import type { ValueTransform } from './value-transform.js';

export interface BuiltinTransform {
  readonly transform: ValueTransform;
  /** The SCIM type of the attributes it applies to, checked by the mapping compiler. */
  readonly scimType: AttributeType;
}

/** Every built-in transform by the name used in mapping files. */
export const BUILTIN_TRANSFORMS: Readonly<Record<string, BuiltinTransform>> = Object.freeze({
  boolean01: { transform: boolean01, scimType: 'boolean' },
  booleanYN: { transform: booleanYN, scimType: 'boolean' },
  booleanTF: { transform: booleanTF, scimType: 'boolean' },
  lowercase: { transform: lowercase, scimType: 'string' },
  uppercase: { transform: uppercase, scimType: 'string' },
  isoDate: { transform: isoDate, scimType: 'dateTime' },
  generalizedTime: { transform: generalizedTime, scimType: 'dateTime' },
  adAccountEnabled: { transform: adAccountEnabled, scimType: 'boolean' },
  guid: { transform: guid, scimType: 'string' },
});

export function builtinTransform(name: string): BuiltinTransform | undefined {
  return Object.hasOwn(BUILTIN_TRANSFORMS, name) ? BUILTIN_TRANSFORMS[name] : undefined;
}
