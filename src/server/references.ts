import type { CompiledMapping, CompiledResourceType } from '../mapping/compiled-mapping.js';
import { isPlainObject } from '../scim/schema/coerce-value.js';
import { findKey } from '../scim/schema/find-attribute.js';
import type { ScimResource } from '../scim/schema/model.js';

/**
 * Fills `$ref` on reference values (group `members`, a user's `groups`, the
 * enterprise `manager`) from the mapping's `ref` targets: the value's `type`
 * when it names one of them (`User`/`Group` on members), else the only
 * target. A member of a multi-target list without a type gets no `$ref`
 * rather than a guessed one.
 */
export function fillReferences(
  mapping: CompiledMapping,
  resourceType: CompiledResourceType,
  resource: ScimResource,
  baseUrl: string,
): ScimResource {
  const endpointOf = (name: string): string | undefined =>
    mapping.resourceTypes.find((type) => type.name.toLowerCase() === name.toLowerCase())?.schema.resourceType
      .endpoint;

  const result: ScimResource = { ...resource };
  const seen = new Set<string>();
  for (const mapped of resourceType.attributes) {
    const targets = mapped.ref;
    if (targets === undefined || targets.length === 0) continue;
    const { schema, attribute } = mapped.scim;
    const key = `${schema}|${attribute}`;
    if (seen.has(key)) continue;
    seen.add(key);

    const isCore = schema === resourceType.schema.coreSchema.id;
    const containerKey = isCore ? undefined : findKey(result, schema);
    const container = isCore ? result : containerKey === undefined ? undefined : result[containerKey];
    if (!isPlainObject(container)) continue;
    const valueKey = findKey(container, attribute);
    if (valueKey === undefined) continue;

    const withRef = (item: unknown): unknown => {
      if (!isPlainObject(item) || typeof item.value !== 'string' || item.$ref !== undefined) return item;
      const named =
        typeof item.type === 'string'
          ? targets.find((t) => t.toLowerCase() === String(item.type).toLowerCase())
          : undefined;
      const target = named ?? (targets.length === 1 ? targets[0] : undefined);
      const endpoint = target === undefined ? undefined : endpointOf(target);
      if (endpoint === undefined) return item;
      return { ...item, $ref: `${baseUrl}${endpoint}/${encodeURIComponent(item.value)}` };
    };
    const current = container[valueKey];
    const updated = Array.isArray(current) ? current.map(withRef) : withRef(current);
    const copy = { ...container, [valueKey]: updated };
    if (isCore) Object.assign(result, copy);
    else if (containerKey !== undefined) result[containerKey] = copy;
  }
  return result;
}
