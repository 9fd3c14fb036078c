import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { normalizeDn } from '../../../src/backends/ldap/dn-text.js';
import { createLdapStore, LdapStore } from '../../../src/backends/ldap/ldap-store.js';
import type { ResourceStore } from '../../../src/backends/resource-store.js';
import type { CompiledMapping } from '../../../src/mapping/compiled-mapping.js';
import { parseFilter } from '../../../src/scim/filter/parser.js';
import { parsePatchRequest } from '../../../src/scim/patch/parse-patch-request.js';
import { SCHEMA_URN } from '../../../src/scim/schema/core-schemas.js';
import { prepareResourceForWrite } from '../../../src/scim/schema/prepare-write.js';
import { loadOpenLdapMapping } from '../../support/openldap-mapping.js';
import { scimErrorOf as errorOf } from '../../support/scim-error-of.js';
import { RECOMMENDED_MEMBER_STORAGE, type SlapdInstance, startSlapd } from '../../support/slapd.js';

let slapd: SlapdInstance;
let mapping: CompiledMapping;
let store: ResourceStore;

beforeAll(async () => {
  slapd = await startSlapd();
  mapping = await loadOpenLdapMapping(slapd);
  store = await createLdapStore(mapping);
});
afterAll(async () => {
  await store?.close();
  await slapd?.destroy();
});

const schemaOf = (type: string) => {
  const found = mapping.resourceTypes.find((candidate) => candidate.name === type);
  if (found === undefined) throw new Error(type);
  return found.schema;
};
const createUser = (body: Record<string, unknown>) =>
  store.create(
    'User',
    prepareResourceForWrite(schemaOf('User'), { schemas: [SCHEMA_URN.user], ...body }, 'create'),
  );
const createGroup = (body: Record<string, unknown>) =>
  store.create(
    'Group',
    prepareResourceForWrite(schemaOf('Group'), { schemas: [SCHEMA_URN.group], ...body }, 'create'),
  );
const patch = (type: string, id: string, operations: unknown[]) =>
  store.modify(type, id, parsePatchRequest({ schemas: [SCHEMA_URN.patchOp], Operations: operations }));

describe('OpenLDAP store specifics', () => {
  it('renaming (userName → uid RDN) keeps the id, and group membership follows the new DN', async () => {
    const user = await createUser({ userName: 'rename-me' });
    const group = await createGroup({ displayName: 'renamers', members: [{ value: String(user.id) }] });
    const renamed = await patch('User', String(user.id), [
      { op: 'replace', path: 'userName', value: 'renamed, Jr.' },
    ]);
    expect(renamed.id).toBe(user.id);
    expect(renamed.userName).toBe('renamed, Jr.');
    const members = (await store.get('Group', String(group.id))).members as { value: string }[];
    expect(members.map((member) => member.value)).toEqual([user.id]);
    // The entry really moved: the DN is built from the escaped new uid.
    const admin = await slapd.adminClient();
    const { searchEntries } = await admin.search(`ou=people,${slapd.suffix}`, {
      scope: 'one',
      filter: '(uid=renamed, Jr.)',
      attributes: ['1.1'],
    });
    await admin.unbind();
    expect(searchEntries.map((entry) => entry.dn)).toEqual([`uid=renamed\\2C Jr.,ou=people,${slapd.suffix}`]);
  });

  it("a user's read-only groups come from memberOf", async () => {
    const user = await createUser({ userName: 'grouped' });
    const group = await createGroup({ displayName: 'has grouped', members: [{ value: String(user.id) }] });
    const read = await store.get('User', String(user.id));
    expect(read.groups).toEqual([{ value: group.id, type: 'Group' }]);
  });

  it('explain shows the RFC 4515 filter and the paging controls without a connection', () => {
    const text = store.explain('User', {
      filter: parseFilter('userName eq "a*b" and active eq true'),
      startIndex: 1,
      count: 10,
      sort: { path: { attribute: 'userName' }, order: 'ascending' },
    });
    expect(text).toContain(
      '(&(&(objectClass=person)(objectClass=organizationalPerson)(objectClass=inetOrgPerson))(&(uid=a\\2ab)(employeeType=active)))',
    );
    expect(text).toContain('server-side sort uid:caseIgnoreOrderingMatch');
  });

  it('more than the per-connection VLV limit of searches in a row all succeed', async () => {
    for (let i = 0; i < 40; i += 1) {
      const result = await store.search('User', { startIndex: 1, count: 1 });
      expect(result.totalResults).toBeGreaterThan(0);
    }
  });

  it('reconnects by itself after the directory restarts, and is 503 while it is down', async () => {
    const user = await createUser({ userName: 'survivor' });
    await slapd.stop();
    const down = await errorOf(() => store.get('User', String(user.id)));
    expect(down.status).toBe(503);
    expect(down.retryAfter).toBeGreaterThan(0);
    expect(down.message).not.toContain(slapd.servicePassword);
    await expect(store.ping()).rejects.toMatchObject({ status: 503 });
    await slapd.start();
    expect((await store.get('User', String(user.id))).userName).toBe('survivor');
    await store.ping();
  });
});

