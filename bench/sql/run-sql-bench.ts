import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { addMemberVariant } from '../support/add-member-variant.js';
import { describeMachine } from '../support/machine.js';
import {
  publish,
  ratio,
  ratioAtLeast,
  ratioAtMost,
  type ScenarioResult,
  type TargetCheck,
} from '../support/report.js';
import { ScenarioRunner, type Variant } from '../support/scenario-runner.js';
import { cursorAfter, expectOk, usersPath } from '../support/scim-client.js';
import { type ServerProcess, startServerProcess } from '../support/server-process.js';
import { benchSettings } from '../support/settings.js';
import {
  BIG_GROUP,
  connect,
  createDatabase,
  loadData,
  PG_SERVER,
  SMALL_GROUP,
  sampleUsers,
  serverEnv,
} from './pg-database.js';
import { userById, userByName } from './user-queries.js';

/**
 * npm run bench:sql — the PostgreSQL benchmark of issue 3 (see
 * docs/benchmarks.md): a throw-away database with 100,000 users, the gateway
 * and a minimal Fastify route each in their own process, autocannon in a
 * third, knex directly from this one. Drops the database at the end.
 */
const settings = benchSettings();
const MAPPING = fileURLToPath(new URL('../mappings/postgres-bench.yaml', import.meta.url));
const SAMPLE = 2000;
const token = randomBytes(16).toString('hex');
const auth = { authorization: `Bearer ${token}` };

