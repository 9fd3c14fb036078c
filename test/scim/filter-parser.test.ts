import { describe, expect, it } from 'vitest';
import { ScimError } from '../../src/scim/errors.js';
import type { AttributePath, CompareOperator, Filter, FilterValue } from '../../src/scim/filter/ast.js';
import { formatFilter } from '../../src/scim/filter/format-filter.js';
import { MAX_FILTER_DEPTH, MAX_FILTER_LENGTH, parseFilter } from '../../src/scim/filter/parser.js';

const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

function at(attribute: string, subAttribute?: string, schema?: string): AttributePath {
  return {
    ...(schema === undefined ? {} : { schema }),
    attribute,
    ...(subAttribute === undefined ? {} : { subAttribute }),
  };
}
/** `name.familyName` → {attribute, subAttribute}; schema-qualified paths use `at()`. */
function p(dotted: string): AttributePath {
  const [attribute = '', subAttribute] = dotted.split('.');
  return at(attribute, subAttribute);
}
const cmp = (path: string | AttributePath, op: CompareOperator, value: FilterValue): Filter => ({
  kind: 'compare',
  path: typeof path === 'string' ? p(path) : path,
  op,
  value,
});
const pr = (path: string | AttributePath): Filter => ({
  kind: 'present',
  path: typeof path === 'string' ? p(path) : path,
});
const and = (left: Filter, right: Filter): Filter => ({ kind: 'and', left, right });
const or = (left: Filter, right: Filter): Filter => ({ kind: 'or', left, right });
const not = (filter: Filter): Filter => ({ kind: 'not', filter });
const vp = (attribute: string | AttributePath, filter: Filter): Filter => ({
  kind: 'valuePath',
  path: typeof attribute === 'string' ? p(attribute) : attribute,
  filter,
});

/** RFC 7644 §3.4.2.2, Figure 2 ("Example Filters"), in order. */
const RFC_EXAMPLES: [string, Filter][] = [
  ['userName eq "bjensen"', cmp('userName', 'eq', 'bjensen')],
  [`name.familyName co "O'Malley"`, cmp('name.familyName', 'co', "O'Malley")],
  ['userName sw "J"', cmp('userName', 'sw', 'J')],
  [`${CORE_USER}:userName sw "J"`, cmp(at('userName', undefined, CORE_USER), 'sw', 'J')],
  ['title pr', pr('title')],
  ['meta.lastModified gt "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'gt', '2011-05-13T04:42:34Z')],
  ['meta.lastModified ge "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'ge', '2011-05-13T04:42:34Z')],
  ['meta.lastModified lt "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'lt', '2011-05-13T04:42:34Z')],
  ['meta.lastModified le "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'le', '2011-05-13T04:42:34Z')],
  ['title pr and userType eq "Employee"', and(pr('title'), cmp('userType', 'eq', 'Employee'))],
  ['title pr or userType eq "Intern"', or(pr('title'), cmp('userType', 'eq', 'Intern'))],
  [`schemas eq "${ENTERPRISE}"`, cmp('schemas', 'eq', ENTERPRISE)],
  [
    'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
    and(
      cmp('userType', 'eq', 'Employee'),
      or(cmp('emails', 'co', 'example.com'), cmp('emails.value', 'co', 'example.org')),
    ),
  ],
  [
    'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
    and(
      cmp('userType', 'ne', 'Employee'),
      not(or(cmp('emails', 'co', 'example.com'), cmp('emails.value', 'co', 'example.org'))),
    ),
  ],
  [
    'userType eq "Employee" and (emails.type eq "work")',
    and(cmp('userType', 'eq', 'Employee'), cmp('emails.type', 'eq', 'work')),
  ],
  [
    'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
    and(
      cmp('userType', 'eq', 'Employee'),
      vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'co', '@example.com'))),
    ),
  ],
  [
    'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
    or(
      vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'co', '@example.com'))),
      vp('ims', and(cmp('type', 'eq', 'xmpp'), cmp('value', 'co', '@foo.com'))),
    ),
  ],
];

describe('parseFilter: RFC 7644 §3.4.2.2 examples', () => {
  it.each(RFC_EXAMPLES)('%s', (text, expected) => {
    expect(parseFilter(text)).toEqual(expected);
  });

  it.each(RFC_EXAMPLES)('round-trips through formatFilter: %s', (text) => {
    const ast = parseFilter(text);
    expect(parseFilter(formatFilter(ast))).toEqual(ast);
  });
});

