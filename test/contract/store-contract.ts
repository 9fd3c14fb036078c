import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResourceStore, SearchQuery } from '../../src/backends/resource-store.js';
import type { CompiledMapping } from '../../src/mapping/compiled-mapping.js';
import { toEtag } from '../../src/scim/etag.js';
import { parseFilter } from '../../src/scim/filter/parser.js';
import { parsePatchRequest } from '../../src/scim/patch/parse-patch-request.js';
import { SCHEMA_URN } from '../../src/scim/schema/core-schemas.js';
import type { ScimResource } from '../../src/scim/schema/model.js';
import { prepareResourceForWrite } from '../../src/scim/schema/prepare-write.js';
import { scimErrorOf } from '../support/scim-error-of.js';

export interface StoreFixture {
  readonly store: ResourceStore;
  readonly mapping: CompiledMapping;
  cleanup(): Promise<void>;
}

const ENTERPRISE = SCHEMA_URN.enterpriseUser;

const metaOf = (resource: ScimResource) => resource.meta as Record<string, unknown>;
const membersOf = (resource: ScimResource) =>
  ((resource.members as { value: string }[] | undefined) ?? []).map((member) => member.value).sort();

/**
 * The SCIM-level contract every ResourceStore passes, through the port only.
 * Each backend runs it with its own fixture (a fresh database / directory
 * mapped by the backend's demo mapping, which must map User with userName,
 * displayName, title, active, externalId, emails (value/type), the enterprise
 * department and manager, and Group with displayName and members).
 * `skips` names tests a backend cannot pass, each with its reason.
 */
