import type { PatchOperation } from '../../scim/patch/operation.js';
import { type ReferenceDelta, splitReferencePatch } from '../../scim/patch/reference-delta.js';
import type { DnListAttribute, LdapLayout } from './ldap-resource-layout.js';

export { idsOfValueFilter } from '../../scim/patch/reference-delta.js';

/** A PATCH operation on a DN-list attribute (group members), as a value-level LDAP change. */
export type MemberDelta = ReferenceDelta<DnListAttribute>;

/**
 * Separates PATCH operations on DN-list attributes — applied as LDAP value
 * add/delete without reading the other members — from everything else,
 * which goes through applyPatch() on the entry read without its members.
 */
export function splitPatch(
  layout: LdapLayout,
  operations: readonly PatchOperation[],
): { deltas: MemberDelta[]; others: PatchOperation[] } {
  return splitReferencePatch<DnListAttribute>(
    {
      find: (path) => {
        const resolved = layout.schema.resolve(path);
        return resolved === undefined
          ? undefined
          : layout.referenceFor(resolved.schema, resolved.attribute.name);
      },
      label: (attribute) => attribute.scim.attribute,
      readOnly: (attribute) => attribute.readOnly,
    },
    operations,
  );
}
