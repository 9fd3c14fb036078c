import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { USER_ID } from '../support/instant-store.js';
import { cpuMs } from '../support/rss-sampler.js';
import { runHttpLoad } from '../support/run-load.js';
import { type ServerProcess, startServerProcess } from '../support/server-process.js';

/**
 * npm run bench:layer [-- ../other-checkout] — the SCIM layer's CPU per
 * request over HTTP: the gateway over a store that answers at once, against
 * a one-route Fastify app returning the same user, each compiled and in its
 * own process, autocannon in a third. With another checkout (one that has
 * this folder too), its gateway runs beside this one's, for judging a change.
 *
 * Many short interleaved slices (BENCH_LAYER_ROUNDS, default 20, of
 * BENCH_LAYER_SLICE seconds, default 1.5) so that drift in a shared
 * machine's speed falls on every side alike; the figure is the serving
 * process's CPU time over the requests it answered.
 */
const rounds = Number(process.env.BENCH_LAYER_ROUNDS ?? 20);
const slice = Number(process.env.BENCH_LAYER_SLICE ?? 1.5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const other = process.argv[2];
const token = randomBytes(16).toString('hex');
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

const sides: { name: string; script: string }[] = [
  { name: 'gateway (this checkout)', script: here('./gateway-instant-server.ts') },
  ...(other === undefined
    ? []
    : [{ name: `gateway (${other})`, script: resolve(other, 'bench/scim-layer/gateway-instant-server.ts') }]),
  { name: 'minimal route', script: here('./minimal-instant-server.ts') },
];
const shapes = {
  'get by id': `/scim/v2/Users/${USER_ID}`,
  'userName eq': `/scim/v2/Users?filter=${encodeURIComponent('userName eq "bjensen@example.com"')}`,
};

const servers: ServerProcess[] = [];
try {
  const env = { BENCH_TOKEN: token, BENCH_MAPPING: here('../mappings/postgres-bench.yaml') };
  for (const side of sides) servers.push(await startServerProcess(side.script, env));
  const headers = { authorization: `Bearer ${token}` };
  for (const [shape, path] of Object.entries(shapes)) {
    const load = (server: ServerProcess, seconds: number) =>
      runHttpLoad({
        origin: server.origin,
        method: 'GET',
        paths: [path],
        headers,
        connections,
        warmupSeconds: 0,
        durationSeconds: seconds,
      });
    for (const server of servers) await load(server, 3); // JIT and lazily built caches, unmeasured
    const totals = servers.map(() => ({ cpuMs: 0, requests: 0, failures: 0 }));
    for (let round = 0; round < rounds; round += 1) {
      // Alternate the order too, so no side always runs right after the same one.
      const order =
        round % 2 === 0 ? servers.map((_, i) => i) : servers.map((_, i) => servers.length - 1 - i);
      for (const index of order) {
        const server = servers[index] as ServerProcess;
        const total = totals[index] as (typeof totals)[number];
        const before = await cpuMs(server.pid);
        const outcome = await load(server, slice);
        const after = await cpuMs(server.pid);
        if (before === undefined || after === undefined) throw new Error('cannot read the server CPU time');
        total.cpuMs += after - before;
        total.requests += outcome.completed + outcome.failures;
        total.failures += outcome.failures;
      }
    }
    const micros = totals.map((total) => (1000 * total.cpuMs) / total.requests);
    const floor = micros[micros.length - 1] as number;
    process.stdout.write(`\n${shape} (${rounds} × ${slice} s, ${connections} connections)\n`);
    sides.forEach((side, index) => {
      const total = totals[index] as (typeof totals)[number];
      const over =
        index === sides.length - 1
          ? ''
          : `, ${((micros[index] as number) - floor).toFixed(1)} µs over the minimal route`;
      process.stdout.write(
        `  ${side.name.padEnd(40)} ${(micros[index] as number).toFixed(1).padStart(7)} µs CPU/request${over} (${total.requests} requests, ${total.failures} failed)\n`,
      );
    });
  }
} finally {
  for (const server of servers) await server.stop();
}