describe('parseFilter: operators, keywords and values', () => {
  it.each<[string, Filter]>([
    ['userName EQ "a"', cmp('userName', 'eq', 'a')],
    ['userName Ne "a"', cmp('userName', 'ne', 'a')],
    ['displayName ew "x"', cmp('displayName', 'ew', 'x')],
    ['title PR', pr('title')],
    ['a pr And b pr', and(pr('a'), pr('b'))],
    ['a pr OR b pr', or(pr('a'), pr('b'))],
    ['NOT (a pr)', not(pr('a'))],
    ['active eq true', cmp('active', 'eq', true)],
    ['active eq False', cmp('active', 'eq', false)],
    ['nickName eq null', cmp('nickName', 'eq', null)],
    ['x eq 0', cmp('x', 'eq', 0)],
    ['x gt -12', cmp('x', 'gt', -12)],
    ['x ge 1.5', cmp('x', 'ge', 1.5)],
    ['x le 2e3', cmp('x', 'le', 2000)],
    ['x lt -1.25E-2', cmp('x', 'lt', -0.0125)],
    ['x eq "say \\"hi\\""', cmp('x', 'eq', 'say "hi"')],
    ['x eq "a\\\\b\\/c\\n\\t"', cmp('x', 'eq', 'a\\b/c\n\t')],
    ['x eq "\\u00e9t\\u00C9"', cmp('x', 'eq', 'étÉ')],
    ['x eq ""', cmp('x', 'eq', '')],
    ['x eq "日本"', cmp('x', 'eq', '日本')],
    ['x eq "and or not ( ) [ ]"', cmp('x', 'eq', 'and or not ( ) [ ]')],
    ['members.$ref eq "https://x/Users/1"', cmp(at('members', '$ref'), 'eq', 'https://x/Users/1')],
    ['$ref pr', pr('$ref')],
    ['x-y_z eq "a"', cmp('x-y_z', 'eq', 'a')],
    [`${ENTERPRISE}:manager.value eq "26118915"`, cmp(at('manager', 'value', ENTERPRISE), 'eq', '26118915')],
    [`${ENTERPRISE}:department eq "Sales"`, cmp(at('department', undefined, ENTERPRISE), 'eq', 'Sales')],
    ['urn:example:custom:ext:attr pr', pr(at('attr', undefined, 'urn:example:custom:ext'))],
    ['  \t userName   eq\n"x"  ', cmp('userName', 'eq', 'x')],
    ['(userName eq "x")', cmp('userName', 'eq', 'x')],
    ['((((userName eq "x"))))', cmp('userName', 'eq', 'x')],
    ['userName eq"x"', cmp('userName', 'eq', 'x')],
    ['emails[type eq "work"]', vp('emails', cmp('type', 'eq', 'work'))],
    ['emails[ not (type eq "work") ]', vp('emails', not(cmp('type', 'eq', 'work')))],
    [
      'emails[(type eq "a" or type eq "b") and primary eq true]',
      vp('emails', and(or(cmp('type', 'eq', 'a'), cmp('type', 'eq', 'b')), cmp('primary', 'eq', true))),
    ],
    [
      `${ENTERPRISE}:manager[value eq "1"]`,
      vp(at('manager', undefined, ENTERPRISE), cmp('value', 'eq', '1')),
    ],
    // An attribute that happens to be called "not".
    ['not eq "x"', cmp('not', 'eq', 'x')],
  ])('%s', (text, expected) => {
    expect(parseFilter(text)).toEqual(expected);
  });
});

describe('parseFilter: precedence (not > and > or, left-associative)', () => {
  it.each<[string, Filter]>([
    ['a pr or b pr and c pr', or(pr('a'), and(pr('b'), pr('c')))],
    ['a pr and b pr or c pr', or(and(pr('a'), pr('b')), pr('c'))],
    ['a pr and b pr and c pr', and(and(pr('a'), pr('b')), pr('c'))],
    ['a pr or b pr or c pr', or(or(pr('a'), pr('b')), pr('c'))],
    ['a pr and (b pr or c pr)', and(pr('a'), or(pr('b'), pr('c')))],
    ['(a pr or b pr) and c pr', and(or(pr('a'), pr('b')), pr('c'))],
    ['not (a pr) and b pr', and(not(pr('a')), pr('b'))],
    ['not (a pr) or b pr and c pr', or(not(pr('a')), and(pr('b'), pr('c')))],
    ['a pr and not (b pr or c pr) or d pr', or(and(pr('a'), not(or(pr('b'), pr('c')))), pr('d'))],
    ['not (not (a pr))', not(not(pr('a')))],
    // Tolerated: `not` without parentheses binds to the next operand only.
    ['not a pr and b pr', and(not(pr('a')), pr('b'))],
    [
      'emails[type eq "w"] and emails[value co "x"] or title pr',
      or(and(vp('emails', cmp('type', 'eq', 'w')), vp('emails', cmp('value', 'co', 'x'))), pr('title')),
    ],
  ])('%s', (text, expected) => {
    expect(parseFilter(text)).toEqual(expected);
  });
});

