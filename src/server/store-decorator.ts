import type {
  AttributeSelection,
  PoolStats,
  ResourceStore,
  SearchQuery,
  SearchResult,
  WriteCondition,
} from '../backends/resource-store.js';
import type { PatchOperation } from '../scim/patch/operation.js';
import type { ScimResource } from '../scim/schema/model.js';

/** A ResourceStore operation that waits on the backend (the rest are local and pass straight through). */
export type BackendOperation = 'search' | 'get' | 'create' | 'replace' | 'modify' | 'delete' | 'ping';

/**
 * A ResourceStore wrapped around another one, with one hook, `around`, that
 * sees every backend call. An explicit class rather than a Proxy: it costs
 * nothing per property access (these run on every request), and a method the
 * port gains later is a compile error here until it is forwarded.
 */
export abstract class StoreDecorator implements ResourceStore {
  readonly poolStats?: () => PoolStats;

  constructor(protected readonly inner: ResourceStore) {
    const poolStats = inner.poolStats;
    if (poolStats !== undefined) this.poolStats = () => poolStats.call(inner);
  }

  /** Called with each backend call already started; resolves or rejects as it does. */
  protected abstract around<T>(
    operation: BackendOperation,
    resourceType: string,
    work: Promise<T>,
  ): Promise<T>;

  get resourceTypes(): readonly string[] {
    return this.inner.resourceTypes;
  }

  supportsCursor(resourceType: string): boolean {
    return this.inner.supportsCursor(resourceType);
  }

  search(resourceType: string, query: SearchQuery): Promise<SearchResult> {
    return this.around('search', resourceType, this.inner.search(resourceType, query));
  }

  get(resourceType: string, id: string, selection?: AttributeSelection): Promise<ScimResource> {
    return this.around('get', resourceType, this.inner.get(resourceType, id, selection));
  }

  create(resourceType: string, resource: ScimResource): Promise<ScimResource> {
    return this.around('create', resourceType, this.inner.create(resourceType, resource));
  }

  replace(
    resourceType: string,
    id: string,
    resource: ScimResource,
    condition?: WriteCondition,
  ): Promise<ScimResource> {
    return this.around('replace', resourceType, this.inner.replace(resourceType, id, resource, condition));
  }

  modify(
    resourceType: string,
    id: string,
    operations: readonly PatchOperation[],
    condition?: WriteCondition,
    selection?: AttributeSelection,
  ): Promise<ScimResource> {
    return this.around(
      'modify',
      resourceType,
      this.inner.modify(resourceType, id, operations, condition, selection),
    );
  }

  delete(resourceType: string, id: string, condition?: WriteCondition) {
    return this.around('delete', resourceType, this.inner.delete(resourceType, id, condition));
  }

  ping(): Promise<void> {
    return this.around('ping', '', this.inner.ping());
  }

  explain(resourceType: string, query: SearchQuery): string {
    return this.inner.explain(resourceType, query);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
