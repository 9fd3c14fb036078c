import type { PatchOperation } from '../scim/patch/operation.js';
import { isPlainObject } from '../scim/schema/coerce-value.js';
import type { ResourceSchema } from '../scim/schema/model.js';
import { splitAttributeName } from '../scim/schema/resource-schema.js';

/** A multi-valued attribute of references (`members`): its values carry a `$ref`. */
function referenceListName(
  schema: ResourceSchema,
  path: { schema?: string; attribute: string; subAttribute?: string },
): string | undefined {
  const resolved = schema.resolve({
    ...(path.schema === undefined ? {} : { schema: path.schema }),
    attribute: path.attribute,
  });
  const attribute = resolved?.attribute;
  if (attribute === undefined || !attribute.multiValued) return undefined;
  const isReference = attribute.subAttributes?.some((sub) => sub.name === '$ref' && sub.type === 'reference');
  return isReference === true ? attribute.name : undefined;
}

/**
 * The reference lists a PATCH changes when it changes nothing else (Entra's
 * and Okta's group membership PATCH), or undefined. Such a PATCH is answered
 * 204 No Content (RFC 7644 §3.5.2 allows it when no `attributes` parameter
 * was sent), so the store never reads the list back: adding one member to a
 * group of 100,000 then reads none of the others.
 */
export function referenceListsOnly(
  schema: ResourceSchema,
  operations: readonly PatchOperation[],
): string[] | undefined {
  const names = new Set<string>();
  for (const operation of operations) {
    const paths =
      operation.path !== undefined
        ? [operation.path]
        : isPlainObject(operation.value)
          ? Object.keys(operation.value).map((key) => splitAttributeName(schema.schemaUrns, key))
          : [undefined];
    if (paths.length === 0) return undefined;
    for (const path of paths) {
      const name = path === undefined ? undefined : referenceListName(schema, path);
      if (name === undefined) return undefined;
      names.add(name);
    }
  }
  return names.size === 0 ? undefined : [...names];
}
