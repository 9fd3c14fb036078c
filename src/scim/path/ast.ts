import type { Filter } from '../filter/ast.js';

/**
 * A PATCH path (RFC 7644 §3.5.2 PATH = attrPath / valuePath [subAttr]):
 * `name.givenName`, `members[value eq "2819c223"]`, `emails[type eq "work"].value`,
 * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager`.
 * Names are as the client wrote them; the schema resolves case.
 */
export interface PatchPath {
  readonly schema?: string;
  readonly attribute: string;
  /** Value filter on a multi-valued attribute; its paths are relative to `attribute`. */
  readonly valueFilter?: Filter;
  /** `name.givenName` → 'givenName'; `emails[...].value` → 'value'. */
  readonly subAttribute?: string;
}
