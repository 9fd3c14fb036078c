import type { ResourceStore } from '../../backends/resource-store.js';
import { isScimError } from '../../scim/errors.js';
import type { GatewayMetrics } from './gateway-metrics.js';

/** The port's operations that talk to the backend; the rest (explain, poolStats, close) pass through. */
const MEASURED = new Set<PropertyKey>(['search', 'get', 'create', 'replace', 'modify', 'delete', 'ping']);

export interface StoreLabels {
  readonly tenant: string;
  /** `sql` or `ldap`. */
  readonly backend: string;
}

/**
 * A ResourceStore that times every backend operation and counts failures by
 * SCIM status into the gateway metrics. A Proxy, so methods the port gains
 * later pass through without edits here. The first argument of every
 * measured method except `ping` is the resource type name (from the
 * mapping, never from the client), which becomes a label.
 */
export function instrumentStore(
  store: ResourceStore,
  metrics: GatewayMetrics,
  labels: StoreLabels,
): ResourceStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (!MEASURED.has(property)) return method.bind(target);
      const operation = String(property);
      return async (...args: unknown[]) => {
        const resourceType = operation === 'ping' ? '' : String(args[0]);
        const common = {
          tenant: labels.tenant,
          backend: labels.backend,
          operation,
          resource_type: resourceType,
        };
        const started = process.hrtime.bigint();
        const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
        try {
          const result = await method.apply(target, args);
          metrics.backendDuration.observe({ ...common, outcome: 'ok' }, elapsed());
          return result;
        } catch (error) {
          const status = isScimError(error) ? String(error.status) : '500';
          metrics.backendDuration.observe({ ...common, outcome: 'error' }, elapsed());
          metrics.backendErrors.inc({ ...common, status });
          throw error;
        }
      };
    },
  });
}
