import { parsePatchRequest } from '../../scim/patch/parse-patch-request.js';
import type { PatchPath } from '../../scim/path/ast.js';

/** Message attributes of a resource body that are not data a client changes. */
const NOT_ATTRIBUTES = new Set(['schemas', 'id', 'meta']);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isSchemaUrn = (key: string): boolean => key.toLowerCase().startsWith('urn:');

/**
 * Attribute names of a resource body, with an extension object's members
 * named by URN (`urn:…:enterprise:2.0:User:department`). Names only: the
 * audit trail must never carry values (passwords, personal data).
 */
function namesOfResource(body: unknown): string[] {
  if (!isObject(body)) return [];
  const names: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (NOT_ATTRIBUTES.has(key.toLowerCase())) continue;
    if (isSchemaUrn(key) && isObject(value)) {
      for (const inner of Object.keys(value)) names.push(`${key}:${inner}`);
    } else {
      names.push(key);
    }
  }
  return names;
}

/** `emails[type eq "work"].value` → `emails.value`: the filter holds values, so it is dropped. */
function nameOfPath(path: PatchPath): string {
  const attribute = path.schema === undefined ? path.attribute : `${path.schema}:${path.attribute}`;
  return path.subAttribute === undefined ? attribute : `${attribute}.${path.subAttribute}`;
}

/** The attributes a create or replace body sets. */
export function attributesOfResourceBody(body: unknown): string[] {
  return unique(namesOfResource(body));
}

/**
 * The attributes a PatchOp body touches: each operation's path, or for a
 * path-less operation the keys of its value. An unreadable body (the
 * request then fails with 400 anyway) yields no names.
 */
export function attributesOfPatchBody(body: unknown): string[] {
  let operations: ReturnType<typeof parsePatchRequest>;
  try {
    operations = parsePatchRequest(body);
  } catch {
    return [];
  }
  return unique(
    operations.flatMap((operation) =>
      operation.path === undefined ? namesOfResource(operation.value) : [nameOfPath(operation.path)],
    ),
  );
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}
