import { describe, expect, it } from 'vitest';
import type { Filter } from '../../src/scim/filter/ast.js';
import { matchesFilter } from '../../src/scim/filter/evaluate-filter.js';
import type { ScimResource } from '../../src/scim/schema/model.js';
import { and, cmp, ENTERPRISE, groupSchema, not, or, pr, userSchema, valuePath } from './support/schemas.js';

const bjensen: ScimResource = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
  id: '2819c223-7f76-453a-919d-413861904646',
  externalId: 'BJensen',
  userName: 'bjensen',
  name: { familyName: "O'Malley", givenName: 'Barbara' },
  title: '',
  userType: 'Employee',
  active: true,
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  phoneNumbers: [],
  meta: { resourceType: 'User', created: '2010-01-23T04:56:22Z', lastModified: '2011-05-13T04:42:34Z' },
  [ENTERPRISE]: { department: 'Sales', manager: { value: 'boss-1' } },
};

describe('matchesFilter on the RFC 7644 §3.4.2.2 examples', () => {
  it.each<[string, Filter, boolean]>([
    ['userName eq "bjensen"', cmp('userName', 'eq', 'bjensen'), true],
    ['userName eq "BJENSEN" (caseExact false)', cmp('userName', 'eq', 'BJENSEN'), true],
    ['externalId eq "bjensen" (caseExact true)', cmp('externalId', 'eq', 'bjensen'), false],
    ['externalId eq "BJensen"', cmp('externalId', 'eq', 'BJensen'), true],
    ['id eq upper-cased id (caseExact)', cmp('id', 'eq', '2819C223-7F76-453A-919D-413861904646'), false],
    ['name.familyName co "O\'Malley"', cmp('name.familyName', 'co', "o'malley"), true],
    ['userName sw "J"', cmp('userName', 'sw', 'J'), false],
    ['userName sw "bj"', cmp('userName', 'sw', 'BJ'), true],
    ['userName ew "sen"', cmp('userName', 'ew', 'SEN'), true],
    ['title pr (empty string)', pr('title'), false],
    ['phoneNumbers pr (empty array)', pr('phoneNumbers'), false],
    ['nickName pr (absent)', pr('nickName'), false],
    ['name pr', pr('name'), true],
    ['emails.type pr', pr('emails.type'), true],
    [
      'meta.lastModified gt "2011-05-13T04:42:34Z"',
      cmp('meta.lastModified', 'gt', '2011-05-13T04:42:34Z'),
      false,
    ],
    [
      'meta.lastModified ge "2011-05-13T04:42:34Z"',
      cmp('meta.lastModified', 'ge', '2011-05-13T04:42:34Z'),
      true,
    ],
    [
      'meta.lastModified lt "2011-05-13T04:42:34.001Z"',
      cmp('meta.lastModified', 'lt', '2011-05-13T04:42:34.001Z'),
      true,
    ],
    [
      'dateTime chronological across offsets',
      cmp('meta.lastModified', 'eq', '2011-05-13T06:42:34+02:00'),
      true,
    ],
    [
      'meta.lastModified le "2010-01-01T00:00:00Z"',
      cmp('meta.lastModified', 'le', '2010-01-01T00:00:00Z'),
      false,
    ],
    ['emails co "example.com" (any value)', cmp('emails', 'co', 'example.com'), true],
    ['emails.value ew ".org"', cmp('emails.value', 'ew', '.org'), true],
    ['emails.type eq "other"', cmp('emails.type', 'eq', 'other'), false],
    [
      'emails[type eq "work" and value co "@example.com"]',
      valuePath('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'co', '@example.com'))),
      true,
    ],
    [
      'emails[type eq "home" and value co "@example.com"] (same value must match both)',
      valuePath('emails', and(cmp('type', 'eq', 'home'), cmp('value', 'co', '@example.com'))),
      false,
    ],
    [
      'emails.type eq "home" and emails.value co "@example.com" (any value each)',
      and(cmp('emails.type', 'eq', 'home'), cmp('emails.value', 'co', '@example.com')),
      true,
    ],
    ['emails[primary eq true]', valuePath('emails', cmp('primary', 'eq', true)), true],
    ['active eq true', cmp('active', 'eq', true), true],
    ['active eq "True" (tolerant)', cmp('active', 'eq', 'True'), true],
    ['active ne true', cmp('active', 'ne', true), false],
    ['userType ne "Employee"', cmp('userType', 'ne', 'Employee'), false],
    ['nickName ne "x" (absent is not equal)', cmp('nickName', 'ne', 'x'), true],
    ['nickName eq null', cmp('nickName', 'eq', null), true],
    ['userName eq null', cmp('userName', 'eq', null), false],
    [
      'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
      and(
        cmp('userType', 'eq', 'Employee'),
        or(cmp('emails', 'co', 'example.com'), cmp('emails.value', 'co', 'example.org')),
      ),
      true,
    ],
    [
      'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
      and(
        cmp('userType', 'ne', 'Employee'),
        not(or(cmp('emails', 'co', 'example.com'), cmp('emails.value', 'co', 'example.org'))),
      ),
      false,
    ],
    [
      'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
      and(
        cmp('userType', 'eq', 'Employee'),
        valuePath('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'co', '@example.com'))),
      ),
      true,
    ],
    ['urn:…:enterprise:2.0:User:department eq "sales"', cmp(`${ENTERPRISE}:department`, 'eq', 'sales'), true],
    ['department eq "Sales" (unqualified extension attribute)', cmp('department', 'eq', 'Sales'), true],
    ['manager.value eq "boss-1"', cmp(`${ENTERPRISE}:manager.value`, 'eq', 'boss-1'), true],
    ['manager eq "boss-1" (complex → value)', cmp(`${ENTERPRISE}:manager`, 'eq', 'boss-1'), true],
    ['userName gt "a"', cmp('userName', 'gt', 'a'), true],
    ['userName lt "a"', cmp('userName', 'lt', 'a'), false],
    ['unknown attribute never matches', cmp('nope', 'eq', 'x'), false],
  ])('%s → %s', (_text, filter, expected) => {
    expect(matchesFilter(userSchema, bjensen, filter)).toBe(expected);
  });

  it('matches groups by member', () => {
    const group = { displayName: 'Admins', members: [{ value: 'u1' }, { value: 'u2' }] };
    expect(matchesFilter(groupSchema, group, cmp('members.value', 'eq', 'u2'))).toBe(true);
    expect(matchesFilter(groupSchema, group, valuePath('members', cmp('value', 'eq', 'u3')))).toBe(false);
    expect(matchesFilter(groupSchema, group, cmp('displayName', 'eq', 'admins'))).toBe(true);
  });
});
