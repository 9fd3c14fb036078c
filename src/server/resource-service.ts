import { backendObjectOf, type DeleteReceipt } from '../backends/backend-object.js';
import type { ResourceStore, SearchQuery, SortSpec, WriteCondition } from '../backends/resource-store.js';
import type { CompiledMapping, CompiledResourceType } from '../mapping/compiled-mapping.js';
import { scimErrors } from '../scim/errors.js';
import { toEtag } from '../scim/etag.js';
import type { Filter } from '../scim/filter/ast.js';
import { expandSchemasFilter } from '../scim/filter/expand-schemas-filter.js';
import { parseFilter } from '../scim/filter/parser.js';
import { validateFilter } from '../scim/filter/validate-filter.js';
import { type ListPage, type ListResponse, toListResponse } from '../scim/list-response.js';
import { parsePatchRequest } from '../scim/patch/parse-patch-request.js';
import { type AttributeSelection, createProjector, parseAttributeList } from '../scim/projection.js';
import { isPlainObject } from '../scim/schema/coerce-value.js';
import type { ResourceSchema, ScimResource } from '../scim/schema/model.js';
import { prepareResourceForWrite } from '../scim/schema/prepare-write.js';
import { splitAttributeName } from '../scim/schema/resource-schema.js';
import { DEFAULT_LIMITS, type ScimLimits } from './limits.js';
import { checkPatchTargets } from './patch-targets.js';
import { referenceListsOnly } from './reference-list-patch.js';
import { fillReferences } from './references.js';

export type { AttributeSelection, ListResponse, WriteCondition };

/** A result object filled in step by step (optional keys only when they have a value). */
type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** Per request: where the SCIM root of this mount is, as the client reached it. */
export interface RequestContext {
  /** Absolute URL of the SCIM base without trailing slash, e.g. `https://gw.example/scim/v2`. */
  readonly baseUrl: string;
}

/** One resource as it goes back to the client, plus what the HTTP layer (and Bulk) put in headers. */
export interface ResourceResult {
  /** Projected, with `meta.location`, `meta.version` as an ETag and `$ref` on references. */
  readonly resource: ScimResource;
  readonly id: string;
  /** Absolute URL of the resource (Location header, Bulk `location`). */
  readonly location: string;
  /** Weak ETag (`W/"…"`) when the backend versions the resource (ETag header, Bulk `version`). */
  readonly etag?: string;
  /** The DN or table key the store reported, for the audit trail (never sent to clients). */
  readonly backendObject?: string;
  /**
   * Answer 204 No Content: a PATCH of reference lists only (group members)
   * without `attributes`/`excludedAttributes`. `resource` then lacks those lists.
   */
  readonly noContent?: boolean;
}

/**
 * Search parameters as the client sent them — from the query string (all
 * strings) or a SearchRequest body (numbers, arrays). The service validates
 * and normalises them in one place (RFC 7644 §3.4.2, RFC 9865).
 */
export interface SearchParams {
  readonly filter?: unknown;
  readonly sortBy?: unknown;
  readonly sortOrder?: unknown;
  readonly startIndex?: unknown;
  readonly count?: unknown;
  /** Comma-separated string or array of names. */
  readonly attributes?: unknown;
  readonly excludedAttributes?: unknown;
  /** RFC 9865: present (even empty) selects cursor paging. */
  readonly cursor?: unknown;
}

/**
 * The single place where SCIM operations on resources happen, used by the
 * HTTP routes and by Bulk alike. `type` is the resource type name from the
 * mapping (`User`, `Group`); an unknown type is 404. Every method throws
 * ScimError only.
 */
export interface ResourceService {
  readonly mapping: CompiledMapping;
  readonly limits: ScimLimits;
  /** The resource type serving an endpoint (`/Users`, case-insensitive), or undefined. */
  typeForEndpoint(endpoint: string): CompiledResourceType | undefined;
  get(type: string, id: string, selection: AttributeSelection, ctx: RequestContext): Promise<ResourceResult>;
  search(type: string, params: SearchParams, ctx: RequestContext): Promise<ListResponse>;
  create(
    type: string,
    body: unknown,
    selection: AttributeSelection,
    ctx: RequestContext,
  ): Promise<ResourceResult>;
  replace(
    type: string,
    id: string,
    body: unknown,
    condition: WriteCondition,
    selection: AttributeSelection,
    ctx: RequestContext,
  ): Promise<ResourceResult>;
  /** `body` is the PatchOp request (parsed here with the tolerant reader). */
  patch(
    type: string,
    id: string,
    body: unknown,
    condition: WriteCondition,
    selection: AttributeSelection,
    ctx: RequestContext,
  ): Promise<ResourceResult>;
  /** Resolves with the store's receipt (where the object lived) when it gives one. */
  delete(type: string, id: string, condition: WriteCondition): Promise<DeleteReceipt>;
}

/** `attributes` / `excludedAttributes` from a query string (comma-separated) or a SearchRequest (array). */
export function parseSelection(attributes: unknown, excludedAttributes: unknown): AttributeSelection {
  return {
    attributes: nameList(attributes, 'attributes'),
    excludedAttributes: nameList(excludedAttributes, 'excludedAttributes'),
  };
}

