import { describe, expect, it } from 'vitest';
import { ScimError } from '../../src/scim/errors.js';
import type { Filter } from '../../src/scim/filter/ast.js';
import { applyPatch } from '../../src/scim/patch/apply-patch.js';
import type { PatchOperation } from '../../src/scim/patch/operation.js';
import type { PatchPath } from '../../src/scim/path/ast.js';
import type { ResourceSchema, ScimResource } from '../../src/scim/schema/model.js';
import { and, cmp, ENTERPRISE, groupSchema, path, userSchema } from './support/schemas.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const BABS = '2819c223-7f76-453a-919d-413861904646';
const JAMES = '08e1d05d-121c-4561-8b96-473d93df9210';

/** A PATCH path as the parser produces it: `attr[.sub]`, optionally with a value filter. */
function p(text: string, valueFilter?: Filter, subAttribute?: string): PatchPath {
  const base = path(text);
  return {
    ...base,
    ...(valueFilter === undefined ? {} : { valueFilter }),
    ...(subAttribute === undefined ? {} : { subAttribute }),
  };
}

const baseUser = (): ScimResource => ({
  schemas: [USER],
  id: BABS,
  userName: 'bjensen',
  name: { givenName: 'Barbara', familyName: 'Jensen' },
  nickName: 'Babs',
  active: true,
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  addresses: [
    { type: 'work', streetAddress: '100 Universal City Plaza', locality: 'Hollywood', primary: true },
    { type: 'home', streetAddress: '456 Hollywood Blvd', locality: 'Hollywood' },
  ],
  meta: { resourceType: 'User', version: 'W/"1"' },
});

const baseGroup = (): ScimResource => ({
  schemas: [GROUP],
  id: 'e9e30dba-f08f-4109-8486-d5c6a331660a',
  displayName: 'Tour Guides',
  members: [
    { value: BABS, display: 'Babs Jensen' },
    { value: JAMES, display: 'James Smith' },
  ],
});

interface Case {
  readonly name: string;
  readonly schema: ResourceSchema;
  readonly before: ScimResource;
  readonly ops: PatchOperation[];
  /** Only these top-level keys are compared (plus `schemas` when given). */
  readonly expect: ScimResource;
}