describe('OpenLDAP member storage as docs/ldap.md recommends (sortvals)', () => {
  it('the test slapd runs with it', () => {
    expect(slapd.memberStorage).toEqual(RECOMMENDED_MEMBER_STORAGE);
  });

  it("members added in any order come back in the directory's sorted order, each resolved", async () => {
    const users = [];
    for (const name of ['sorted-d', 'sorted-c', 'sorted-b', 'sorted-a'])
      users.push(await createUser({ userName: name }));
    const group = await createGroup({ displayName: 'sorted', members: [{ value: String(users[0]?.id) }] });
    for (const user of users.slice(1))
      await patch('Group', String(group.id), [
        { op: 'add', path: 'members', value: [{ value: String(user.id) }] },
      ]);
    const members = (await store.get('Group', String(group.id))).members as { value: string }[];
    expect(members.map((member) => member.value)).toEqual([...users].reverse().map((user) => user.id));
  });
});

describe('concurrent member PATCHes of one group', () => {
  it('all land: twenty adds at once, each answered, every member present once', async () => {
    const users = [];
    for (let i = 0; i < 20; i += 1) users.push(await createUser({ userName: `concurrent-${i}` }));
    const group = await createGroup({ displayName: 'concurrent' });
    const answers = await Promise.all(
      users.map((user) =>
        patch('Group', String(group.id), [
          { op: 'add', path: 'members', value: [{ value: String(user.id) }] },
        ]),
      ),
    );
    expect(answers.map((answer) => answer.id)).toEqual(users.map(() => group.id));
    const members = (await store.get('Group', String(group.id))).members as { value: string }[];
    expect(members.map((member) => member.value).sort()).toEqual(users.map((user) => String(user.id)).sort());
  });

  it('adds and removes at once keep their order per request; an unknown member fails only its own PATCH', async () => {
    const users = [];
    for (let i = 0; i < 6; i += 1) users.push(await createUser({ userName: `mixed-${i}` }));
    const ids = users.map((user) => String(user.id));
    const group = await createGroup({
      displayName: 'mixed',
      members: ids.slice(0, 3).map((value) => ({ value })),
    });
    const results = await Promise.allSettled([
      patch('Group', String(group.id), [{ op: 'remove', path: `members[value eq "${ids[0]}"]` }]),
      patch('Group', String(group.id), [{ op: 'add', path: 'members', value: [{ value: ids[3] }] }]),
      patch('Group', String(group.id), [
        { op: 'add', path: 'members', value: [{ value: '00000000-0000-0000-0000-000000000000' }] },
      ]),
      patch('Group', String(group.id), [{ op: 'add', path: 'members', value: [{ value: ids[4] }] }]),
      patch('Group', String(group.id), [{ op: 'remove', path: `members[value eq "${ids[1]}"]` }]),
    ]);
    expect(results.map((result) => result.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    const members = (await store.get('Group', String(group.id))).members as { value: string }[];
    expect(members.map((member) => member.value).sort()).toEqual([ids[2], ids[3], ids[4]].sort());
  });
});

describe('concurrent reads share DN → id lookups', () => {
  /** Records the DN batches the store looks up (its private lookupDns), without changing what it does. */
  function spyOnDnLookups() {
    const prototype = LdapStore.prototype as unknown as {
      lookupDns(client: unknown, wanted: ReadonlyMap<string, string>): Promise<unknown>;
    };
    const spy = vi.spyOn(prototype, 'lookupDns');
    const batches = () => spy.mock.calls.map(([, wanted]) => [...wanted.keys()]);
    return { batches, restore: () => spy.mockRestore() };
  }
  const groupDn = (name: string) => normalizeDn(`cn=${name},ou=groups,${slapd.suffix}`);
  const byValue = (list: unknown) =>
    [...((list ?? []) as { value: string }[])].sort((a, b) => a.value.localeCompare(b.value));

  it('concurrent reads of members of one group each get the right groups, with fewer lookups than reads', async () => {
    const users = [];
    for (let i = 0; i < 24; i += 1) users.push(await createUser({ userName: `shared-reader-${i}` }));
    const ids = users.map((user) => String(user.id));
    const everyone = await createGroup({
      displayName: 'shared readers',
      members: ids.map((value) => ({ value })),
    });
    const odd = await createGroup({
      displayName: 'odd readers',
      members: ids.filter((_, i) => i % 2 === 1).map((value) => ({ value })),
    });
    const spy = spyOnDnLookups();
    try {
      // Half by id, half by userName (the one-entry search path); all at once.
      const reads = await Promise.all(
        ids.map(async (id, i) => {
          if (i % 4 !== 0) return store.get('User', id);
          const found = await store.search('User', {
            filter: parseFilter(`userName eq "shared-reader-${i}"`),
            startIndex: 1,
            count: 10,
          });
          return found.resources[0];
        }),
      );
      reads.forEach((read, i) => {
        expect(read?.id).toBe(ids[i]);
        const expected = [{ value: everyone.id, type: 'Group' }];
        if (i % 2 === 1) expected.push({ value: odd.id, type: 'Group' });
        expect(byValue(read?.groups)).toEqual(byValue(expected));
      });
      const lookupsOfEveryone = spy.batches().filter((keys) => keys.includes(groupDn('shared readers')));
      expect(lookupsOfEveryone.length).toBeGreaterThan(0);
      expect(lookupsOfEveryone.length).toBeLessThan(reads.length);
    } finally {
      spy.restore();
    }
  });

  it("concurrent reads of one group's members each get every member", async () => {
    const users = [];
    for (let i = 0; i < 12; i += 1) users.push(await createUser({ userName: `shared-member-${i}` }));
    const members = users.map((user) => ({ value: String(user.id), type: 'User' }));
    const group = await createGroup({ displayName: 'shared members', members });
    const reads = await Promise.all(Array.from({ length: 8 }, () => store.get('Group', String(group.id))));
    for (const read of reads) expect(byValue(read.members)).toEqual(byValue(members));
  });

  it('a group renamed between two reads is resolved under its new DN by the second read', async () => {
    const user = await createUser({ userName: 'renamed-group-reader' });
    const group = await createGroup({ displayName: 'before rename', members: [{ value: String(user.id) }] });
    const spy = spyOnDnLookups();
    try {
      const before = await store.get('User', String(user.id));
      expect(before.groups).toEqual([{ value: group.id, type: 'Group' }]);
      await patch('Group', String(group.id), [{ op: 'replace', path: 'displayName', value: 'after rename' }]);
      const after = await store.get('User', String(user.id));
      expect(after.groups).toEqual([{ value: group.id, type: 'Group' }]);
      // The second read looked the new DN up itself; nothing was kept from the first read's lookup.
      expect(spy.batches().at(-1)).toEqual([groupDn('after rename')]);
      expect(spy.batches().some((keys) => keys.includes(groupDn('before rename')))).toBe(true);
      expect((await store.get('Group', String(group.id))).displayName).toBe('after rename');
    } finally {
      spy.restore();
    }
  });
});
