import type { ResourceStore } from '../backends/resource-store.js';
import { scimErrors } from '../scim/errors.js';

/** The backend calls a client waits on; explain/close/poolStats are local and pass through untouched. */
const TIMED = new Set<PropertyKey>(['search', 'get', 'create', 'replace', 'modify', 'delete', 'ping']);

/** Seconds a client is asked to wait after a timed-out backend call. */
const RETRY_AFTER_SECONDS = 5;

function withDeadline<T>(operation: string, work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          scimErrors.unavailable(
            `The backend did not answer ${operation} within ${timeoutMs} ms; try again later`,
            RETRY_AFTER_SECONDS,
          ),
        ),
      timeoutMs,
    );
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/**
 * The store with a deadline on every backend call: past `timeoutMs` the
 * client gets 503 with Retry-After instead of a hanging request. The call
 * itself cannot be cancelled and may still complete in the backend, which a
 * retried create then meets as 409 uniqueness (documented in docs/security.md).
 * A Proxy, so methods the port gains later pass through without edits here.
 */
export function storeWithDeadline(store: ResourceStore, timeoutMs: number): ResourceStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (!TIMED.has(property)) return method.bind(target);
      return (...args: unknown[]) =>
        withDeadline(String(property), Promise.resolve(method.apply(target, args)), timeoutMs);
    },
  });
}
