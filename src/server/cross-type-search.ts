import type { CompiledResourceType } from '../mapping/compiled-mapping.js';
import { isScimError, type ScimError, scimErrors } from '../scim/errors.js';
import type { Filter } from '../scim/filter/ast.js';
import { expandSchemasFilter } from '../scim/filter/expand-schemas-filter.js';
import { parseFilter } from '../scim/filter/parser.js';
import { validateFilter } from '../scim/filter/validate-filter.js';
import { type ListResponse, toListResponse } from '../scim/list-response.js';
import { projectResource } from '../scim/projection.js';
import type { ResolvedAttribute, ScimResource } from '../scim/schema/model.js';
import { splitAttributeName } from '../scim/schema/resource-schema.js';
import { compareSortKeys, type SortKey, sortKeyOf } from '../scim/sort-key.js';
import {
  parseInteger,
  parseSelection,
  type RequestContext,
  type ResourceService,
  type SearchParams,
} from './resource-service.js';

/**
 * A query at the server root (RFC 7644 §3.4.2, §3.4.3): every resource type
 * the mapping serves, in mapping order, as one ListResponse.
 *
 * - The filter goes to each type that knows its attributes; a type that does
 *   not (a Group for `userName eq "x"`) has no matching resources. A filter
 *   that fits no type is the first type's 400 invalidFilter.
 * - Unsorted, the types are pages of one list: each store is asked only for
 *   the slice of the page that falls in it (its total comes with it).
 * - Sorted, each store returns its first startIndex+count resources in that
 *   order and they are merged; so the window is bounded by maxPageSize
 *   (400 tooMany beyond it). Types without the attribute sort last.
 * - Cursors (RFC 9865) are per type: 400 invalidValue here.
 */
export async function searchAcrossResourceTypes(
  service: ResourceService,
  params: SearchParams,
  ctx: RequestContext,
): Promise<ListResponse> {
  if (params.cursor !== undefined && params.cursor !== null) {
    throw scimErrors.invalidValue(
      'Cursor pagination is offered per resource type (e.g. /Users/.search); a root search pages by startIndex/count',
    );
  }
  const types = typesForFilter(service.mapping.resourceTypes, params.filter);
  const startIndex = Math.max(1, parseInteger(params.startIndex, 'startIndex') ?? 1);
  const requested = parseInteger(params.count, 'count') ?? service.limits.defaultPageSize;
  const count = Math.min(Math.max(0, requested), service.limits.maxPageSize);
  const sortBy =
    typeof params.sortBy === 'string' && params.sortBy.trim() !== '' ? params.sortBy.trim() : undefined;

  if (sortBy === undefined) return concatenated(service, types, params, startIndex, count, ctx);
  return merged(service, types, params, sortBy, startIndex, count, ctx);
}

function typesForFilter(
  all: readonly CompiledResourceType[],
  rawFilter: unknown,
): readonly CompiledResourceType[] {
  if (rawFilter === undefined || rawFilter === null) return all;
  if (typeof rawFilter !== 'string') throw scimErrors.invalidValue(`'filter' must be a string`);
  if (rawFilter.trim() === '') return all;
  const filter: Filter = parseFilter(rawFilter);
  const rejections: ScimError[] = [];
  const applicable = all.filter((type) => {
    try {
      validateFilter(type.schema, expandSchemasFilter(type.schema, filter));
      return true;
    } catch (error) {
      if (!isScimError(error)) throw error;
      rejections.push(error);
      return false;
    }
  });
  const [first] = rejections;
  if (applicable.length === 0 && first !== undefined) throw first;
  return applicable;
}

async function concatenated(
  service: ResourceService,
  types: readonly CompiledResourceType[],
  params: SearchParams,
  startIndex: number,
  count: number,
  ctx: RequestContext,
): Promise<ListResponse> {
  let skip = startIndex - 1;
  let remaining = count;
  let totalResults = 0;
  const resources: ScimResource[] = [];
  for (const type of types) {
    // Past this type's results the store still answers its total (count 0 asks for nothing else).
    const page = await service.search(type.name, { ...params, startIndex: skip + 1, count: remaining }, ctx);
    totalResults += page.totalResults;
    resources.push(...page.Resources);
    remaining -= page.Resources.length;
    skip = Math.max(0, skip - page.totalResults);
  }
  return toListResponse({ resources, totalResults, startIndex });
}

function resolveIn(type: CompiledResourceType, name: string): ResolvedAttribute | undefined {
  const split = splitAttributeName(type.schema.schemaUrns, name);
  return split === undefined ? undefined : type.schema.resolve(split);
}

async function merged(
  service: ResourceService,
  types: readonly CompiledResourceType[],
  params: SearchParams,
  sortBy: string,
  startIndex: number,
  count: number,
  ctx: RequestContext,
): Promise<ListResponse> {
  const window = startIndex - 1 + count;
  if (window > service.limits.maxPageSize) {
    throw scimErrors.tooMany(
      `A sorted search across resource types reaches at most ${service.limits.maxPageSize} results (startIndex + count - 1); search one resource type to go further`,
    );
  }
  if (types.every((type) => resolveIn(type, sortBy) === undefined)) {
    throw scimErrors.invalidValue(`Cannot sort by unknown attribute '${sortBy}'`);
  }
  const descending =
    typeof params.sortOrder === 'string' && params.sortOrder.trim().toLowerCase() === 'descending';
  const selection = parseSelection(params.attributes, params.excludedAttributes);
  // The sort value must come back even when the client did not ask for it; the final projection drops it again.
  const attributes = selection.attributes ?? [];
  const excluded = selection.excludedAttributes ?? [];
  const fetchSelection = {
    attributes: attributes.length === 0 ? [] : [...attributes, sortBy],
    excludedAttributes: excluded.filter((name) => name.toLowerCase() !== sortBy.toLowerCase()),
  };

  let totalResults = 0;
  const entries: { key: SortKey; type: CompiledResourceType; resource: ScimResource }[] = [];
  for (const type of types) {
    const resolved = resolveIn(type, sortBy);
    const page = await service.search(
      type.name,
      {
        ...params,
        ...fetchSelection,
        ...(resolved === undefined ? { sortBy: undefined } : {}),
        startIndex: 1,
        count: window,
      },
      ctx,
    );
    totalResults += page.totalResults;
    for (const resource of page.Resources) {
      entries.push({
        key: resolved === undefined ? undefined : sortKeyOf(resource, resolved),
        type,
        resource,
      });
    }
  }
  // Array.prototype.sort is stable: equal keys keep mapping order, then each store's order.
  entries.sort((a, b) => compareSortKeys(a.key, b.key, descending));
  const resources = entries
    .slice(startIndex - 1, window)
    .map((entry) => projectResource(entry.type.schema, entry.resource, selection));
  return toListResponse({ resources, totalResults, startIndex });
}
