import {
  ENTERPRISE_USER_SCHEMA,
  GROUP_RESOURCE_TYPE,
  GROUP_SCHEMA,
  USER_RESOURCE_TYPE,
  USER_SCHEMA,
} from '../scim/schema/core-schemas.js';
import type { ResourceTypeDefinition, SchemaDefinition } from '../scim/schema/model.js';

export interface KnownResourceType {
  readonly definition: ResourceTypeDefinition;
  readonly core: SchemaDefinition;
  /** Every extension the type may carry; the compiler keeps those the mapping uses. */
  readonly extensions: readonly SchemaDefinition[];
}

/** The resource types a mapping file may declare under `resources`, by name. */
export const KNOWN_RESOURCE_TYPES: ReadonlyMap<string, KnownResourceType> = new Map([
  ['User', { definition: USER_RESOURCE_TYPE, core: USER_SCHEMA, extensions: [ENTERPRISE_USER_SCHEMA] }],
  ['Group', { definition: GROUP_RESOURCE_TYPE, core: GROUP_SCHEMA, extensions: [] }],
]);

/** Attributes each resource type must map: without them a create cannot succeed. */
export const REQUIRED_MAPPED_ATTRIBUTES: ReadonlyMap<string, string> = new Map([
  ['User', 'userName'],
  ['Group', 'displayName'],
]);