const database = await createDatabase(PG_SERVER);
const db = connect(PG_SERVER, database.name, 10);
const servers: ServerProcess[] = [];
try {
  process.stdout.write(`database ${database.name}: loading ${settings.users} users…\n`);
  const loadStarted = performance.now();
  await loadData(db, settings.users, settings.bigGroup);
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  process.stdout.write(`loaded in ${loadSeconds.toFixed(1)} s\n`);

  const sample = await sampleUsers(db, SAMPLE);
  const groupId = async (name: string) =>
    String(((await db('groups').select('id').where('display_name', name)) as { id: string }[])[0]?.id);
  const bigGroupId = await groupId(BIG_GROUP);
  const smallGroupId = await groupId(SMALL_GROUP);
  // Users in neither group, split in two disjoint lists: every PATCH adds a new member.
  const outsiders = (
    (await db('users')
      .select('id')
      .whereNotIn('id', db('group_members').select('member_id'))
      .orderByRaw('random()')
      .limit(50_000)) as { id: string }[]
  ).map((row) => row.id);
  const half = Math.floor(outsiders.length / 2);

  const env = serverEnv(PG_SERVER, database.name);
  const gateway = await startServerProcess(
    fileURLToPath(new URL('../support/gateway-server.ts', import.meta.url)),
    {
      ...env,
      BENCH_MAPPING: MAPPING,
      BENCH_TOKEN: token,
    },
  );
  servers.push(gateway);
  const minimal = await startServerProcess(
    fileURLToPath(new URL('./minimal-sql-server.ts', import.meta.url)),
    env,
  );
  servers.push(minimal);

  const run = new ScenarioRunner(settings);
  const filterPaths = sample.map((user) => usersPath({ filter: `userName eq "${user.user_name}"` }));
  const getPaths = sample.map((user) => `/scim/v2/Users/${user.id}`);
  await expectOk(gateway.origin, filterPaths[0] ?? '', { headers: auth });
  await expectOk(gateway.origin, getPaths[0] ?? '', { headers: auth });

  // (a) one user: gateway vs minimal route vs knex, interleaved
  const filterVariants: Variant[] = [
    {
      scenario: 'userName eq filter',
      via: 'gateway',
      http: { origin: gateway.origin, method: 'GET', paths: filterPaths, headers: auth },
      serverPid: gateway.pid,
    },
    {
      scenario: 'userName eq filter',
      via: 'minimal route, main row only',
      http: {
        origin: minimal.origin,
        method: 'GET',
        paths: sample.map((user) => `/users?userName=${encodeURIComponent(user.user_name)}`),
        headers: {},
      },
      serverPid: minimal.pid,
    },
    {
      scenario: 'userName eq filter',
      via: "minimal route, the gateway's statement",
      http: {
        origin: minimal.origin,
        method: 'GET',
        paths: sample.map((user) => `/users-with-children?userName=${encodeURIComponent(user.user_name)}`),
        headers: {},
      },
      serverPid: minimal.pid,
    },
    {
      scenario: 'userName eq filter',
      via: "minimal route, the gateway's statement, prepared",
      http: {
        origin: minimal.origin,
        method: 'GET',
        paths: sample.map(
          (user) => `/users-with-children-prepared?userName=${encodeURIComponent(user.user_name)}`,
        ),
        headers: {},
      },
      serverPid: minimal.pid,
    },
    {
      scenario: 'userName eq filter',
      via: 'knex direct',
      direct: (i) => userByName(db, sample[i % sample.length]?.user_name ?? ''),
    },
  ];
  const getVariants: Variant[] = [
    {
      scenario: 'get by id',
      via: 'gateway',
      http: { origin: gateway.origin, method: 'GET', paths: getPaths, headers: auth },
      serverPid: gateway.pid,
    },
    {
      scenario: 'get by id',
      via: 'minimal route, main row only',
      http: {
        origin: minimal.origin,
        method: 'GET',
        paths: sample.map((user) => `/users/${user.id}`),
        headers: {},
      },
      serverPid: minimal.pid,
    },
    {
      scenario: 'get by id',
      via: "minimal route, the gateway's statement",
      http: {
        origin: minimal.origin,
        method: 'GET',
        paths: sample.map((user) => `/users-with-children/${user.id}`),
        headers: {},
      },
      serverPid: minimal.pid,
    },
    {
      scenario: 'get by id',
      via: "minimal route, the gateway's statement, prepared",
      http: {
        origin: minimal.origin,
        method: 'GET',
        paths: sample.map((user) => `/users-with-children-prepared/${user.id}`),
        headers: {},
      },
      serverPid: minimal.pid,
    },
    {
      scenario: 'get by id',
      via: 'knex direct',
      direct: (i) => userById(db, sample[i % sample.length]?.id ?? ''),
    },
  ];
  await run.prime([...filterVariants, ...getVariants], settings.warmupSeconds * 2);
  const [filterGateway, filterMinimal, filterSame, filterPrepared] = await run.compare(filterVariants);
  const [getGateway, getMinimal, getSame, getPrepared] = await run.compare(getVariants);

  // (b) pages of 100: index paging at the start and deep, cursor paging at the start and near the end
  const nearEnd = settings.users - 200;
  process.stdout.write(`following cursors to row ${nearEnd}…\n`);
  const lateCursor = await cursorAfter(gateway.origin, auth, nearEnd, 1000);
  const pageVariant = async (scenario: string, path: string) => {
    await expectOk(gateway.origin, path, { headers: auth });
    return {
      scenario,
      via: 'gateway',
      http: { origin: gateway.origin, method: 'GET' as const, paths: [path], headers: auth },
      serverPid: gateway.pid,
    };
  };
  const [indexFirst, indexDeep, cursorFirst, cursorLast] = await run.compare([
    await pageVariant('page of 100, startIndex 1', usersPath({ startIndex: 1, count: 100 })),
    await pageVariant('page of 100, startIndex 90,000', usersPath({ startIndex: 90_000, count: 100 })),
    await pageVariant('page of 100, cursor: first page', usersPath({ cursor: '', count: 100 })),
    await pageVariant(
      `page of 100, cursor after row ${nearEnd}`,
      usersPath({ cursor: lateCursor, count: 100 }),
    ),
  ]);

  // (c) PATCH add one member (a different user every time), big group vs small group
  const [addBig, addSmall] = await run.compare([
    addMemberVariant(
      gateway,
      auth,
      `add 1 member to a group of ${settings.bigGroup}`,
      bigGroupId,
      outsiders.slice(0, half),
    ),
    addMemberVariant(gateway, auth, 'add 1 member to a group of 10', smallGroupId, outsiders.slice(half)),
  ]);
  if (
    filterGateway === undefined ||
    filterMinimal === undefined ||
    filterSame === undefined ||
    getSame === undefined ||
    getGateway === undefined ||
    filterPrepared === undefined ||
    getPrepared === undefined ||
    getMinimal === undefined ||
    indexFirst === undefined ||
    indexDeep === undefined ||
    cursorFirst === undefined ||
    cursorLast === undefined ||
    addBig === undefined ||
    addSmall === undefined
  )
    throw new Error('a comparison returned fewer results than variants');
  const bigMembers = Number(
    ((await db('group_members').count({ n: '*' }).where('group_id', bigGroupId)) as { n: string }[])[0]?.n,
  );
  process.stdout.write(`the big group has ${bigMembers} members after the run\n`);

  const rps = (a: ScenarioResult, b: ScenarioResult) =>
    [a.outcome.requestsPerSecond, b.outcome.requestsPerSecond] as const;
  const p50 = (a: ScenarioResult, b: ScenarioResult) => [a.outcome.p50Ms, b.outcome.p50Ms] as const;
  const checks: TargetCheck[] = [
    ratioAtLeast(
      "(a) userName eq: gateway ≥ 0.8× a minimal route running the gateway's statement (req/s)",
      ...rps(filterGateway, filterSame),
      0.8,
    ),
    ratioAtLeast(
      "(a) get by id: gateway ≥ 0.8× a minimal route running the gateway's statement (req/s)",
      ...rps(getGateway, getSame),
      0.8,
    ),
    ratioAtLeast(
      "(a, like for like) userName eq: gateway ≥ 0.8× a minimal route sending the gateway's statement prepared, as the gateway does",
      ...rps(filterGateway, filterPrepared),
      0.8,
    ),
    ratioAtLeast(
      "(a, like for like) get by id: gateway ≥ 0.8× a minimal route sending the gateway's statement prepared, as the gateway does",
      ...rps(getGateway, getPrepared),
      0.8,
    ),
    ratioAtLeast(
      '(a, stricter) userName eq: gateway ≥ 0.8× a minimal route reading the main row only',
      ...rps(filterGateway, filterMinimal),
      0.8,
    ),
    ratioAtLeast(
      '(a, stricter) get by id: gateway ≥ 0.8× a minimal route reading the main row only',
      ...rps(getGateway, getMinimal),
      0.8,
    ),
    ratioAtMost(
      '(b) cursor page near the end ≤ 1.5× the first (p50 latency)',
      ...p50(cursorLast, cursorFirst),
      1.5,
    ),
    ratioAtMost(
      `(c) add member: group of ${settings.bigGroup} ≤ 2× group of 10 (p50 latency)`,
      ...p50(addBig, addSmall),
      2,
    ),
  ];
  const peakRss = Math.max(...run.results.map((result) => result.rss?.peakMiB ?? 0));
  await publish(
    'postgres',
    describeMachine({
      PostgreSQL: String(
        ((await db.raw('SHOW server_version')) as { rows: { server_version: string }[] }).rows[0]
          ?.server_version,
      ),
    }),
    { ...settings, loadSeconds: Number(loadSeconds.toFixed(1)) },
    run.results,
    checks,
    [
      `startIndex 90,000 vs 1: ${ratio(indexDeep.outcome.p50Ms, indexFirst.outcome.p50Ms).toFixed(1)}× the p50 latency (OFFSET scans).`,
      `gateway RSS peak over all gateway runs: ${peakRss.toFixed(0)} MiB.`,
      `the big group had ${bigMembers} members after the PATCH runs.`,
    ],
  );
} finally {
  await Promise.all(servers.map((server) => server.stop()));
  await db.destroy();
  await database.drop();
  process.stdout.write(`dropped ${database.name}\n`);
}
