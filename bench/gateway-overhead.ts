import Fastify from 'fastify';
import { loadMappingFile } from '../src/mapping/load-mapping.js';
import { buildApp } from '../src/server/app.js';
import { instantStore, USER_ID } from './support/instant-store.js';

/**
 * npm run bench:overhead — the gateway's own CPU per request, without a
 * backend or a socket: the full app (auth, hooks, metrics, SCIM parsing,
 * projection, serialisation) over a store that answers instantly, against a
 * one-route Fastify app returning a raw row, both through `inject`. What is
 * left between the two is what the SCIM layer costs on every request.
 */
const REQUESTS = Number(process.env.BENCH_OVERHEAD_REQUESTS ?? 20_000);
const row = {
  id: USER_ID,
  user_name: 'bjensen@example.com',
  external_id: 'ext-1',
  active: 1,
  display_name: 'Babs Jensen',
  given_name: 'Barbara',
  family_name: 'Jensen',
  formatted_name: 'Barbara Jensen',
  title: 'Engineer',
  employee_number: '000001',
  department: 'Department 1',
  version: 3,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-02T00:00:00.000Z',
};

const token = 'overhead-benchmark-token';
// The mapping's connection is never opened: the instant store stands in for the backend.
process.env.BENCH_PG_DATABASE ??= 'not-connected';
const mapping = await loadMappingFile(new URL('./mappings/postgres-bench.yaml', import.meta.url).pathname);
const gateway = await buildApp({
  mapping,
  store: instantStore,
  auth: { bearerTokens: [{ name: 'bench', token }] },
});
const minimal = Fastify();
minimal.get('/users/:id', async () => structuredClone(row));
await Promise.all([gateway.ready(), minimal.ready()]);

type Inject = () => Promise<{ statusCode: number }>;

/** CPU µs per request of `run`, over `requests` requests. */
async function cpuMicros(run: Inject, requests: number): Promise<number> {
  const started = process.cpuUsage();
  for (let i = 0; i < requests; i += 1) {
    const response = await run();
    if (response.statusCode !== 200) throw new Error(`status ${response.statusCode}`);
  }
  const used = process.cpuUsage(started);
  return used.user + used.system;
}

const headers = { authorization: `Bearer ${token}` };
const variants: Record<string, Inject> = {
  'minimal route (raw row)': () => minimal.inject({ url: `/users/${USER_ID}` }),
  'gateway GET /Users/{id}': () => gateway.inject({ url: `/scim/v2/Users/${USER_ID}`, headers }),
  'gateway GET /Users?filter=userName eq': () =>
    gateway.inject({
      url: `/scim/v2/Users?filter=${encodeURIComponent('userName eq "bjensen@example.com"')}`,
      headers,
    }),
};
// Warm-up, then interleaved rounds so other load on the machine falls on every variant alike.
for (const run of Object.values(variants)) await cpuMicros(run, 2000);
const ROUNDS = 5;
const totals = new Map<string, number>();
for (let round = 0; round < ROUNDS; round += 1) {
  for (const [name, run] of Object.entries(variants)) {
    totals.set(name, (totals.get(name) ?? 0) + (await cpuMicros(run, REQUESTS / ROUNDS)));
  }
}
const floor = (totals.get('minimal route (raw row)') ?? 0) / REQUESTS;
for (const [name, micros] of totals) {
  const perRequest = micros / REQUESTS;
  process.stdout.write(
    `${name.padEnd(40)} ${perRequest.toFixed(1).padStart(7)} µs CPU/request  ${(perRequest / floor).toFixed(2)}× the minimal route\n`,
  );
}
await Promise.all([gateway.close(), minimal.close()]);
