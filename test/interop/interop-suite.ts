import { randomUUID } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InteropContext } from './interop-context.js';

/**
 * The request sequences Microsoft Entra ID and Okta send to a SCIM service
 * provider, replayed through the real app (fastify.inject) over any mapping.
 *
 * Bodies follow the vendors' public documentation:
 * - Microsoft, "Tutorial: Develop and plan provisioning for a SCIM endpoint in
 *   Microsoft Entra ID" (learn.microsoft.com/entra/identity/app-provisioning/
 *   use-scim-to-provision-users-and-groups) — the request/response examples;
 * - Microsoft, "Known issues and resolutions with SCIM 2.0 protocol compliance
 *   of the Microsoft Entra user provisioning service" (…/application-
 *   provisioning-config-problem-scim-compatibility) — capitalised ops, path-less
 *   Replace, `"False"` strings, member removal styles;
 * - Okta, "SCIM 2.0 protocol reference" (developer.okta.com/docs/api/openapi/
 *   okta-scim/guides/scim-20) and "Build a SCIM provisioning integration" —
 *   lookups with `startIndex=1&count=100`, PUT-based updates and deactivation,
 *   group push.
 * Names and ids are made unique per run so the suite can share a directory.
 *
 * The mapping must serve User (userName, externalId, active, displayName,
 * name.givenName/familyName (and name.formatted, checked when /Schemas serves
 * it), title, work email, the enterprise
 * employeeNumber, department and manager) and Group (displayName, externalId,
 * members). `skips` names tests a backend cannot pass, each with its reason.
 */
