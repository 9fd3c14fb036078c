import type { PatchPath } from '../path/ast.js';

export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export type PatchOpKind = 'add' | 'remove' | 'replace';

/**
 * One PATCH operation after the tolerant reader: `op` lower-cased, `path`
 * parsed. `value` is the raw JSON value; schema-aware coercion (Entra's
 * "False", `manager` as a bare string) happens when it is applied.
 */
export interface PatchOperation {
  readonly op: PatchOpKind;
  readonly path?: PatchPath;
  readonly value?: unknown;
}
