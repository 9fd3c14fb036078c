import type { PatchOperation } from '../../scim/patch/operation.js';
import {
  parseReferenceValues,
  type ReferenceDelta,
  type ReferenceValue,
  splitReferencePatch,
} from '../../scim/patch/reference-delta.js';
import { entriesFor, type JoinTableAttribute, type SqlResourceLayout } from './sql-resource-layout.js';

export type MemberValue = ReferenceValue;

/** A PATCH operation on a join-table attribute, as a row-level delta. */
export type MemberDelta = ReferenceDelta<JoinTableAttribute>;

export const parseMemberValues = parseReferenceValues;

/**
 * Separates PATCH operations on join-table attributes (group `members`) —
 * applied as row INSERT/DELETE deltas without reading the other values —
 * from everything else, which goes through applyPatch() on the resource
 * read without its reference lists.
 */
export function splitPatch(
  layout: SqlResourceLayout,
  operations: readonly PatchOperation[],
): { deltas: MemberDelta[]; others: PatchOperation[] } {
  return splitReferencePatch<JoinTableAttribute>(
    {
      find: (path) => {
        const resolved = layout.schema.resolve(path);
        if (resolved === undefined) return undefined;
        return entriesFor(layout.joinTables, resolved.schema, resolved.attribute.name)[0];
      },
      label: (attribute) => attribute.scim.attribute,
    },
    operations,
  );
}
