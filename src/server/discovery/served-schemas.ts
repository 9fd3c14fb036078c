import type { CompiledMapping, CompiledResourceType } from '../../mapping/compiled-mapping.js';
import type { SchemaDefinition, SchemaExtensionRef } from '../../scim/schema/model.js';

/**
 * The schemas a deployment really serves: each resource type's core schema
 * and those extensions that still have attributes once narrowed to the
 * mapping. /Schemas and /ResourceTypes both read this, so they never disagree.
 */
export function servedExtensions(type: CompiledResourceType): readonly SchemaExtensionRef[] {
  const schema = type.schema;
  return schema.resourceType.schemaExtensions.filter((ref) =>
    schema.extensions.some(
      (ext) => ext.id.toLowerCase() === ref.schema.toLowerCase() && ext.attributes.length > 0,
    ),
  );
}

export function servedSchemas(mapping: CompiledMapping): readonly SchemaDefinition[] {
  const byId = new Map<string, SchemaDefinition>();
  for (const type of mapping.resourceTypes) {
    const schema = type.schema;
    const served = [
      schema.coreSchema,
      ...servedExtensions(type).flatMap((ref) =>
        schema.extensions.filter((ext) => ext.id.toLowerCase() === ref.schema.toLowerCase()),
      ),
    ];
    for (const definition of served) {
      const key = definition.id.toLowerCase();
      // Two resource types sharing one schema URN: the first mapping wins (the URN names one schema).
      if (!byId.has(key)) byId.set(key, definition);
    }
  }
  return [...byId.values()];
}