function nameList(raw: unknown, label: string): string[] {
  if (raw === undefined || raw === null) return [];
  if (typeof raw === 'string') return parseAttributeList(raw);
  if (Array.isArray(raw) && raw.every((item) => typeof item === 'string')) {
    return raw.flatMap((item) => parseAttributeList(item));
  }
  throw scimErrors.invalidValue(`'${label}' must be a comma-separated string or an array of attribute names`);
}

/** An integer from a query string or JSON; anything else is 400 invalidValue (RFC 7644 §3.4.2.4). */
export function parseInteger(raw: unknown, label: string): number | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw === 'number' && Number.isSafeInteger(raw)) return raw;
  if (typeof raw === 'string' && /^\s*[+-]?\d{1,15}\s*$/.test(raw)) return Number.parseInt(raw, 10);
  throw scimErrors.invalidValue(`'${label}' must be an integer`);
}

function optionalString(raw: unknown, label: string): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string') throw scimErrors.invalidValue(`'${label}' must be a string`);
  return raw;
}

class MappedResourceService implements ResourceService {
  constructor(
    readonly mapping: CompiledMapping,
    private readonly store: ResourceStore,
    readonly limits: ScimLimits,
  ) {}

  typeForEndpoint(endpoint: string): CompiledResourceType | undefined {
    const wanted = endpoint.toLowerCase();
    return this.mapping.resourceTypes.find(
      (type) => type.schema.resourceType.endpoint.toLowerCase() === wanted,
    );
  }

  private typeNamed(name: string): CompiledResourceType {
    const found = this.mapping.resourceTypes.find((type) => type.name === name);
    if (found === undefined) throw scimErrors.notFound(`Resource type '${name}' is not served here`);
    return found;
  }

  async get(
    type: string,
    id: string,
    selection: AttributeSelection,
    ctx: RequestContext,
  ): Promise<ResourceResult> {
    const resourceType = this.typeNamed(type);
    const stored = await this.store.get(resourceType.name, id, selection);
    return this.present(resourceType, stored, createProjector(resourceType.schema, selection), ctx);
  }

  async search(type: string, params: SearchParams, ctx: RequestContext): Promise<ListResponse> {
    const resourceType = this.typeNamed(type);
    const query = this.toSearchQuery(resourceType, params);
    if (query.cursor !== undefined && !this.store.supportsCursor(resourceType.name)) {
      throw scimErrors.invalidValue(`Cursor pagination is not supported for ${resourceType.name}`);
    }
    const result = await this.store.search(resourceType.name, query);
    const project = createProjector(resourceType.schema, query);
    const resources = result.resources.map(
      (stored) => this.present(resourceType, stored, project, ctx).resource,
    );
    const page: Writable<ListPage> = { resources, totalResults: result.totalResults };
    if (query.cursor === undefined) page.startIndex = query.startIndex;
    if (result.nextCursor !== undefined) page.nextCursor = result.nextCursor;
    if (result.previousCursor !== undefined) page.previousCursor = result.previousCursor;
    return toListResponse(page);
  }

  async create(
    type: string,
    body: unknown,
    selection: AttributeSelection,
    ctx: RequestContext,
  ): Promise<ResourceResult> {
    const resourceType = this.typeNamed(type);
    const resource = prepareResourceForWrite(resourceType.schema, body, 'create');
    const created = await this.store.create(resourceType.name, resource);
    return this.present(resourceType, created, createProjector(resourceType.schema, selection), ctx);
  }

  async replace(
    type: string,
    id: string,
    body: unknown,
    condition: WriteCondition,
    selection: AttributeSelection,
    ctx: RequestContext,
  ): Promise<ResourceResult> {
    const resourceType = this.typeNamed(type);
    const resource = prepareResourceForWrite(resourceType.schema, body, 'replace');
    const replaced = await this.store.replace(resourceType.name, id, resource, condition);
    return this.present(resourceType, replaced, createProjector(resourceType.schema, selection), ctx);
  }

  async patch(
    type: string,
    id: string,
    body: unknown,
    condition: WriteCondition,
    selection: AttributeSelection,
    ctx: RequestContext,
  ): Promise<ResourceResult> {
    const resourceType = this.typeNamed(type);
    const operations = parsePatchRequest(body);
    // Fail on bad paths before the backend is touched (and whatever the store checks itself).
    checkPatchTargets(resourceType.schema, operations);
    const selected = (selection.attributes?.length ?? 0) + (selection.excludedAttributes?.length ?? 0) > 0;
    const lists = selected ? undefined : referenceListsOnly(resourceType.schema, operations);
    if (lists !== undefined) {
      // Membership change, 204: the store reads the group back without its (possibly huge) member list.
      const quiet = { excludedAttributes: lists };
      const modified = await this.store.modify(resourceType.name, id, operations, condition, quiet);
      return {
        ...this.present(resourceType, modified, createProjector(resourceType.schema, quiet), ctx),
        noContent: true,
      };
    }
    const modified = await this.store.modify(resourceType.name, id, operations, condition, selection);
    return this.present(resourceType, modified, createProjector(resourceType.schema, selection), ctx);
  }

