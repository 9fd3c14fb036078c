import type { CompiledMapping, CompiledResourceType } from '../mapping/compiled-mapping.js';
import { isPlainObject } from '../scim/schema/coerce-value.js';
import { findKey } from '../scim/schema/find-attribute.js';
import type { ScimResource } from '../scim/schema/model.js';

/** One reference attribute of a resource type and the endpoints its values may point to. */
interface ReferenceSlot {
  readonly schema: string;
  readonly attribute: string;
  readonly isCore: boolean;
  /** Endpoint by lower-case target type name (`user` → `/Users`; undefined: not served here). */
  readonly endpoints: ReadonlyMap<string, string | undefined>;
  /** The endpoint for values without a `type`: the only target's, if there is one. */
  readonly soleEndpoint: string | undefined;
}

/** Worked out once per resource type of a mapping generation, not per response. */
const slotsByType = new WeakMap<CompiledResourceType, readonly ReferenceSlot[]>();

function referenceSlots(
  mapping: CompiledMapping,
  resourceType: CompiledResourceType,
): readonly ReferenceSlot[] {
  const known = slotsByType.get(resourceType);
  if (known !== undefined) return known;
  const endpointOf = (name: string): string | undefined =>
    mapping.resourceTypes.find((type) => type.name.toLowerCase() === name.toLowerCase())?.schema.resourceType
      .endpoint;
  const slots: ReferenceSlot[] = [];
  const seen = new Set<string>();
  for (const mapped of resourceType.attributes) {
    const targets = mapped.ref;
    if (targets === undefined || targets.length === 0) continue;
    const { schema, attribute } = mapped.scim;
    const key = `${schema}|${attribute}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const endpoints = new Map<string, string | undefined>();
    for (const target of targets) {
      if (!endpoints.has(target.toLowerCase())) endpoints.set(target.toLowerCase(), endpointOf(target));
    }
    slots.push({
      schema,
      attribute,
      isCore: schema === resourceType.schema.coreSchema.id,
      endpoints,
      soleEndpoint: targets.length === 1 ? endpoints.get(targets[0]?.toLowerCase() ?? '') : undefined,
    });
  }
  slotsByType.set(resourceType, slots);
  return slots;
}

function withRef(slot: ReferenceSlot, baseUrl: string, item: unknown): unknown {
  if (!isPlainObject(item) || typeof item.value !== 'string' || item.$ref !== undefined) return item;
  const named = typeof item.type === 'string' ? item.type.toLowerCase() : undefined;
  const endpoint =
    named !== undefined && slot.endpoints.has(named) ? slot.endpoints.get(named) : slot.soleEndpoint;
  if (endpoint === undefined) return item;
  return { ...item, $ref: `${baseUrl}${endpoint}/${encodeURIComponent(item.value)}` };
}

/**
 * Fills `$ref` on reference values (group `members`, a user's `groups`, the
 * enterprise `manager`) from the mapping's `ref` targets: the value's `type`
 * when it names one of them (`User`/`Group` on members), else the only
 * target. A member of a multi-target list without a type gets no `$ref`
 * rather than a guessed one.
 *
 * `result` is a fresh object the caller owns (present() builds one for
 * `meta`): its top-level keys are replaced in place; nested values are
 * never changed, only replaced by copies.
 */
export function fillReferences(
  mapping: CompiledMapping,
  resourceType: CompiledResourceType,
  result: ScimResource,
  baseUrl: string,
): void {
  for (const slot of referenceSlots(mapping, resourceType)) {
    const containerKey = slot.isCore ? undefined : findKey(result, slot.schema);
    const container = slot.isCore ? result : containerKey === undefined ? undefined : result[containerKey];
    if (!isPlainObject(container)) continue;
    const valueKey = findKey(container, slot.attribute);
    if (valueKey === undefined) continue;

    const current = container[valueKey];
    const updated = Array.isArray(current)
      ? current.map((item) => withRef(slot, baseUrl, item))
      : withRef(slot, baseUrl, current);
    if (slot.isCore) result[valueKey] = updated;
    else if (containerKey !== undefined) result[containerKey] = { ...container, [valueKey]: updated };
  }
}
