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
   * One answered request. `requestLabels` (tenant, route, method, status) and
   * `durationLabels` (tenant, route, method) are reused objects, never changed.
   */
  observeRequest(requestLabels: LabelSet, durationLabels: LabelSet, seconds: number): void {
    this.perRequest.record(this.countRequest, requestLabels, 1);
    this.perRequest.record(this.timeRequest, durationLabels, seconds);
  }

  /** One backend operation (tenant, backend, operation, resource_type, outcome: a reused object). */
  observeBackend(labels: LabelSet, seconds: number): void {
    this.perRequest.record(this.timeBackend, labels, seconds);
  }

  readonly backendErrors = new Counter({
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
