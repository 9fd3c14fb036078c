import { describe, expect, it } from 'vitest';
import { isAttributeRequested, parseAttributeList, projectResource } from '../../src/scim/projection.js';
import type { ScimResource } from '../../src/scim/schema/model.js';
import { ENTERPRISE, groupSchema, userSchema } from './support/schemas.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

const user: ScimResource = {
  schemas: [USER, ENTERPRISE],
  id: 'u1',
  externalId: 'ext-1',
  userName: 'bjensen',
  password: 'secret',
  name: { givenName: 'Barbara', familyName: 'Jensen' },
  emails: [
    { value: 'b@example.com', type: 'work', primary: true },
    { value: 'b@home.org', type: 'home' },
  ],
  groups: [{ value: 'g1', display: 'Admins' }],
  backendOnly: 'never shown',
  meta: { resourceType: 'User', version: 'W/"3"' },
  [ENTERPRISE]: { department: 'Sales', manager: { value: 'm1', displayName: 'Boss' } },
};

describe('projectResource', () => {
  it.each<[string, { attributes?: string[]; excludedAttributes?: string[] }, ScimResource]>([
    [
      'default: all default attributes, never password, nothing outside the schema',
      {},
      {
        schemas: [USER, ENTERPRISE],
        id: 'u1',
        externalId: 'ext-1',
        userName: 'bjensen',
        name: { givenName: 'Barbara', familyName: 'Jensen' },
        emails: user.emails,
        groups: user.groups,
        meta: user.meta,
        [ENTERPRISE]: user[ENTERPRISE],
      },
    ],
    [
      'attributes=userName (id, schemas always)',
      { attributes: ['userName'] },
      { schemas: [USER], id: 'u1', userName: 'bjensen' },
    ],
    [
      'attributes=name.givenName,emails.value (sub-attributes)',
      { attributes: ['name.givenName', 'EMAILS.VALUE'] },
      {
        schemas: [USER],
        id: 'u1',
        name: { givenName: 'Barbara' },
        emails: [{ value: 'b@example.com' }, { value: 'b@home.org' }],
      },
    ],
    [
      'attributes with URN-qualified names',
      { attributes: [`${USER}:userName`, `${ENTERPRISE}:department`] },
      { schemas: [USER, ENTERPRISE], id: 'u1', userName: 'bjensen', [ENTERPRISE]: { department: 'Sales' } },
    ],
    [
      'attributes naming a whole extension',
      { attributes: [ENTERPRISE] },
      { schemas: [USER, ENTERPRISE], id: 'u1', [ENTERPRISE]: user[ENTERPRISE] },
    ],
    ['attributes=password (never is never)', { attributes: ['password'] }, { schemas: [USER], id: 'u1' }],
    ['attributes=id only', { attributes: ['id'] }, { schemas: [USER], id: 'u1' }],
    ['attributes=unknown selects nothing extra', { attributes: ['nope'] }, { schemas: [USER], id: 'u1' }],
    [
      'excludedAttributes=emails,groups,meta,id (id cannot be excluded)',
      { excludedAttributes: ['emails', 'groups', 'meta', 'id', ENTERPRISE] },
      { schemas: [USER], id: 'u1', externalId: 'ext-1', userName: 'bjensen', name: user.name },
    ],
    [
      'excludedAttributes of a sub-attribute',
      {
        excludedAttributes: [
          'name.familyName',
          `${ENTERPRISE}:manager`,
          'emails',
          'groups',
          'meta',
          'externalId',
        ],
      },
      {
        schemas: [USER, ENTERPRISE],
        id: 'u1',
        userName: 'bjensen',
        name: { givenName: 'Barbara' },
        [ENTERPRISE]: { department: 'Sales' },
      },
    ],
  ])('%s', (_name, selection, expected) => {
    expect(projectResource(userSchema, user, selection)).toEqual(expected);
  });

  it("keeps a group's members unless excluded", () => {
    const group = {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      id: 'g1',
      displayName: 'A',
      members: [{ value: 'u1' }],
    };
    expect(projectResource(groupSchema, group, {})).toEqual(group);
    expect(projectResource(groupSchema, group, { excludedAttributes: ['members'] })).toEqual({
      schemas: group.schemas,
      id: 'g1',
      displayName: 'A',
    });
  });

  it('answers each selection the same however often and in whatever order selections come (rules are remembered)', () => {
    const selections = [{}, { attributes: ['userName'] }, { excludedAttributes: ['emails'] }, {}];
    const first = selections.map((selection) => projectResource(userSchema, user, selection));
    const again = [...selections].reverse().map((selection) => projectResource(userSchema, user, selection));
    expect(again.reverse()).toEqual(first);
    expect(first[1]).toEqual({ schemas: [USER], id: 'u1', userName: 'bjensen' });
    expect(first[2]).not.toHaveProperty('emails');
    expect(first[3]).toEqual(first[0]);
  });

  it('spells names as the schema does and drops unknown sub-attributes, whatever keys the store used', () => {
    const shouted: ScimResource = {
      ID: 'u1',
      USERNAME: 'bjensen',
      emails: [{ VALUE: 'b@example.com', type: 'work', colour: 'blue' }],
      name: { givenName: 'Barbara', nickname: 'Babs' },
    };
    expect(projectResource(userSchema, shouted, {})).toEqual({
      schemas: [USER],
      id: 'u1',
      userName: 'bjensen',
      emails: [{ value: 'b@example.com', type: 'work' }],
      name: { givenName: 'Barbara' },
    });
  });

  it('returns a new resource, sharing complex values it leaves whole, and changes nothing of its input', () => {
    const input = structuredClone(user);
    const projected = projectResource(userSchema, input, {});
    expect(projected).not.toBe(input);
    expect(projected.name).toBe(input.name);
    expect(projected.emails).not.toBe(input.emails);
    expect((projected.emails as unknown[])[0]).toBe((input.emails as unknown[])[0]);
    expect(input).toEqual(user);
    // A value with a sub-attribute left out is a copy.
    const withoutPrimary = projectResource(userSchema, input, { excludedAttributes: ['emails.primary'] });
    expect((withoutPrimary.emails as unknown[])[0]).toEqual({ value: 'b@example.com', type: 'work' });
    expect(input).toEqual(user);
  });
});

