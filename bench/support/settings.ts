/** Knobs of a benchmark run, from the environment (defaults: what docs/benchmarks.md reports). */
export interface BenchSettings {
  readonly connections: number;
  readonly warmupSeconds: number;
  /** Measured seconds per scenario, split over `rounds` interleaved rounds. */
  readonly durationSeconds: number;
  readonly rounds: number;
  readonly users: number;
  readonly bigGroup: number;
}

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number, not '${raw}'`);
  return value;
}

export function benchSettings(): BenchSettings {
  return {
    connections: positive('BENCH_CONNECTIONS', 16),
    warmupSeconds: positive('BENCH_WARMUP', 2),
    durationSeconds: positive('BENCH_DURATION', 10),
    rounds: Math.round(positive('BENCH_ROUNDS', 5)),
    users: positive('BENCH_USERS', 100_000),
    bigGroup: positive('BENCH_BIG_GROUP', 50_000),
  };
}
