import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { PoolStats } from '../../backends/resource-store.js';
import {
  type CounterSeries,
  type HistogramSeries,
  SeriesCounter,
  SeriesHistogram,
} from './series-metrics.js';
import { ThreeKeyMap } from './three-key-map.js';

/** The two series one request records into: its duration, and its count by status. */
interface RequestSeries {
  readonly duration: HistogramSeries;
  readonly byStatus: Map<number, CounterSeries>;
}

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

  /** Every answered request, by tenant, route template, method and status. */
  private readonly httpRequests = new SeriesCounter({
    name: 'crosswalk_http_requests_total',
    help: 'HTTP requests answered, by tenant, route template, method and status code',
    labelNames: ['tenant', 'route', 'method', 'status'],
    registers: [this.registry],
  });

  private readonly httpDuration = new SeriesHistogram({
    name: 'crosswalk_http_request_duration_seconds',
    help: 'Time from request received to response sent',
    labelNames: ['tenant', 'route', 'method'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  private readonly backendDuration = new SeriesHistogram({
    name: 'crosswalk_backend_operation_duration_seconds',
    help: 'Duration of ResourceStore operations (one SCIM operation against the backend)',
    labelNames: ['tenant', 'backend', 'operation', 'resource_type', 'outcome'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  /**
   * The series each request records into, found through maps keyed by the
   * strings as they come (tenant, route template, method; store labels,
   * operation, resource type) — no key string is built per request. The
   * values are tenant names, route templates, methods, status codes and
   * names from the mapping, so the maps stay small.
   */
  private readonly requestSeries = new ThreeKeyMap<RequestSeries>();
  private readonly backendSeries = new WeakMap<object, ThreeKeyMap<HistogramSeries>>();

  /** One answered request: its route template (never the raw URL), method and status. */
  observeRequest(tenant: string, route: string, method: string, status: number, seconds: number): void {
    let series = this.requestSeries.get(tenant, route, method);
    if (series === undefined) {
      series = {
        duration: this.httpDuration.of({ tenant, route, method }),
        byStatus: new Map(),
      };
      this.requestSeries.set(tenant, route, method, series);
    }
    let requests = series.byStatus.get(status);
    if (requests === undefined) {
      requests = this.httpRequests.of({ tenant, route, method, status: String(status) });
      series.byStatus.set(status, requests);
    }
    requests.inc();
    series.duration.observe(seconds);
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
    let ofStore = this.backendSeries.get(store);
    if (ofStore === undefined) {
      ofStore = new ThreeKeyMap();
      this.backendSeries.set(store, ofStore);
    }
    let duration = ofStore.get(operation, resourceType, outcome);
    if (duration === undefined) {
      duration = this.backendDuration.of({
        tenant: store.tenant,
        backend: store.backend,
        operation,
        resource_type: resourceType,
        outcome,
      });
      ofStore.set(operation, resourceType, outcome, duration);
    }
    duration.observe(seconds);
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
