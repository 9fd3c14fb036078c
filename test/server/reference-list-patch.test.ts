import { describe, expect, it } from 'vitest';
import { parsePatchRequest } from '../../src/scim/patch/parse-patch-request.js';
import {
  ENTERPRISE_USER_SCHEMA,
  GROUP_RESOURCE_TYPE,
  GROUP_SCHEMA,
  USER_RESOURCE_TYPE,
  USER_SCHEMA,
} from '../../src/scim/schema/core-schemas.js';
import { createResourceSchema } from '../../src/scim/schema/resource-schema.js';
import { referenceListsOnly } from '../../src/server/reference-list-patch.js';

const group = createResourceSchema(GROUP_RESOURCE_TYPE, GROUP_SCHEMA, []);
const user = createResourceSchema(USER_RESOURCE_TYPE, USER_SCHEMA, [ENTERPRISE_USER_SCHEMA]);
const ops = (...operations: unknown[]) =>
  parsePatchRequest({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: operations });

describe('referenceListsOnly (which PATCH is answered 204)', () => {
  it.each([
    ['Entra add', ops({ op: 'Add', path: 'members', value: [{ value: 'u1' }] })],
    ['Entra remove by value array', ops({ op: 'Remove', path: 'members', value: [{ value: 'u1' }] })],
    ['Okta remove by value filter', ops({ op: 'remove', path: 'members[value eq "u1"]' })],
    ['path-less add of members', ops({ op: 'add', value: { members: [{ value: 'u1' }] } })],
    [
      'several member operations',
      ops({ op: 'add', path: 'Members', value: [] }, { op: 'remove', path: 'members' }),
    ],
  ])('%s → members', (_label, operations) => {
    expect(referenceListsOnly(group, operations)).toEqual(['members']);
  });

  it.each([
    ['a rename', ops({ op: 'replace', path: 'displayName', value: 'x' })],
    [
      'members and a rename',
      ops({ op: 'add', path: 'members', value: [] }, { op: 'replace', path: 'displayName', value: 'x' }),
    ],
    ['a path-less rename with members', ops({ op: 'replace', value: { displayName: 'x', members: [] } })],
  ])('%s → undefined (answered 200 with the resource)', (_label, operations) => {
    expect(referenceListsOnly(group, operations)).toBeUndefined();
  });

  it('multi-valued attributes without $ref (emails) and single references (manager) are not reference lists', () => {
    expect(
      referenceListsOnly(user, ops({ op: 'add', path: 'emails', value: [{ value: 'a@b.c' }] })),
    ).toBeUndefined();
    expect(
      referenceListsOnly(
        user,
        ops({
          op: 'replace',
          path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager',
          value: 'm1',
        }),
      ),
    ).toBeUndefined();
  });
});
