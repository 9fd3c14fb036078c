import { scimErrors } from '../../scim/errors.js';
import type { AttributeType } from '../../scim/schema/model.js';
import type { ValueTransform } from './value-transform.js';

type BackendValue = string | number | boolean;

/** A map key (always text in YAML) as the SCIM value it stands for, typed by the attribute. */
function scimValueOf(key: string, scimType: AttributeType | undefined): unknown {
  if (scimType === 'boolean')
    return key.toLowerCase() === 'true' ? true : key.toLowerCase() === 'false' ? false : key;
  if (scimType === 'integer' || scimType === 'decimal') {
    const number = Number(key);
    return Number.isNaN(number) ? key : number;
  }
  return key;
}

/**
 * `{ map: { "true": "A", "false": "I" }, default? }`: SCIM value ↔ backend
 * code. Writing a SCIM value the map does not list is a client error (400
 * invalidValue); reading an unlisted backend code gives `default`, or leaves
 * the attribute out.
 */
export function createValueMapTransform(
  map: Readonly<Record<string, BackendValue>>,
  options: { readonly default?: unknown; readonly scimType?: AttributeType } = {},
): ValueTransform {
  const entries = Object.entries(map);
  return {
    name: 'map',
    toBackend(scimValue) {
      if (scimValue === undefined || scimValue === null) return scimValue;
      const text = String(scimValue).toLowerCase();
      const entry = entries.find(([key]) => key.toLowerCase() === text);
      if (entry === undefined) {
        const allowed = entries.map(([key]) => key).join(', ');
        throw scimErrors.invalidValue(`value ${JSON.stringify(scimValue)} is not one of ${allowed}`);
      }
      return entry[1];
    },
    fromBackend(backendValue) {
      if (backendValue === undefined || backendValue === null) return undefined;
      const text = String(backendValue);
      const entry = entries.find(([, value]) => String(value) === text);
      if (entry === undefined) return options.default;
      return scimValueOf(entry[0], options.scimType);
    },
  };
}