const cases: Case[] = [
  // ---- RFC 7644 §3.5.2.1 add ----
  {
    name: 'RFC add members',
    schema: groupSchema,
    before: { ...baseGroup(), members: [{ value: JAMES }] },
    ops: [
      {
        op: 'add',
        path: p('members'),
        value: [{ display: 'Babs Jensen', $ref: `https://example.com/v2/Users/${BABS}`, value: BABS }],
      },
    ],
    expect: {
      members: [
        { value: JAMES },
        { display: 'Babs Jensen', $ref: `https://example.com/v2/Users/${BABS}`, value: BABS },
      ],
    },
  },
  {
    name: 'RFC path-less add of emails and nickname',
    schema: userSchema,
    before: { ...baseUser(), emails: [{ value: 'bjensen@example.com', type: 'work' }], nickName: undefined },
    ops: [{ op: 'add', value: { emails: [{ value: 'babs@jensen.org', type: 'home' }], nickname: 'Babs' } }],
    expect: {
      emails: [
        { value: 'bjensen@example.com', type: 'work' },
        { value: 'babs@jensen.org', type: 'home' },
      ],
      nickName: 'Babs',
    },
  },
  {
    name: 'add of an existing value does not duplicate it',
    schema: groupSchema,
    before: baseGroup(),
    ops: [{ op: 'add', path: p('members'), value: [{ value: BABS.toUpperCase() }] }],
    expect: { members: baseGroup().members as unknown[] },
  },
  {
    name: 'add to a complex attribute merges sub-attributes',
    schema: userSchema,
    before: baseUser(),
    ops: [{ op: 'add', path: p('name'), value: { middleName: 'Jane' } }],
    expect: { name: { givenName: 'Barbara', familyName: 'Jensen', middleName: 'Jane' } },
  },
  {
    name: 'add of a single object to a multi-valued attribute wraps it',
    schema: userSchema,
    before: baseUser(),
    ops: [{ op: 'add', path: p('phoneNumbers'), value: { value: '555-1234', type: 'work' } }],
    expect: { phoneNumbers: [{ value: '555-1234', type: 'work' }] },
  },
  // ---- RFC 7644 §3.5.2.2 remove ----
  {
    name: 'RFC remove one member by value filter',
    schema: groupSchema,
    before: baseGroup(),
    ops: [{ op: 'remove', path: p('members', cmp('value', 'eq', BABS)) }],
    expect: { members: [{ value: JAMES, display: 'James Smith' }] },
  },
  {
    name: 'RFC remove all members',
    schema: groupSchema,
    before: baseGroup(),
    ops: [{ op: 'remove', path: p('members') }],
    expect: { members: undefined },
  },
  {
    name: 'RFC remove then add (replace one member)',
    schema: groupSchema,
    before: { ...baseGroup(), members: [{ value: BABS, display: 'Babs Jensen' }] },
    ops: [
      { op: 'remove', path: p('members', cmp('value', 'eq', BABS)) },
      {
        op: 'add',
        path: p('members'),
        value: [{ display: 'James Smith', $ref: `https://example.com/v2/Users/${JAMES}`, value: JAMES }],
      },
    ],
    expect: {
      members: [{ display: 'James Smith', $ref: `https://example.com/v2/Users/${JAMES}`, value: JAMES }],
    },
  },
  {
    name: 'RFC remove emails[type eq "work" and value ew "example.com"]',
    schema: userSchema,
    before: baseUser(),
    ops: [
      { op: 'remove', path: p('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'ew', 'example.com'))) },
    ],
    expect: { emails: [{ value: 'babs@jensen.org', type: 'home' }] },
  },
  {
    name: 'remove a sub-attribute of a complex attribute',
    schema: userSchema,
    before: baseUser(),
    ops: [{ op: 'remove', path: p('name.givenName') }],
    expect: { name: { familyName: 'Jensen' } },
  },
  {
    name: 'remove a sub-attribute of the matching values',
    schema: userSchema,
    before: baseUser(),
    ops: [{ op: 'remove', path: p('addresses', cmp('type', 'eq', 'work'), 'locality') }],
    expect: {
      addresses: [
        { type: 'work', streetAddress: '100 Universal City Plaza', primary: true },
        { type: 'home', streetAddress: '456 Hollywood Blvd', locality: 'Hollywood' },
      ],
    },
  },
  {
    name: 'remove with a filter matching nothing changes nothing',
    schema: groupSchema,
    before: baseGroup(),
    ops: [{ op: 'remove', path: p('members', cmp('value', 'eq', 'nobody')) }],
    expect: { members: baseGroup().members as unknown[] },
  },
  // ---- RFC 7644 §3.5.2.3 replace ----
  {
    name: 'RFC replace all members',
    schema: groupSchema,
    before: { ...baseGroup(), members: [{ value: 'someone-else' }] },
    ops: [
      {
        op: 'replace',
        path: p('members'),
        value: [
          { display: 'Babs Jensen', value: BABS },
          { display: 'James Smith', value: JAMES },
        ],
      },
    ],
    expect: {
      members: [
        { display: 'Babs Jensen', value: BABS },
        { display: 'James Smith', value: JAMES },
      ],
    },
  },
  {
    name: 'RFC replace addresses[type eq "work"]',
    schema: userSchema,
    before: baseUser(),
    ops: [
      {
        op: 'replace',
        path: p('addresses', cmp('type', 'eq', 'work')),
        value: {
          type: 'work',
          streetAddress: '911 Universal City Plaza',
          locality: 'Hollywood',
          region: 'CA',
          postalCode: '91608',
          country: 'US',
          formatted: '911 Universal City Plaza\nHollywood, CA 91608 US',
          primary: true,
        },
      },
    ],
    expect: {
      addresses: [
        {
          type: 'work',
          streetAddress: '911 Universal City Plaza',
          locality: 'Hollywood',
          region: 'CA',
          postalCode: '91608',
          country: 'US',
          formatted: '911 Universal City Plaza\nHollywood, CA 91608 US',
          primary: true,
        },
        { type: 'home', streetAddress: '456 Hollywood Blvd', locality: 'Hollywood' },
      ],
    },
  },
  {
    name: 'RFC replace addresses[type eq "work"].streetAddress',
    schema: userSchema,
    before: baseUser(),
    ops: [
      {
        op: 'replace',
        path: p('addresses', cmp('type', 'eq', 'work'), 'streetAddress'),
        value: '1010 Broadway Ave',
      },
    ],
    expect: {
      addresses: [
        { type: 'work', streetAddress: '1010 Broadway Ave', locality: 'Hollywood', primary: true },
        { type: 'home', streetAddress: '456 Hollywood Blvd', locality: 'Hollywood' },
      ],
    },
  },
  {
    name: 'RFC path-less replace of emails and nickname',
    schema: userSchema,
    before: baseUser(),
    ops: [
      {
        op: 'replace',
        value: {
          emails: [
            { value: 'bjensen@example.com', type: 'work', primary: true },
            { value: 'babs@jensen.org', type: 'home' },
          ],
          nickname: 'Babsy',
        },
      },
    ],
    expect: {
      emails: [
        { value: 'bjensen@example.com', type: 'work', primary: true },
        { value: 'babs@jensen.org', type: 'home' },
      ],
      nickName: 'Babsy',
    },
  },
  {
    name: 'replace of a complex attribute leaves unspecified sub-attributes (§3.5.2.3)',
    schema: userSchema,
    before: baseUser(),
    ops: [{ op: 'replace', path: p('name'), value: { givenName: 'Barb' } }],
    expect: { name: { givenName: 'Barb', familyName: 'Jensen' } },
  },
  {
    name: 'replace of a missing attribute adds it',
    schema: userSchema,
    before: baseUser(),
    ops: [{ op: 'replace', path: p('title'), value: 'Tour Guide' }],
    expect: { title: 'Tour Guide' },
  },
  {
    name: 'replace with null removes',
    schema: userSchema,
    before: baseUser(),
    ops: [{ op: 'replace', path: p('nickName'), value: null }],
    expect: { nickName: undefined },
  },
  // ---- Microsoft Entra ID ----
  {
    name: 'Entra: Replace active "False"',
    schema: userSchema,
    before: baseUser(),
    ops: [{ op: 'replace', path: p('active'), value: 'False' }],
    expect: { active: false },
  },
  {
    name: 'Entra: Add emails[type eq "work"].value to an existing work email',
    schema: userSchema,
    before: baseUser(),
    ops: [{ op: 'add', path: p('emails', cmp('type', 'eq', 'work'), 'value'), value: 'x@y' }],
    expect: {
      emails: [
        { value: 'x@y', type: 'work', primary: true },
        { value: 'babs@jensen.org', type: 'home' },
      ],
    },
  },
  {
    name: 'Entra: Add emails[type eq "work"].value creates the work email',
    schema: userSchema,
    before: { ...baseUser(), emails: undefined },
    ops: [{ op: 'add', path: p('emails', cmp('type', 'eq', 'work'), 'value'), value: 'x@y' }],
    expect: { emails: [{ type: 'work', value: 'x@y' }] },
  },
  {
    name: 'Entra: path-less Replace with dotted and URN keys',
    schema: userSchema,
    before: baseUser(),
    ops: [
      {
        op: 'replace',
        value: { 'name.givenName': 'A', [`${ENTERPRISE}:department`]: 'D', active: 'True' },
      },
    ],
    expect: {
      schemas: [USER, ENTERPRISE],
      name: { givenName: 'A', familyName: 'Jensen' },
      active: true,
      [ENTERPRISE]: { department: 'D' },
    },
  },
  {
    name: 'Entra: Add manager as a bare id',
    schema: userSchema,
    before: baseUser(),
    ops: [{ op: 'add', path: p(`${ENTERPRISE}:manager`), value: 'mgr-1' }],
    expect: { [ENTERPRISE]: { manager: { value: 'mgr-1' } } },
  },
  {
    name: 'Entra: Replace manager as {value}',
    schema: userSchema,
    before: { ...baseUser(), [ENTERPRISE]: { manager: { value: 'old', displayName: 'Old Boss' } } },
    ops: [{ op: 'replace', path: p(`${ENTERPRISE}:manager`), value: { value: 'new' } }],
    expect: { [ENTERPRISE]: { manager: { value: 'new', displayName: 'Old Boss' } } },
  },
  {
    name: 'Entra: Remove manager drops the now empty extension',
    schema: userSchema,
    before: { ...baseUser(), schemas: [USER, ENTERPRISE], [ENTERPRISE]: { manager: { value: 'old' } } },
    ops: [{ op: 'remove', path: p(`${ENTERPRISE}:manager`) }],
    expect: { schemas: [USER], [ENTERPRISE]: undefined },
  },
  {
    name: 'Entra: Add members [{value}]',
    schema: groupSchema,
    before: baseGroup(),
    ops: [{ op: 'add', path: p('members'), value: [{ value: 'id1' }] }],
    expect: { members: [...(baseGroup().members as unknown[]), { value: 'id1' }] },
  },
  {
    name: 'Entra: Remove members with a value list removes exactly those',
    schema: groupSchema,
    before: { ...baseGroup(), members: [{ value: 'id1' }, { value: 'id2' }, { value: 'id3' }] },
    ops: [{ op: 'remove', path: p('members'), value: [{ value: 'id1' }, { value: 'id3' }] }],
    expect: { members: [{ value: 'id2' }] },
  },
  {
    name: 'Entra: Replace displayName',
    schema: groupSchema,
    before: baseGroup(),
    ops: [{ op: 'replace', path: p('displayName'), value: 'Guides' }],
    expect: { displayName: 'Guides' },
  },
  // ---- Okta ----
  {
    name: 'Okta: Remove members[value eq "id1"]',
    schema: groupSchema,
    before: { ...baseGroup(), members: [{ value: 'id1' }, { value: 'id2' }] },
    ops: [{ op: 'remove', path: p('members', cmp('value', 'eq', 'id1')) }],
    expect: { members: [{ value: 'id2' }] },
  },
  {
    name: 'Okta: path-less replace echoing id (readOnly ignored)',
    schema: groupSchema,
    before: baseGroup(),
    ops: [
      { op: 'replace', value: { id: 'abf4dd94-a4c0-4f67-89c9-76b03340cb9b', displayName: 'Test SCIMv2' } },
    ],
    expect: { id: 'e9e30dba-f08f-4109-8486-d5c6a331660a', displayName: 'Test SCIMv2' },
  },
  {
    name: 'Okta: deactivate with path-less replace',
    schema: userSchema,
    before: baseUser(),
    ops: [{ op: 'replace', value: { active: false } }],
    expect: { active: false },
  },
  // ---- extensions, primary, case ----
  {
    name: 'nested extension object in a path-less add',
    schema: userSchema,
    before: baseUser(),
    ops: [{ op: 'add', value: { [ENTERPRISE]: { employeeNumber: '701984', manager: 'boss' } } }],
    expect: {
      schemas: [USER, ENTERPRISE],
      [ENTERPRISE]: { employeeNumber: '701984', manager: { value: 'boss' } },
    },
  },
  {
    name: 'path naming the whole extension (add merges)',
    schema: userSchema,
    before: { ...baseUser(), [ENTERPRISE]: { department: 'Sales' } },
    ops: [{ op: 'add', path: { attribute: ENTERPRISE }, value: { costCenter: '4130' } }],
    expect: { [ENTERPRISE]: { department: 'Sales', costCenter: '4130' } },
  },
  {
    name: 'path naming the whole extension (remove)',
    schema: userSchema,
    before: { ...baseUser(), [ENTERPRISE]: { department: 'Sales' } },
    ops: [
      {
        op: 'remove',
        path: { schema: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0', attribute: 'User' },
      },
    ],
    expect: { schemas: [USER], [ENTERPRISE]: undefined },
  },
  {
    name: 'setting primary on one value clears it on the others',
    schema: userSchema,
    before: baseUser(),
    ops: [{ op: 'replace', path: p('emails', cmp('type', 'eq', 'home'), 'primary'), value: true }],
    expect: {
      emails: [
        { value: 'bjensen@example.com', type: 'work', primary: false },
        { value: 'babs@jensen.org', type: 'home', primary: true },
      ],
    },
  },
  {
    name: 'adding a primary value clears the old primary',
    schema: userSchema,
    before: baseUser(),
    ops: [{ op: 'add', path: p('emails'), value: [{ value: 'new@x', type: 'other', primary: 'true' }] }],
    expect: {
      emails: [
        { value: 'bjensen@example.com', type: 'work', primary: false },
        { value: 'babs@jensen.org', type: 'home' },
        { value: 'new@x', type: 'other', primary: true },
      ],
    },
  },
  {
    name: 'case-insensitive names everywhere',
    schema: userSchema,
    before: baseUser(),
    ops: [
      { op: 'replace', path: { attribute: 'NAME', subAttribute: 'GIVENNAME' }, value: 'B' },
      {
        op: 'replace',
        path: { attribute: 'EMAILS', valueFilter: cmp('TYPE', 'eq', 'WORK'), subAttribute: 'VALUE' },
        value: 'w@x',
      },
    ],
    expect: {
      name: { givenName: 'B', familyName: 'Jensen' },
      emails: [
        { value: 'w@x', type: 'work', primary: true },
        { value: 'babs@jensen.org', type: 'home' },
      ],
    },
  },
  {
    name: 'immutable members.value may be set to its own value',
    schema: groupSchema,
    before: baseGroup(),
    ops: [{ op: 'replace', path: p('members', cmp('value', 'eq', BABS), 'value'), value: BABS }],
    expect: { members: baseGroup().members as unknown[] },
  },
];

describe('applyPatch: RFC 7644 §3.5.2, Entra and Okta bodies', () => {
  it.each(cases)('$name', ({ schema, before, ops, expect: expected }) => {
    const snapshot = structuredClone(before);
    const after = applyPatch(schema, before, ops);
    expect(before).toEqual(snapshot); // pure
    for (const [key, value] of Object.entries(expected)) expect(after[key], key).toEqual(value);
    // untouched attributes stay as they were
    for (const key of Object.keys(before)) {
      if (!(key in expected) && key !== 'schemas') expect(after[key], key).toEqual(before[key]);
    }
  });
});

describe('applyPatch errors', () => {
  it.each([
    ['remove without path', userSchema, [{ op: 'remove' }], 'noTarget'],
    [
      'unknown attribute',
      userSchema,
      [{ op: 'replace', path: p('favouriteColour'), value: 'x' }],
      'invalidPath',
    ],
    [
      'unknown sub-attribute',
      userSchema,
      [{ op: 'replace', path: p('name.nope'), value: 'x' }],
      'invalidPath',
    ],
    [
      'unknown extension',
      userSchema,
      [{ op: 'add', path: p('urn:example:x:1.0:User:thing'), value: 'x' }],
      'invalidPath',
    ],
    [
      'unknown attribute in value filter',
      userSchema,
      [{ op: 'remove', path: p('emails', cmp('nope', 'eq', 'x')) }],
      'invalidPath',
    ],
    [
      'value filter on a single-valued attribute',
      userSchema,
      [{ op: 'remove', path: p('name', cmp('givenName', 'eq', 'x')) }],
      'invalidPath',
    ],
    ['readOnly id', userSchema, [{ op: 'replace', path: p('id'), value: 'x' }], 'mutability'],
    [
      'readOnly meta sub-attribute',
      userSchema,
      [{ op: 'replace', path: p('meta.created'), value: '2020-01-01T00:00:00Z' }],
      'mutability',
    ],
    [
      'readOnly groups',
      userSchema,
      [{ op: 'add', path: p('groups'), value: [{ value: 'g' }] }],
      'mutability',
    ],
    [
      'readOnly manager.displayName',
      userSchema,
      [{ op: 'replace', path: p(`${ENTERPRISE}:manager.displayName`), value: 'x' }],
      'mutability',
    ],
    [
      'immutable members.value changed',
      groupSchema,
      [{ op: 'replace', path: p('members', cmp('value', 'eq', BABS), 'value'), value: 'other' }],
      'mutability',
    ],
    ['remove required userName', userSchema, [{ op: 'remove', path: p('userName') }], 'invalidValue'],
    [
      'replace required userName with null',
      userSchema,
      [{ op: 'replace', path: p('userName'), value: null }],
      'invalidValue',
    ],
    [
      'replace filter matching nothing',
      userSchema,
      [{ op: 'replace', path: p('emails', cmp('type', 'eq', 'other'), 'value'), value: 'x' }],
      'noTarget',
    ],
    [
      'replace value filter matching nothing',
      userSchema,
      [{ op: 'replace', path: p('addresses', cmp('type', 'eq', 'other')), value: { type: 'other' } }],
      'noTarget',
    ],
    [
      'add with filter that cannot build a value',
      userSchema,
      [{ op: 'add', path: p('emails', cmp('value', 'co', 'zzz'), 'type'), value: 'work' }],
      'noTarget',
    ],
    ['path-less add of a non-object', userSchema, [{ op: 'add', value: 'x' }], 'invalidValue'],
    ['wrong type', userSchema, [{ op: 'replace', path: p('active'), value: 'maybe' }], 'invalidValue'],
    [
      'string for complex',
      userSchema,
      [{ op: 'replace', path: p('name'), value: 'Barbara' }],
      'invalidValue',
    ],
    [
      'two primaries in one add',
      userSchema,
      [
        {
          op: 'add',
          path: p('emails'),
          value: [
            { value: 'a', primary: true },
            { value: 'b', primary: true },
          ],
        },
      ],
      'invalidValue',
    ],
    [
      'primary set on several values at once',
      userSchema,
      [{ op: 'replace', path: p('emails.primary'), value: true }],
      'invalidValue',
    ],
  ] as [string, ResourceSchema, PatchOperation[], string][])('%s', (_name, schema, ops, scimType) => {
    const before = schema === groupSchema ? baseGroup() : baseUser();
    let caught: unknown;
    try {
      applyPatch(schema, before, ops);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ScimError);
    expect((caught as ScimError).status).toBe(400);
    expect((caught as ScimError).scimType).toBe(scimType);
  });

  it('fails atomically: nothing of an earlier operation leaks into the input', () => {
    const before = baseUser();
    expect(() =>
      applyPatch(userSchema, before, [
        { op: 'replace', path: p('title'), value: 'x' },
        { op: 'replace', path: p('id'), value: 'y' },
      ]),
    ).toThrow(ScimError);
    expect(before).toEqual(baseUser());
  });
});