export function describeStoreContract(
  name: string,
  setup: () => Promise<StoreFixture>,
  skips: Readonly<Record<string, string>> = {},
): void {
  describe(`ResourceStore contract: ${name}`, () => {
    let fixture: StoreFixture;
    let store: ResourceStore;
    const run = randomUUID().slice(0, 8);

    beforeAll(async () => {
      fixture = await setup();
      store = fixture.store;
    });
    afterAll(async () => {
      await fixture?.cleanup();
    });

    const test = (title: string, body: () => Promise<void>) => {
      const reason = skips[title];
      if (reason === undefined) it(title, body);
      else it.skip(`${title} (skipped: ${reason})`, body); // the backend states why
    };

    const schemaOf = (type: string) => {
      const found = fixture.mapping.resourceTypes.find((candidate) => candidate.name === type);
      if (found === undefined) throw new Error(`mapping has no ${type}`);
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
    const patch = (
      type: string,
      id: string,
      operations: unknown[],
      ifMatch?: string,
      excludedAttributes?: string[],
    ) =>
      store.modify(
        type,
        id,
        parsePatchRequest({ schemas: [SCHEMA_URN.patchOp], Operations: operations }),
        ifMatch === undefined ? undefined : { ifMatch },
        excludedAttributes === undefined ? undefined : { excludedAttributes },
      );
    const query = (filter: string | undefined, extra: Partial<SearchQuery> = {}): SearchQuery => ({
      startIndex: 1,
      count: 100,
      ...(filter === undefined ? {} : { filter: parseFilter(filter) }),
      ...extra,
    });
    const userNames = async (filter: string, extra: Partial<SearchQuery> = {}) => {
      const result = await store.search('User', query(filter, extra));
      return result.resources.map((user) => String(user.userName));
    };

    // ------------------------------------------------------------------ CRUD

    test('create returns the stored resource with id, schemas and meta', async () => {
      const manager = await createUser({ userName: `${run}-crud-manager` });
      const user = await createUser({
        userName: `${run}-crud-user`,
        displayName: 'Crud User',
        name: { givenName: 'Crud', familyName: 'User' },
        title: 'Tester',
        active: true,
        externalId: `ext-${run}`,
        emails: [{ value: `crud-${run}@example.com`, type: 'work', primary: true }],
        [ENTERPRISE]: { department: 'QA', manager: { value: String(manager.id) } },
      });
      expect(typeof user.id).toBe('string');
      expect(user.schemas).toContain(SCHEMA_URN.user);
      expect(user.schemas).toContain(ENTERPRISE);
      expect(metaOf(user)).toMatchObject({ resourceType: 'User' });
      expect(typeof metaOf(user).version).toBe('string');
      expect(Number.isNaN(Date.parse(String(metaOf(user).created)))).toBe(false);
      expect(metaOf(user).location).toBeUndefined();
      expect(user).toMatchObject({
        userName: `${run}-crud-user`,
        displayName: 'Crud User',
        name: { givenName: 'Crud', familyName: 'User' },
        title: 'Tester',
        active: true,
        externalId: `ext-${run}`,
        emails: [{ value: `crud-${run}@example.com`, type: 'work', primary: true }],
        [ENTERPRISE]: { department: 'QA', manager: { value: manager.id } },
      });
      expect(await store.get('User', String(user.id))).toEqual(user);
    });

    test('get of an unknown or malformed id is 404', async () => {
      for (const id of [randomUUID(), 'not-a-uuid', "x' OR '1'='1", '']) {
        expect((await scimErrorOf(() => store.get('User', id))).status).toBe(404);
      }
    });

    test('duplicate userName (any case) is 409 uniqueness naming the attribute, not the value', async () => {
      await createUser({ userName: `${run}-dup@example.com` });
      const error = await scimErrorOf(() => createUser({ userName: `${run}-DUP@example.com` }));
      expect(error.status).toBe(409);
      expect(error.scimType).toBe('uniqueness');
      expect(error.message).toContain('userName');
      expect(error.message).not.toContain(`${run}-DUP`);
    });

    test('replace rewrites the resource and bumps the version', async () => {
      const user = await createUser({
        userName: `${run}-put`,
        title: 'Before',
        emails: [{ value: `a-${run}@example.com`, type: 'work' }],
      });
      const body = prepareResourceForWrite(
        schemaOf('User'),
        {
          userName: `${run}-put`,
          displayName: 'After',
          emails: [{ value: `b-${run}@example.com`, type: 'home' }],
        },
        'replace',
      );
      const replaced = await store.replace('User', String(user.id), body);
      expect(replaced.title).toBeUndefined();
      expect(replaced.displayName).toBe('After');
      expect(replaced.emails).toEqual([{ value: `b-${run}@example.com`, type: 'home', primary: false }]);
      expect(metaOf(replaced).version).not.toBe(metaOf(user).version);
      expect((await scimErrorOf(() => store.replace('User', randomUUID(), body))).status).toBe(404);
    });

    test('delete removes the resource; a second delete is 404', async () => {
      const user = await createUser({ userName: `${run}-delete` });
      await store.delete('User', String(user.id));
      expect((await scimErrorOf(() => store.get('User', String(user.id)))).status).toBe(404);
      expect((await scimErrorOf(() => store.delete('User', String(user.id)))).status).toBe(404);
    });

    test('If-Match with a stale version is 412 for replace, modify and delete', async () => {
      const user = await createUser({ userName: `${run}-etag`, title: 'v1' });
      const stale = toEtag(String(metaOf(user).version));
      const changed = await patch(
        'User',
        String(user.id),
        [{ op: 'replace', path: 'title', value: 'v2' }],
        stale,
      );
      expect(changed.title).toBe('v2');
      const body = prepareResourceForWrite(schemaOf('User'), { userName: `${run}-etag` }, 'replace');
      expect(
        (await scimErrorOf(() => store.replace('User', String(user.id), body, { ifMatch: stale }))).status,
      ).toBe(412);
      expect(
        (
          await scimErrorOf(() =>
            patch('User', String(user.id), [{ op: 'replace', path: 'title', value: 'x' }], stale),
          )
        ).status,
      ).toBe(412);
      expect(
        (await scimErrorOf(() => store.delete('User', String(user.id), { ifMatch: stale }))).status,
      ).toBe(412);
      expect((await store.get('User', String(user.id))).title).toBe('v2');
      await store.delete('User', String(user.id), { ifMatch: toEtag(String(metaOf(changed).version)) });
    });

    test('PATCH of simple and multi-valued attributes', async () => {
      const user = await createUser({ userName: `${run}-patch`, active: true });
      const patched = await patch('User', String(user.id), [
        { op: 'Replace', path: 'active', value: 'False' },
        { op: 'add', path: 'emails', value: [{ value: `p-${run}@example.com`, type: 'work' }] },
        { op: 'add', value: { 'name.givenName': 'Pat', [`${ENTERPRISE}:department`]: 'Ops' } },
      ]);
      expect(patched).toMatchObject({
        active: false,
        emails: [{ value: `p-${run}@example.com`, type: 'work' }],
        name: { givenName: 'Pat' },
        [ENTERPRISE]: { department: 'Ops' },
      });
      expect(metaOf(patched).version).not.toBe(metaOf(user).version);
      const removed = await patch('User', String(user.id), [
        { op: 'remove', path: 'emails[type eq "work"]' },
      ]);
      expect(removed.emails).toBeUndefined();
    });

    test('manager: filter by manager.value, replace it by PATCH, and deleting the manager clears it', async () => {
      const boss = await createUser({ userName: `${run}-boss` });
      const deputy = await createUser({ userName: `${run}-deputy` });
      const report = await createUser({
        userName: `${run}-report`,
        [ENTERPRISE]: { manager: { value: String(boss.id) } },
      });
      const managedBy = (id: unknown) => userNames(`${ENTERPRISE}:manager.value eq "${String(id)}"`);
      expect(await managedBy(boss.id)).toEqual([`${run}-report`]);
      const moved = await patch('User', String(report.id), [
        { op: 'replace', path: `${ENTERPRISE}:manager`, value: { value: String(deputy.id) } },
      ]);
      expect(moved[ENTERPRISE]).toMatchObject({ manager: { value: deputy.id } });
      expect(await managedBy(boss.id)).toEqual([]);
      await store.delete('User', String(deputy.id));
      const orphan = await store.get('User', String(report.id));
      expect((orphan[ENTERPRISE] as Record<string, unknown> | undefined)?.manager).toBeUndefined();
    });

    test('a reference to a resource that does not exist is 400 invalidValue naming the value', async () => {
      const missing = randomUUID();
      const error = await scimErrorOf(() =>
        createUser({ userName: `${run}-badmanager`, [ENTERPRISE]: { manager: { value: missing } } }),
      );
      expect(error.status).toBe(400);
      expect(error.scimType).toBe('invalidValue');
      expect(error.message).toContain(missing);
      expect(await userNames(`userName eq "${run}-badmanager"`)).toEqual([]);
    });

    // --------------------------------------------------------------- filters

    describe('filters', () => {
      const p = `${run}-f`;
      const ids: Record<string, string> = {};
      beforeAll(async () => {
        const alice = await createUser({
          userName: `${p}-alice`,
          displayName: 'Alice 100%_done',
          title: 'Engineer',
          active: true,
          externalId: `ExtA-${run}`,
          emails: [
            { value: `alice@a-${run}.example`, type: 'work', primary: true },
            { value: `alice@home-${run}.example`, type: 'home' },
          ],
          [ENTERPRISE]: { department: 'R&D' },
        });
        const bob = await createUser({
          userName: `${p}-bob`,
          displayName: 'Bob',
          active: false,
          externalId: `extb-${run}`,
          emails: [{ value: `bob@b-${run}.example`, type: 'work' }],
        });
        const carol = await createUser({
          userName: `${p}-carol`,
          displayName: 'Carol_x',
          title: 'engineer',
          active: true,
        });
        ids.alice = String(alice.id);
        ids.bob = String(bob.id);
        ids.carol = String(carol.id);
      });

      const cases: [string, string[]][] = [
        [`userName eq "${p}-ALICE"`, ['alice']],
        ['title eq "Engineer"', ['alice', 'carol']],
        ['not (title eq "engineer")', ['bob']],
        ['title ne "engineer"', ['bob']],
        ['title pr', ['alice', 'carol']],
        ['not (title pr)', ['bob']],
        ['displayName co "100%"', ['alice']],
        ['displayName co "_"', ['alice', 'carol']],
        ['displayName co "%_"', ['alice']],
        ['displayName sw "Carol_"', ['carol']],
        ['displayName ew "_X"', ['carol']],
        ['displayName co "l_x"', ['carol']],
        ['displayName sw "%"', []],
        [`externalId eq "ExtA-${run}"`, ['alice']],
        [`externalId eq "exta-${run}"`, []],
        ['externalId sw "ext"', ['bob']],
        ['active eq true', ['alice', 'carol']],
        ['active eq false', ['bob']],
        ['not (active eq true)', ['bob']],
        [`emails[type eq "work" and value co "@a-${run}"]`, ['alice']],
        [`emails[type eq "home" and value co "@b-${run}"]`, []],
        // One EXISTS per value path: alice has a work e-mail and a home- e-mail, but not on the same row.
        [`emails[type eq "work" and value co "home-${run}"]`, []],
        [`not (emails[type eq "work" and value co "home-${run}"])`, ['alice', 'bob', 'carol']],
        [`emails.value eq "BOB@b-${run}.example"`, ['bob']],
        [`emails co "home-${run}"`, ['alice']],
        ['emails pr', ['alice', 'bob']],
        ['not (emails pr)', ['carol']],
        ['not (emails[type eq "work"])', ['carol']],
        ['emails[not (type eq "work")]', ['alice']],
        [`userName gt "${p}-b"`, ['bob', 'carol']],
        [`userName le "${p}-bob"`, ['alice', 'bob']],
        [`userName lt "${p}-B"`, ['alice']],
        ['meta.created ge "2000-01-01T00:00:00Z"', ['alice', 'bob', 'carol']],
        ['meta.lastModified lt "2000-01-01T00:00:00Z"', []],
        ['title eq "Engineer" or active eq false', ['alice', 'bob', 'carol']],
        ['title eq "engineer" and not (displayName co "%")', ['carol']],
        [`${ENTERPRISE}:department eq "r&d"`, ['alice']],
        [`not (${ENTERPRISE}:department eq "r&d")`, ['bob', 'carol']],
      ];
      for (const [filter, expected] of cases) {
        test(`filter ${filter}`, async () => {
          const found = await userNames(`userName sw "${p}-" and (${filter})`);
          expect(found.sort()).toEqual(expected.map((key) => `${p}-${key}`));
        });
      }

      test('filter by id', async () => {
        expect(await userNames(`id eq "${ids.bob}"`)).toEqual([`${p}-bob`]);
        expect(await userNames(`id eq "not-a-uuid"`)).toEqual([]);
      });

      const invalid = [
        'nickName eq "x"',
        'emails.display eq "x"',
        'active gt true',
        'title eq true',
        'meta.created gt "yesterday"',
      ];
      for (const filter of invalid) {
        test(`filter ${filter} is 400 invalidFilter`, async () => {
          const error = await scimErrorOf(() => store.search('User', query(filter)));
          expect(error.status).toBe(400);
          expect(error.scimType).toBe('invalidFilter');
        });
      }
    });

    // ------------------------------------------------------------- presence

    describe('presence (pr) with empty strings, NULLs and missing values', () => {
      const p = `${run}-pr`;
      beforeAll(async () => {
        // An e-mail whose value is the empty string, a user with no e-mail and no title, a user with both.
        await createUser({ userName: `${p}-empty`, emails: [{ value: '', type: 'work' }] });
        await createUser({ userName: `${p}-none` });
        await createUser({
          userName: `${p}-full`,
          title: 'Present',
          emails: [{ value: `full-${run}@example.com`, type: 'work' }],
        });
      });
      const cases: [string, string[]][] = [
        ['emails.value pr', ['full']],
        ['not (emails.value pr)', ['empty', 'none']],
        ['emails[value pr]', ['full']],
        ['not (emails[value pr])', ['empty', 'none']],
        ['emails[type eq "work" and value pr]', ['full']],
        ['title pr', ['full']],
        ['not (title pr)', ['empty', 'none']],
        ['title eq null', ['empty', 'none']],
      ];
      for (const [filter, expected] of cases) {
        test(`presence filter ${filter}`, async () => {
          const found = await userNames(`userName sw "${p}-" and (${filter})`);
          expect(found.sort()).toEqual(expected.map((key) => `${p}-${key}`));
        });
      }
    });

    // ---------------------------------------------------------- sort, paging

    describe('sort and paging', () => {
      const p = `${run}-s`;
      const names = ['d', 'a', 'f', 'b', 'g', 'c', 'e'];
      // Duplicate and missing titles exercise the tiebreaker and NULL ordering.
      const titles: Record<string, string | undefined> = {
        a: 'T2',
        b: 'T1',
        c: undefined,
        d: 'T2',
        e: 'T1',
        f: undefined,
        g: 'T3',
      };
      beforeAll(async () => {
        for (const key of names) await createUser({ userName: `${p}-${key}`, title: titles[key] });
      });
      const mine = `userName sw "${p}-"`;
      const sorted = [...names].sort().map((key) => `${p}-${key}`);

      test('sort by userName both ways', async () => {
        const ascending = { path: { attribute: 'userName' }, order: 'ascending' as const };
        expect(await userNames(mine, { sort: ascending })).toEqual(sorted);
        expect(await userNames(mine, { sort: { ...ascending, order: 'descending' } })).toEqual(
          [...sorted].reverse(),
        );
      });

      test('sort by an attribute with duplicates and missing values puts missing last', async () => {
        const found = await userNames(mine, { sort: { path: { attribute: 'title' }, order: 'ascending' } });
        const order = found.map((userName) => titles[userName.slice(-1)] ?? 'zz');
        expect(order).toEqual([...order].sort());
        expect(found.slice(-2).map((userName) => titles[userName.slice(-1)])).toEqual([undefined, undefined]);
      });

      test('paging by index', async () => {
        const sort = { path: { attribute: 'userName' }, order: 'ascending' as const };
        const page = await store.search('User', query(mine, { sort, startIndex: 3, count: 2 }));
        expect(page.totalResults).toBe(7);
        expect(page.resources.map((user) => user.userName)).toEqual(sorted.slice(2, 4));
        const beyond = await store.search('User', query(mine, { sort, startIndex: 20, count: 2 }));
        expect(beyond).toMatchObject({ totalResults: 7, resources: [] });
      });

      test('count=0 returns totalResults only', async () => {
        const result = await store.search('User', query(mine, { count: 0 }));
        expect(result).toMatchObject({ totalResults: 7, resources: [] });
      });

      const cursorSorts = [
        undefined,
        { path: { attribute: 'userName' }, order: 'descending' as const },
        { path: { attribute: 'title' }, order: 'ascending' as const },
        { path: { attribute: 'title' }, order: 'descending' as const },
      ];
      for (const sort of cursorSorts) {
        test(`cursor paging covers every row once (sort ${sort === undefined ? 'none' : `${sort.path.attribute} ${sort.order}`})`, async () => {
          const all = await userNames(mine, sort === undefined ? {} : { sort });
          const seen: string[] = [];
          let cursor = '';
          for (let pages = 0; pages < 10; pages++) {
            const page = await store.search(
              'User',
              query(mine, { count: 3, cursor, ...(sort === undefined ? {} : { sort }) }),
            );
            expect(page.totalResults).toBe(7);
            seen.push(...page.resources.map((user) => String(user.userName)));
            if (page.nextCursor === undefined) break;
            cursor = page.nextCursor;
          }
          expect(seen).toEqual(all);
          expect(new Set(seen).size).toBe(7);
        });
      }

      test('a malformed cursor, or one reused with another sort, is 400 invalidCursor', async () => {
        const first = await store.search('User', query(mine, { count: 2, cursor: '' }));
        expect(first.nextCursor).toBeDefined();
        const reused = await scimErrorOf(() =>
          store.search(
            'User',
            query(mine, {
              count: 2,
              cursor: String(first.nextCursor),
              sort: { path: { attribute: 'title' }, order: 'ascending' },
            }),
          ),
        );
        expect(reused.scimType).toBe('invalidCursor');
        for (const cursor of ['zzz', '!!', Buffer.from('{"s":1}').toString('base64url')]) {
          const error = await scimErrorOf(() => store.search('User', query(mine, { count: 2, cursor })));
          expect(error.status).toBe(400);
          expect(error.scimType).toBe('invalidCursor');
        }
      });
    });

    // --------------------------------------------------------------- groups

    describe('groups and members', () => {
      const users: string[] = [];
      beforeAll(async () => {
        for (const key of ['m1', 'm2', 'm3', 'm4'])
          users.push(String((await createUser({ userName: `${run}-${key}` })).id));
      });
      const user = (index: number) => () => users[index] as string;
      const [u1, u2, u3, u4] = [user(0), user(1), user(2), user(3)];

      test('create with members, then add/remove deltas', async () => {
        const group = await createGroup({
          displayName: `${run} team`,
          members: [{ value: u1() }, { value: u2() }],
        });
        const id = String(group.id);
        expect(membersOf(group)).toEqual([u1(), u2()].sort());
        expect((group.members as { type?: string }[])[0]?.type).toBe('User');

        let after = await patch('Group', id, [{ op: 'add', path: 'members', value: [{ value: u3() }] }]);
        expect(membersOf(after)).toEqual([u1(), u2(), u3()].sort());
        expect(metaOf(after).version).not.toBe(metaOf(group).version);

        after = await patch('Group', id, [
          { op: 'add', path: 'members', value: [{ value: u3() }, { value: u1() }] },
        ]);
        expect(membersOf(after)).toEqual([u1(), u2(), u3()].sort());

        after = await patch('Group', id, [{ op: 'remove', path: `members[value eq "${u1()}"]` }]);
        expect(membersOf(after)).toEqual([u2(), u3()].sort());

        after = await patch('Group', id, [{ op: 'remove', path: 'members', value: [{ value: u2() }] }]);
        expect(membersOf(after)).toEqual([u3()]);

        after = await patch('Group', id, [
          { op: 'replace', path: 'members', value: [{ value: u4() }, { value: u1() }] },
        ]);
        expect(membersOf(after)).toEqual([u1(), u4()].sort());

        after = await patch('Group', id, [
          { op: 'replace', value: { displayName: `${run} team renamed`, members: [{ value: u2() }] } },
        ]);
        expect(after.displayName).toBe(`${run} team renamed`);
        expect(membersOf(after)).toEqual([u2()]);

        after = await patch('Group', id, [{ op: 'remove', path: 'members' }]);
        expect(after.members).toBeUndefined();
      });

      test('nested groups are members of type Group', async () => {
        const inner = await createGroup({ displayName: `${run} inner` });
        const outer = await createGroup({
          displayName: `${run} outer`,
          members: [{ value: String(inner.id) }, { value: u1() }],
        });
        const types = Object.fromEntries(
          (outer.members as { value: string; type: string }[]).map((m) => [m.value, m.type]),
        );
        expect(types).toEqual({ [String(inner.id)]: 'Group', [u1()]: 'User' });
        const found = await store.search(
          'Group',
          query(`members[value eq "${String(inner.id)}" and type eq "Group"]`),
        );
        expect(found.resources.map((group) => group.displayName)).toEqual([`${run} outer`]);
      });

      test('excludedAttributes=members leaves members out', async () => {
        const group = await createGroup({ displayName: `${run} excluded`, members: [{ value: u1() }] });
        const read = await store.get('Group', String(group.id), { excludedAttributes: ['members'] });
        expect(read.members).toBeUndefined();
        expect(read.displayName).toBe(`${run} excluded`);
        const patched = await patch(
          'Group',
          String(group.id),
          [{ op: 'add', path: 'members', value: [{ value: u2() }] }],
          undefined,
          ['members'],
        );
        expect(patched.members).toBeUndefined();
        expect(membersOf(await store.get('Group', String(group.id)))).toEqual([u1(), u2()].sort());
      });

      test('deleting a user removes its memberships', async () => {
        const doomed = String((await createUser({ userName: `${run}-doomed` })).id);
        const group = await createGroup({
          displayName: `${run} with doomed`,
          members: [{ value: doomed }, { value: u1() }],
        });
        await store.delete('User', doomed);
        expect(membersOf(await store.get('Group', String(group.id)))).toEqual([u1()]);
      });

      test('a failing statement rolls the whole create back', async () => {
        const missing = randomUUID();
        const displayName = `${run} rollback`;
        const error = await scimErrorOf(() =>
          createGroup({ displayName, members: [{ value: u1() }, { value: missing }] }),
        );
        expect(error.status).toBe(400);
        expect(error.scimType).toBe('invalidValue');
        expect(error.message).toContain(missing);
        const found = await store.search('Group', query(`displayName eq "${displayName}"`));
        expect(found.totalResults).toBe(0);
        const group = await createGroup({ displayName, members: [{ value: u1() }] });
        expect(membersOf(group)).toEqual([u1()]);
      });

      test('adding an unknown member is 400 and changes nothing', async () => {
        const group = await createGroup({ displayName: `${run} strict`, members: [{ value: u1() }] });
        const error = await scimErrorOf(() =>
          patch('Group', String(group.id), [
            { op: 'replace', path: 'displayName', value: `${run} strict renamed` },
            { op: 'add', path: 'members', value: [{ value: 'no-such-member' }] },
          ]),
        );
        expect(error.scimType).toBe('invalidValue');
        const read = await store.get('Group', String(group.id));
        expect(read.displayName).toBe(`${run} strict`);
        expect(metaOf(read).version).toBe(metaOf(group).version);
      });
    });
  });
}