export function describeInteropSuite(
  name: string,
  makeContext: () => Promise<InteropContext>,
  skips: Readonly<Record<string, string>> = {},
): void {
  describe(`Interoperability: ${name}`, () => {
    let ctx: InteropContext;
    const run = randomUUID().slice(0, 8);

    /** Sub-attributes of `name` the mapping serves (from /Schemas): a client reads back only those. */
    let servedNameParts: ReadonlySet<string> = new Set();

    beforeAll(async () => {
      ctx = await makeContext();
      const schema = await ctx.app.inject({
        method: 'GET',
        url: `${ctx.basePath}/Schemas/${USER}`,
        headers: { authorization: `Bearer ${ctx.token}` },
      });
      const attributes = (
        schema.json() as { attributes?: { name: string; subAttributes?: { name: string }[] }[] }
      ).attributes;
      const name = attributes?.find((attribute) => attribute.name === 'name');
      servedNameParts = new Set(name?.subAttributes?.map((sub) => sub.name) ?? []);
      // The suite needs these two (see above); without them the name checks would prove nothing.
      if (!servedNameParts.has('givenName') || !servedNameParts.has('familyName'))
        throw new Error(
          `the mapping must serve name.givenName and name.familyName (/Schemas said ${schema.body})`,
        );
    }, 120_000);

    /** `name` as a client reads it back: the parts it sent that the mapping serves. */
    const servedName = (name: Record<string, string>): Record<string, string> =>
      Object.fromEntries(Object.entries(name).filter(([part]) => servedNameParts.has(part)));
    afterAll(async () => {
      await ctx?.cleanup();
    });

    const test = (title: string, body: () => Promise<void>, timeout?: number): void => {
      const reason = skips[title];
      if (reason === undefined) it(title, body, timeout);
      else it.skip(`${title} (skipped: ${reason})`, body); // the backend states why
    };

    // ------------------------------------------------------------ plumbing

    const send = (
      method: InjectOptions['method'],
      url: string,
      body?: unknown,
      contentType = SCIM_JSON,
    ): Promise<LightMyRequestResponse> =>
      ctx.app.inject({
        method,
        url: `${ctx.basePath}${url}`,
        headers: {
          authorization: `Bearer ${ctx.token}`,
          ...(body === undefined ? {} : { 'content-type': contentType }),
        },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      });

    /** Asserts the status (showing the body when it differs) and, when there is one, the SCIM media type; returns the JSON body. */
    const expectReply = (response: LightMyRequestResponse, status: number): Json => {
      expect(response.statusCode, `${response.statusCode} ${response.body}`).toBe(status);
      if (response.body === '') return {};
      expect(response.headers['content-type']).toMatch(/^application\/scim\+json/);
      return response.json() as Json;
    };

    const expectScimError = (response: LightMyRequestResponse, status: number, scimType?: string): void => {
      const body = expectReply(response, status);
      expect(body.schemas).toEqual([ERROR]);
      expect(body.status).toBe(String(status));
      if (scimType !== undefined) expect(body.scimType).toBe(scimType);
    };

    const list = async (url: string): Promise<ListBody> => {
      const body = expectReply(await send('GET', url), 200) as unknown as ListBody;
      expect(body.schemas).toEqual([LIST_RESPONSE]);
      expect(body.itemsPerPage).toBe(body.Resources.length);
      return body;
    };

    const getResource = async (endpoint: string, id: string, query = ''): Promise<Json> =>
      expectReply(await send('GET', `${endpoint}/${id}${query}`), 200);

    // A PATCH of group members only is answered 204 No Content (RFC 7644 §3.5.2), as in
    // Microsoft's and Okta's examples; any other PATCH 200 with the resource.
    const patch = async (endpoint: string, id: string, operations: Json[]): Promise<Json> =>
      expectReply(
        await send('PATCH', `${endpoint}/${id}`, { schemas: [PATCH_OP], Operations: operations }),
        operations.every((operation) => /^members\b/i.test(String(operation.path ?? ''))) ? 204 : 200,
      );

    const filterQuery = (filter: string): string => `filter=${encodeURIComponent(filter)}`;

    let sequence = 0;
    const unique = (label: string): string => {
      sequence += 1;
      return `${label}-${run}-${sequence}`;
    };

    /** Microsoft's "Create User" request, with the enterprise attributes Entra maps by default. */
    const entraUser = (tag = unique('entra')): Json => ({
      schemas: [USER, ENTERPRISE],
      externalId: randomUUID(),
      userName: `Test_User_${tag}`,
      active: true,
      emails: [{ primary: true, type: 'work', value: `Test_User_${tag}@testuser.com` }],
      meta: { resourceType: 'User' },
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      roles: [],
      [ENTERPRISE]: { employeeNumber: '100009', department: 'Human Resources US' },
    });

    const createUser = async (body: Json = entraUser()): Promise<Json> =>
      expectReply(await send('POST', '/Users', body), 201);

    /** Microsoft's "Create Group" request: the core schema plus Entra's own (unknown to us) URI. */
    const entraGroup = (extra: Json = {}): Json => ({
      schemas: [GROUP, MS_ADSCIM_GROUP],
      externalId: randomUUID(),
      displayName: unique('Entra Group'),
      meta: { resourceType: 'Group' },
      ...extra,
    });

    const createGroup = async (body: Json = entraGroup()): Promise<Json> =>
      expectReply(await send('POST', '/Groups', body), 201);

    const memberIds = (group: Json): string[] =>
      ((group.members as { value: string }[] | undefined) ?? []).map((member) => member.value).sort();

    const emptyList = (startIndex = 1): ListBody => ({
      schemas: [LIST_RESPONSE],
      totalResults: 0,
      itemsPerPage: 0,
      startIndex,
      Resources: [],
    });

    // ============================================================ Entra ID

    describe('Microsoft Entra ID', () => {
      test('test connection: filter id eq a random GUID → 200 and an empty list', async () => {
        expect(await list(`/Users?${filterQuery(`id eq "${randomUUID()}"`)}`)).toEqual(emptyList());
      });

      test('test connection: filter userName eq a random name (+ for spaces) → 200 and an empty list', async () => {
        const url = `/Users?filter=userName+eq+%22${randomUUID()}%22`;
        expect(await list(url)).toEqual(emptyList());
      });

      test('creates a user with the enterprise extension → 201 with the stored user', async () => {
        const body = entraUser();
        const response = await send('POST', '/Users', body);
        const created = expectReply(response, 201);
        const id = created.id as string;
        expect(typeof id).toBe('string');
        expect(created.schemas).toEqual(expect.arrayContaining([USER, ENTERPRISE]));
        expect(created).toMatchObject({
          userName: body.userName,
          externalId: body.externalId,
          active: true,
          name: servedName({
            formatted: 'givenName familyName',
            familyName: 'familyName',
            givenName: 'givenName',
          }),
          [ENTERPRISE]: { employeeNumber: '100009', department: 'Human Resources US' },
          meta: { resourceType: 'User' },
        });
        expect(created.emails).toEqual([
          expect.objectContaining({ type: 'work', value: (body.emails as Json[])[0]?.value }),
        ]);
        expect(created.roles).toBeUndefined(); // not mapped: accepted, not stored
        const meta = created.meta as Json;
        expect(meta.location).toMatch(new RegExp(`/Users/${id}$`));
        expect(response.headers.location).toBe(meta.location);
        expect(response.headers.etag).toBe(meta.version);

        const fetched = await getResource('/Users', id);
        expect(fetched).toMatchObject({
          id,
          userName: body.userName,
          externalId: body.externalId,
          active: true,
        });
      });

      test('matches an existing user by userName (any case) and by externalId', async () => {
        const body = entraUser();
        const created = await createUser(body);
        for (const filter of [
          `userName eq "${body.userName}"`,
          `userName eq "${String(body.userName).toUpperCase()}"`,
          `externalId eq "${body.externalId}"`,
        ]) {
          const found = await list(`/Users?${filterQuery(filter)}`);
          expect(found.totalResults, filter).toBe(1);
          expect(found.Resources[0]?.id, filter).toBe(created.id);
        }
      });

      test('creating a user whose userName exists → 409 uniqueness', async () => {
        const body = entraUser();
        await createUser(body);
        expectScimError(
          await send('POST', '/Users', { ...body, externalId: randomUUID() }),
          409,
          'uniqueness',
        );
      });

      test('PATCH with paths: emails[type eq "work"].value, name.familyName, userName', async () => {
        const user = await createUser();
        const id = user.id as string;
        const newUserName = `${unique('renamed')}@testuser.com`;
        const patched = await patch('/Users', id, [
          { op: 'Replace', path: 'emails[type eq "work"].value', value: `updated-${run}@microsoft.com` },
          { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
          { op: 'Replace', path: 'userName', value: newUserName },
        ]);
        expect(patched).toMatchObject({
          id,
          userName: newUserName,
          name: { familyName: 'updatedFamilyName' },
        });
        const fetched = await getResource('/Users', id);
        expect(fetched).toMatchObject({
          userName: newUserName,
          name: { familyName: 'updatedFamilyName', givenName: 'givenName' },
        });
        expect(fetched.emails).toEqual([
          expect.objectContaining({ type: 'work', value: `updated-${run}@microsoft.com` }),
        ]);
      });

      test('PATCH path-less Replace with dotted and URN-qualified keys', async () => {
        const user = await createUser();
        const id = user.id as string;
        await patch('/Users', id, [
          {
            op: 'Replace',
            value: {
              displayName: 'Pat Doe',
              'name.givenName': 'Pat',
              'name.familyName': 'Doe',
              title: 'Engineer',
              [`${ENTERPRISE}:department`]: 'Finance',
              [`${ENTERPRISE}:employeeNumber`]: '4242',
            },
          },
        ]);
        const fetched = await getResource('/Users', id);
        expect(fetched).toMatchObject({
          displayName: 'Pat Doe',
          title: 'Engineer',
          name: servedName({ givenName: 'Pat', familyName: 'Doe', formatted: 'givenName familyName' }),
          [ENTERPRISE]: { department: 'Finance', employeeNumber: '4242' },
        });
      });

      test('PATCH Add of a new attribute and a path-less Add with the extension as a nested object', async () => {
        const user = await createUser();
        const id = user.id as string;
        await patch('/Users', id, [
          { op: 'Add', path: 'title', value: 'Manager' },
          { op: 'Add', value: { [ENTERPRISE]: { department: 'Sales' } } },
        ]);
        const fetched = await getResource('/Users', id);
        expect(fetched).toMatchObject({ title: 'Manager', [ENTERPRISE]: { department: 'Sales' } });
        // Untouched extension attributes stay.
        expect((fetched[ENTERPRISE] as Json).employeeNumber).toBe('100009');
      });

      test('disables with path active and the string "False", re-enables with "True"', async () => {
        const user = await createUser();
        const id = user.id as string;
        const disabled = await patch('/Users', id, [{ op: 'Replace', path: 'active', value: 'False' }]);
        expect(disabled.active).toBe(false);
        expect((await getResource('/Users', id)).active).toBe(false);
        const enabled = await patch('/Users', id, [{ op: 'Replace', path: 'active', value: 'True' }]);
        expect(enabled.active).toBe(true);
        expect((await getResource('/Users', id)).active).toBe(true);
      });

      test('disables with a path-less {"op":"Replace","value":{"active":false}}', async () => {
        const user = await createUser();
        const id = user.id as string;
        const disabled = await patch('/Users', id, [{ op: 'Replace', value: { active: false } }]);
        expect(disabled.active).toBe(false);
        const found = await list(`/Users?${filterQuery(`id eq "${id}" and active eq false`)}`);
        expect(found.totalResults).toBe(1);
      });

      test('sets the manager as a plain string, replaces it as {value}, removes it', async () => {
        const first = await createUser();
        const second = await createUser();
        const user = await createUser();
        const id = user.id as string;
        const managerOf = async (): Promise<Json | undefined> =>
          (await getResource('/Users', id))[ENTERPRISE] === undefined
            ? undefined
            : (((await getResource('/Users', id))[ENTERPRISE] as Json).manager as Json | undefined);

        await patch('/Users', id, [{ op: 'Add', path: `${ENTERPRISE}:manager`, value: first.id }]);
        const manager = await managerOf();
        expect(manager?.value).toBe(first.id);
        expect(String(manager?.$ref)).toMatch(new RegExp(`/Users/${first.id}$`));

        await patch('/Users', id, [
          { op: 'Replace', path: `${ENTERPRISE}:manager`, value: { value: second.id } },
        ]);
        expect((await managerOf())?.value).toBe(second.id);

        await patch('/Users', id, [{ op: 'Remove', path: `${ENTERPRISE}:manager` }]);
        expect(await managerOf()).toBeUndefined();
        // The rest of the extension is untouched.
        expect(((await getResource('/Users', id))[ENTERPRISE] as Json).department).toBe('Human Resources US');
      });

      test('sets the manager through a path-less Replace with the URN-qualified key', async () => {
        const boss = await createUser();
        const user = await createUser();
        const id = user.id as string;
        await patch('/Users', id, [{ op: 'Replace', value: { [`${ENTERPRISE}:manager`]: boss.id } }]);
        const fetched = await getResource('/Users', id);
        expect((fetched[ENTERPRISE] as Json).manager).toMatchObject({ value: boss.id });
      });

      test('PATCH Add emails[type eq "work"].value on a user without emails creates the work email', async () => {
        const { emails: _none, ...body } = entraUser();
        const user = await createUser(body);
        const id = user.id as string;
        expect(user.emails).toBeUndefined();
        await patch('/Users', id, [
          { op: 'Add', path: 'emails[type eq "work"].value', value: `added-${run}@testuser.com` },
        ]);
        expect((await getResource('/Users', id)).emails).toEqual([
          expect.objectContaining({ type: 'work', value: `added-${run}@testuser.com` }),
        ]);
      });

      test('PATCH Add phoneNumbers[type eq "work"].value and [type eq "mobile"].value', async () => {
        const user = await createUser();
        const id = user.id as string;
        await patch('/Users', id, [
          { op: 'Add', path: 'phoneNumbers[type eq "work"].value', value: '+1 425 555 0100' },
          { op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 425 555 0199' },
        ]);
        const phones = (await getResource('/Users', id)).phoneNumbers as Json[];
        expect(phones).toHaveLength(2);
        expect(phones).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ type: 'work', value: '+1 425 555 0100' }),
            expect.objectContaining({ type: 'mobile', value: '+1 425 555 0199' }),
          ]),
        );
        await patch('/Users', id, [
          { op: 'Replace', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 425 555 0142' },
        ]);
        const after = (await getResource('/Users', id)).phoneNumbers as Json[];
        expect(after).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ type: 'work', value: '+1 425 555 0100' }),
            expect.objectContaining({ type: 'mobile', value: '+1 425 555 0142' }),
          ]),
        );
        expect(after).toHaveLength(2);
      });

      test('PATCH Remove of a single-valued attribute clears it', async () => {
        const user = await createUser({ ...entraUser(), title: 'Temp' });
        const id = user.id as string;
        expect(user.title).toBe('Temp');
        const patched = await patch('/Users', id, [{ op: 'Remove', path: 'title' }]);
        expect(patched.title).toBeUndefined();
        expect((await getResource('/Users', id)).title).toBeUndefined();
      });

      test('a userName with quote, wildcard, paren, comma, plus and backslash round-trips and matches exactly', async () => {
        const tag = unique('special');
        const userName = `O'Brien+${tag}(x)*,y\\z@testuser.com`;
        const created = await createUser({ ...entraUser(tag), userName });
        expect(created.userName).toBe(userName);
        const escaped = userName.replaceAll('\\', '\\\\');
        const found = await list(`/Users?${filterQuery(`userName eq "${escaped}"`)}`);
        expect(found.Resources.map((user) => user.id)).toEqual([created.id]);
        // The wildcard is a character, not a pattern.
        const wildcard = await list(`/Users?${filterQuery(`userName eq "O'Brien+${tag}(x)*"`)}`);
        expect(wildcard.totalResults).toBe(0);
        expect((await getResource('/Users', created.id as string)).userName).toBe(userName);
      });

      test('filters with the non-standard emails[type eq "work"].value eq', async () => {
        const body = entraUser();
        const created = await createUser(body);
        const email = (body.emails as Json[])[0]?.value as string;
        const found = await list(`/Users?${filterQuery(`emails[type eq "work"].value eq "${email}"`)}`);
        expect(found.Resources.map((user) => user.id)).toEqual([created.id]);
      });

      test("creates a group with Microsoft's extra schema URI and members: [] → 201", async () => {
        const body = entraGroup({ members: [] });
        const created = await createGroup(body);
        expect(created).toMatchObject({
          schemas: [GROUP],
          displayName: body.displayName,
          externalId: body.externalId,
          meta: { resourceType: 'Group' },
        });
        expect(memberIds(created)).toEqual([]);
        const fetched = await getResource('/Groups', created.id as string);
        expect(fetched).toMatchObject({ displayName: body.displayName, externalId: body.externalId });
        expect(memberIds(fetched)).toEqual([]);
      });

      test('reads a group with excludedAttributes=members, by id and by displayName', async () => {
        const user = await createUser();
        const body = entraGroup({ members: [{ value: user.id }] });
        const group = await createGroup(body);
        const id = group.id as string;
        expect(memberIds(await getResource('/Groups', id))).toEqual([user.id]);

        const byId = await getResource('/Groups', id, '?excludedAttributes=members');
        expect(byId).toMatchObject({ id, displayName: body.displayName });
        expect(byId.members).toBeUndefined();

        const byName = await list(
          `/Groups?excludedAttributes=members&${filterQuery(`displayName eq "${body.displayName}"`)}`,
        );
        expect(byName.totalResults).toBe(1);
        expect(byName.Resources[0]).toMatchObject({ id, displayName: body.displayName });
        expect(byName.Resources[0]?.members).toBeUndefined();
      });

      test('renames a group with PATCH Replace displayName', async () => {
        const group = await createGroup();
        const id = group.id as string;
        const displayName = unique('updatedDisplayName');
        const patched = await patch('/Groups', id, [
          { op: 'Replace', path: 'displayName', value: displayName },
        ]);
        expect(patched.displayName).toBe(displayName);
        expect((await getResource('/Groups', id)).displayName).toBe(displayName);
      });

      test('adds a member ({"$ref": null, value}) and removes it by a value array', async () => {
        const keep = await createUser();
        const user = await createUser();
        const group = await createGroup(entraGroup({ members: [{ value: keep.id }] }));
        const id = group.id as string;

        await patch('/Groups', id, [{ op: 'Add', path: 'members', value: [{ $ref: null, value: user.id }] }]);
        expect(memberIds(await getResource('/Groups', id))).toEqual([keep.id, user.id].sort());

        await patch('/Groups', id, [
          { op: 'Remove', path: 'members', value: [{ $ref: null, value: user.id }] },
        ]);
        expect(memberIds(await getResource('/Groups', id))).toEqual([keep.id]);
      });

      test('adding a present member again is idempotent; removing a non-member succeeds', async () => {
        const member = await createUser();
        const stranger = await createUser();
        const group = await createGroup(entraGroup({ members: [{ value: member.id }] }));
        const id = group.id as string;
        await patch('/Groups', id, [{ op: 'Add', path: 'members', value: [{ value: member.id }] }]);
        const fetched = await getResource('/Groups', id);
        expect(memberIds(fetched)).toEqual([member.id]);
        expect(fetched.members).toEqual([
          expect.objectContaining({
            value: member.id,
            $ref: expect.stringMatching(new RegExp(`/Users/${member.id}$`)),
          }),
        ]);
        await patch('/Groups', id, [{ op: 'Remove', path: 'members', value: [{ value: stranger.id }] }]);
        expect(memberIds(await getResource('/Groups', id))).toEqual([member.id]);
      });

      test('removes a member by members[value eq "…"]', async () => {
        const keep = await createUser();
        const user = await createUser();
        const group = await createGroup(entraGroup({ members: [{ value: keep.id }, { value: user.id }] }));
        const id = group.id as string;
        await patch('/Groups', id, [{ op: 'remove', path: `members[value eq "${user.id}"]` }]);
        expect(memberIds(await getResource('/Groups', id))).toEqual([keep.id]);
      });

      test('checks membership with filter members[value eq "…"]', async () => {
        const user = await createUser();
        const other = await createUser();
        const group = await createGroup(entraGroup({ members: [{ value: user.id }] }));
        const id = group.id as string;
        const check = (memberId: unknown) =>
          list(
            `/Groups?excludedAttributes=members&${filterQuery(`id eq "${id}" and members[value eq "${memberId}"]`)}`,
          );
        const hit = await check(user.id);
        expect(hit.Resources.map((found) => found.id)).toEqual([id]);
        expect(hit.Resources[0]?.members).toBeUndefined();
        expect((await check(other.id)).totalResults).toBe(0);
        const everyGroupOfUser = await list(
          `/Groups?excludedAttributes=members&${filterQuery(`members[value eq "${user.id}"]`)}`,
        );
        expect(everyGroupOfUser.Resources.map((found) => found.id)).toEqual([id]);
      });

      test('deletes a user: 204, then 404; the user leaves its groups', async () => {
        const keep = await createUser();
        const user = await createUser();
        const id = user.id as string;
        const group = await createGroup(entraGroup({ members: [{ value: keep.id }, { value: id }] }));
        const deleted = await send('DELETE', `/Users/${id}`);
        expect(deleted.statusCode, deleted.body).toBe(204);
        expect(deleted.body).toBe('');
        expectScimError(await send('GET', `/Users/${id}`), 404);
        expectScimError(await send('DELETE', `/Users/${id}`), 404);
        expect(memberIds(await getResource('/Groups', group.id as string))).toEqual([keep.id]);
      });

      test('deletes a group: 204, then 404', async () => {
        const group = await createGroup();
        const id = group.id as string;
        const deleted = await send('DELETE', `/Groups/${id}`);
        expect(deleted.statusCode, deleted.body).toBe(204);
        expectScimError(await send('GET', `/Groups/${id}`), 404);
        expect(
          (await list(`/Groups?${filterQuery(`displayName eq "${group.displayName}"`)}`)).totalResults,
        ).toBe(0);
      });
    });

    // ================================================================ Okta

    describe('Okta', () => {
      /** Okta's "Create User" request (the app profile with a password, locale and no groups). */
      const oktaUser = (): Json => {
        const login = `${unique('test.user')}@okta.local`;
        return {
          schemas: [USER],
          userName: login,
          name: { givenName: 'Test', familyName: 'User' },
          emails: [{ primary: true, value: login, type: 'work' }],
          displayName: 'Test User',
          locale: 'en-US',
          externalId: `00u${randomUUID().replaceAll('-', '').slice(0, 17)}`,
          groups: [],
          password: '1mz050nq',
          active: true,
        };
      };

      const lookup = (userName: unknown) =>
        list(`/Users?${filterQuery(`userName eq "${userName}"`)}&startIndex=1&count=100`);

      test('looks up an unknown userName with startIndex=1&count=100 → 200 and an empty list', async () => {
        expect(await lookup(`${randomUUID()}@okta.local`)).toEqual(emptyList());
      });

      test('creates a user (password, locale, groups: []) and finds it with startIndex=1&count=100', async () => {
        const body = oktaUser();
        // Okta may send plain application/json; it is accepted as SCIM.
        const created = expectReply(await send('POST', '/Users', body, 'application/json'), 201);
        expect(created).toMatchObject({
          userName: body.userName,
          externalId: body.externalId,
          displayName: 'Test User',
          active: true,
          name: { givenName: 'Test', familyName: 'User' },
        });
        expect(created.password).toBeUndefined(); // returned: never
        const found = await lookup(body.userName);
        expect(found).toMatchObject({ totalResults: 1, itemsPerPage: 1, startIndex: 1 });
        expect(found.Resources[0]).toMatchObject({ id: created.id, userName: body.userName });
        expect(found.Resources[0]?.password).toBeUndefined();
        expect(await getResource('/Users', created.id as string)).toMatchObject({ userName: body.userName });
      });

      test('updates a profile with PUT (full replace)', async () => {
        const body = oktaUser();
        const created = await createUser({ ...body, title: 'Intern' });
        const id = created.id as string;
        const replacement = {
          ...body,
          id,
          name: { givenName: 'Another', familyName: 'User' },
          displayName: 'Another User',
          meta: created.meta,
        };
        const replaced = expectReply(await send('PUT', `/Users/${id}`, replacement), 200);
        expect(replaced).toMatchObject({ id, displayName: 'Another User', name: { givenName: 'Another' } });
        const fetched = await getResource('/Users', id);
        expect(fetched).toMatchObject({ id, userName: body.userName, displayName: 'Another User' });
        expect(fetched.title).toBeUndefined(); // PUT replaces: what the body leaves out is cleared
        expect((fetched.meta as Json).version).not.toBe((created.meta as Json).version);
      });

      test('deactivates with PUT active:false, reactivates with PATCH replace {active:true}', async () => {
        const body = oktaUser();
        const created = await createUser(body);
        const id = created.id as string;
        const deactivated = expectReply(
          await send('PUT', `/Users/${id}`, { ...body, id, active: false }, 'application/json'),
          200,
        );
        expect(deactivated.active).toBe(false);
        expect((await getResource('/Users', id)).active).toBe(false);
        expect((await lookup(body.userName)).Resources[0]?.active).toBe(false);

        const reactivated = await patch('/Users', id, [{ op: 'replace', value: { active: true } }]);
        expect(reactivated.active).toBe(true);
        expect((await getResource('/Users', id)).active).toBe(true);
      });

      test('pages with startIndex=1&count=100 over more than 100 users', async () => {
        const mine = new Set<string>();
        for (let index = 0; index < 105; index += 1) {
          const created = await createUser(oktaUser());
          mine.add(created.id as string);
        }
        const first = await list('/Users?startIndex=1&count=100');
        expect(first.startIndex).toBe(1);
        expect(first.itemsPerPage).toBe(100);
        expect(first.totalResults).toBeGreaterThanOrEqual(105);

        const seen: string[] = [];
        let startIndex = 1;
        for (;;) {
          const page = await list(`/Users?startIndex=${startIndex}&count=100`);
          expect(page.startIndex).toBe(startIndex);
          expect(page.totalResults).toBe(first.totalResults);
          seen.push(...page.Resources.map((user) => user.id as string));
          if (page.Resources.length < 100) break;
          startIndex += 100;
        }
        expect(seen).toHaveLength(first.totalResults);
        expect(new Set(seen).size).toBe(seen.length);
        for (const id of mine) expect(seen).toContain(id);
        // Past the end: an empty page, still 200.
        const past = await list(`/Users?startIndex=${first.totalResults + 1}&count=100`);
        expect(past.Resources).toEqual([]);
        expect(past.totalResults).toBe(first.totalResults);
      }, 120_000);

      /** Okta's "Create Group" request (group push). */
      const oktaGroup = (): Json => ({ schemas: [GROUP], displayName: unique('Test SCIMv2'), members: [] });

      test('pushes a group with members: [] and finds it by displayName with startIndex=1&count=100', async () => {
        const body = oktaGroup();
        const created = await createGroup(body);
        expect(created).toMatchObject({ schemas: [GROUP], displayName: body.displayName });
        expect(memberIds(created)).toEqual([]);
        const found = await list(
          `/Groups?${filterQuery(`displayName eq "${body.displayName}"`)}&startIndex=1&count=100`,
        );
        expect(found).toMatchObject({ totalResults: 1, startIndex: 1 });
        expect(found.Resources[0]?.id).toBe(created.id);
      });

      test('renames a group with PATCH replace {id, displayName}', async () => {
        const group = await createGroup(oktaGroup());
        const id = group.id as string;
        const displayName = unique('Renamed SCIMv2');
        const patched = await patch('/Groups', id, [{ op: 'replace', value: { id, displayName } }]);
        expect(patched).toMatchObject({ id, displayName });
        expect((await getResource('/Groups', id)).displayName).toBe(displayName);
      });

      test('adds members (value + display) and removes one by members[value eq "…"]', async () => {
        const first = await createUser(oktaUser());
        const second = await createUser(oktaUser());
        const group = await createGroup(oktaGroup());
        const id = group.id as string;
        await patch('/Groups', id, [
          {
            op: 'add',
            path: 'members',
            value: [
              { value: first.id, display: first.userName },
              { value: second.id, display: second.userName },
            ],
          },
        ]);
        expect(memberIds(await getResource('/Groups', id))).toEqual([first.id, second.id].sort());
        await patch('/Groups', id, [{ op: 'remove', path: `members[value eq "${first.id}"]` }]);
        expect(memberIds(await getResource('/Groups', id))).toEqual([second.id]);
      });

      test("replaces a group's members with PUT", async () => {
        const first = await createUser(oktaUser());
        const second = await createUser(oktaUser());
        const body = oktaGroup();
        const group = await createGroup({ ...body, members: [{ value: first.id, display: first.userName }] });
        const id = group.id as string;
        const replaced = expectReply(
          await send('PUT', `/Groups/${id}`, {
            schemas: [GROUP],
            id,
            displayName: body.displayName,
            members: [{ value: second.id, display: second.userName }],
          }),
          200,
        );
        expect(memberIds(replaced)).toEqual([second.id]);
        expect(memberIds(await getResource('/Groups', id))).toEqual([second.id]);
      });

      test('deletes a group: 204, then 404', async () => {
        const group = await createGroup(oktaGroup());
        const id = group.id as string;
        const deleted = await send('DELETE', `/Groups/${id}`);
        expect(deleted.statusCode, deleted.body).toBe(204);
        expectScimError(await send('GET', `/Groups/${id}`), 404);
      });
    });
  });
}

type Json = Record<string, unknown>;
interface ListBody {
  schemas: string[];
  totalResults: number;
  itemsPerPage: number;
  startIndex?: number;
  Resources: Json[];
}

const SCIM_JSON = 'application/scim+json';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
/** Sent by Entra in a group's `schemas`; not a schema this server knows, so it must be tolerated. */
const MS_ADSCIM_GROUP = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group';
