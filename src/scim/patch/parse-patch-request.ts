import { isScimError, ScimError, scimErrors } from '../errors.js';
import { parsePath } from '../path/parser.js';
import type { PatchOperation, PatchOpKind } from './operation.js';

/** More operations than this in one PATCH are refused; real clients send a handful. */
export const MAX_PATCH_OPERATIONS = 1_000;

const OP_KINDS: ReadonlySet<string> = new Set<PatchOpKind>(['add', 'remove', 'replace']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** SCIM attribute names are case-insensitive, message attributes included (`Operations`, `Op`, `Path`). */
function getCaseInsensitive(object: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(object, name)) return object[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(object)) {
    if (key.toLowerCase() === lower) return object[key];
  }
  return undefined;
}

function hasCaseInsensitive(object: Record<string, unknown>, name: string): boolean {
  const lower = name.toLowerCase();
  return Object.keys(object).some((key) => key.toLowerCase() === lower);
}

function parseOperation(raw: unknown, index: number): PatchOperation {
  const where = `Operations[${index}]`;
  if (!isPlainObject(raw))
    throw scimErrors.invalidSyntax(`${where} must be an object with "op", "path" and "value"`);

  const rawOp = getCaseInsensitive(raw, 'op');
  if (typeof rawOp !== 'string') {
    throw scimErrors.invalidSyntax(
      `${where}.op is missing or not a string; expected "add", "remove" or "replace"`,
    );
  }
  const op = rawOp.trim().toLowerCase();
  if (!OP_KINDS.has(op)) {
    throw scimErrors.invalidSyntax(
      `${where}.op "${rawOp}" is not supported; expected "add", "remove" or "replace"`,
    );
  }
  const kind = op as PatchOpKind;

  const rawPath = getCaseInsensitive(raw, 'path');
  if (rawPath !== undefined && rawPath !== null && typeof rawPath !== 'string') {
    throw scimErrors.invalidPath(`${where}.path must be a string`);
  }
  const pathText = typeof rawPath === 'string' ? rawPath.trim() : '';
  let path: PatchOperation['path'];
  if (pathText !== '') {
    try {
      path = parsePath(pathText);
    } catch (err) {
      if (isScimError(err)) throw new ScimError(err.status, `${where}.path: ${err.message}`, err.scimType);
      throw err;
    }
  }

  if (kind === 'remove' && path === undefined) {
    throw scimErrors.noTarget(`${where}: "remove" requires a "path" (RFC 7644 §3.5.2.2)`);
  }
  const hasValue = hasCaseInsensitive(raw, 'value') && getCaseInsensitive(raw, 'value') !== undefined;
  if (kind !== 'remove' && !hasValue) {
    throw scimErrors.invalidValue(`${where}: "${kind}" requires a "value"`);
  }

  return {
    op: kind,
    ...(path === undefined ? {} : { path }),
    ...(hasValue ? { value: getCaseInsensitive(raw, 'value') } : {}),
  };
}

/**
 * Reads a PATCH request body (RFC 7644 §3.5.2) as a tolerant reader: `Operations`
 * and op names in any case (Entra's "Replace"), a missing or extra `schemas`
 * tolerated, an empty path treated as no path. Values pass through raw; the
 * schema-aware coercion happens when the operations are applied.
 */
export function parsePatchRequest(body: unknown): PatchOperation[] {
  if (!isPlainObject(body)) {
    throw scimErrors.invalidSyntax('The PATCH request body must be a JSON object with an "Operations" array');
  }
  const operations = getCaseInsensitive(body, 'Operations');
  if (operations === undefined) {
    throw scimErrors.invalidSyntax('The PATCH request has no "Operations" array');
  }
  if (!Array.isArray(operations)) {
    throw scimErrors.invalidSyntax('"Operations" must be an array of PATCH operations');
  }
  if (operations.length === 0) {
    throw scimErrors.invalidSyntax('"Operations" must contain at least one operation');
  }
  if (operations.length > MAX_PATCH_OPERATIONS) {
    throw scimErrors.tooMany(
      `The PATCH request has ${operations.length} operations; at most ${MAX_PATCH_OPERATIONS} are accepted`,
    );
  }
  return operations.map((raw: unknown, index) => parseOperation(raw, index));
}
