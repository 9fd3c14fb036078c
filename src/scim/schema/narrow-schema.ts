import type { AttributeDefinition, SchemaDefinition } from './model.js';

export interface MappedAttribute {
  readonly attribute: string;
  readonly subAttribute?: string;
  readonly readOnly?: boolean;
}

function asReadOnly(definition: AttributeDefinition): AttributeDefinition {
  return {
    ...definition,
    mutability: 'readOnly',
    ...(definition.subAttributes === undefined
      ? {}
      : {
          subAttributes: definition.subAttributes.map((sub) => ({ ...sub, mutability: 'readOnly' as const })),
        }),
  };
}

/**
 * Keeps only what a deployment maps, so /Schemas and validation tell the
 * truth: an attribute mapped as a whole keeps all its sub-attributes; one
 * mapped only through sub-attributes keeps just those. A mapping marked
 * readOnly (computed columns, operational attributes) makes the attribute
 * readOnly. Names match case-insensitively; the definition's spelling wins.
 */
export function narrowSchema(def: SchemaDefinition, mapped: readonly MappedAttribute[]): SchemaDefinition {
  const attributes: AttributeDefinition[] = [];
  for (const attribute of def.attributes) {
    const entries = mapped.filter((entry) => entry.attribute.toLowerCase() === attribute.name.toLowerCase());
    if (entries.length === 0) continue;

    const whole = entries.filter((entry) => entry.subAttribute === undefined);
    if (whole.length > 0) {
      attributes.push(whole.some((entry) => entry.readOnly === true) ? asReadOnly(attribute) : attribute);
      continue;
    }

    const subAttributes: AttributeDefinition[] = [];
    for (const sub of attribute.subAttributes ?? []) {
      const subEntries = entries.filter(
        (entry) => entry.subAttribute?.toLowerCase() === sub.name.toLowerCase(),
      );
      if (subEntries.length === 0) continue;
      subAttributes.push(
        subEntries.some((entry) => entry.readOnly === true) ? { ...sub, mutability: 'readOnly' } : sub,
      );
    }
    if (subAttributes.length === 0) continue;
    const allReadOnly = subAttributes.every((sub) => sub.mutability === 'readOnly');
    attributes.push({
      ...attribute,
      ...(allReadOnly ? { mutability: 'readOnly' as const } : {}),
      subAttributes,
    });
  }
  return { ...def, attributes };
}
