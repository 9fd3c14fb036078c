import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadOutcome, LoadSpec } from './load-spec.js';

const WORKER = fileURLToPath(new URL('./load-worker.ts', import.meta.url));

/** Runs autocannon in a child process (tsx) and returns what it measured. */
export async function runHttpLoad(spec: LoadSpec): Promise<LoadOutcome> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], { stdio: ['pipe', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.stdin.end(JSON.stringify(spec));
  const code = await exited;
  if (code !== 0) throw new Error(`load worker exited with ${code}`);
  return JSON.parse(stdout.trim()) as LoadOutcome;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? 0;
}

/**
 * The no-HTTP baseline: `connections` concurrent loops calling `task` for
 * the duration (after a warm-up), in this process. Failures are counted,
 * never hidden.
 */
export async function runDirectLoad(
  options: { connections: number; warmupSeconds: number; durationSeconds: number },
  task: (iteration: number) => Promise<unknown>,
): Promise<LoadOutcome> {
  let iteration = 0;
  const drive = async (seconds: number, latencies: number[] | undefined) => {
    let failures = 0;
    const until = performance.now() + seconds * 1000;
    const loop = async () => {
      while (performance.now() < until) {
        const started = performance.now();
        try {
          await task(iteration++);
          latencies?.push(performance.now() - started);
        } catch {
          failures += 1;
        }
      }
    };
    await Promise.all(Array.from({ length: options.connections }, loop));
    return failures;
  };
  await drive(options.warmupSeconds, undefined);
  const latencies: number[] = [];
  const started = performance.now();
  const failures = await drive(options.durationSeconds, latencies);
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requestsPerSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    completed: latencies.length,
    failures,
    durationSeconds: seconds,
  };
}
