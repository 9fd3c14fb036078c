import { describe, expect, it } from 'vitest';
import { ScimError } from '../../src/scim/errors.js';
import { prepareResourceForWrite } from '../../src/scim/schema/prepare-write.js';
import { ENTERPRISE, groupSchema, userSchema } from './support/schemas.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

function scimError(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('expected a ScimError');
}

describe('prepareResourceForWrite', () => {
  it('accepts the RFC 7644 §3.3 create example', () => {
    const body = {
      schemas: [USER],
      userName: 'bjensen',
      externalId: 'bjensen',
      name: { formatted: 'Ms. Barbara J Jensen III', familyName: 'Jensen', givenName: 'Barbara' },
    };
    expect(prepareResourceForWrite(userSchema, body, 'create')).toEqual(body);
  });

  it('accepts an Entra ID create body (extension nested, "False" boolean, unknown extra fields)', () => {
    const body = {
      schemas: [USER, ENTERPRISE],
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1',
      active: 'False',
      emails: [{ primary: true, type: 'work', value: 'Test_User_fd0ea19b@testuser.com' }],
      meta: { resourceType: 'User' },
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      roles: [],
      [ENTERPRISE]: { employeeNumber: 12345, department: 'Sales', manager: 'mgr-1' },
    };
    expect(prepareResourceForWrite(userSchema, body, 'create')).toEqual({
      schemas: [USER, ENTERPRISE],
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1',
      active: false,
      emails: [{ primary: true, type: 'work', value: 'Test_User_fd0ea19b@testuser.com' }],
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      [ENTERPRISE]: { employeeNumber: '12345', department: 'Sales', manager: { value: 'mgr-1' } },
    });
  });

  it('canonicalises names, accepts flat URN keys and dotted keys, drops readOnly and unknown attributes', () => {
    const body = {
      SCHEMAS: [USER, 'urn:ietf:params:scim:schemas:extension:2.0:Something'],
      id: 'client-chosen',
      USERNAME: 'alice',
      'Name.GivenName': 'Alice',
      name: { FamilyName: 'Liddell', unknownSub: 'x' },
      groups: [{ value: 'g1' }],
      favouriteColour: 'blue',
      [`${ENTERPRISE}:Department`]: 'R&D',
      [`${ENTERPRISE.toLowerCase()}:manager`]: { value: 'boss', displayName: 'The Boss' },
      'urn:ietf:params:scim:schemas:extension:2.0:Something:x': 1,
    };
    expect(prepareResourceForWrite(userSchema, body, 'replace')).toEqual({
      schemas: [USER, ENTERPRISE],
      userName: 'alice',
      name: { givenName: 'Alice', familyName: 'Liddell' },
      [ENTERPRISE]: { department: 'R&D', manager: { value: 'boss' } },
    });
  });

  it('wraps a single value of a multi-valued attribute and drops empty values', () => {
    const prepared = prepareResourceForWrite(
      userSchema,
      { userName: 'a', emails: { value: 'a@x' }, phoneNumbers: [], nickName: null, title: '' },
      'create',
    );
    expect(prepared).toEqual({ schemas: [USER], userName: 'a', emails: [{ value: 'a@x' }] });
  });

  it('accepts a group with members', () => {
    const body = {
      schemas: [GROUP],
      displayName: 'Tour Guides',
      members: [
        { value: '2819c223', $ref: 'https://example.com/v2/Users/2819c223', display: 'Babs', type: 'User' },
      ],
    };
    expect(prepareResourceForWrite(groupSchema, body, 'create')).toEqual(body);
  });

  it.each([
    ['not an object', userSchema, 'x', 'invalidSyntax'],
    ['an array', userSchema, [], 'invalidSyntax'],
    ['missing userName', userSchema, { displayName: 'x' }, 'invalidValue'],
    ['missing group displayName', groupSchema, { members: [] }, 'invalidValue'],
    ['string for complex', userSchema, { userName: 'a', name: 'Alice' }, 'invalidValue'],
    ['object for string', userSchema, { userName: { value: 'a' } }, 'invalidValue'],
    ['bad boolean', userSchema, { userName: 'a', active: 'yes' }, 'invalidValue'],
    ['array for single-valued', userSchema, { userName: 'a', title: ['x', 'y'] }, 'invalidValue'],
    [
      'string element for multi-valued complex',
      userSchema,
      { userName: 'a', emails: ['a@x'] },
      'invalidValue',
    ],
    [
      'two primaries',
      userSchema,
      {
        userName: 'a',
        emails: [
          { value: 'a@x', primary: true },
          { value: 'b@x', primary: 'True' },
        ],
      },
      'invalidValue',
    ],
    ['extension not an object', userSchema, { userName: 'a', [ENTERPRISE]: 'x' }, 'invalidValue'],
  ])('%s → 400 %s', (_label, schema, body, scimType) => {
    const error = scimError(() => prepareResourceForWrite(schema, body, 'create'));
    expect(error.status).toBe(400);
    expect(error.scimType).toBe(scimType);
  });

  it('names the offending attribute', () => {
    expect(
      scimError(() => prepareResourceForWrite(userSchema, { userName: 'a', name: 'x' }, 'create')).message,
    ).toContain("'name'");
    expect(scimError(() => prepareResourceForWrite(userSchema, {}, 'create')).message).toContain(
      "'userName'",
    );
  });
});
