import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateMappingReference, REFERENCE_DOC_PATH } from '../../src/mapping/generate-reference.js';
import { type JsonSchemaNode, mappingJsonSchema } from '../../src/mapping/mapping-json-schema.js';

/** Every property node of the schema, with its JSON path, to check it is documented. */
function properties(node: JsonSchemaNode, path: string): [string, JsonSchemaNode][] {
  const own = Object.entries(node.properties ?? {}).flatMap(([name, child]) => [
    [`${path}.${name}`, child] as [string, JsonSchemaNode],
    ...properties(child, `${path}.${name}`),
  ]);
  const definitions = Object.entries(node.definitions ?? {}).flatMap(([name, child]) =>
    properties(child, name),
  );
  return [...own, ...definitions];
}

describe('docs/mapping-reference.md', () => {
  it('equals the output of src/mapping/generate-reference.ts (run `npm run docs:reference` after changing the schema)', () => {
    expect(readFileSync(REFERENCE_DOC_PATH, 'utf8')).toBe(generateMappingReference());
  });

  it('has a description on every property of the JSON Schema', () => {
    const schema = mappingJsonSchema();
    const definitions = schema.definitions ?? {};
    const undocumented = properties(schema, '$')
      .filter(([, node]) => {
        const referenced =
          node.$ref === undefined ? undefined : definitions[node.$ref.replace('#/definitions/', '')];
        return node.description === undefined && referenced?.description === undefined;
      })
      .map(([path]) => path);
    expect(undocumented).toEqual([]);
  });
});
