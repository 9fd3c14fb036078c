/**
 * The SCIM schema model (RFC 7643 §2, §7). Core schemas are declared as data
 * in core-schemas.ts; the mapping compiler narrows them to what a mapping file
 * actually maps, so /Schemas and validation tell the truth about a deployment.
 */
export type AttributeType =
  | 'string'
  | 'boolean'
  | 'decimal'
  | 'integer'
  | 'dateTime'
  | 'reference'
  | 'complex'
  | 'binary';
export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
export type Returned = 'always' | 'never' | 'default' | 'request';
export type Uniqueness = 'none' | 'server' | 'global';

export interface AttributeDefinition {
  readonly name: string;
  readonly type: AttributeType;
  readonly multiValued: boolean;
  readonly description: string;
  readonly required: boolean;
  readonly caseExact: boolean;
  readonly mutability: Mutability;
  readonly returned: Returned;
  readonly uniqueness: Uniqueness;
  readonly canonicalValues?: readonly string[];
  readonly referenceTypes?: readonly string[];
  readonly subAttributes?: readonly AttributeDefinition[];
}

export interface SchemaDefinition {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly attributes: readonly AttributeDefinition[];
}

export interface SchemaExtensionRef {
  readonly schema: string;
  readonly required: boolean;
}

export interface ResourceTypeDefinition {
  /** `User`, `Group`, … — also the key in the mapping file. */
  readonly name: string;
  /** `/Users` */
  readonly endpoint: string;
  readonly description: string;
  /** Core schema URN. */
  readonly schema: string;
  readonly schemaExtensions: readonly SchemaExtensionRef[];
}

/**
 * An attribute resolved against a resource type's schemas: canonical names
 * whatever case or qualification the client used.
 */
export interface ResolvedAttribute {
  /** URN of the schema that defines the top-level attribute. */
  readonly schema: string;
  /** True when `schema` is an extension (its values live under the URN key of the resource). */
  readonly isExtension: boolean;
  readonly attribute: AttributeDefinition;
  /** Present when a sub-attribute was named. */
  readonly subAttribute?: AttributeDefinition;
}

/**
 * Everything the protocol core needs to know about one resource type:
 * its definition and the (mapping-narrowed) schemas. Implemented in
 * resource-schema.ts.
 */
export interface ResourceSchema {
  readonly resourceType: ResourceTypeDefinition;
  readonly coreSchema: SchemaDefinition;
  readonly extensions: readonly SchemaDefinition[];
  /**
   * Resolve `[urn:]attr[.sub]` case-insensitively. Returns undefined when the
   * attribute is not part of the schemas. `id`, `externalId` and `meta` (with
   * its sub-attributes) are always resolvable (RFC 7643 §3.1 common attributes).
   */
  resolve(path: { schema?: string; attribute: string; subAttribute?: string }): ResolvedAttribute | undefined;
  /** All schema URNs a resource of this type may carry in `schemas`. */
  readonly schemaUrns: readonly string[];
}

/** A SCIM resource in wire shape: core attributes at top level, extension attributes under their URN. */
export type ScimResource = Record<string, unknown>;
