import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resultsTable } from '../support/report.js';
import { ScenarioRunner, type Variant } from '../support/scenario-runner.js';
import { expectOk, usersPath } from '../support/scim-client.js';
import { type ServerProcess, startServerProcess } from '../support/server-process.js';
import { benchSettings } from '../support/settings.js';
import { connect, createDatabase, loadData, PG_SERVER, sampleUsers, serverEnv } from './pg-database.js';

/**
 * npm run bench:compare -- <other checkout> — this checkout's gateway against
 * another's (an earlier commit in a git worktree, with node_modules), on one
 * PostgreSQL database with the benchmark's data, get by id and `userName eq`
 * in interleaved rounds, with this checkout's minimal route (the gateway's
 * statement, prepared) beside them as the floor. What to read is the server CPU per request: on a
 * shared machine it moves far less between runs than req/s, and the
 * interleaving puts outside load on both sides alike. Drops the database at
 * the end; publishes nothing.
 */
const other = process.argv[2];
if (other === undefined || !existsSync(resolve(other, 'bench/support/gateway-server.ts'))) {
  process.stderr.write('usage: npm run bench:compare -- <path of another checkout, with node_modules>\n');
  process.exit(2);
}
const settings = benchSettings();
const SAMPLE = 2000;
const token = randomBytes(16).toString('hex');
const auth = { authorization: `Bearer ${token}` };
const checkouts = [
  { name: 'this checkout', root: fileURLToPath(new URL('../..', import.meta.url)) },
  { name: `other (${other})`, root: resolve(other) },
];

const database = await createDatabase(PG_SERVER);
const db = connect(PG_SERVER, database.name, 10);
const servers: ServerProcess[] = [];
try {
  process.stdout.write(`database ${database.name}: loading ${settings.users} users…\n`);
  await loadData(db, settings.users, settings.bigGroup);
  const sample = await sampleUsers(db, SAMPLE);
  const gateways = [];
  for (const checkout of checkouts) {
    const gateway = await startServerProcess(resolve(checkout.root, 'bench/support/gateway-server.ts'), {
      ...serverEnv(PG_SERVER, database.name),
      // Both sides serve the same mapping: this checkout's.
      BENCH_MAPPING: fileURLToPath(new URL('../mappings/postgres-bench.yaml', import.meta.url)),
      BENCH_TOKEN: token,
    });
    servers.push(gateway);
    gateways.push({ ...checkout, gateway });
  }
  // The floor beside them: this checkout's minimal route, sending the gateway's statement prepared.
  const minimal = await startServerProcess(
    fileURLToPath(new URL('./minimal-sql-server.ts', import.meta.url)),
    serverEnv(PG_SERVER, database.name),
  );
  servers.push(minimal);
  const scenarios = {
    'get by id': {
      gateway: sample.map((user) => `/scim/v2/Users/${user.id}`),
      minimal: sample.map((user) => `/users-with-children-prepared/${user.id}`),
    },
    'userName eq filter': {
      gateway: sample.map((user) => usersPath({ filter: `userName eq "${user.user_name}"` })),
      minimal: sample.map(
        (user) => `/users-with-children-prepared?userName=${encodeURIComponent(user.user_name)}`,
      ),
    },
  };
  const run = new ScenarioRunner(settings);
  for (const [scenario, paths] of Object.entries(scenarios)) {
    const variants: Variant[] = [
      ...gateways.map(
        ({ name, gateway }): Variant => ({
          scenario,
          via: name,
          http: { origin: gateway.origin, method: 'GET', paths: paths.gateway, headers: auth },
          serverPid: gateway.pid,
        }),
      ),
      {
        scenario,
        via: 'minimal route, prepared',
        http: { origin: minimal.origin, method: 'GET', paths: paths.minimal, headers: {} },
        serverPid: minimal.pid,
      },
    ];
    for (const { gateway } of gateways)
      await expectOk(gateway.origin, paths.gateway[0] ?? '', { headers: auth });
    await run.prime(variants, settings.warmupSeconds * 2);
    const [mine, theirs, floor] = await run.compare(variants);
    const cpu = (result: typeof mine) => result?.serverCpuMsPerRequest ?? Number.NaN;
    const micros = (result: typeof mine) => `${(cpu(result) * 1000).toFixed(0)} µs`;
    process.stdout.write(
      `${scenario}: server CPU per request, this checkout ${micros(mine)}, other ${micros(theirs)} (${(cpu(mine) / cpu(theirs)).toFixed(2)}×), minimal route ${micros(floor)}\n`,
    );
  }
  process.stdout.write(`\n${resultsTable(run.results)}\n`);
} finally {
  await Promise.all(servers.map((server) => server.stop()));
  await db.destroy();
  await database.drop();
  process.stdout.write(`dropped ${database.name}\n`);
}
