import { describe, expect, it } from 'vitest';
import { ScimError } from '../../src/scim/errors.js';
import type { CompareOperator, Filter, FilterValue } from '../../src/scim/filter/ast.js';
import type { PatchPath } from '../../src/scim/path/ast.js';
import { parsePath } from '../../src/scim/path/parser.js';

const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const ENTERPRISE_SCHEMA_PREFIX = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0';
const MEMBER_ID = '2819c223-7f76-453a-919d-413861904646';

const cmp = (attribute: string, op: CompareOperator, value: FilterValue): Filter => ({
  kind: 'compare',
  path: { attribute },
  op,
  value,
});
const and = (left: Filter, right: Filter): Filter => ({ kind: 'and', left, right });

describe('parsePath: RFC 7644 §3.5.2 paths', () => {
  it.each<[string, PatchPath]>([
    ['members', { attribute: 'members' }],
    ['name.familyName', { attribute: 'name', subAttribute: 'familyName' }],
    ['addresses[type eq "work"]', { attribute: 'addresses', valueFilter: cmp('type', 'eq', 'work') }],
    [
      `members[value eq "${MEMBER_ID}"]`,
      { attribute: 'members', valueFilter: cmp('value', 'eq', MEMBER_ID) },
    ],
    [
      `members[value eq "${MEMBER_ID}"].displayName`,
      { attribute: 'members', valueFilter: cmp('value', 'eq', MEMBER_ID), subAttribute: 'displayName' },
    ],
    [
      'emails[type eq "work" and value ew "example.com"]',
      { attribute: 'emails', valueFilter: and(cmp('type', 'eq', 'work'), cmp('value', 'ew', 'example.com')) },
    ],
    [
      'addresses[type eq "work"].streetAddress',
      { attribute: 'addresses', valueFilter: cmp('type', 'eq', 'work'), subAttribute: 'streetAddress' },
    ],
    [
      'emails[type eq "work"].value',
      { attribute: 'emails', valueFilter: cmp('type', 'eq', 'work'), subAttribute: 'value' },
    ],
    [`${ENTERPRISE}:manager`, { schema: ENTERPRISE, attribute: 'manager' }],
    [`${ENTERPRISE}:manager.value`, { schema: ENTERPRISE, attribute: 'manager', subAttribute: 'value' }],
    [`${ENTERPRISE}:employeeNumber`, { schema: ENTERPRISE, attribute: 'employeeNumber' }],
    [`${CORE_USER}:name.givenName`, { schema: CORE_USER, attribute: 'name', subAttribute: 'givenName' }],
    [
      `${CORE_USER}:emails[type eq "work"].value`,
      {
        schema: CORE_USER,
        attribute: 'emails',
        valueFilter: cmp('type', 'eq', 'work'),
        subAttribute: 'value',
      },
    ],
    // A bare schema URN: the schema layer turns this into "the whole extension".
    [ENTERPRISE, { schema: ENTERPRISE_SCHEMA_PREFIX, attribute: 'User' }],
    ['members.$ref', { attribute: 'members', subAttribute: '$ref' }],
    ['  name.givenName  ', { attribute: 'name', subAttribute: 'givenName' }],
    ['EMAILS[TYPE EQ "work"]', { attribute: 'EMAILS', valueFilter: cmp('TYPE', 'eq', 'work') }],
    [
      'emails[ type eq "work" ] . value',
      { attribute: 'emails', valueFilter: cmp('type', 'eq', 'work'), subAttribute: 'value' },
    ],
    [
      'x509Certificates[value eq "MIIDQzCCAqygAw+/="]',
      { attribute: 'x509Certificates', valueFilter: cmp('value', 'eq', 'MIIDQzCCAqygAw+/=') },
    ],
    ['emails[primary eq true]', { attribute: 'emails', valueFilter: cmp('primary', 'eq', true) }],
  ])('%s', (text, expected) => {
    expect(parsePath(text)).toEqual(expected);
  });
});

describe('parsePath: errors are 400 invalidPath', () => {
  it.each<[string, string, RegExp]>([
    ['empty', '', /empty/],
    ['blank', '   ', /empty/],
    ['starts with a bracket', '[type eq "work"]', /Expected an attribute name at position 1, found '\['/],
    ['starts with a string', '"members"', /Expected an attribute name/],
    ['unclosed bracket', 'members[value eq "1"', /Expected '\]' .* to close the '\[' at position 8/],
    ['empty filter', 'members[]', /Expected an attribute name at position 9, found '\]'/],
    ['bad filter inside', 'members[value xx "1"]', /Unknown operator 'xx'/],
    ['unquoted value inside', 'members[value eq abc]', /found 'abc' \(strings must be in double quotes\)/],
    ['nested value path', 'emails[type[x pr] pr]', /Nested value paths are not allowed/],
    ['value filter on a sub-attribute', 'name.givenName[x pr]', /sub-attribute 'name.givenName'/],
    ['two sub-attributes', 'name.givenName.x', /more than one sub-attribute/],
    ['sub-attribute twice', 'emails[type eq "w"].value.x', /Expected a sub-attribute name/],
    [
      'qualified sub-attribute after bracket',
      'emails[type eq "w"].urn:x:value',
      /Expected a sub-attribute name/,
    ],
    ['dangling dot', 'emails[type eq "w"].', /Expected an attribute name .* found end of input/],
    [
      'trailing garbage',
      'members garbage',
      /Unexpected 'garbage' at position 9: expected the end of the path/,
    ],
    ['trailing bracket', 'members]', /Unexpected '\]'/],
    ['two value filters', 'emails[type eq "a"][type eq "b"]', /Unexpected '\['/],
    ['invalid name', 'na$me', /is not an attribute name/],
    ['bad character', 'name/givenName', /Unexpected character \//],
    ['unterminated string', 'members[value eq "1]', /Unterminated string/],
    ['too long', `a${'b'.repeat(10_000)}`, /at most 10000/],
    ['too deep', `emails[${'('.repeat(100)}a pr${')'.repeat(100)}]`, /nests deeper than 64/],
  ])('%s: %s', (_name, text, detail) => {
    let caught: unknown;
    try {
      parsePath(text);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ScimError);
    const error = caught as ScimError;
    expect(error.status).toBe(400);
    expect(error.scimType).toBe('invalidPath');
    expect(error.message).toMatch(detail);
  });
});
