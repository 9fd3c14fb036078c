import { describe, expect, it } from 'vitest';
import { ScimError, type ScimType } from '../../src/scim/errors.js';
import type { CompareOperator, Filter, FilterValue } from '../../src/scim/filter/ast.js';
import type { PatchOperation } from '../../src/scim/patch/operation.js';
import { MAX_PATCH_OPERATIONS, parsePatchRequest } from '../../src/scim/patch/parse-patch-request.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const BABS = '2819c223-7f76-453a-919d-413861904646';

const cmp = (attribute: string, op: CompareOperator, value: FilterValue): Filter => ({
  kind: 'compare',
  path: { attribute },
  op,
  value,
});
const and = (left: Filter, right: Filter): Filter => ({ kind: 'and', left, right });
const body = (...operations: unknown[]) => ({ schemas: [PATCH_OP], Operations: operations });

describe('parsePatchRequest: RFC 7644 §3.5.2 examples', () => {
  const babsMember = { display: 'Babs Jensen', $ref: `https://example.com/v2/Users/${BABS}`, value: BABS };
  const workAddress = {
    type: 'work',
    streetAddress: '911 Universal City Plaza',
    locality: 'Hollywood',
    region: 'CA',
    postalCode: '91608',
    country: 'US',
    formatted: '911 Universal City Plaza\nHollywood, CA 91608 US',
    primary: true,
  };
  it.each<[string, unknown, PatchOperation[]]>([
    [
      '§3.5.2.1 add members',
      body({ op: 'add', path: 'members', value: [babsMember] }),
      [{ op: 'add', path: { attribute: 'members' }, value: [babsMember] }],
    ],
    [
      '§3.5.2.1 add without path',
      body({ op: 'add', value: { emails: [{ value: 'babs@jensen.org', type: 'home' }], nickname: 'Babs' } }),
      [{ op: 'add', value: { emails: [{ value: 'babs@jensen.org', type: 'home' }], nickname: 'Babs' } }],
    ],
    [
      '§3.5.2.2 remove one member',
      body({ op: 'remove', path: `members[value eq "${BABS}"]` }),
      [{ op: 'remove', path: { attribute: 'members', valueFilter: cmp('value', 'eq', BABS) } }],
    ],
    [
      '§3.5.2.2 remove all members',
      body({ op: 'remove', path: 'members' }),
      [{ op: 'remove', path: { attribute: 'members' } }],
    ],
    [
      '§3.5.2.2 remove by value filter',
      body({ op: 'remove', path: 'emails[type eq "work" and value ew "example.com"]' }),
      [
        {
          op: 'remove',
          path: {
            attribute: 'emails',
            valueFilter: and(cmp('type', 'eq', 'work'), cmp('value', 'ew', 'example.com')),
          },
        },
      ],
    ],
    [
      '§3.5.2.2 remove then add (replace members)',
      body(
        { op: 'remove', path: 'members' },
        { op: 'add', path: 'members', value: [{ display: 'James Smith', value: '08e1d05d' }] },
      ),
      [
        { op: 'remove', path: { attribute: 'members' } },
        { op: 'add', path: { attribute: 'members' }, value: [{ display: 'James Smith', value: '08e1d05d' }] },
      ],
    ],
    [
      '§3.5.2.3 replace members',
      body({ op: 'replace', path: 'members', value: [babsMember] }),
      [{ op: 'replace', path: { attribute: 'members' }, value: [babsMember] }],
    ],
    [
      '§3.5.2.3 replace a work address',
      body({ op: 'replace', path: 'addresses[type eq "work"]', value: workAddress }),
      [
        {
          op: 'replace',
          path: { attribute: 'addresses', valueFilter: cmp('type', 'eq', 'work') },
          value: workAddress,
        },
      ],
    ],
    [
      '§3.5.2.3 replace a sub-attribute of a filtered value',
      body({ op: 'replace', path: 'addresses[type eq "work"].streetAddress', value: '1010 Broadway Ave' }),
      [
        {
          op: 'replace',
          path: {
            attribute: 'addresses',
            valueFilter: cmp('type', 'eq', 'work'),
            subAttribute: 'streetAddress',
          },
          value: '1010 Broadway Ave',
        },
      ],
    ],
    [
      '§3.5.2.3 replace without path',
      body({
        op: 'replace',
        value: { emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }], nickname: 'Babs' },
      }),
      [
        {
          op: 'replace',
          value: {
            emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }],
            nickname: 'Babs',
          },
        },
      ],
    ],
  ])('%s', (_name, request, expected) => {
    expect(parsePatchRequest(request)).toEqual(expected);
  });
});

