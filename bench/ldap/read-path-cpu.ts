import type { Client, Entry } from 'ldapts';
import { LdapPool } from '../../src/backends/ldap/ldap-pool.js';
import { LdapStore } from '../../src/backends/ldap/ldap-store.js';
import type { SearchQuery } from '../../src/backends/resource-store.js';
import { loadMappingFile } from '../../src/mapping/load-mapping.js';
import { parseFilter } from '../../src/scim/filter/parser.js';
import { OPENLDAP_MAPPING_FILE } from '../../test/support/openldap-mapping.js';
import { GROUPS, groupDn, PEOPLE, userDn, userName } from './directory-ldif.js';

/**
 * npx tsx bench/ldap/read-path-cpu.ts — the LDAP adapter's own CPU per read,
 * without a directory: LdapStore on mappings/openldap.yaml with a client that
 * answers every search from memory with entries shaped as ldapts parses
 * slapd's answers (bench/ldap/directory-ldif.ts's users). What it measures is
 * the store's work around the searches — attribute lists, filters, DN
 * normalising, entry → resource — which the HTTP benchmark cannot separate
 * from ldapts and the network. Prints µs of CPU per call (median of batches).
 */
const BATCHES = Number(process.env.BENCH_BATCHES ?? 7);
const CALLS = Number(process.env.BENCH_CALLS ?? 20_000);

const uuid = (n: number) => `6a0c${String(n).padStart(4, '0')}-1f2e-4b3c-9d4e-${String(n).padStart(12, '0')}`;
const USER_ID = uuid(42);
const GROUP_IDS = new Map([
  [groupDn('bench-big'), uuid(900_001)],
  [groupDn('bench-small'), uuid(900_002)],
]);

/** A user as ldapts returns it from slapd (attribute names as the server spells them). */
function userEntry(n: number): Entry {
  const name = userName(n);
  return {
    dn: userDn(n),
    entryUUID: uuid(n),
    entryCSN: '20261129090000.000000Z#000000#000#000000',
    createTimestamp: '20261129090000Z',
    modifyTimestamp: '20261129090000Z',
    objectClass: ['top', 'person', 'organizationalPerson', 'inetOrgPerson'],
    uid: name,
    description: `ext-${n}`,
    employeeType: 'active',
    displayName: `Given${n} Family${n}`,
    givenName: `Given${n}`,
    sn: `Family${n}`,
    cn: `Given${n} Family${n}`,
    title: 'Engineer',
    mail: `${name}@example.test`,
    telephoneNumber: `+1 555 ${String(n).padStart(7, '0')}`,
    employeeNumber: String(n).padStart(6, '0'),
    departmentNumber: `Department ${n % 50}`,
    memberOf: [groupDn('bench-big'), groupDn('bench-small')],
  };
}

/** Answers the store's searches: users by uid/entryUUID, groups by entryDN (the memberOf resolution). */
const client = {
  async search(base: string, options: { filter?: unknown }) {
    if (base === GROUPS) {
      const text = String(options.filter);
      const searchEntries = [...GROUP_IDS]
        .filter(([dn]) => text.includes(dn))
        .map(([dn, id]) => ({ dn, entryUUID: id }));
      return { searchEntries, searchReferences: [] };
    }
    if (base === PEOPLE) return { searchEntries: [userEntry(42)], searchReferences: [] };
    throw new Error(`unexpected search base ${base}`);
  },
} as unknown as Client;

class CannedPool extends LdapPool {
  override async use<T>(work: (client: Client) => Promise<T>): Promise<T> {
    return work(client);
  }
}

const mapping = await loadMappingFile(OPENLDAP_MAPPING_FILE, {
  LDAP_URL: 'ldap://127.0.0.1:1',
  LDAP_BIND_DN: 'cn=x',
  LDAP_BIND_PASSWORD: 'x',
  LDAP_USERS_BASE: PEOPLE,
  LDAP_GROUPS_BASE: GROUPS,
});
if (mapping.backend.type !== 'ldap') throw new Error('not an LDAP mapping');
const store = new LdapStore(mapping, new CannedPool(mapping.backend));

const byName: SearchQuery = { filter: parseFilter('userName eq "user000042"'), startIndex: 1, count: 100 };
const cases: [string, () => Promise<unknown>][] = [
  ['get by id (with groups)', () => store.get('User', USER_ID)],
  [
    'get by id, excludedAttributes=groups',
    () => store.get('User', USER_ID, { excludedAttributes: ['groups'] }),
  ],
  ['userName eq (with groups)', () => store.search('User', byName)],
  [
    'userName eq, excludedAttributes=groups',
    () => store.search('User', { ...byName, excludedAttributes: ['groups'] }),
  ],
];

for (const [label, call] of cases) {
  const perCall: number[] = [];
  for (let batch = 0; batch < BATCHES; batch += 1) {
    const before = process.cpuUsage();
    for (let i = 0; i < CALLS; i += 1) await call();
    const used = process.cpuUsage(before);
    perCall.push((used.user + used.system) / CALLS);
  }
  perCall.sort((a, b) => a - b);
  const median = perCall[Math.floor(perCall.length / 2)] ?? 0;
  process.stdout.write(
    `${label}: ${median.toFixed(1)} µs CPU per call (batches ${perCall.map((v) => v.toFixed(1)).join(' ')})\n`,
  );
}