describe('parseFilter: real clients', () => {
  it.each<[string, Filter]>([
    // Microsoft Entra ID provisioning
    [
      'userName eq "ee4a8b2f-5d8e-4b3b-9f0a-1c2d3e4f5a6b"',
      cmp('userName', 'eq', 'ee4a8b2f-5d8e-4b3b-9f0a-1c2d3e4f5a6b'),
    ],
    [
      'externalId eq "2d6f3c1a-0b9e-4f7d-8c5a-3e2b1d0f9a8c"',
      cmp('externalId', 'eq', '2d6f3c1a-0b9e-4f7d-8c5a-3e2b1d0f9a8c'),
    ],
    ['displayName eq "Group"', cmp('displayName', 'eq', 'Group')],
    [
      'userName eq "Test_User_dfeef4c5-5681-4387-b016-bdf221e82081"',
      cmp('userName', 'eq', 'Test_User_dfeef4c5-5681-4387-b016-bdf221e82081'),
    ],
    // Entra's non-standard `attr[filter].sub op value` is folded into the value filter.
    [
      'emails[type eq "work"].value eq "x@example.com"',
      vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'eq', 'x@example.com'))),
    ],
    [
      'addresses[type eq "work"].streetAddress pr',
      vp('addresses', and(cmp('type', 'eq', 'work'), pr('streetAddress'))),
    ],
    // Okta
    ['userName eq "isaac.brock@example.com"', cmp('userName', 'eq', 'isaac.brock@example.com')],
    ['displayName eq "Marketing Team"', cmp('displayName', 'eq', 'Marketing Team')],
    ['id eq "23a35c27-23d3-4c03-b4c5-6443c09e7173"', cmp('id', 'eq', '23a35c27-23d3-4c03-b4c5-6443c09e7173')],
  ])('%s', (text, expected) => {
    expect(parseFilter(text)).toEqual(expected);
  });
});

/** Asserts a 400 invalidFilter whose detail matches. */
function expectInvalidFilter(text: string, detail: RegExp): void {
  let caught: unknown;
  try {
    parseFilter(text);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ScimError);
  const error = caught as ScimError;
  expect(error.status).toBe(400);
  expect(error.scimType).toBe('invalidFilter');
  expect(error.message).toMatch(detail);
}