describe('parsePatchRequest: real clients', () => {
  it.each<[string, unknown, PatchOperation[]]>([
    [
      'Entra: Replace with Entra-style path and capitalised op',
      body(
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
        { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
      ),
      [
        {
          op: 'replace',
          path: { attribute: 'emails', valueFilter: cmp('type', 'eq', 'work'), subAttribute: 'value' },
          value: 'updatedEmail@microsoft.com',
        },
        {
          op: 'replace',
          path: { attribute: 'name', subAttribute: 'familyName' },
          value: 'updatedFamilyName',
        },
      ],
    ],
    [
      'Entra: disable with the string "False" (coerced later)',
      body({ op: 'Replace', path: 'active', value: 'False' }),
      [{ op: 'replace', path: { attribute: 'active' }, value: 'False' }],
    ],
    [
      'Entra: Add a group member',
      body({ op: 'Add', path: 'members', value: [{ value: '7f4bc1a3-285e-48ae-8202-5accb43efb0e' }] }),
      [
        {
          op: 'add',
          path: { attribute: 'members' },
          value: [{ value: '7f4bc1a3-285e-48ae-8202-5accb43efb0e' }],
        },
      ],
    ],
    [
      'Entra: Remove a group member with a value and a plain path',
      body({ op: 'Remove', path: 'members', value: [{ value: 'a1b2' }] }),
      [{ op: 'remove', path: { attribute: 'members' }, value: [{ value: 'a1b2' }] }],
    ],
    [
      'Entra: manager as a bare string',
      body({ op: 'Add', path: `${ENTERPRISE}:manager`, value: '2819c223' }),
      [{ op: 'add', path: { schema: ENTERPRISE, attribute: 'manager' }, value: '2819c223' }],
    ],
    [
      'Entra: REMOVE in upper case',
      body({ op: 'REMOVE', path: `${ENTERPRISE}:manager` }),
      [{ op: 'remove', path: { schema: ENTERPRISE, attribute: 'manager' } }],
    ],
    [
      'Okta: deactivate without path',
      body({ op: 'replace', value: { active: false } }),
      [{ op: 'replace', value: { active: false } }],
    ],
    [
      'Okta: rename a group without path',
      body({ op: 'replace', value: { id: 'abf4dd94', displayName: 'Test SCIMv2' } }),
      [{ op: 'replace', value: { id: 'abf4dd94', displayName: 'Test SCIMv2' } }],
    ],
    [
      'Okta: remove a member by value filter',
      body({ op: 'remove', path: 'members[value eq "89bb1940-b905-4575-9e7f-6f887cfb368e"]' }),
      [
        {
          op: 'remove',
          path: {
            attribute: 'members',
            valueFilter: cmp('value', 'eq', '89bb1940-b905-4575-9e7f-6f887cfb368e'),
          },
        },
      ],
    ],
  ])('%s', (_name, request, expected) => {
    expect(parsePatchRequest(request)).toEqual(expected);
  });
});

describe('parsePatchRequest: tolerant reader', () => {
  it.each<[string, unknown, PatchOperation[]]>([
    ['missing schemas', { Operations: [{ op: 'add', value: { a: 1 } }] }, [{ op: 'add', value: { a: 1 } }]],
    [
      'extra schemas',
      { schemas: [PATCH_OP, 'urn:example:other'], Operations: [{ op: 'add', value: 1, path: 'x' }] },
      [{ op: 'add', path: { attribute: 'x' }, value: 1 }],
    ],
    [
      '"operations" in lower case',
      { operations: [{ op: 'add', value: 1, path: 'x' }] },
      [{ op: 'add', path: { attribute: 'x' }, value: 1 }],
    ],
    [
      '"OPERATIONS" in upper case',
      { OPERATIONS: [{ op: 'add', value: 1, path: 'x' }] },
      [{ op: 'add', path: { attribute: 'x' }, value: 1 }],
    ],
    [
      '"Op", "Path", "Value" keys',
      body({ Op: 'add', Path: 'x', Value: 2 }),
      [{ op: 'add', path: { attribute: 'x' }, value: 2 }],
    ],
    [
      'empty string path means no path',
      body({ op: 'replace', path: '', value: { a: 1 } }),
      [{ op: 'replace', value: { a: 1 } }],
    ],
    [
      'null path means no path',
      body({ op: 'replace', path: null, value: { a: 1 } }),
      [{ op: 'replace', value: { a: 1 } }],
    ],
    [
      'op with surrounding spaces',
      body({ op: ' add ', path: 'x', value: 1 }),
      [{ op: 'add', path: { attribute: 'x' }, value: 1 }],
    ],
    [
      'null value is a value',
      body({ op: 'replace', path: 'nickName', value: null }),
      [{ op: 'replace', path: { attribute: 'nickName' }, value: null }],
    ],
    [
      'false value is a value',
      body({ op: 'replace', path: 'active', value: false }),
      [{ op: 'replace', path: { attribute: 'active' }, value: false }],
    ],
    [
      'empty string value is a value',
      body({ op: 'add', path: 'title', value: '' }),
      [{ op: 'add', path: { attribute: 'title' }, value: '' }],
    ],
  ])('%s', (_name, request, expected) => {
    expect(parsePatchRequest(request)).toEqual(expected);
  });

  it('passes the value through untouched (same reference)', () => {
    const value = { nested: { deep: [1, 2, 3] } };
    const [operation] = parsePatchRequest(body({ op: 'add', value }));
    expect(operation?.value).toBe(value);
  });

  it(`accepts exactly ${MAX_PATCH_OPERATIONS} operations`, () => {
    const operations = Array.from({ length: MAX_PATCH_OPERATIONS }, () => ({ op: 'remove', path: 'x' }));
    expect(parsePatchRequest(body(...operations))).toHaveLength(MAX_PATCH_OPERATIONS);
  });
});

describe('parsePatchRequest: errors', () => {
  it.each<[string, unknown, ScimType, RegExp]>([
    ['null body', null, 'invalidSyntax', /must be a JSON object/],
    ['string body', 'Operations', 'invalidSyntax', /must be a JSON object/],
    ['array body', [{ op: 'add', value: 1 }], 'invalidSyntax', /must be a JSON object/],
    ['no Operations', { schemas: [PATCH_OP] }, 'invalidSyntax', /no "Operations" array/],
    ['Operations is an object', { Operations: { op: 'add', value: 1 } }, 'invalidSyntax', /must be an array/],
    ['Operations is a string', { Operations: 'add' }, 'invalidSyntax', /must be an array/],
    ['Operations is empty', { Operations: [] }, 'invalidSyntax', /at least one operation/],
    ['operation is not an object', body('add'), 'invalidSyntax', /Operations\[0\] must be an object/],
    [
      'operation is null',
      body({ op: 'add', value: 1 }, null),
      'invalidSyntax',
      /Operations\[1\] must be an object/,
    ],
    ['missing op', body({ path: 'x', value: 1 }), 'invalidSyntax', /Operations\[0\]\.op is missing/],
    [
      'op is a number',
      body({ op: 1, path: 'x', value: 1 }),
      'invalidSyntax',
      /Operations\[0\]\.op is missing or not a string/,
    ],
    [
      'unknown op',
      body({ op: 'move', path: 'x', value: 1 }),
      'invalidSyntax',
      /Operations\[0\]\.op "move" is not supported/,
    ],
    ['JSON Patch op', body({ op: 'test', path: 'x', value: 1 }), 'invalidSyntax', /"test" is not supported/],
    [
      'remove without path',
      body({ op: 'remove' }),
      'noTarget',
      /Operations\[0\]: "remove" requires a "path"/,
    ],
    ['remove with empty path', body({ op: 'Remove', path: '' }), 'noTarget', /requires a "path"/],
    [
      'add without value',
      body({ op: 'add', path: 'x' }),
      'invalidValue',
      /Operations\[0\]: "add" requires a "value"/,
    ],
    [
      'replace without value',
      body({ op: 'replace', path: 'x' }),
      'invalidValue',
      /"replace" requires a "value"/,
    ],
    [
      'path is a number',
      body({ op: 'add', path: 5, value: 1 }),
      'invalidPath',
      /Operations\[0\]\.path must be a string/,
    ],
    [
      'path is an object',
      body({ op: 'add', path: { a: 1 }, value: 1 }),
      'invalidPath',
      /path must be a string/,
    ],
    [
      'malformed path',
      body({ op: 'add', path: 'x', value: 1 }, { op: 'replace', path: 'members[value eq', value: 1 }),
      'invalidPath',
      /^Operations\[1\]\.path: Expected a value/,
    ],
    [
      'path with a bad filter',
      body({ op: 'remove', path: 'members[value zz "1"]' }),
      'invalidPath',
      /Unknown operator 'zz'/,
    ],
    [
      'too many operations',
      body(...Array.from({ length: MAX_PATCH_OPERATIONS + 1 }, () => ({ op: 'remove', path: 'x' }))),
      'tooMany',
      /1001 operations; at most 1000/,
    ],
  ])('%s', (_name, request, scimType, detail) => {
    let caught: unknown;
    try {
      parsePatchRequest(request);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ScimError);
    const error = caught as ScimError;
    expect(error.status).toBe(400);
    expect(error.scimType).toBe(scimType);
    expect(error.message).toMatch(detail);
  });
});
