import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { OPENLDAP_MAPPING_FILE } from '../../test/support/openldap-mapping.js';
import { SLAPD_AVAILABLE, type SlapdInstance, startSlapd } from '../../test/support/slapd.js';
import { addMemberVariant } from '../support/add-member-variant.js';
import { commandVersion, describeMachine } from '../support/machine.js';
import {
  machineLines,
  publish,
  ratio,
  ratioAtLeast,
  ratioAtMost,
  resultsTable,
  type ScenarioResult,
  type TargetCheck,
  targetsTable,
} from '../support/report.js';
import { ScenarioRunner } from '../support/scenario-runner.js';
import { expectOk, usersPath } from '../support/scim-client.js';
import { type ServerProcess, startServerProcess } from '../support/server-process.js';
import { benchSettings } from '../support/settings.js';
import { BoundPool } from './bound-pool.js';
import { BIG_GROUP, directoryLdif, GROUPS, PEOPLE, SMALL_GROUP, userDn, userName } from './directory-ldif.js';
import { type LdapScenario, ldapBenchOptions } from './ldap-bench-options.js';
import { addMember, groupByName, userById, userByName } from './user-searches.js';

/**
 * npm run bench:ldap — the OpenLDAP benchmark of issue 4 (see
 * docs/benchmarks.md): a throw-away slapd loaded by slapadd with 100,000
 * users, the gateway on mappings/openldap.yaml and a minimal Fastify route
 * each in their own process, autocannon in a third, ldapts directly from
 * this one. Stops slapd and removes its folder at the end. The slapd stores
 * `member`/`memberOf` as docs/ldap.md recommends (BENCH_LDAP_MEMBER_STORAGE=stock
 * or =multival to compare); BENCH_LDAP_SCENARIOS picks scenario groups
 * (ldap-bench-options.ts), and a partial run prints without publishing.
 */
if (!SLAPD_AVAILABLE) {
  process.stderr.write('slapd is not installed (scripts/install-ldap-packages.sh installs it)\n');
  process.exit(1);
}
type Results<N extends number, R extends ScenarioResult[] = []> = R['length'] extends N
  ? R
  : Results<N, [...R, ScenarioResult]>;

/** A comparison's results as a tuple of its variants' count. */
function exactly<N extends number>(count: N, results: readonly ScenarioResult[]): Results<N> {
  if (results.length !== count)
    throw new Error(`a comparison returned ${results.length} results, not ${count}`);
  return results as unknown as Results<N>;
}

const settings = benchSettings();
const options = ldapBenchOptions();
const runs = (scenario: LdapScenario) => options.scenarios.has(scenario);
const SAMPLE = 2000;
const POOL_SIZE = 4; // mappings/openldap.yaml: pool.size
const PAGE_CONNECTIONS = 2;
const PAGE_SECONDS = 20;
const token = randomBytes(16).toString('hex');
const auth = { authorization: `Bearer ${token}` };

