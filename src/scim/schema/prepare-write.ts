import { scimErrors } from '../errors.js';
import { coerceAttributeValue, coerceSingleValue, isPlainObject, isPresentValue } from './coerce-value.js';
import type { ResolvedAttribute, ResourceSchema, ScimResource } from './model.js';
import { splitAttributeName } from './resource-schema.js';

/**
 * Turns a POST/PUT body into the canonical wire shape a store writes
 * (RFC 7644 §3.3, §3.5.1), as a tolerant reader:
 * - canonical attribute names whatever case the client used;
 * - extension attributes under their URN key, accepted both nested
 *   (`{"urn:…:User": {"department": …}}`) and flat (`"urn:…:User:department"`);
 * - readOnly attributes (id, meta, groups, manager.displayName) silently
 *   dropped (RFC 7643 §2.2), unknown attributes and schema URNs ignored;
 * - values coerced ("False" → false, `manager: "id"` → `{value: "id"}`);
 * - required attributes and value types enforced → 400 invalidValue.
 *
 * `mode` is informational: a PUT body is a full replacement, so both modes
 * require the same attributes. Immutability against the stored resource is
 * checked by the store, which holds the current values.
 */
export function prepareResourceForWrite(
  schema: ResourceSchema,
  body: unknown,
  mode: 'create' | 'replace',
): ScimResource {
  if (!isPlainObject(body)) {
    throw scimErrors.invalidSyntax(`The ${mode === 'create' ? 'POST' : 'PUT'} body must be a JSON object`);
  }

  const core: Record<string, unknown> = {};
  const extensionValues = new Map<string, Record<string, unknown>>();

  const containerFor = (resolved: ResolvedAttribute): Record<string, unknown> => {
    if (!resolved.isExtension) return core;
    let container = extensionValues.get(resolved.schema);
    if (container === undefined) {
      container = {};
      extensionValues.set(resolved.schema, container);
    }
    return container;
  };

  const assign = (resolved: ResolvedAttribute, value: unknown): void => {
    const { attribute, subAttribute } = resolved;
    if (attribute.mutability === 'readOnly') return;
    const container = containerFor(resolved);
    if (subAttribute === undefined) {
      const coerced = coerceAttributeValue(attribute, value, attribute.name);
      if (!isPresentValue(coerced)) return;
      const existing = container[attribute.name];
      // `name.givenName` and `name: {…}` may both arrive; merge them.
      container[attribute.name] =
        !attribute.multiValued && isPlainObject(existing) && isPlainObject(coerced)
          ? { ...existing, ...coerced }
          : coerced;
      return;
    }
    // A dotted key (`name.givenName`) only makes sense for a single-valued complex attribute.
    if (attribute.multiValued || subAttribute.mutability === 'readOnly') return;
    const coerced = coerceSingleValue(subAttribute, value, `${attribute.name}.${subAttribute.name}`);
    if (!isPresentValue(coerced)) return;
    const existing = container[attribute.name];
    container[attribute.name] = {
      ...(isPlainObject(existing) ? existing : {}),
      [subAttribute.name]: coerced,
    };
  };

  for (const [key, value] of Object.entries(body)) {
    if (key.toLowerCase() === 'schemas') continue;
    const extension = schema.extensions.find((ext) => ext.id.toLowerCase() === key.toLowerCase());
    if (extension !== undefined) {
      if (value === null || value === undefined) continue;
      if (!isPlainObject(value)) throw scimErrors.invalidValue(`'${extension.id}' must be a JSON object`);
      for (const [innerKey, innerValue] of Object.entries(value)) {
        const split = splitAttributeName([], innerKey);
        const resolved = split === undefined ? undefined : schema.resolve({ ...split, schema: extension.id });
        if (resolved !== undefined) assign(resolved, innerValue);
      }
      continue;
    }
    const split = splitAttributeName(schema.schemaUrns, key);
    const resolved = split === undefined ? undefined : schema.resolve(split);
    if (resolved !== undefined) assign(resolved, value);
  }

  for (const attribute of schema.coreSchema.attributes) {
    if (attribute.required && attribute.mutability !== 'readOnly' && core[attribute.name] === undefined) {
      throw scimErrors.invalidValue(`Attribute '${attribute.name}' is required`);
    }
  }
  for (const extension of schema.extensions) {
    const values = extensionValues.get(extension.id);
    const required = schema.resourceType.schemaExtensions.find(
      (ref) => ref.schema === extension.id,
    )?.required;
    if (values === undefined) {
      if (required === true) throw scimErrors.invalidValue(`Schema extension '${extension.id}' is required`);
      continue;
    }
    for (const attribute of extension.attributes) {
      if (attribute.required && attribute.mutability !== 'readOnly' && values[attribute.name] === undefined) {
        throw scimErrors.invalidValue(`Attribute '${extension.id}:${attribute.name}' is required`);
      }
    }
  }

  const resource: ScimResource = {
    schemas: [
      schema.coreSchema.id,
      ...schema.extensions.filter((ext) => extensionValues.has(ext.id)).map((ext) => ext.id),
    ],
    ...core,
  };
  for (const [urn, values] of extensionValues) resource[urn] = values;
  return resource;
}
