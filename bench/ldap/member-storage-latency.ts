import { AndFilter, Attribute, Change, Client, EqualityFilter, type Filter } from 'ldapts';
import {
  type MemberStorage,
  MULTIVAL_MEMBER_STORAGE,
  RECOMMENDED_MEMBER_STORAGE,
  type SlapdInstance,
  STOCK_MEMBER_STORAGE,
  startSlapd,
} from '../../test/support/slapd.js';
import { describeMachine } from '../support/machine.js';
import { benchSettings } from '../support/settings.js';
import { BIG_GROUP, directoryLdif, GROUPS, groupDn, SMALL_GROUP, userDn } from './directory-ldif.js';
import { addMember, groupByName } from './user-searches.js';

/**
 * npx tsx bench/ldap/member-storage-latency.ts — what slapd's storage settings
 * for `member` do to the operations on a large group (docs/ldap.md "Large
 * groups"): one slapd per setting (stock, sortvals, sortvals + multival,
 * multival alone), each loaded alike with BENCH_USERS users and a group of
 * BENCH_BIG_GROUP, then the same operations on each in turn, on one
 * connection (latency, not throughput), BENCH_ROUNDS rounds. Prints the
 * median ms per operation and setting.
 */
const settings = benchSettings();
const rounds = settings.rounds;
const storages: [string, MemberStorage][] = [
  ['stock', STOCK_MEMBER_STORAGE],
  ['sortvals (recommended)', RECOMMENDED_MEMBER_STORAGE],
  ['sortvals + multival 100,10', MULTIVAL_MEMBER_STORAGE],
  ['multival 100,10 alone', { sortvals: false, multival: { hi: 100, lo: 10 } }],
];

const groupOfNames = new EqualityFilter({ attribute: 'objectClass', value: 'groupOfNames' });
const groupSearch = (client: Client, filter: Filter) =>
  client.search(GROUPS, {
    scope: 'one',
    filter: new AndFilter({ filters: [groupOfNames, filter] }),
    attributes: ['entryUUID'],
  });
const memberChange = (operation: 'add' | 'delete', dn: string) =>
  new Change({ operation, modification: new Attribute({ type: 'member', values: [dn] }) });

interface Server {
  readonly name: string;
  readonly slapd: SlapdInstance;
  readonly client: Client;
  /** Users in neither group yet, to add. */
  nextOutsider: number;
  /** Members of the big group, to delete. */
  nextMember: number;
}

/** Operation → how many per round, and what it does on a server. */
const operations: [string, number, (server: Server) => Promise<unknown>][] = [
  [`read the group of ${settings.bigGroup} by cn (no member)`, 100, (s) => groupByName(s.client, BIG_GROUP)],
  ['read the group of 10 by cn (no member)', 100, (s) => groupByName(s.client, SMALL_GROUP)],
  [
    `entryUUID of the group of ${settings.bigGroup} by entryDN (a member's memberOf)`,
    100,
    (s) => groupSearch(s.client, new EqualityFilter({ attribute: 'entryDN', value: groupDn(BIG_GROUP) })),
  ],
  [
    `(member=<dn>) matching the group of ${settings.bigGroup}`,
    100,
    (s) =>
      groupSearch(s.client, new EqualityFilter({ attribute: 'member', value: userDn(settings.bigGroup) })),
  ],
  [
    `add one member to the group of ${settings.bigGroup}`,
    20,
    (s) => addMember(s.client, BIG_GROUP, userDn(s.nextOutsider++)),
  ],
  [
    'add one member to the group of 10',
    20,
    (s) => addMember(s.client, SMALL_GROUP, userDn(s.nextOutsider++)),
  ],
  [
    `delete one member of the group of ${settings.bigGroup}`,
    10,
    (s) => s.client.modify(groupDn(BIG_GROUP), memberChange('delete', userDn(s.nextMember++))),
  ],
];

const ldif = directoryLdif(settings.users, settings.bigGroup);
const servers: Server[] = [];
const samples = new Map<string, number[]>();
try {
  for (const [name, storage] of storages) {
    process.stdout.write(`loading ${name}…\n`);
    const slapd = await startSlapd({ extraLdif: ldif, maxSizeBytes: 4 * 1024 ** 3, memberStorage: storage });
    // The gateway's service account, so slapd checks access as it does for the gateway.
    const client = new Client({ url: slapd.url, timeout: 120_000 });
    await client.bind(slapd.serviceDn, slapd.servicePassword);
    const server: Server = { name, slapd, client, nextOutsider: settings.bigGroup + 1, nextMember: 1 };
    servers.push(server);
    // A first change stores each slapadd-ed group as its setting wants (sorted, split out).
    await addMember(client, BIG_GROUP, userDn(server.nextOutsider++));
    await addMember(client, SMALL_GROUP, userDn(server.nextOutsider++));
  }
  for (let round = 0; round < rounds; round += 1) {
    for (const server of servers) {
      for (const [operation, count, run] of operations) {
        const key = `${operation}\n${server.name}`;
        const list = samples.get(key) ?? [];
        for (let i = 0; i < count; i += 1) {
          const started = performance.now();
          await run(server);
          list.push(performance.now() - started);
        }
        samples.set(key, list);
      }
    }
  }
  const median = (values: readonly number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
  const machine = describeMachine({});
  const lines = [
    `${settings.users} users, ${rounds} rounds, load average at the end ${machine.loadAverage}`,
    '',
    `| operation (median ms) | ${servers.map((server) => server.name).join(' | ')} |`,
    `| --- |${servers.map(() => ' ---: |').join('')}`,
    ...operations.map(
      ([operation]) =>
        `| ${operation} | ${servers.map((server) => median(samples.get(`${operation}\n${server.name}`) ?? []).toFixed(2)).join(' | ')} |`,
    ),
  ];
  process.stdout.write(`\n${lines.join('\n')}\n`);
} finally {
  for (const server of servers) {
    await server.client.unbind().catch(() => undefined);
    await server.slapd.destroy();
  }
}
