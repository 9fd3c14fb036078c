import { describe, expect, it } from 'vitest';
import { ScimError } from '../../src/scim/errors.js';
import type { Filter } from '../../src/scim/filter/ast.js';
import { validateFilter } from '../../src/scim/filter/validate-filter.js';
import { and, cmp, ENTERPRISE, groupSchema, not, or, pr, userSchema, valuePath } from './support/schemas.js';

describe('validateFilter accepts', () => {
  it.each<[string, Filter]>([
    ['userName eq "bjensen"', cmp('userName', 'eq', 'bjensen')],
    ['USERNAME sw "J"', cmp('USERNAME', 'sw', 'J')],
    ['name.familyName co "O\'Malley"', cmp('name.familyName', 'co', "O'Malley")],
    ['urn:…:User:userName sw "J"', cmp('urn:ietf:params:scim:schemas:core:2.0:User:userName', 'sw', 'J')],
    ['title pr', pr('title')],
    ['meta.lastModified gt "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'gt', '2011-05-13T04:42:34Z')],
    ['emails co "example.com" (complex → value)', cmp('emails', 'co', 'example.com')],
    ['emails.type eq "work"', cmp('emails.type', 'eq', 'work')],
    ['active eq true', cmp('active', 'eq', true)],
    ['externalId eq "x"', cmp('externalId', 'eq', 'x')],
    ['id eq "x"', cmp('id', 'eq', 'x')],
    ['enterprise department', cmp(`${ENTERPRISE}:department`, 'eq', 'Sales')],
    ['enterprise manager.value', cmp(`${ENTERPRISE}:manager.value`, 'eq', 'm1')],
    ['unqualified department', cmp('department', 'eq', 'Sales')],
    [
      'emails[type eq "work" and value co "@example.com"]',
      valuePath('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'co', '@example.com'))),
    ],
    [
      'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
      and(
        cmp('userType', 'eq', 'Employee'),
        or(cmp('emails', 'co', 'example.com'), cmp('emails.value', 'co', 'example.org')),
      ),
    ],
    ['not (title pr)', not(pr('title'))],
    ['name pr (complex present)', pr('name')],
    [
      'addresses[type eq "work" and postalCode pr]',
      valuePath('addresses', and(cmp('type', 'eq', 'work'), pr('postalCode'))),
    ],
    ['emails[primary eq true]', valuePath('emails', cmp('primary', 'eq', true))],
  ])('%s', (_text, filter) => {
    expect(() => validateFilter(userSchema, filter)).not.toThrow();
  });

  it('members[value eq "x"] on groups', () => {
    expect(() => validateFilter(groupSchema, valuePath('members', cmp('value', 'eq', 'x')))).not.toThrow();
  });
});

describe('validateFilter rejects with 400 invalidFilter', () => {
  it.each<[string, Filter, string]>([
    ['unknown attribute', cmp('favouriteColour', 'eq', 'x'), 'favouriteColour'],
    ['unknown sub-attribute', cmp('name.nickname', 'eq', 'x'), 'name.nickname'],
    ['unknown in and', and(cmp('userName', 'eq', 'x'), pr('nope')), 'nope'],
    ['unknown schema', cmp('urn:example:other:1.0:Thing:userName', 'eq', 'x'), 'userName'],
    ['complex without value sub-attribute', cmp('name', 'eq', 'x'), 'name'],
    ['gt on boolean', cmp('active', 'gt', true), 'active'],
    ['le on boolean sub-attribute', cmp('emails.primary', 'le', true), 'emails.primary'],
    ['co on boolean', cmp('active', 'co', 'tr'), 'active'],
    ['sw on dateTime', cmp('meta.created', 'sw', '2011'), 'meta.created'],
    ['value path on a simple attribute', valuePath('userName', cmp('value', 'eq', 'x')), 'userName'],
    ['unknown sub-attribute in value path', valuePath('emails', cmp('nope', 'eq', 'x')), 'emails.nope'],
    ['gt on boolean in value path', valuePath('emails', cmp('primary', 'gt', false)), 'emails.primary'],
    ['nested value path', valuePath('emails', valuePath('type', cmp('value', 'eq', 'x'))), 'emails'],
    ['unknown attribute in value path', valuePath('nope', cmp('value', 'eq', 'x')), 'nope'],
  ])('%s', (_name, filter, named) => {
    let caught: unknown;
    try {
      validateFilter(userSchema, filter);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ScimError);
    expect((caught as ScimError).status).toBe(400);
    expect((caught as ScimError).scimType).toBe('invalidFilter');
    expect((caught as ScimError).message).toContain(named);
  });

  it('rejects a user attribute on groups', () => {
    expect(() => validateFilter(groupSchema, cmp('userName', 'eq', 'x'))).toThrow(ScimError);
  });
});
