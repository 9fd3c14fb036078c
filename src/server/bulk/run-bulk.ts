import type { CompiledResourceType } from '../../mapping/compiled-mapping.js';
import { ScimError, type ScimErrorBody, scimErrors } from '../../scim/errors.js';
import { SCHEMA_URN } from '../../scim/schema/core-schemas.js';
import type { RequestContext, ResourceResult, ResourceService } from '../resource-service.js';
import { collectBulkIdReferences, referencedBulkId, substituteBulkIds } from './bulk-references.js';
import type { BulkMethod, BulkOperationInput, BulkRequest } from './bulk-request.js';

/** One entry of a BulkResponse (RFC 7644 §3.7.3). */
export interface BulkOperationResult {
  method?: BulkMethod;
  bulkId?: string;
  version?: string;
  location?: string;
  /** HTTP status code as a string, as in the RFC's examples. */
  status: string;
  /** Present for errors only: the SCIM error body (success bodies are omitted, which the RFC allows). */
  response?: ScimErrorBody;
}

export interface BulkResponse {
  schemas: [typeof SCHEMA_URN.bulkResponse];
  Operations: BulkOperationResult[];
}

/** An operation ready to schedule: where it goes and which bulkIds it waits for. */
interface PlannedOperation {
  readonly input: BulkOperationInput;
  readonly method: BulkMethod;
  readonly type: CompiledResourceType;
  /** Resource id from the path, possibly still `bulkId:x`. */
  readonly id?: string;
  readonly dependsOn: ReadonlySet<string>;
}

/** `/Users`, `/Users/{id}` (also `Users/…`), split against the served endpoints. */
function planOperation(service: ResourceService, input: BulkOperationInput): PlannedOperation {
  const { method, path } = input;
  if (method === undefined || path === undefined) throw scimErrors.invalidSyntax('Incomplete operation');
  const trimmed = path.startsWith('/') ? path.slice(1) : path;
  const slash = trimmed.indexOf('/');
  const endpoint = `/${slash < 0 ? trimmed : trimmed.slice(0, slash)}`;
  const rawId = slash < 0 ? undefined : trimmed.slice(slash + 1);
  const type = service.typeForEndpoint(endpoint);
  if (type === undefined) throw scimErrors.notFound(`No resource type is served at '${endpoint}'`);

  let id: string | undefined;
  if (rawId !== undefined && rawId !== '') {
    try {
      id = decodeURIComponent(rawId);
    } catch {
      throw scimErrors.invalidSyntax(`'path' has a malformed resource id: '${path}'`);
    }
    if (id.includes('/'))
      throw scimErrors.invalidSyntax(`'path' must be '${endpoint}' or '${endpoint}/{id}'`);
  }
  if (method === 'POST' && id !== undefined) {
    throw scimErrors.invalidSyntax(`A POST operation's path is the endpoint ('${endpoint}'), not a resource`);
  }
  if (method !== 'POST' && id === undefined) {
    throw scimErrors.invalidSyntax(`A ${method} operation's path must name a resource: '${endpoint}/{id}'`);
  }

  const dependsOn = collectBulkIdReferences(input.data);
  const pathReference = id === undefined ? undefined : referencedBulkId(id);
  if (pathReference !== undefined) dependsOn.add(pathReference);
  return { input, method, type, ...(id === undefined ? {} : { id }), dependsOn };
}

