import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type JsonSchemaNode, mappingJsonSchema } from './mapping-json-schema.js';

/**
 * Renders docs/mapping-reference.md from the JSON Schema, so the reference
 * cannot say anything the validator does not enforce. A test compares the
 * committed file with this output.
 */
export const REFERENCE_DOC_PATH = fileURLToPath(new URL('../../docs/mapping-reference.md', import.meta.url));

const DEFINITION_PREFIX = '#/definitions/';

function definitionName(ref: string): string {
  return ref.startsWith(DEFINITION_PREFIX) ? ref.slice(DEFINITION_PREFIX.length) : ref;
}

function anchor(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .replace(/ /g, '-');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function hasProperties(node: JsonSchemaNode): boolean {
  return node.properties !== undefined && Object.keys(node.properties).length > 0;
}

const TYPE_NAMES: Readonly<Record<string, string>> = { object: 'map', array: 'list', integer: 'integer' };

function describeType(node: JsonSchemaNode, nestedHeading: string | undefined): string {
  if (node.$ref !== undefined) {
    const name = definitionName(node.$ref);
    return name === 'name' ? 'string' : `[${name}](#${anchor(name)})`;
  }
  if (node.const !== undefined) return `\`${JSON.stringify(node.const)}\``;
  if (node.enum !== undefined) return node.enum.map((value) => `\`${String(value)}\``).join(' \\| ');
  const types = node.type === undefined ? [] : Array.isArray(node.type) ? node.type : [node.type];
  const parts = types.map((type) => {
    if (type === 'object' && nestedHeading !== undefined) return `[map](#${anchor(nestedHeading)})`;
    if (type === 'object' && typeof node.additionalProperties === 'object') {
      return `map of ${describeType(node.additionalProperties, undefined)}`;
    }
    if (type === 'array' && node.items !== undefined) return `list of ${describeType(node.items, undefined)}`;
    return TYPE_NAMES[type] ?? type;
  });
  return parts.length === 0 ? 'any' : parts.join(' or ');
}

function describeDefault(node: JsonSchemaNode): string {
  return node.default === undefined ? '' : `\`${JSON.stringify(node.default)}\``;
}

function descriptionOf(node: JsonSchemaNode, definitions: Readonly<Record<string, JsonSchemaNode>>): string {
  if (node.description !== undefined) return node.description;
  if (node.$ref !== undefined) return definitions[definitionName(node.$ref)]?.description ?? '';
  return '';
}

/** One section: a table of the object's properties, then sections for its inline nested objects. */
function renderObject(
  heading: string,
  level: number,
  node: JsonSchemaNode,
  definitions: Readonly<Record<string, JsonSchemaNode>>,
  out: string[],
): void {
  out.push(`${'#'.repeat(level)} ${heading}`, '');
  if (node.description !== undefined) out.push(node.description, '');
  const properties = Object.entries(node.properties ?? {});
  if (properties.length === 0) return;
  const required = new Set(node.required ?? []);
  const nested: [string, JsonSchemaNode][] = [];
  out.push('| Property | Type | Required | Default | Description |', '| --- | --- | --- | --- | --- |');
  for (const [name, property] of properties) {
    const nestedHeading = hasProperties(property)
      ? level === 2 && heading === 'Top level'
        ? name
        : `${heading}.${name}`
      : undefined;
    if (nestedHeading !== undefined) nested.push([nestedHeading, property]);
    out.push(
      `| \`${name}\` | ${describeType(property, nestedHeading)} | ${required.has(name) ? 'yes' : ''} | ${describeDefault(property)} | ${cell(descriptionOf(property, definitions))} |`,
    );
  }
  out.push('');
  for (const [nestedHeading, property] of nested)
    renderObject(nestedHeading, level + 1, property, definitions, out);
}

export function generateMappingReference(schema: JsonSchemaNode = mappingJsonSchema()): string {
  const definitions = schema.definitions ?? {};
  const out: string[] = [
    '# Mapping file reference (v1)',
    '',
    '<!-- Generated from schema/crosswalk-mapping.schema.json by `npx tsx src/mapping/generate-reference.ts`; do not edit by hand. -->',
    '',
    'The guide with examples is [mapping-format.md](mapping-format.md); this page lists every property the JSON Schema accepts.',
    '',
  ];
  renderObject('Top level', 2, { ...schema, title: undefined }, definitions, out);
  for (const [name, definition] of Object.entries(definitions)) {
    if (name === 'name') continue;
    if (hasProperties(definition)) {
      renderObject(name, 2, definition, definitions, out);
    } else {
      out.push(
        `## ${name}`,
        '',
        definition.description ?? '',
        '',
        `Type: ${describeType(definition, undefined)}`,
        '',
      );
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(REFERENCE_DOC_PATH, generateMappingReference());
  console.log(`wrote ${REFERENCE_DOC_PATH}`);
}
