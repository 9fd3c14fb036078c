/**
 * Typed AST of a SCIM filter (RFC 7644 §3.4.2.2). Produced by parseFilter(),
 * consumed by the backend translators and the in-memory evaluator. Backends
 * never see the filter text.
 */

/** `[schemaURN:]attribute[.subAttribute]`, names as the client wrote them (case is resolved by the schema). */
export interface AttributePath {
  /** Schema URN prefix, e.g. `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`; absent when unqualified. */
  readonly schema?: string;
  readonly attribute: string;
  readonly subAttribute?: string;
}

export type CompareOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

/** A comparison value: JSON string, number, true/false or null. Dates arrive as strings. */
export type FilterValue = string | number | boolean | null;

export interface CompareFilter {
  readonly kind: 'compare';
  readonly path: AttributePath;
  readonly op: CompareOperator;
  readonly value: FilterValue;
}

export interface PresentFilter {
  readonly kind: 'present';
  readonly path: AttributePath;
}

export interface AndFilter {
  readonly kind: 'and';
  readonly left: Filter;
  readonly right: Filter;
}

export interface OrFilter {
  readonly kind: 'or';
  readonly left: Filter;
  readonly right: Filter;
}

export interface NotFilter {
  readonly kind: 'not';
  readonly filter: Filter;
}

/**
 * `emails[type eq "work" and value co "@x"]`: true when ONE value of the
 * multi-valued attribute satisfies the inner filter. `path` has no
 * subAttribute; paths inside `filter` are relative to the attribute
 * (their `attribute` is the sub-attribute name, they carry no schema).
 *
 * Entra's non-standard `emails[type eq "work"].value eq "x"` is normalised by
 * the parser into `emails[type eq "work" and value eq "x"]`.
 */
export interface ValuePathFilter {
  readonly kind: 'valuePath';
  readonly path: AttributePath;
  readonly filter: Filter;
}

export type Filter = CompareFilter | PresentFilter | AndFilter | OrFilter | NotFilter | ValuePathFilter;