  async delete(type: string, id: string, condition: WriteCondition): Promise<DeleteReceipt> {
    const resourceType = this.typeNamed(type);
    return await this.store.delete(resourceType.name, id, condition);
  }

  private toSearchQuery(resourceType: CompiledResourceType, params: SearchParams): SearchQuery {
    const schema = resourceType.schema;
    const selection = parseSelection(params.attributes, params.excludedAttributes);

    const filterText = optionalString(params.filter, 'filter');
    let filter: Filter | undefined;
    if (filterText !== undefined && filterText.trim() !== '') {
      filter = expandSchemasFilter(schema, parseFilter(filterText));
      validateFilter(schema, filter);
    }

    const sort = toSortSpec(schema, params.sortBy, params.sortOrder);

    const startIndex = Math.max(1, parseInteger(params.startIndex, 'startIndex') ?? 1);
    const requestedCount = parseInteger(params.count, 'count') ?? this.limits.defaultPageSize;
    const count = Math.min(Math.max(0, requestedCount), this.limits.maxPageSize);
    const cursor = optionalString(params.cursor, 'cursor');

    // Optional keys assigned, not spread in: conditional spreads cost new object shapes per request.
    const query: Writable<SearchQuery> = {
      attributes: selection.attributes,
      excludedAttributes: selection.excludedAttributes,
      startIndex,
      count,
    };
    if (filter !== undefined) query.filter = filter;
    if (sort !== undefined) query.sort = sort;
    if (cursor !== undefined) query.cursor = cursor.trim();
    return query;
  }

  /** Stored resource → what the client sees: location, ETag version, `$ref`s, then the projection. */
  private present(
    resourceType: CompiledResourceType,
    stored: ScimResource,
    project: (resource: ScimResource) => ScimResource,
    ctx: RequestContext,
  ): ResourceResult {
    const id = stored.id;
    if (typeof id !== 'string' || id === '') {
      // A store returning a resource without id is a bug in the adapter, not a client error.
      throw new Error(`Store returned a ${resourceType.name} without an id`);
    }
    const location = `${ctx.baseUrl}${resourceType.schema.resourceType.endpoint}/${encodeURIComponent(id)}`;
    const meta = isPlainObject(stored.meta) ? stored.meta : {};
    const version = typeof meta.version === 'string' && meta.version !== '' ? meta.version : undefined;
    const etag = version === undefined ? undefined : toEtag(version);
    const fullMeta: Record<string, unknown> = {
      resourceType: resourceType.schema.resourceType.name,
      ...meta,
      location,
    };
    if (etag !== undefined) fullMeta.version = etag;
    const withMeta: ScimResource = { ...stored, meta: fullMeta };
    fillReferences(this.mapping, resourceType, withMeta, ctx.baseUrl);
    const backendObject = backendObjectOf(stored);
    const result: Writable<ResourceResult> = { resource: project(withMeta), id, location };
    if (etag !== undefined) result.etag = etag;
    if (backendObject !== undefined) result.backendObject = backendObject;
    return result;
  }
}

function toSortSpec(schema: ResourceSchema, rawSortBy: unknown, rawSortOrder: unknown): SortSpec | undefined {
  const sortBy = optionalString(rawSortBy, 'sortBy')?.trim();
  const sortOrder = optionalString(rawSortOrder, 'sortOrder')?.trim().toLowerCase();
  if (
    sortOrder !== undefined &&
    sortOrder !== '' &&
    sortOrder !== 'ascending' &&
    sortOrder !== 'descending'
  ) {
    throw scimErrors.invalidValue(`'sortOrder' must be "ascending" or "descending"`);
  }
  if (sortBy === undefined || sortBy === '') return undefined;
  const split = splitAttributeName(schema.schemaUrns, sortBy);
  const resolved = split === undefined ? undefined : schema.resolve(split);
  if (resolved === undefined) throw scimErrors.invalidValue(`Cannot sort by unknown attribute '${sortBy}'`);
  const target = resolved.subAttribute ?? resolved.attribute;
  if (
    target.type === 'complex' &&
    resolved.subAttribute === undefined &&
    resolved.attribute.multiValued === false
  ) {
    throw scimErrors.invalidValue(`Cannot sort by complex attribute '${sortBy}'; name a sub-attribute`);
  }
  return {
    path: {
      schema: resolved.schema,
      attribute: resolved.attribute.name,
      ...(resolved.subAttribute === undefined ? {} : { subAttribute: resolved.subAttribute.name }),
    },
    // RFC 7644 §3.4.2.3: ascending unless asked otherwise.
    order: sortOrder === 'descending' ? 'descending' : 'ascending',
  };
}

export function createResourceService(
  mapping: CompiledMapping,
  store: ResourceStore,
  limits: ScimLimits = DEFAULT_LIMITS,
): ResourceService {
  return new MappedResourceService(mapping, store, limits);
}
