import { describe, expect, it } from 'vitest';
import type { ResolvedAttribute } from '../../src/scim/schema/model.js';
import { compareSortKeys, sortKeyOf } from '../../src/scim/sort-key.js';
import { ENTERPRISE, userSchema } from './support/schemas.js';

function resolved(attribute: string, subAttribute?: string, schema?: string): ResolvedAttribute {
  const found = userSchema.resolve({
    attribute,
    ...(subAttribute === undefined ? {} : { subAttribute }),
    ...(schema === undefined ? {} : { schema }),
  });
  if (found === undefined) throw new Error(`unknown ${attribute}`);
  return found;
}

describe('sortKeyOf', () => {
  it.each([
    ['a case-insensitive string, lowercased', { userName: 'Ada' }, resolved('userName'), 'ada'],
    ['a case-exact string as is', { externalId: 'AbC' }, resolved('externalId'), 'AbC'],
    ['a sub-attribute', { name: { givenName: 'Grace' } }, resolved('name', 'givenName'), 'grace'],
    [
      'the primary value of a multi-valued attribute',
      { emails: [{ value: 'B@x' }, { value: 'A@x', primary: true }] },
      resolved('emails'),
      'a@x',
    ],
    ['else its first value', { emails: [{ value: 'B@x' }, { value: 'A@x' }] }, resolved('emails'), 'b@x'],
    [
      'an extension attribute under its URN',
      { [ENTERPRISE]: { department: 'QA' } },
      resolved('department', undefined, ENTERPRISE),
      'qa',
    ],
    [
      'a dateTime as epoch milliseconds',
      { meta: { created: '2026-01-05T09:00:00Z' } },
      resolved('meta', 'created'),
      Date.parse('2026-01-05T09:00:00Z'),
    ],
    ['a boolean', { active: false }, resolved('active'), false],
    ['nothing when absent', {}, resolved('title'), undefined],
  ])('%s', (_label, resource, attribute, expected) => {
    expect(sortKeyOf(resource, attribute)).toEqual(expected);
  });
});

describe('compareSortKeys', () => {
  it('orders ascending and descending, absent values last both ways', () => {
    const keys = ['b', undefined, 'a', 'c'];
    expect([...keys].sort((x, y) => compareSortKeys(x, y, false))).toEqual(['a', 'b', 'c', undefined]);
    expect([...keys].sort((x, y) => compareSortKeys(x, y, true))).toEqual(['c', 'b', 'a', undefined]);
  });
});
