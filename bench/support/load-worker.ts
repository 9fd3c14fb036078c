import autocannon from 'autocannon';
import type { LoadOutcome, LoadSpec } from './load-spec.js';

/**
 * Child process: reads a LoadSpec as JSON on stdin, runs autocannon against
 * it (a warm-up, then the measured run) and prints a LoadOutcome as JSON.
 * It runs apart from the server under test, so the load generator never
 * shares that server's event loop.
 */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const spec = JSON.parse(await readStdin()) as LoadSpec;
// One rotation through the paths across warm-up and measured run: no PATCH repeats while the list lasts.
let next = spec.firstIndex ?? 0;

async function run(durationSeconds: number) {
  return autocannon({
    url: spec.origin,
    connections: spec.connections,
    duration: durationSeconds,
    timeout: 30,
    requests: [
      {
        method: spec.method,
        headers: { ...spec.headers },
        setupRequest(request) {
          const index = next % spec.paths.length;
          next += 1;
          const body = spec.bodies?.[index];
          return { ...request, path: spec.paths[index], ...(body === undefined ? {} : { body }) };
        },
      },
    ],
  });
}

const warmup = spec.warmupSeconds > 0 ? await run(spec.warmupSeconds) : undefined;
const result = await run(spec.durationSeconds);
const outcome: LoadOutcome = {
  requestsPerSecond: result.requests.average,
  p50Ms: result.latency.p50,
  p99Ms: result.latency.p99,
  completed: result['2xx'],
  failures: result.non2xx + result.errors + result.timeouts,
  durationSeconds: result.duration,
  warmupCompleted: warmup === undefined ? 0 : warmup['2xx'] + warmup.non2xx,
};
process.stdout.write(`${JSON.stringify(outcome)}\n`);