describe('isAttributeRequested', () => {
  it.each<
    [
      string,
      { attributes?: string[]; excludedAttributes?: string[] },
      { schema: string; attribute: string },
      boolean,
    ]
  >([
    [
      'members by default',
      {},
      { schema: 'urn:ietf:params:scim:schemas:core:2.0:Group', attribute: 'members' },
      true,
    ],
    [
      'members excluded',
      { excludedAttributes: ['members'] },
      { schema: 'urn:ietf:params:scim:schemas:core:2.0:Group', attribute: 'members' },
      false,
    ],
    [
      'members not among attributes',
      { attributes: ['displayName'] },
      { schema: 'urn:ietf:params:scim:schemas:core:2.0:Group', attribute: 'members' },
      false,
    ],
    [
      'members.value among attributes',
      { attributes: ['members.value'] },
      { schema: 'urn:ietf:params:scim:schemas:core:2.0:Group', attribute: 'members' },
      true,
    ],
    [
      'id always',
      { attributes: ['displayName'] },
      { schema: 'urn:ietf:params:scim:schemas:core:2.0:Group', attribute: 'id' },
      true,
    ],
  ])('%s', (_name, selection, attr, expected) => {
    expect(isAttributeRequested(groupSchema, selection, attr)).toBe(expected);
  });

  it('handles extension attributes and never-returned ones', () => {
    expect(
      isAttributeRequested(
        userSchema,
        { attributes: [ENTERPRISE] },
        { schema: ENTERPRISE, attribute: 'manager' },
      ),
    ).toBe(true);
    expect(
      isAttributeRequested(
        userSchema,
        { excludedAttributes: [`${ENTERPRISE}:manager`] },
        { schema: ENTERPRISE, attribute: 'manager' },
      ),
    ).toBe(false);
    expect(isAttributeRequested(userSchema, {}, { schema: USER, attribute: 'password' })).toBe(false);
    expect(isAttributeRequested(userSchema, {}, { schema: USER, attribute: 'nope' })).toBe(false);
  });
});

describe('parseAttributeList', () => {
  it.each<[string | undefined, string[]]>([
    [undefined, []],
    ['', []],
    ['userName', ['userName']],
    ['userName, name.givenName ,,emails', ['userName', 'name.givenName', 'emails']],
    [`${ENTERPRISE}:manager,displayName`, [`${ENTERPRISE}:manager`, 'displayName']],
  ])('%j', (text, expected) => {
    expect(parseAttributeList(text)).toEqual(expected);
  });
});