describe('parseFilter: errors are 400 invalidFilter with a precise detail', () => {
  it.each<[string, string, RegExp]>([
    ['empty filter', '', /empty/],
    ['blank filter', '   \t ', /empty/],
    ['unknown operator', 'userName xx "a"', /Unknown operator 'xx' at position 10; expected eq, ne/],
    ['operator as attribute position', 'eq "a"', /Expected an operator .* at position 4, found '"a"'/],
    ['missing value', 'userName eq', /Expected a value .* after 'eq' at position 12, found end of input/],
    ['missing value before and', 'userName eq and b pr', /Expected a value .*found 'and'/],
    ['unquoted value', 'userName eq bjensen', /found 'bjensen' \(strings must be in double quotes\)/],
    [
      'single-quoted value',
      "userName eq 'bjensen'",
      /Unexpected character ' \(strings must use double quotes\) at position 13/,
    ],
    [
      'missing operator',
      'userName',
      /Expected an operator .* after 'userName' at position 9, found end of input/,
    ],
    ['missing operand after and', 'a pr and', /Expected an attribute name at position 9, found end of input/],
    ['missing operand after or', 'a pr or', /Expected an attribute name at position 8/],
    ['leading and', 'and a pr', /found the keyword 'and'/],
    ['double and', 'a pr and and b pr', /found the keyword 'and'/],
    [
      'unclosed parenthesis',
      '(a pr',
      /Expected '\)' at position 6 to close the '\(' at position 1, found end of input/,
    ],
    ['unclosed nested parenthesis', '((a pr) and b pr', /Expected '\)' .* to close the '\(' at position 1/],
    ['extra closing parenthesis', 'a pr)', /Unexpected '\)' at position 5: no matching '\('/],
    ['empty parentheses', '()', /Expected an attribute name at position 2, found '\)'/],
    [
      'unclosed bracket',
      'emails[type eq "work"',
      /Expected '\]' at position 22 to close the '\[' at position 7/,
    ],
    ['extra closing bracket', 'a pr]', /Unexpected '\]' at position 5: no matching '\['/],
    ['bracket closed by parenthesis', 'emails[type eq "w")', /Expected '\]' .* found '\)'/],
    ['empty value path', 'emails[]', /Expected an attribute name at position 8, found '\]'/],
    ['nested value path', 'emails[type[value eq "x"] eq "w"]', /Nested value paths are not allowed/],
    ['nested value path in parentheses', 'emails[(x[y pr])]', /Nested value paths are not allowed/],
    ['value path on a sub-attribute', 'name.givenName[x pr]', /sub-attribute 'name.givenName'/],
    ['pr with a string', 'title pr "x"', /The operator 'pr' takes no value, found '"x"' at position 10/],
    ['pr with a number', 'title pr 1', /'pr' takes no value/],
    ['pr with true', 'title pr true', /'pr' takes no value/],
    [
      'trailing garbage',
      'userName eq "a" garbage',
      /Expected 'and', 'or' or the end of the filter at position 17, found 'garbage'/,
    ],
    ['trailing value', 'userName eq "a" "b"', /Expected 'and', 'or' or the end of the filter/],
    ['unterminated string', 'userName eq "abc', /Unterminated string starting at position 13/],
    ['bad escape', 'userName eq "a\\qb"', /Invalid escape '\\q'/],
    ['short unicode escape', 'userName eq "\\u12"', /Invalid \\u escape .* 4 hex digits/],
    ['raw control character', 'userName eq "a\u0001b"', /Unescaped control character/],
    ['trailing backslash', 'userName eq "a\\', /Unterminated string/],
    ['leading zero number', 'x eq 012', /Invalid number '012'/],
    ['bad number', 'x eq 1.2.3', /Invalid number '1.2.3'/],
    ['lone minus', 'x eq -', /Invalid number '-'/],
    ['number out of range', 'x eq 1e999', /out of range/],
    ['unexpected character', 'userName eq "a" & b pr', /Unexpected character & at position 17/],
    ['too many sub-attributes', 'a.b.c pr', /more than one sub-attribute/],
    ['empty sub-attribute', 'name. pr', /empty name/],
    ['name starting with a digit after colon', 'urn:x:1abc pr', /'1abc' is not an attribute name/],
    ['trailing colon', 'urn:x: pr', /empty name/],
    [
      'Entra form without a sub-attribute',
      'emails[type eq "w"].',
      /Expected an attribute name at position 21, found end/,
    ],
    ['Entra form without operator', 'emails[type eq "w"].value', /Expected an operator/],
    ['not without operand', 'not ()', /Expected an attribute name/],
  ])('%s: %s', (_name, text, detail) => {
    expectInvalidFilter(text, detail);
  });

  it(`rejects filters longer than ${MAX_FILTER_LENGTH} characters`, () => {
    expectInvalidFilter(`userName eq "${'a'.repeat(MAX_FILTER_LENGTH)}"`, /at most 10000/);
  });

  it('accepts nesting up to the limit', () => {
    const depth = MAX_FILTER_DEPTH;
    expect(parseFilter(`${'('.repeat(depth)}a pr${')'.repeat(depth)}`)).toEqual(pr('a'));
  });

  it.each<[string, string]>([
    ['parentheses', `${'('.repeat(MAX_FILTER_DEPTH + 1)}a pr${')'.repeat(MAX_FILTER_DEPTH + 1)}`],
    ['not', `${'not ('.repeat(MAX_FILTER_DEPTH + 1)}a pr${')'.repeat(MAX_FILTER_DEPTH + 1)}`],
    ['deep input without a stack overflow', '('.repeat(9_000)],
    ['bare not chain', `${'not '.repeat(2_000)}a pr`],
  ])('rejects nesting deeper than the limit: %s', (_name, text) => {
    expectInvalidFilter(text, /nests deeper than 64 levels/);
  });

  it('parses a long flat and-chain without recursion trouble', () => {
    const text = Array.from({ length: 700 }, (_, i) => `a${i} pr`).join(' and ');
    expect(text.length).toBeLessThan(MAX_FILTER_LENGTH);
    let ast = parseFilter(text);
    let depth = 0;
    while (ast.kind === 'and') {
      expect(ast.right).toEqual(pr(`a${699 - depth}`));
      ast = ast.left;
      depth += 1;
    }
    expect(ast).toEqual(pr('a0'));
    expect(depth).toBe(699);
  });
});