/** The cycle through `start` among waiting operations, as bulkIds (`a → b → a`), if there is one. */
function cycleThrough(
  start: PlannedOperation,
  waiting: ReadonlyMap<string, PlannedOperation>,
): string[] | undefined {
  const origin = start.input.bulkId;
  if (origin === undefined) return undefined;
  const visited = new Set<string>();
  const walk = (operation: PlannedOperation, trail: string[]): string[] | undefined => {
    for (const next of operation.dependsOn) {
      if (next === origin) return [...trail, next];
      const nextOperation = waiting.get(next);
      if (nextOperation === undefined || visited.has(next)) continue;
      visited.add(next);
      const found = walk(nextOperation, [...trail, next]);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return walk(start, [origin]);
}

export interface BulkRunOptions {
  /** Called with errors that are not ScimErrors (bugs, driver faults) before they become a bare 500. */
  readonly onUnexpectedError?: (err: unknown) => void;
}

/**
 * Runs a BulkRequest through the ResourceService (the same code path as the
 * HTTP routes), RFC 7644 §3.7: operations in request order, except that one
 * referring to a `bulkId` not yet created waits until that operation has run
 * (so members may be created after their group in the request). References
 * to failed operations fail with 409; circular references are reported as
 * 409 (§3.7.1 allows stopping there). After `failOnErrors` errors nothing
 * more runs. Results are listed in request order.
 */
export async function runBulk(
  service: ResourceService,
  request: BulkRequest,
  ctx: RequestContext,
  options: BulkRunOptions = {},
): Promise<BulkResponse> {
  const results = new Map<number, BulkOperationResult>();
  const declared = new Set(
    request.operations.flatMap((operation) => (operation.bulkId === undefined ? [] : [operation.bulkId])),
  );
  const resolved = new Map<string, string>();
  const failed = new Set<string>();
  let errors = 0;
  let stopped = false;

  const record = (input: BulkOperationInput, result: BulkOperationResult): void => {
    results.set(input.index, {
      ...(input.method === undefined ? {} : { method: input.method }),
      ...(input.bulkId === undefined ? {} : { bulkId: input.bulkId }),
      ...result,
    });
    if (Number(result.status) >= 400) {
      if (input.bulkId !== undefined) failed.add(input.bulkId);
      errors += 1;
      if (request.failOnErrors !== undefined && errors >= request.failOnErrors) stopped = true;
    }
  };

  const locationOf = (type: CompiledResourceType, id: string): string =>
    `${ctx.baseUrl}${type.schema.resourceType.endpoint}/${encodeURIComponent(id)}`;

  const fail = (input: BulkOperationInput, err: unknown, location?: string): void => {
    let problem: ScimError;
    if (err instanceof ScimError) {
      problem = err;
    } else {
      options.onUnexpectedError?.(err);
      problem = new ScimError(500, 'The operation failed unexpectedly; see the gateway log');
    }
    record(input, {
      status: String(problem.status),
      response: problem.toBody(),
      ...(location === undefined ? {} : { location }),
    });
  };

  const succeed = (input: BulkOperationInput, status: number, outcome: ResourceResult): void => {
    if (input.bulkId !== undefined) resolved.set(input.bulkId, outcome.id);
    record(input, {
      status: String(status),
      location: outcome.location,
      ...(outcome.etag === undefined ? {} : { version: outcome.etag }),
    });
  };

  const execute = async (planned: PlannedOperation): Promise<void> => {
    const { input, method, type } = planned;
    const id = planned.id === undefined ? undefined : (substituteBulkIds(planned.id, resolved) as string);
    const data = substituteBulkIds(input.data, resolved);
    const condition = input.version === undefined ? {} : { ifMatch: input.version };
    try {
      if (method === 'POST') {
        succeed(input, 201, await service.create(type.name, data, {}, ctx));
      } else if (id === undefined) {
        throw scimErrors.invalidSyntax(`A ${method} operation needs a resource id in its path`);
      } else if (method === 'PUT') {
        succeed(input, 200, await service.replace(type.name, id, data, condition, {}, ctx));
      } else if (method === 'PATCH') {
        succeed(input, 200, await service.patch(type.name, id, data, condition, {}, ctx));
      } else {
        await service.delete(type.name, id, condition);
        if (input.bulkId !== undefined) resolved.set(input.bulkId, id);
        record(input, { status: '204', location: locationOf(type, id) });
      }
    } catch (err) {
      fail(input, err, id === undefined || method === 'POST' ? undefined : locationOf(type, id));
    }
  };

  // Plan: operations that cannot run at all are reported where they stand in the request.
  let waiting: (PlannedOperation | BulkOperationInput)[] = [];
  for (const input of request.operations) {
    if (input.problem !== undefined) {
      waiting.push(input);
      continue;
    }
    try {
      waiting.push(planOperation(service, input));
    } catch (err) {
      waiting.push({
        ...input,
        problem: err instanceof ScimError ? err : scimErrors.invalidSyntax(String(err)),
      });
    }
  }

  while (waiting.length > 0 && !stopped) {
    let progressed = false;
    const stillWaiting: PlannedOperation[] = [];
    for (const entry of waiting) {
      if (stopped) break;
      if (!('dependsOn' in entry)) {
        fail(entry, entry.problem);
        progressed = true;
        continue;
      }
      const unknown = [...entry.dependsOn].find((bulkId) => !declared.has(bulkId));
      const broken = [...entry.dependsOn].find((bulkId) => failed.has(bulkId));
      if (unknown !== undefined) {
        fail(
          entry.input,
          scimErrors.invalidValue(`'bulkId:${unknown}' refers to no operation of this bulk request`),
        );
      } else if (broken !== undefined) {
        fail(
          entry.input,
          new ScimError(409, `'bulkId:${broken}' refers to an operation that failed, so this one cannot run`),
        );
      } else if ([...entry.dependsOn].every((bulkId) => resolved.has(bulkId))) {
        await execute(entry);
      } else {
        stillWaiting.push(entry);
        continue;
      }
      progressed = true;
    }
    waiting = stillWaiting;
    if (progressed || stopped) continue;

    // No operation could run: what is left waits on itself in a circle.
    const byBulkId = new Map<string, PlannedOperation>();
    for (const entry of stillWaiting)
      if (entry.input.bulkId !== undefined) byBulkId.set(entry.input.bulkId, entry);
    for (const entry of stillWaiting) {
      if (stopped) break;
      const cycle = cycleThrough(entry, byBulkId);
      const detail =
        cycle === undefined
          ? `This operation waits for ${[...entry.dependsOn]
              .filter((bulkId) => !resolved.has(bulkId))
              .map((bulkId) => `'bulkId:${bulkId}'`)
              .join(', ')}, which is part of a circular bulkId reference`
          : `Circular bulkId reference ${cycle.join(' → ')} (RFC 7644 §3.7.1): create these resources ` +
            'without the references, then add them with PATCH operations';
      fail(entry.input, new ScimError(409, detail));
    }
    waiting = [];
  }

  const ordered = [...results.entries()].sort(([a], [b]) => a - b).map(([, result]) => result);
  return { schemas: [SCHEMA_URN.bulkResponse], Operations: ordered };
}
