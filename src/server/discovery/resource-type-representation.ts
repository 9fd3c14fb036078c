import type { CompiledResourceType } from '../../mapping/compiled-mapping.js';
import { SCHEMA_URN } from '../../scim/schema/core-schemas.js';
import { servedExtensions } from './served-schemas.js';

/** RFC 7643 §6 resource type (as in §8.6), located under `/ResourceTypes/{name}`. */
export function resourceTypeRepresentation(
  type: CompiledResourceType,
  baseUrl: string,
): Record<string, unknown> {
  const definition = type.schema.resourceType;
  return {
    schemas: [SCHEMA_URN.resourceType],
    id: definition.name,
    name: definition.name,
    endpoint: definition.endpoint,
    description: definition.description,
    schema: definition.schema,
    schemaExtensions: servedExtensions(type).map((ref) => ({ schema: ref.schema, required: ref.required })),
    meta: {
      resourceType: 'ResourceType',
      location: `${baseUrl}/ResourceTypes/${encodeURIComponent(definition.name)}`,
    },
  };
}
