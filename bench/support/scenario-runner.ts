import type { LoadOutcome, LoadSpec } from './load-spec.js';
import type { ScenarioResult } from './report.js';
import { cpuMs, sampleRss } from './rss-sampler.js';
import { runDirectLoad, runHttpLoad } from './run-load.js';
import type { BenchSettings } from './settings.js';

/** One side of a comparison: HTTP load from autocannon, or the in-process driver. */
export type Variant = {
  readonly scenario: string;
  readonly via: string;
} & (
  | {
      readonly http: Omit<LoadSpec, 'connections' | 'warmupSeconds' | 'durationSeconds'>;
      /** Concurrent connections when not the run's setting (expensive pages on OpenLDAP). */
      readonly connections?: number;
      /** The serving process (gateway, minimal route): its RSS and CPU time are read during the run. */
      readonly serverPid?: number;
    }
  | { readonly direct: (iteration: number) => Promise<unknown> }
);

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

/**
 * Runs the variants of a comparison interleaved: `rounds` rounds, each giving
 * every variant `durationSeconds / rounds`, so load from outside the
 * benchmark (a shared machine) falls on all of them alike. Per variant:
 * req/s over all rounds, p50/p99 the median of the rounds' values.
 */
export class ScenarioRunner {
  readonly results: ScenarioResult[] = [];

  constructor(private readonly settings: BenchSettings) {}

  private async once(variant: Variant, round: number, warmupSeconds: number, durationSeconds: number) {
    const connections = ('http' in variant ? variant.connections : undefined) ?? this.settings.connections;
    const timing = { connections, warmupSeconds, durationSeconds };
    if ('direct' in variant) {
      return { outcome: await runDirectLoad(timing, variant.direct), rss: undefined, cpu: undefined };
    }
    const pid = variant.serverPid;
    const sampler = pid === undefined ? undefined : sampleRss(pid);
    const cpuBefore = pid === undefined ? undefined : await cpuMs(pid);
    const share = Math.floor(variant.http.paths.length / this.settings.rounds);
    const outcome = await runHttpLoad({ ...variant.http, ...timing, firstIndex: round * share });
    const cpuAfter = pid === undefined ? undefined : await cpuMs(pid);
    const requests = outcome.completed + outcome.failures + (outcome.warmupCompleted ?? 0);
    const cpu =
      cpuBefore === undefined || cpuAfter === undefined ? undefined : { ms: cpuAfter - cpuBefore, requests };
    return { outcome, rss: await sampler?.stop(), cpu };
  }

  /**
   * Load without measuring, so the servers' one-time costs (JIT compilation,
   * lazily built caches, pool connections) do not land on whichever variant
   * happens to run first.
   */
  async prime(variants: readonly Variant[], seconds: number): Promise<void> {
    for (const variant of variants) {
      if (!('http' in variant)) continue;
      await runHttpLoad({
        ...variant.http,
        connections: this.settings.connections,
        warmupSeconds: 0,
        durationSeconds: seconds,
      });
    }
  }

  /** `durationSeconds` overrides the run's setting for slow scenarios (each round must fit some requests). */
  async compare(variants: readonly Variant[], durationSeconds?: number): Promise<ScenarioResult[]> {
    const rounds = this.settings.rounds;
    const slice = (durationSeconds ?? this.settings.durationSeconds) / rounds;
    const runs: Awaited<ReturnType<ScenarioRunner['once']>>[][] = variants.map(() => []);
    for (let round = 0; round < rounds; round += 1) {
      for (const [index, variant] of variants.entries()) {
        runs[index]?.push(
          await this.once(variant, round, round === 0 ? this.settings.warmupSeconds : 0, slice),
        );
      }
    }
    return variants.map((variant, index) => {
      const mine = runs[index] ?? [];
      const seconds = mine.reduce((sum, run) => sum + run.outcome.durationSeconds, 0);
      const completed = mine.reduce((sum, run) => sum + run.outcome.completed, 0);
      const peaks = mine.flatMap((run) => (run.rss === undefined ? [] : [run.rss]));
      const outcome: LoadOutcome = {
        requestsPerSecond: seconds === 0 ? 0 : completed / seconds,
        p50Ms: median(mine.map((run) => run.outcome.p50Ms)),
        p99Ms: median(mine.map((run) => run.outcome.p99Ms)),
        completed,
        failures: mine.reduce((sum, run) => sum + run.outcome.failures, 0),
        durationSeconds: seconds,
      };
      const rss =
        peaks.length === 0
          ? undefined
          : {
              peakMiB: Math.max(...peaks.map((sample) => sample.peakMiB)),
              meanMiB: peaks.reduce((sum, sample) => sum + sample.meanMiB, 0) / peaks.length,
            };
      const cpus = mine.flatMap((run) => (run.cpu === undefined ? [] : [run.cpu]));
      const cpuRequests = cpus.reduce((sum, sample) => sum + sample.requests, 0);
      const serverCpuMsPerRequest =
        cpuRequests === 0 ? undefined : cpus.reduce((sum, sample) => sum + sample.ms, 0) / cpuRequests;
      return this.record({
        scenario: variant.scenario,
        via: variant.via,
        outcome,
        ...(rss === undefined ? {} : { rss }),
        ...(serverCpuMsPerRequest === undefined ? {} : { serverCpuMsPerRequest }),
      });
    });
  }

  private record(result: ScenarioResult): ScenarioResult {
    this.results.push(result);
    const { outcome } = result;
    process.stdout.write(
      `${result.scenario} via ${result.via}: ${outcome.requestsPerSecond.toFixed(0)} req/s, p50 ${outcome.p50Ms.toFixed(2)} ms, p99 ${outcome.p99Ms.toFixed(2)} ms, ${outcome.completed} ok, ${outcome.failures} failed${result.serverCpuMsPerRequest === undefined ? '' : `, server CPU ${result.serverCpuMsPerRequest.toFixed(2)} ms/request`}${result.rss === undefined ? '' : `, RSS peak ${result.rss.peakMiB.toFixed(0)} MiB`}\n`,
    );
    if (outcome.failures > 0) process.stdout.write(`  WARNING: ${outcome.failures} requests failed\n`);
    return result;
  }
}
