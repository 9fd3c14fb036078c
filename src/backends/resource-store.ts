import type { Filter } from '../scim/filter/ast.js';
import type { PatchOperation } from '../scim/patch/operation.js';
import type { ScimResource } from '../scim/schema/model.js';
import type { DeleteReceipt } from './backend-object.js';

/**
 * The backend port. One implementation per backend family (sql/, ldap/).
 * Every method throws ScimError for anything a client should see
 * (404, 409 uniqueness, 412, 400 invalidFilter/invalidValue, 503 …);
 * adapters map their own errors in one place.
 *
 * Resources returned are full SCIM resources in wire shape with `id`,
 * `schemas` and `meta` (resourceType, created, lastModified, version) —
 * but WITHOUT `meta.location`, which the HTTP layer adds.
 */
export interface ResourceStore {
  /** Resource type names this store serves (`User`, `Group`, …). */
  readonly resourceTypes: readonly string[];
  /** Whether this store can answer RFC 9865 cursor pagination for the type. */
  supportsCursor(resourceType: string): boolean;

  search(resourceType: string, query: SearchQuery): Promise<SearchResult>;
  get(resourceType: string, id: string, selection?: AttributeSelection): Promise<ScimResource>;
  create(resourceType: string, resource: ScimResource): Promise<ScimResource>;
  replace(
    resourceType: string,
    id: string,
    resource: ScimResource,
    condition?: WriteCondition,
  ): Promise<ScimResource>;
  /**
   * Apply PATCH operations as deltas: adding one member to a group must not
   * read the other members. Returns the resource after the change, honouring
   * `selection` (so `excludedAttributes=members` never reads members).
   */
  modify(
    resourceType: string,
    id: string,
    operations: readonly PatchOperation[],
    condition?: WriteCondition,
    selection?: AttributeSelection,
  ): Promise<ScimResource>;
  /** Resolves with where the deleted object lived (DN or key) for the audit trail, or `{}`; see backend-object.ts. */
  delete(resourceType: string, id: string, condition?: WriteCondition): Promise<DeleteReceipt>;

  /**
   * The backend query a search becomes, for `crosswalk explain` (SQL with
   * placeholders and the bound values listed separately; an RFC 4515 filter
   * for LDAP). Must not need a live connection.
   */
  explain(resourceType: string, query: SearchQuery): string;

  /** Cheap reachability check for /readyz; throws ScimError 503 when down. */
  ping(): Promise<void>;
  /** Connection pool usage right now, for metrics; stores without a pool leave it out. */
  poolStats?(): PoolStats;
  close(): Promise<void>;
}

/**
 * Which attributes the caller will return, so a store can skip expensive
 * reads (a group's members). Raw names as the client sent them; use
 * isAttributeRequested() from src/scim/projection.ts to interpret.
 */
export interface AttributeSelection {
  readonly attributes?: readonly string[];
  readonly excludedAttributes?: readonly string[];
}

export interface SortSpec {
  readonly path: { schema?: string; attribute: string; subAttribute?: string };
  readonly order: 'ascending' | 'descending';
}

export interface SearchQuery extends AttributeSelection {
  readonly filter?: Filter;
  readonly sort?: SortSpec;
  /** 1-based (RFC 7644 §3.4.2.4). Ignored when `cursor` is set. */
  readonly startIndex: number;
  /** Page size; 0 asks for totalResults only. */
  readonly count: number;
  /** RFC 9865: '' asks for the first page by cursor; otherwise an opaque cursor from a previous page. */
  readonly cursor?: string;
}

export interface SearchResult {
  readonly totalResults: number;
  readonly resources: readonly ScimResource[];
  /** RFC 9865: present when cursor paging was asked for and more results follow. */
  readonly nextCursor?: string;
  readonly previousCursor?: string;
}

/** If-Match: the write happens only if the backend's current version equals this ETag. */
export interface WriteCondition {
  readonly ifMatch?: string;
}

/** Connections of a store's pool at one moment. */
export interface PoolStats {
  /** Lent out to a running operation. */
  readonly used: number;
  /** Open and idle. */
  readonly free: number;
  /** Operations waiting for a connection. */
  readonly pending: number;
  /** Upper bound of the pool. */
  readonly max: number;
}
