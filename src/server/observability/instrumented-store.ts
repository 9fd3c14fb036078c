import type { ResourceStore } from '../../backends/resource-store.js';
import { isScimError } from '../../scim/errors.js';
import { type BackendOperation, StoreDecorator } from '../store-decorator.js';
import type { GatewayMetrics } from './gateway-metrics.js';

export interface StoreLabels {
  readonly tenant: string;
  /** `sql` or `ldap`. */
  readonly backend: string;
}

/**
 * A ResourceStore that times every backend operation and counts failures by
 * SCIM status into the gateway metrics. The resource type label is the name
 * from the mapping (never from the client).
 */
class InstrumentedStore extends StoreDecorator {
  constructor(
    inner: ResourceStore,
    private readonly metrics: GatewayMetrics,
    private readonly labels: StoreLabels,
  ) {
    super(inner);
  }

  protected async around<T>(operation: BackendOperation, resourceType: string, work: Promise<T>): Promise<T> {
    const started = performance.now();
    const labels = {
      tenant: this.labels.tenant,
      backend: this.labels.backend,
      operation,
      resource_type: resourceType,
    };
    try {
      const result = await work;
      this.metrics.backendDuration.observe(
        { ...labels, outcome: 'ok' },
        (performance.now() - started) / 1000,
      );
      return result;
    } catch (error) {
      const status = isScimError(error) ? String(error.status) : '500';
      this.metrics.backendDuration.observe(
        { ...labels, outcome: 'error' },
        (performance.now() - started) / 1000,
      );
      this.metrics.backendErrors.inc({ ...labels, status });
      throw error;
    }
  }
}

export function instrumentStore(
  store: ResourceStore,
  metrics: GatewayMetrics,
  labels: StoreLabels,
): ResourceStore {
  return new InstrumentedStore(store, metrics, labels);
}
