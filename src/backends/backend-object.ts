/**
 * Which backend object a write touched — an LDAP DN, or a SQL table and key —
 * for the audit trail. Stores attach it to what they return without changing
 * the wire shape: a non-enumerable symbol property is invisible to JSON, to
 * projection and to equality in tests.
 */
const BACKEND_OBJECT = Symbol('crosswalk.backendObject');

/** What `ResourceStore.delete` resolves with: where the deleted object lived, or `{}` when the store cannot say. */
export interface DeleteReceipt {
  readonly [BACKEND_OBJECT]?: string;
}

/** Tags `target` (a resource a store returns, or a fresh receipt) with the backend object it came from. */
export function withBackendObject<T extends object>(target: T, backendObject: string): T {
  Object.defineProperty(target, BACKEND_OBJECT, { value: backendObject, enumerable: false });
  return target;
}

/** A receipt for a delete: `return deletedReceipt(dn)`. */
export function deletedReceipt(backendObject: string): DeleteReceipt {
  return withBackendObject({}, backendObject);
}

/** The backend object a store attached, if any. */
export function backendObjectOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const found = (value as { [BACKEND_OBJECT]?: unknown })[BACKEND_OBJECT];
  return typeof found === 'string' ? found : undefined;
}
