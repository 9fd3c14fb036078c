import { SCHEMA_URN } from '../../scim/schema/core-schemas.js';
import type { AttributeDefinition, SchemaDefinition } from '../../scim/schema/model.js';

/** RFC 7643 §7 attribute definition in wire shape. */
function attributeRepresentation(attribute: AttributeDefinition): Record<string, unknown> {
  return {
    name: attribute.name,
    type: attribute.type,
    multiValued: attribute.multiValued,
    description: attribute.description,
    required: attribute.required,
    caseExact: attribute.caseExact,
    mutability: attribute.mutability,
    returned: attribute.returned,
    uniqueness: attribute.uniqueness,
    ...(attribute.canonicalValues === undefined ? {} : { canonicalValues: [...attribute.canonicalValues] }),
    ...(attribute.referenceTypes === undefined ? {} : { referenceTypes: [...attribute.referenceTypes] }),
    ...(attribute.subAttributes === undefined
      ? {}
      : { subAttributes: attribute.subAttributes.map(attributeRepresentation) }),
  };
}

/** RFC 7643 §7 schema resource (as in §8.7.1), located under `/Schemas/{urn}`. */
export function schemaRepresentation(definition: SchemaDefinition, baseUrl: string): Record<string, unknown> {
  return {
    schemas: [SCHEMA_URN.schema],
    id: definition.id,
    name: definition.name,
    description: definition.description,
    attributes: definition.attributes.map(attributeRepresentation),
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${definition.id}` },
  };
}
