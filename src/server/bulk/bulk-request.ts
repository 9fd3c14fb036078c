import { type ScimError, scimErrors } from '../../scim/errors.js';
import { isPlainObject } from '../../scim/schema/coerce-value.js';

export type BulkMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One operation as read from the request; `problem` holds why it cannot run (reported for it alone). */
export interface BulkOperationInput {
  /** Position in the request (the response keeps request order). */
  readonly index: number;
  readonly method?: BulkMethod;
  readonly bulkId?: string;
  /** If-Match for this operation. */
  readonly version?: string;
  readonly path?: string;
  readonly data?: unknown;
  readonly problem?: ScimError;
}

export interface BulkRequest {
  /** Stop after this many errors (RFC 7644 §3.7); undefined runs everything. */
  readonly failOnErrors?: number;
  readonly operations: readonly BulkOperationInput[];
}

const METHODS: readonly BulkMethod[] = ['POST', 'PUT', 'PATCH', 'DELETE'];

/** Case-insensitive key lookup: tolerant of `operations`, `FailOnErrors` and friends. */
function field(object: Record<string, unknown>, name: string): unknown {
  if (name in object) return object[name];
  const lower = name.toLowerCase();
  const key = Object.keys(object).find((candidate) => candidate.toLowerCase() === lower);
  return key === undefined ? undefined : object[key];
}

function parseFailOnErrors(raw: unknown): number | undefined {
  if (raw === undefined || raw === null) return undefined;
  const value = typeof raw === 'string' && /^\s*\d{1,9}\s*$/.test(raw) ? Number.parseInt(raw, 10) : raw;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw scimErrors.invalidSyntax(`'failOnErrors' must be a positive integer`);
  }
  return value;
}

function optionalText(raw: unknown, label: string): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string') throw scimErrors.invalidSyntax(`'${label}' must be a string`);
  return raw;
}

function parseOperation(raw: unknown, index: number): BulkOperationInput {
  if (!isPlainObject(raw)) {
    return { index, problem: scimErrors.invalidSyntax(`Operation ${index + 1} is not a JSON object`) };
  }
  // bulkId is read first so that a broken operation can still be reported under its bulkId.
  let bulkId: string | undefined;
  try {
    bulkId = optionalText(field(raw, 'bulkId'), 'bulkId');
    if (bulkId !== undefined && bulkId.trim() === '')
      throw scimErrors.invalidSyntax(`'bulkId' must not be empty`);
  } catch (err) {
    return { index, problem: err as ScimError };
  }
  const withBulkId = bulkId === undefined ? { index } : { index, bulkId };
  try {
    const methodText = optionalText(field(raw, 'method'), 'method');
    const method = METHODS.find((candidate) => candidate === methodText?.trim().toUpperCase());
    if (method === undefined) {
      throw scimErrors.invalidSyntax(`'method' must be one of POST, PUT, PATCH, DELETE`);
    }
    const path = optionalText(field(raw, 'path'), 'path');
    if (path === undefined || path.trim() === '') throw scimErrors.invalidSyntax(`'path' is required`);
    const version = optionalText(field(raw, 'version'), 'version');
    const data = field(raw, 'data');
    const parsed: BulkOperationInput = {
      ...withBulkId,
      method,
      path: path.trim(),
      ...(version === undefined ? {} : { version }),
      ...(data === undefined ? {} : { data }),
    };
    if (method === 'POST' && bulkId === undefined) {
      // RFC 7644 §3.7: bulkId is REQUIRED when method is POST.
      return { ...parsed, problem: scimErrors.invalidSyntax(`'bulkId' is required for POST operations`) };
    }
    if (method !== 'DELETE' && !isPlainObject(data)) {
      return { ...parsed, problem: scimErrors.invalidSyntax(`'data' must be a JSON object for ${method}`) };
    }
    return parsed;
  } catch (err) {
    return { ...withBulkId, problem: err as ScimError };
  }
}

/**
 * Reads a BulkRequest (RFC 7644 §3.7) tolerantly. Faults of the request as a
 * whole (no Operations, bad failOnErrors, a bulkId used twice, too many
 * operations) throw; faults of one operation are kept on it and reported in
 * its own response entry.
 */
export function parseBulkRequest(body: unknown, maxOperations: number): BulkRequest {
  if (!isPlainObject(body)) throw scimErrors.invalidSyntax('A BulkRequest must be a JSON object');
  const operations = field(body, 'Operations');
  if (!Array.isArray(operations)) throw scimErrors.invalidSyntax(`A BulkRequest needs an 'Operations' array`);
  if (operations.length > maxOperations) {
    throw scimErrors.payloadTooLarge(
      `The bulk request has ${operations.length} operations; maxOperations is ${maxOperations}`,
    );
  }
  const failOnErrors = parseFailOnErrors(field(body, 'failOnErrors'));
  const parsed = operations.map(parseOperation);

  const seen = new Set<string>();
  for (const operation of parsed) {
    if (operation.bulkId === undefined) continue;
    if (seen.has(operation.bulkId)) {
      throw scimErrors.invalidSyntax(`bulkId '${operation.bulkId}' is used by more than one operation`);
    }
    seen.add(operation.bulkId);
  }
  return { ...(failOnErrors === undefined ? {} : { failOnErrors }), operations: parsed };
}
