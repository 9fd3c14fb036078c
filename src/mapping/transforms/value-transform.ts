/**
 * Converts a value between its SCIM form and its backend form. Built-ins and
 * value maps are compiled into this shape by the mapping compiler.
 */
export interface ValueTransform {
  /** Name for messages and `crosswalk explain` (`boolean01`, `map`, …). */
  readonly name: string;
  toBackend(scimValue: unknown): unknown;
  fromBackend(backendValue: unknown): unknown;
}
