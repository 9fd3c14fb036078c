import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { compileBackend } from './compile-backend.js';
import { compileResource } from './compile-resource.js';
import type { CompiledMapping, CompiledResourceType } from './compiled-mapping.js';
import { deepFreeze } from './deep-freeze.js';
import { IssueCollector } from './issue-collector.js';
import { MappingError, type MappingIssue } from './mapping-error.js';
import type { RawMapping } from './raw-mapping.js';
import { resolveSecretsIn } from './secret-references.js';
import { validateAgainstSchema } from './validate-against-schema.js';
import { parseYamlSource } from './yaml-source.js';

export interface LoadMappingOptions {
  /**
   * Resolve `${env:…}` / `${file:…}` (default true). `crosswalk validate` in
   * CI may turn it off where the secrets do not exist; references then stay
   * as written in the result.
   */
  readonly resolveSecrets?: boolean;
}

/**
 * YAML → JSON Schema → secrets → semantic checks and compilation. Every
 * problem of a stage is reported at once, each at its line and column; a
 * file with any problem yields a MappingError, never a partial mapping.
 */
export function loadMappingText(
  text: string,
  fileName: string,
  env: NodeJS.ProcessEnv = process.env,
  options: LoadMappingOptions = {},
): CompiledMapping {
  const parsed = parseYamlSource(text, fileName);
  if (parsed.source === undefined) throw new MappingError(parsed.issues);
  const source = parsed.source;
  if (source.data === null || source.data === undefined) {
    throw new MappingError([{ file: fileName, line: 1, column: 1, message: 'the file is empty' }]);
  }

  const validated = validateAgainstSchema(source);
  if (validated.mapping === undefined) throw new MappingError(validated.issues);

  const baseDir = dirname(resolve(fileName));
  let secretIssues: MappingIssue[] = [];
  let mapping: RawMapping = validated.mapping;
  if (options.resolveSecrets !== false) {
    const resolved = resolveSecretsIn(validated.mapping, source, { env, baseDir });
    // Resolution replaces strings by strings only, so the shape JSON Schema checked still holds.
    mapping = resolved.data as RawMapping;
    secretIssues = resolved.issues;
  }

  const issues = new IssueCollector(source);
  const backend = compileBackend(mapping.backend, baseDir, issues);
  const definedResourceTypes = Object.keys(mapping.resources);
  const resourceTypes: CompiledResourceType[] = [];
  for (const [name, raw] of Object.entries(mapping.resources)) {
    const compiled = compileResource(name, raw, ['resources', name], {
      backend: mapping.backend.type,
      ...(mapping.backend.type === 'ldap' ? { directory: mapping.backend.directory ?? 'generic' } : {}),
      ...(mapping.backend.type === 'sql' ? { sqlDialect: mapping.backend.dialect } : {}),
      definedResourceTypes,
      issues,
    });
    if (compiled !== undefined) resourceTypes.push(compiled);
  }
  const all = [...issues.issues, ...secretIssues];
  if (all.length > 0) throw new MappingError(all);

  return deepFreeze({ source: resolve(fileName), backend, resourceTypes });
}

/** Reads and compiles a mapping file; `env` supplies `${env:…}` references. */
export async function loadMappingFile(
  path: string,
  env: NodeJS.ProcessEnv = process.env,
  options: LoadMappingOptions = {},
): Promise<CompiledMapping> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new MappingError([
      { file: path, line: 1, column: 1, message: `cannot read the mapping file (${code})` },
    ]);
  }
  return loadMappingText(text, path, env, options);
}
