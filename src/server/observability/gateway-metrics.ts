import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { PoolStats } from '../../backends/resource-store.js';
import { BatchedObservations, type LabelSet } from './batched-observations.js';

/** Seconds; SCIM calls are dominated by one or a few backend round trips. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Where the pool gauges read from at scrape time: each tenant's current store. */
export type PoolSource = () => Iterable<{ readonly tenant: string; readonly stats: PoolStats | undefined }>;

/**
 * The gateway's Prometheus metrics in a registry of their own (one per app,
 * never prom-client's global one, so several apps in one process — tests,
 * tenants — do not collide). Labels carry tenant names, route templates,
 * methods, status codes, operation and resource type names only: nothing a
 * client sends verbatim, so no secret and no unbounded cardinality.
 */
export class GatewayMetrics {
  readonly registry = new Registry();

  /** What every request records (the three metrics below), handed to prom-client in batches. */
  private readonly perRequest = new BatchedObservations();

  private readonly httpRequests = new Counter({
    name: 'crosswalk_http_requests_total',
    help: 'HTTP requests answered, by tenant, route template, method and status code',
    labelNames: ['tenant', 'route', 'method', 'status'] as const,
    registers: [this.registry],
    // A scrape first hands over the batched observations.
    collect: () => this.perRequest.flush(),
  });

  private readonly httpDuration = new Histogram({
    name: 'crosswalk_http_request_duration_seconds',
    help: 'Time from request received to response sent',
    labelNames: ['tenant', 'route', 'method'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
    // A scrape first hands over the batched observations.
    collect: () => this.perRequest.flush(),
  });

  private readonly backendDuration = new Histogram({
    name: 'crosswalk_backend_operation_duration_seconds',
    help: 'Duration of ResourceStore operations (one SCIM operation against the backend)',
    labelNames: ['tenant', 'backend', 'operation', 'resource_type', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
    // A scrape first hands over the batched observations.
    collect: () => this.perRequest.flush(),
  });

  private readonly countRequest = (labels: LabelSet, count: number) => this.httpRequests.inc(labels, count);
  private readonly timeRequest = (labels: LabelSet, seconds: number) =>
    this.httpDuration.observe(labels, seconds);
  private readonly timeBackend = (labels: LabelSet, seconds: number) =>
    this.backendDuration.observe(labels, seconds);

  /**
   * Label sets by their values, made once: every request observes a few, and
   * the batch keeps them (they are never changed). The values are tenant
   * names, route templates, methods, status codes and names from the mapping,
   * so the map stays small.
   */
  private readonly labelSets = new Map<string, LabelSet>();

  private remember(key: string, labels: LabelSet): LabelSet {
    this.labelSets.set(key, labels);
    return labels;
  }

  /** One answered request: its route template (never the raw URL), method and status. */
  observeRequest(tenant: string, route: string, method: string, status: number, seconds: number): void {
    const key = `${tenant}\u0000${route}\u0000${method}`;
    const requests =
      this.labelSets.get(`request\u0000${key}\u0000${status}`) ??
      this.remember(`request\u0000${key}\u0000${status}`, { tenant, route, method, status: String(status) });
    const duration =
      this.labelSets.get(`duration\u0000${key}`) ??
      this.remember(`duration\u0000${key}`, { tenant, route, method });
    this.perRequest.record(this.countRequest, requests, 1);
    this.perRequest.record(this.timeRequest, duration, seconds);
  }

  /** One backend operation of a store; a failed one is also counted by the SCIM status it became. */
  observeBackend(
    store: { readonly tenant: string; readonly backend: string },
    operation: string,
    resourceType: string,
    seconds: number,
    failedWithStatus?: number,
  ): void {
    const outcome = failedWithStatus === undefined ? 'ok' : 'error';
    const key = `backend\u0000${store.tenant}\u0000${store.backend}\u0000${operation}\u0000${resourceType}\u0000${outcome}`;
    const labels =
      this.labelSets.get(key) ??
      this.remember(key, {
        tenant: store.tenant,
        backend: store.backend,
        operation,
        resource_type: resourceType,
        outcome,
      });
    this.perRequest.record(this.timeBackend, labels, seconds);
    if (failedWithStatus !== undefined) {
      this.backendErrors.inc({
        tenant: store.tenant,
        backend: store.backend,
        operation,
        resource_type: resourceType,
        status: String(failedWithStatus),
      });
    }
  }

  private readonly backendErrors = new Counter({
    name: 'crosswalk_backend_operation_errors_total',
    help: 'ResourceStore operations that failed, by SCIM status (4xx: the request was refused; 5xx: the backend failed)',
    labelNames: ['tenant', 'backend', 'operation', 'resource_type', 'status'] as const,
    registers: [this.registry],
  });

  readonly reloads = new Counter({
    name: 'crosswalk_mapping_reloads_total',
    help: 'Mapping reload attempts by tenant and result (applied, rejected)',
    labelNames: ['tenant', 'result'] as const,
    registers: [this.registry],
  });

  private poolSource: PoolSource = () => [];

  constructor(options: { readonly processMetrics?: boolean } = {}) {
    const source = () => this.poolSource();
    new Gauge({
      name: 'crosswalk_backend_pool_connections',
      help: 'Backend pool connections by state: used (lent out), free (idle), pending (waiting callers)',
      labelNames: ['tenant', 'state'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const { tenant, stats } of source()) {
          if (stats === undefined) continue;
          this.set({ tenant, state: 'used' }, stats.used);
          this.set({ tenant, state: 'free' }, stats.free);
          this.set({ tenant, state: 'pending' }, stats.pending);
        }
      },
    });
    new Gauge({
      name: 'crosswalk_backend_pool_max_connections',
      help: 'Configured size of the backend pool',
      labelNames: ['tenant'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const { tenant, stats } of source()) {
          if (stats !== undefined) this.set({ tenant }, stats.max);
        }
      },
    });
    this.processMetrics = options.processMetrics !== false;
  }

  private readonly processMetrics: boolean;

  /** The Prometheus text of this gateway's metrics, followed by the process's. */
  async text(): Promise<string> {
    const own = await this.registry.metrics();
    return this.processMetrics ? `${own}\n${await processRegistry().metrics()}` : own;
  }

  /** Tells the pool gauges where to look (set once the tenants exist). */
  readPoolsFrom(source: PoolSource): void {
    this.poolSource = source;
  }
}

let sharedProcessRegistry: Registry | undefined;

/**
 * Process CPU, memory, event-loop lag and GC, prefixed like ours: one
 * registry per process, since these describe the process and prom-client
 * installs observers for them that cannot be removed again.
 */
function processRegistry(): Registry {
  if (sharedProcessRegistry === undefined) {
    sharedProcessRegistry = new Registry();
    collectDefaultMetrics({ register: sharedProcessRegistry, prefix: 'crosswalk_' });
  }
  return sharedProcessRegistry;
}
