import type { LoadOutcome, LoadSpec } from './load-spec.js';
import type { ScenarioResult } from './report.js';
import { sampleRss } from './rss-sampler.js';
import { runDirectLoad, runHttpLoad } from './run-load.js';
import type { BenchSettings } from './settings.js';

/** Runs scenarios one after another and collects their results (printed as they finish). */
export class ScenarioRunner {
  readonly results: ScenarioResult[] = [];

  constructor(private readonly settings: BenchSettings) {}

  private record(result: ScenarioResult): ScenarioResult {
    this.results.push(result);
    const { outcome } = result;
    process.stdout.write(
      `${result.scenario} via ${result.via}: ${outcome.requestsPerSecond.toFixed(0)} req/s, p50 ${outcome.p50Ms.toFixed(2)} ms, p99 ${outcome.p99Ms.toFixed(2)} ms, ${outcome.completed} ok, ${outcome.failures} failed${result.rss === undefined ? '' : `, RSS peak ${result.rss.peakMiB.toFixed(0)} MiB`}\n`,
    );
    if (outcome.failures > 0) process.stdout.write(`  WARNING: ${outcome.failures} requests failed\n`);
    return result;
  }

  /** HTTP load from a child process; `rssPid` is sampled during the run. */
  async http(
    scenario: string,
    via: string,
    spec: Omit<LoadSpec, 'connections' | 'warmupSeconds' | 'durationSeconds'>,
    rssPid?: number,
  ): Promise<ScenarioResult> {
    const sampler = rssPid === undefined ? undefined : sampleRss(rssPid);
    const outcome: LoadOutcome = await runHttpLoad({
      ...spec,
      connections: this.settings.connections,
      warmupSeconds: this.settings.warmupSeconds,
      durationSeconds: this.settings.durationSeconds,
    });
    const rss = await sampler?.stop();
    return this.record({ scenario, via, outcome, ...(rss === undefined ? {} : { rss }) });
  }

  /** The no-HTTP baseline, driven from this process at the same concurrency. */
  async direct(
    scenario: string,
    via: string,
    task: (i: number) => Promise<unknown>,
  ): Promise<ScenarioResult> {
    const outcome = await runDirectLoad(
      {
        connections: this.settings.connections,
        warmupSeconds: this.settings.warmupSeconds,
        durationSeconds: this.settings.durationSeconds,
      },
      task,
    );
    return this.record({ scenario, via, outcome });
  }
}
