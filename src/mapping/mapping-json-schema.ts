import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Location of the published JSON Schema. The same path works from src/ (tsx,
 * vitest) and from dist/ (tsconfig.build.json has rootDir src), because both
 * sit two levels below the package root.
 */
export const MAPPING_JSON_SCHEMA_PATH = fileURLToPath(
  new URL('../../schema/crosswalk-mapping.schema.json', import.meta.url),
);

/** A JSON Schema node as far as Crosswalk reads it (validation is ajv's job). */
export interface JsonSchemaNode {
  readonly $ref?: string;
  readonly title?: string;
  readonly description?: string;
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly default?: unknown;
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchemaNode>>;
  readonly additionalProperties?: boolean | JsonSchemaNode;
  readonly items?: JsonSchemaNode;
  readonly minimum?: number;
  readonly definitions?: Readonly<Record<string, JsonSchemaNode>>;
  readonly allOf?: readonly JsonSchemaNode[];
  readonly if?: JsonSchemaNode;
  readonly then?: JsonSchemaNode;
}

let cached: JsonSchemaNode | undefined;

export function mappingJsonSchema(): JsonSchemaNode {
  cached ??= JSON.parse(readFileSync(MAPPING_JSON_SCHEMA_PATH, 'utf8')) as JsonSchemaNode;
  return cached;
}
