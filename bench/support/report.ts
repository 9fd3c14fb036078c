import { mkdir, writeFile } from 'node:fs/promises';
import type { LoadOutcome } from './load-spec.js';
import type { MachineDescription } from './machine.js';

/** One measured scenario: what was asked, through what, and what came out. */
export interface ScenarioResult {
  readonly scenario: string;
  /** `gateway`, `minimal route`, `knex direct`, `ldapts direct`. */
  readonly via: string;
  readonly outcome: LoadOutcome;
  /** RSS of the serving process during the run (MiB), for the gateway and the minimal route. */
  readonly rss?: { readonly peakMiB: number; readonly meanMiB: number };
  /** CPU time (user + system) the serving process spent per request, from /proc: independent of other load. */
  readonly serverCpuMsPerRequest?: number;
}

/** A target of the issue: a measured ratio against a bound. */
export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
}

const fixed = (value: number, digits = 1) => value.toFixed(digits);

export function resultsTable(results: readonly ScenarioResult[]): string {
  const lines = [
    '| scenario | via | req/s | p50 ms | p99 ms | requests | failed | server CPU ms/request | server RSS peak MiB |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const { scenario, via, outcome, rss, serverCpuMsPerRequest: cpu } of results) {
    lines.push(
      `| ${scenario} | ${via} | ${fixed(outcome.requestsPerSecond, 0)} | ${fixed(outcome.p50Ms, 2)} | ${fixed(outcome.p99Ms, 2)} | ${outcome.completed} | ${outcome.failures} | ${cpu === undefined ? '' : fixed(cpu, 2)} | ${rss === undefined ? '' : fixed(rss.peakMiB, 0)} |`,
    );
  }
  return lines.join('\n');
}

export function targetsTable(checks: readonly TargetCheck[]): string {
  const lines = ['| target | measured | met |', '| --- | --- | --- |'];
  for (const check of checks)
    lines.push(`| ${check.target} | ${check.measured} | ${check.met ? 'yes' : '**no**'} |`);
  return lines.join('\n');
}

export function machineLines(machine: MachineDescription, settings: Record<string, string | number>): string {
  const servers = Object.entries(machine.servers).map(([name, version]) => `${name}: ${version}`);
  return [
    `- date: ${machine.date}`,
    `- CPU: ${machine.cpuModel}, ${machine.cores} cores; RAM ${machine.memoryGiB} GiB; load average (1, 5, 15 min) as the run ended ${machine.loadAverage}`,
    `- Node ${machine.node}; ${servers.join('; ')}`,
    `- settings: ${Object.entries(settings)
      .map(([key, value]) => `${key}=${value}`)
      .join(', ')}`,
  ].join('\n');
}

/** Prints the report (markdown, for docs/benchmarks.md) and keeps the raw numbers in bench/results/<name>.json. */
export async function publish(
  name: string,
  machine: MachineDescription,
  settings: Record<string, string | number>,
  results: readonly ScenarioResult[],
  checks: readonly TargetCheck[],
  notes: readonly string[],
): Promise<void> {
  const text = [
    `## ${name}`,
    '',
    machineLines(machine, settings),
    '',
    resultsTable(results),
    '',
    targetsTable(checks),
    ...(notes.length === 0 ? [] : ['', ...notes.map((note) => `- ${note}`)]),
    '',
  ].join('\n');
  process.stdout.write(`\n${text}\n`);
  const folder = new URL('../results/', import.meta.url);
  await mkdir(folder, { recursive: true });
  await writeFile(
    new URL(`${name}.json`, folder),
    `${JSON.stringify({ machine, settings, results, checks, notes }, null, 2)}\n`,
  );
}

export function ratio(a: number, b: number): number {
  return b === 0 ? Number.POSITIVE_INFINITY : a / b;
}

/** A target on `value / base`: at least `floor` (throughput). */
export function ratioAtLeast(target: string, value: number, base: number, floor: number): TargetCheck {
  const measured = ratio(value, base);
  return { target, measured: `${measured.toFixed(2)}×`, met: measured >= floor };
}

/** A target on `value / base`: at most `ceiling` (latency). */
export function ratioAtMost(target: string, value: number, base: number, ceiling: number): TargetCheck {
  const measured = ratio(value, base);
  return { target, measured: `${measured.toFixed(2)}×`, met: measured <= ceiling };
}
