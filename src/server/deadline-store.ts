import type { ResourceStore } from '../backends/resource-store.js';
import { scimErrors } from '../scim/errors.js';
import { type BackendOperation, StoreDecorator } from './store-decorator.js';

/** Seconds a client is asked to wait after a timed-out backend call. */
const RETRY_AFTER_SECONDS = 5;

/**
 * The store with a deadline on every backend call: past `timeoutMs` the
 * client gets 503 with Retry-After instead of a hanging request. The call
 * itself cannot be cancelled and may still complete in the backend, which a
 * retried create then meets as 409 uniqueness (documented in docs/security.md).
 */
class DeadlineStore extends StoreDecorator {
  constructor(
    inner: ResourceStore,
    private readonly timeoutMs: number,
  ) {
    super(inner);
  }

  protected around<T>(operation: BackendOperation, _resourceType: string, work: Promise<T>): Promise<T> {
    const timeoutMs = this.timeoutMs;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          scimErrors.unavailable(
            `The backend did not answer ${operation} within ${timeoutMs} ms; try again later`,
            RETRY_AFTER_SECONDS,
          ),
        );
      }, timeoutMs);
      work.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }
}

export function storeWithDeadline(store: ResourceStore, timeoutMs: number): ResourceStore {
  return new DeadlineStore(store, timeoutMs);
}
