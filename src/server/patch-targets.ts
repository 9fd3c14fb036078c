import { isScimError, scimErrors } from '../scim/errors.js';
import { validateValueFilter } from '../scim/filter/validate-filter.js';
import type { PatchOperation } from '../scim/patch/operation.js';
import type { PatchPath } from '../scim/path/ast.js';
import type { ResourceSchema } from '../scim/schema/model.js';
import { wholeExtensionUrn } from '../scim/schema/resource-schema.js';

function describe(path: PatchPath): string {
  const name = path.subAttribute === undefined ? path.attribute : `${path.attribute}.${path.subAttribute}`;
  return path.schema === undefined ? name : `${path.schema}:${name}`;
}

/**
 * Checks every PATCH path against the schema before a store sees the
 * operations (RFC 7644 §3.5.2): unknown attribute or a bad value filter →
 * 400 invalidPath; a path naming a readOnly attribute (`id`, `meta.created`,
 * `groups`) → 400 mutability. Path-less operations are left to the store,
 * which ignores readOnly keys there as POST/PUT do.
 */
export function checkPatchTargets(schema: ResourceSchema, operations: readonly PatchOperation[]): void {
  for (const operation of operations) {
    const path = operation.path;
    if (path === undefined) continue;
    if (path.valueFilter === undefined && wholeExtensionUrn(schema, path) !== undefined) continue;
    const resolved = schema.resolve({
      ...(path.schema === undefined ? {} : { schema: path.schema }),
      attribute: path.attribute,
      ...(path.subAttribute === undefined ? {} : { subAttribute: path.subAttribute }),
    });
    if (resolved === undefined) throw scimErrors.invalidPath(`Unknown attribute in path '${describe(path)}'`);
    if (path.valueFilter !== undefined) {
      if (!resolved.attribute.multiValued) {
        throw scimErrors.invalidPath(
          `A value filter needs a multi-valued attribute; '${resolved.attribute.name}' is not`,
        );
      }
      try {
        validateValueFilter({ ...resolved, subAttribute: undefined }, path.valueFilter);
      } catch (error) {
        if (isScimError(error))
          throw scimErrors.invalidPath(`Invalid value filter in path: ${error.message}`);
        throw error;
      }
    }
    if (resolved.attribute.mutability === 'readOnly' || resolved.subAttribute?.mutability === 'readOnly') {
      throw scimErrors.mutability(`Attribute '${describe(path)}' is readOnly and cannot be modified`);
    }
  }
}
