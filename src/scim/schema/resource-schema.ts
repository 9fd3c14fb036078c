import { COMMON_ATTRIBUTES } from './core-schemas.js';
import { findAttribute } from './find-attribute.js';
import type { ResolvedAttribute, ResourceSchema, ResourceTypeDefinition, SchemaDefinition } from './model.js';

/**
 * Splits `urn:…:User:name.givenName`, `name.givenName` or `userName` written
 * as one string, knowing the URNs the resource type accepts (URNs contain
 * colons and dots, so the split must be by known prefix, not by syntax).
 */
export function splitAttributeName(
  schemaUrns: readonly string[],
  text: string,
): { schema?: string; attribute: string; subAttribute?: string } | undefined {
  let schema: string | undefined;
  let rest = text;
  if (text.toLowerCase().startsWith('urn:')) {
    const lower = text.toLowerCase();
    const urn = [...schemaUrns]
      .sort((a, b) => b.length - a.length)
      .find((candidate) => lower.startsWith(`${candidate.toLowerCase()}:`));
    if (urn === undefined) return undefined;
    schema = urn;
    rest = text.slice(urn.length + 1);
  }
  const dot = rest.indexOf('.');
  const attribute = dot < 0 ? rest : rest.slice(0, dot);
  const subAttribute = dot < 0 ? undefined : rest.slice(dot + 1);
  if (attribute === '' || subAttribute === '') return undefined;
  return {
    ...(schema === undefined ? {} : { schema }),
    attribute,
    ...(subAttribute === undefined ? {} : { subAttribute }),
  };
}

/**
 * The extension URN a path names as a whole (`urn:…:enterprise:2.0:User`),
 * however a parser split it (`{attribute: urn}` or `{schema: 'urn:…:2.0', attribute: 'User'}`).
 */
export function wholeExtensionUrn(
  schema: ResourceSchema,
  path: { schema?: string; attribute: string; subAttribute?: string },
): string | undefined {
  if (path.subAttribute !== undefined) return undefined;
  const candidates = [
    path.attribute,
    path.schema === undefined ? undefined : `${path.schema}:${path.attribute}`,
  ];
  for (const candidate of candidates) {
    if (candidate === undefined) continue;
    const found = schema.extensions.find((ext) => ext.id.toLowerCase() === candidate.toLowerCase());
    if (found !== undefined) return found.id;
  }
  return undefined;
}

export function createResourceSchema(
  resourceType: ResourceTypeDefinition,
  core: SchemaDefinition,
  extensions: readonly SchemaDefinition[],
): ResourceSchema {
  const schemaUrns = [core.id, ...extensions.map((ext) => ext.id)];

  function resolveIn(
    definition: SchemaDefinition,
    isExtension: boolean,
    attributeName: string,
    subAttributeName: string | undefined,
  ): ResolvedAttribute | undefined {
    const attribute =
      findAttribute(definition.attributes, attributeName) ??
      (isExtension ? undefined : findAttribute(COMMON_ATTRIBUTES, attributeName));
    if (attribute === undefined) return undefined;
    if (subAttributeName === undefined) return { schema: definition.id, isExtension, attribute };
    const subAttribute = findAttribute(attribute.subAttributes, subAttributeName);
    if (subAttribute === undefined) return undefined;
    return { schema: definition.id, isExtension, attribute, subAttribute };
  }

  // Every request resolves the same few names many times (projection, filters, codecs): remember them,
  // by schema, attribute and sub-attribute in nested maps — no key string built per lookup.
  // Bounded, since names come from clients; past the bound lookups are simply not remembered.
  const resolved = new Map<string, Map<string, Map<string, ResolvedAttribute | null>>>();
  let remembered = 0;
  const RESOLVED_CACHE_SIZE = 4096;
  const NONE = '\u0000';

  function resolve(path: {
    schema?: string;
    attribute: string;
    subAttribute?: string;
  }): ResolvedAttribute | undefined {
    const bySchema = resolved.get(path.schema ?? NONE);
    const cached = bySchema?.get(path.attribute)?.get(path.subAttribute ?? NONE);
    if (cached !== undefined) return cached ?? undefined;
    const found = resolveUncached(path);
    if (remembered < RESOLVED_CACHE_SIZE) remember(path, found ?? null);
    return found;
  }

  function remember(
    path: { schema?: string; attribute: string; subAttribute?: string },
    found: ResolvedAttribute | null,
  ): void {
    let bySchema = resolved.get(path.schema ?? NONE);
    if (bySchema === undefined) {
      bySchema = new Map();
      resolved.set(path.schema ?? NONE, bySchema);
    }
    let byAttribute = bySchema.get(path.attribute);
    if (byAttribute === undefined) {
      byAttribute = new Map();
      bySchema.set(path.attribute, byAttribute);
    }
    byAttribute.set(path.subAttribute ?? NONE, found);
    remembered += 1;
  }

  function resolveUncached(path: {
    schema?: string;
    attribute: string;
    subAttribute?: string;
  }): ResolvedAttribute | undefined {
    let { schema, attribute, subAttribute } = path;
    // Tolerate a path handed over as one string (`urn:…:manager`, `name.givenName`).
    if (schema === undefined && subAttribute === undefined) {
      const split = splitAttributeName(schemaUrns, attribute);
      if (split === undefined) return undefined;
      ({ schema, attribute, subAttribute } = split);
    }
    if (schema !== undefined) {
      const lower = schema.toLowerCase();
      if (lower === core.id.toLowerCase()) return resolveIn(core, false, attribute, subAttribute);
      const extension = extensions.find((ext) => ext.id.toLowerCase() === lower);
      return extension === undefined ? undefined : resolveIn(extension, true, attribute, subAttribute);
    }
    const inCore = resolveIn(core, false, attribute, subAttribute);
    if (inCore !== undefined) return inCore;
    for (const extension of extensions) {
      const inExtension = resolveIn(extension, true, attribute, subAttribute);
      if (inExtension !== undefined) return inExtension;
    }
    return undefined;
  }

  return { resourceType, coreSchema: core, extensions, resolve, schemaUrns };
}
