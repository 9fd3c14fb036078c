import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { MappingIssue } from './mapping-error.js';
import { describePath } from './validate-against-schema.js';
import type { DocumentPath, YamlSource } from './yaml-source.js';

/** Why a reference could not be resolved; the message never contains a secret value. */
class SecretReferenceError extends Error {}

export interface SecretContext {
  readonly env: NodeJS.ProcessEnv;
  /** Folder of the mapping file: relative `${file:…}` paths start there. */
  readonly baseDir: string;
}

const ENV_REFERENCE = /^([A-Za-z_][A-Za-z0-9_]*)(?::-([\s\S]*))?$/;

/** Index of the `}` closing the reference whose body starts at `start`, counting nested `${`. */
function closingBrace(text: string, start: number): number {
  let depth = 1;
  for (let index = start; index < text.length; index++) {
    if (text.startsWith('${', index)) {
      depth++;
      index++;
    } else if (text[index] === '}') {
      depth--;
      if (depth === 0) return index;
    }
  }
  return -1;
}

function readSecretFile(path: string, context: SecretContext): string {
  if (path === '') throw new SecretReferenceError(`\${file:…} names no file`);
  const absolute = isAbsolute(path) ? path : resolve(context.baseDir, path);
  let content: string;
  try {
    content = readFileSync(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new SecretReferenceError(`cannot read file "${path}" (${code})`);
  }
  // Secret files usually end with a newline that is not part of the secret.
  return content.replace(/\r?\n$/, '');
}

function resolveReference(body: string, context: SecretContext): string {
  if (body.startsWith('env:')) {
    const match = ENV_REFERENCE.exec(body.slice(4));
    if (match === null) throw new SecretReferenceError(`"\${${body}}" is not a valid environment reference`);
    const [, name = '', fallback] = match;
    const value = context.env[name];
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined) return resolveSecretReferences(fallback, context);
    if (value === '') return value;
    throw new SecretReferenceError(`environment variable ${name} is not set`);
  }
  if (body.startsWith('file:'))
    return readSecretFile(resolveSecretReferences(body.slice(5), context), context);
  const kind = body.split(':')[0] ?? body;
  throw new SecretReferenceError(`unknown reference "\${${kind}:…}" (use \${env:NAME} or \${file:PATH})`);
}

/** Replaces every `${env:…}` / `${file:…}` in `text`; `$${` stands for a literal `${`. */
export function resolveSecretReferences(text: string, context: SecretContext): string {
  let result = '';
  let index = 0;
  while (index < text.length) {
    if (text.startsWith('$${', index)) {
      result += '${';
      index += 3;
    } else if (text.startsWith('${', index)) {
      const end = closingBrace(text, index + 2);
      if (end < 0) throw new SecretReferenceError(`"\${" without a closing "}"`);
      result += resolveReference(text.slice(index + 2, end), context);
      index = end + 1;
    } else {
      result += text[index];
      index++;
    }
  }
  return result;
}

/**
 * Resolves the references in every string value of the document (never in
 * keys). A value that fails stays as written and becomes an issue at its
 * position.
 */
export function resolveSecretsIn(
  data: unknown,
  source: YamlSource,
  context: SecretContext,
): { data: unknown; issues: MappingIssue[] } {
  const issues: MappingIssue[] = [];
  const walk = (value: unknown, path: DocumentPath): unknown => {
    if (typeof value === 'string') {
      if (!value.includes('${')) return value;
      try {
        return resolveSecretReferences(value, context);
      } catch (error) {
        if (!(error instanceof SecretReferenceError)) throw error;
        const where = describePath(path);
        issues.push(source.issueAt(path, where === '' ? error.message : `${where}: ${error.message}`));
        return value;
      }
    }
    if (Array.isArray(value)) return value.map((item, index) => walk(item, [...path, index]));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, walk(item, [...path, key])]),
      );
    }
    return value;
  };
  return { data: walk(data, []), issues };
}
