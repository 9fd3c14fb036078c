/** What one HTTP load run sends: the same request shape, rotating over prepared paths (and bodies). */
export interface LoadSpec {
  /** Origin, e.g. `http://127.0.0.1:8080`. */
  readonly origin: string;
  readonly method: 'GET' | 'PATCH';
  /** Request paths, used in turn so every request asks for something else (different users). */
  readonly paths: readonly string[];
  /** PATCH bodies, used in turn with the paths (same index). */
  readonly bodies?: readonly string[];
  readonly headers: Readonly<Record<string, string>>;
  /** Where in `paths` to begin (interleaved rounds each take their own part, so PATCHes do not repeat). */
  readonly firstIndex?: number;
  readonly connections: number;
  readonly warmupSeconds: number;
  readonly durationSeconds: number;
  /** Requests answered during the warm-up (they count for the server's CPU time per request). */
  readonly warmupCompleted?: number;
}

/** Throughput and latency of one run, whoever generated the load (autocannon or the in-process driver). */
export interface LoadOutcome {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly completed: number;
  /** Non-2xx answers, errors and timeouts: a run with any of these is reported as failed. */
  readonly failures: number;
  readonly durationSeconds: number;
  /** Requests answered during the warm-up (they count for the server's CPU time per request). */
  readonly warmupCompleted?: number;
}