process.stdout.write(`generating and slapadd-ing ${settings.users} users…\n`);
const loadStarted = performance.now();
const slapd: SlapdInstance = await startSlapd({
  extraLdif: directoryLdif(settings.users, settings.bigGroup),
  // 100,000 entries with their substring indexes outgrow the tests' 256 MiB map.
  maxSizeBytes: 4 * 1024 ** 3,
  memberStorage: options.memberStorage,
});
const loadSeconds = (performance.now() - loadStarted) / 1000;
process.stdout.write(`slapd up at ${slapd.url} after ${loadSeconds.toFixed(1)} s\n`);
const servers: ServerProcess[] = [];
let pool: BoundPool | undefined;
try {
  // entryUUIDs (the SCIM ids) of every user and both groups, read with the admin account.
  const admin = await slapd.adminClient();
  const ids = new Map<string, string>();
  try {
    const { searchEntries } = await admin.search(PEOPLE, {
      scope: 'one',
      filter: '(objectClass=inetOrgPerson)',
      attributes: ['uid', 'entryUUID'],
      paged: { pageSize: 1000 },
    });
    for (const entry of searchEntries) ids.set(String(entry.uid), String(entry.entryUUID));
    const groups = await admin.search(GROUPS, { scope: 'one', attributes: ['cn', 'entryUUID'] });
    for (const entry of groups.searchEntries) ids.set(String(entry.cn), String(entry.entryUUID));
  } finally {
    await admin.unbind();
  }
  const idOf = (name: string) => {
    const id = ids.get(name);
    if (id === undefined) throw new Error(`no entryUUID for ${name}`);
    return id;
  };
  const pick = () => 1 + Math.floor(Math.random() * settings.users);
  const sample = Array.from({ length: SAMPLE }, () => {
    const name = userName(pick());
    return { name, id: idOf(name) };
  });
  // Users in neither group, in two disjoint lists: every PATCH adds a new member.
  // Four disjoint quarters: gateway and direct modify, each to the big and the small group.
  const outsiders: number[] = [];
  for (let n = settings.bigGroup + 1; n <= settings.users; n += 1) outsiders.push(n);
  const quarter = Math.floor(outsiders.length / 4);
  const part = (index: number) => outsiders.slice(index * quarter, (index + 1) * quarter);
  const scimIds = (numbers: readonly number[]) => numbers.map((n) => idOf(userName(n)));
  // The direct modifies keep their place across rounds (the driver's iteration restarts each round).
  const taken = [0, 0, 0, 0];
  const nextOutsider = (index: number) => {
    const n = part(index)[(taken[index] ?? 0) % quarter] ?? 0;
    taken[index] = (taken[index] ?? 0) + 1;
    return userDn(n);
  };

  const ldapEnv = {
    LDAP_URL: slapd.url,
    LDAP_BIND_DN: slapd.serviceDn,
    LDAP_BIND_PASSWORD: slapd.servicePassword,
    LDAP_USERS_BASE: PEOPLE,
    LDAP_GROUPS_BASE: GROUPS,
  };
  const gateway = await startServerProcess(
    fileURLToPath(new URL('../support/gateway-server.ts', import.meta.url)),
    {
      ...ldapEnv,
      BENCH_MAPPING: OPENLDAP_MAPPING_FILE,
      BENCH_TOKEN: token,
      ...options.gatewayProfileEnv,
    },
  );
  servers.push(gateway);
  const minimal = await startServerProcess(
    fileURLToPath(new URL('./minimal-ldap-server.ts', import.meta.url)),
    {
      ...ldapEnv,
      BENCH_POOL_SIZE: String(POOL_SIZE),
    },
  );
  servers.push(minimal);
  pool = await BoundPool.open(slapd.url, slapd.serviceDn, slapd.servicePassword, POOL_SIZE);
  const direct = pool;

  const run = new ScenarioRunner(settings);
  const checks: TargetCheck[] = [];
  const notes: string[] = [];
  const getVariant = async (scenario: string, path: string) => {
    await expectOk(gateway.origin, path, { headers: auth });
    return {
      scenario,
      via: 'gateway',
      http: { origin: gateway.origin, method: 'GET' as const, paths: [path], headers: auth },
      serverPid: gateway.pid,
    };
  };

  if (runs('users')) {
    const filterPaths = sample.map((user) => usersPath({ filter: `userName eq "${user.name}"` }));
    const getPaths = sample.map((user) => `/scim/v2/Users/${user.id}`);
    await expectOk(gateway.origin, filterPaths[0] ?? '', { headers: auth });
    await expectOk(gateway.origin, getPaths[0] ?? '', { headers: auth });

    // Unmeasured load first, so JIT and lazily built caches do not land on the first variant.
    await run.prime(
      [
        {
          scenario: 'prime',
          via: 'gateway',
          http: {
            origin: gateway.origin,
            method: 'GET',
            paths: [...filterPaths, ...getPaths],
            headers: auth,
          },
        },
        {
          scenario: 'prime',
          via: 'minimal route',
          http: {
            origin: minimal.origin,
            method: 'GET',
            paths: sample.flatMap((user) => [
              `/users?userName=${encodeURIComponent(user.name)}`,
              `/users/${user.id}`,
            ]),
            headers: {},
          },
        },
      ],
      settings.warmupSeconds * 2,
    );

    // One user: gateway vs minimal route vs ldapts, interleaved
    const [filterGateway, filterNoGroups, filterMinimal] = exactly(
      4,
      await run.compare([
        {
          scenario: 'userName eq filter',
          via: 'gateway',
          http: { origin: gateway.origin, method: 'GET', paths: filterPaths, headers: auth },
          serverPid: gateway.pid,
        },
        {
          scenario: 'userName eq filter',
          via: 'gateway, excludedAttributes=groups',
          http: {
            origin: gateway.origin,
            method: 'GET',
            paths: filterPaths.map((path) => `${path}&excludedAttributes=groups`),
            headers: auth,
          },
          serverPid: gateway.pid,
        },
        {
          scenario: 'userName eq filter',
          via: 'minimal route',
          http: {
            origin: minimal.origin,
            method: 'GET',
            paths: sample.map((user) => `/users?userName=${encodeURIComponent(user.name)}`),
            headers: {},
          },
          serverPid: minimal.pid,
        },
        {
          scenario: 'userName eq filter',
          via: 'ldapts direct',
          direct: (i) => direct.use((client) => userByName(client, sample[i % sample.length]?.name ?? '')),
        },
      ]),
    );
    const [getGateway, getNoGroups, getMinimal] = exactly(
      4,
      await run.compare([
        {
          scenario: 'get by id',
          via: 'gateway',
          http: { origin: gateway.origin, method: 'GET', paths: getPaths, headers: auth },
          serverPid: gateway.pid,
        },
        {
          scenario: 'get by id',
          via: 'gateway, excludedAttributes=groups',
          http: {
            origin: gateway.origin,
            method: 'GET',
            paths: getPaths.map((path) => `${path}?excludedAttributes=groups`),
            headers: auth,
          },
          serverPid: gateway.pid,
        },
        {
          scenario: 'get by id',
          via: 'minimal route',
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
          via: 'ldapts direct',
          direct: (i) => direct.use((client) => userById(client, sample[i % sample.length]?.id ?? '')),
        },
      ]),
    );
    const rps = (a: ScenarioResult, b: ScenarioResult) =>
      [a.outcome.requestsPerSecond, b.outcome.requestsPerSecond] as const;
    checks.push(
      ratioAtLeast(
        'userName eq: gateway ≥ 0.8× minimal route (req/s)',
        ...rps(filterGateway, filterMinimal),
        0.8,
      ),
      ratioAtLeast('get by id: gateway ≥ 0.8× minimal route (req/s)', ...rps(getGateway, getMinimal), 0.8),
      ratioAtLeast(
        '(for reference) userName eq with excludedAttributes=groups: gateway ≥ 0.8× minimal route',
        ...rps(filterNoGroups, filterMinimal),
        0.8,
      ),
      ratioAtLeast(
        '(for reference) get by id with excludedAttributes=groups: gateway ≥ 0.8× minimal route',
        ...rps(getNoGroups, getMinimal),
        0.8,
      ),
    );
  }

  if (runs('pages')) {
    // Pages of 100, first and last
    const lastStart = settings.users - 99;
    // sssvlv sorts every match (all users) for each VLV request: at the run's concurrency slapd
    // queues so many of them that later scenarios time out, so pages run with 2 connections, longer.
    const pageLoad = { connections: PAGE_CONNECTIONS };
    const [pageFirst, pageLast] = exactly(
      2,
      await run.compare(
        [
          {
            ...(await getVariant('page of 100, startIndex 1', usersPath({ startIndex: 1, count: 100 }))),
            ...pageLoad,
          },
          {
            ...(await getVariant(
              `page of 100, startIndex ${lastStart} (last)`,
              usersPath({ startIndex: lastStart, count: 100 }),
            )),
            ...pageLoad,
          },
        ],
        PAGE_SECONDS,
      ),
    );
    notes.push(
      `last page vs first page: ${ratio(pageLast.outcome.p50Ms, pageFirst.outcome.p50Ms).toFixed(2)}× the p50 latency.`,
    );
  }

  if (runs('group-lookup')) {
    // Group lookup by displayName without members
    const groupPath = (name: string) =>
      `/scim/v2/Groups?filter=${encodeURIComponent(`displayName eq "${name}"`)}&excludedAttributes=members`;
    const [lookupBig, lookupSmall, lookupBigDirect, lookupSmallDirect] = exactly(
      4,
      await run.compare([
        await getVariant(
          `group of ${settings.bigGroup} by displayName, excludedAttributes=members`,
          groupPath(BIG_GROUP),
        ),
        await getVariant('group of 10 by displayName, excludedAttributes=members', groupPath(SMALL_GROUP)),
        {
          scenario: `group of ${settings.bigGroup} by displayName, without member`,
          via: 'ldapts direct',
          direct: () => direct.use((client) => groupByName(client, BIG_GROUP)),
        },
        {
          scenario: 'group of 10 by displayName, without member',
          via: 'ldapts direct',
          direct: () => direct.use((client) => groupByName(client, SMALL_GROUP)),
        },
      ]),
    );
    checks.push(
      ratioAtMost(
        `group lookup without members: group of ${settings.bigGroup} as fast as group of 10 (≤ 1.5× p50, our tolerance)`,
        lookupBig.outcome.p50Ms,
        lookupSmall.outcome.p50Ms,
        1.5,
      ),
    );
    notes.push(
      `the same group search issued directly (no member requested): group of ${settings.bigGroup} ${ratio(lookupBigDirect.outcome.p50Ms, lookupSmallDirect.outcome.p50Ms).toFixed(2)}× the p50 of the group of 10.`,
    );
  }

  if (runs('member-add')) {
    // PATCH add one member (a different user every time), big group vs small group
    const [addBig, addSmall, addBigDirect, addSmallDirect] = exactly(
      4,
      await run.compare([
        addMemberVariant(
          gateway,
          auth,
          `add 1 member to a group of ${settings.bigGroup}`,
          idOf(BIG_GROUP),
          scimIds(part(0)),
        ),
        addMemberVariant(gateway, auth, 'add 1 member to a group of 10', idOf(SMALL_GROUP), scimIds(part(1))),
        {
          scenario: `add 1 member to a group of ${settings.bigGroup} (modify only)`,
          via: 'ldapts direct',
          direct: () => direct.use((client) => addMember(client, BIG_GROUP, nextOutsider(2))),
        },
        {
          scenario: 'add 1 member to a group of 10 (modify only)',
          via: 'ldapts direct',
          direct: () => direct.use((client) => addMember(client, SMALL_GROUP, nextOutsider(3))),
        },
      ]),
    );
    checks.push(
      ratioAtMost(
        `add member: group of ${settings.bigGroup} ≤ 2× group of 10 (p50 latency)`,
        addBig.outcome.p50Ms,
        addSmall.outcome.p50Ms,
        2,
      ),
    );
    notes.push(
      `the member modify issued directly: group of ${settings.bigGroup} ${ratio(addBigDirect.outcome.p50Ms, addSmallDirect.outcome.p50Ms).toFixed(2)}× the p50 of the group of 10.`,
    );
  }

  const peakRss = Math.max(...run.results.map((result) => result.rss?.peakMiB ?? 0));
  notes.push(`gateway RSS peak over all gateway runs: ${peakRss.toFixed(0)} MiB.`);
  const machine = describeMachine({ slapd: commandVersion('/usr/sbin/slapd', ['-VV']) });
  const runSettings = {
    ...settings,
    poolSize: POOL_SIZE,
    pageConnections: PAGE_CONNECTIONS,
    pageSeconds: PAGE_SECONDS,
    loadSeconds: Number(loadSeconds.toFixed(1)),
    memberStorage: options.memberStorageName,
    scenarios: [...options.scenarios].join(','),
  };
  if (options.complete) {
    await publish('openldap', machine, runSettings, run.results, checks, notes);
  } else {
    // A partial run (while iterating) leaves bench/results/openldap.json as it was.
    process.stdout.write(
      `\n## openldap (partial run, not published)\n\n${machineLines(machine, runSettings)}\n\n${resultsTable(run.results)}\n\n${targetsTable(checks)}\n\n${notes.map((note) => `- ${note}`).join('\n')}\n`,
    );
  }
} finally {
  await Promise.all(servers.map((server) => server.stop()));
  await pool?.close();
  await slapd.destroy();
  process.stdout.write('slapd stopped, folder removed\n');
}
