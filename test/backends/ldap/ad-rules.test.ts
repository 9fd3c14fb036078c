import { describe, expect, it } from 'vitest';
import {
  checkSamAccountName,
  mergeUserAccountControl,
  unicodePwd,
} from '../../../src/backends/ldap/ad-rules.js';
import { isScimError } from '../../../src/scim/errors.js';

describe('sAMAccountName rules', () => {
  it.each(['bjensen', 'b.jensen', 'a'.repeat(20), 'user_1-x'])('accepts %s', (name) => {
    expect(() => checkSamAccountName(name)).not.toThrow();
  });
  it.each([
    'a'.repeat(21),
    'bjensen@corp',
    'a/b',
    'a\\b',
    'a[b]',
    'a:b',
    'a;b',
    'a|b',
    'a=b',
    'a,b',
    'a+b',
    'a*b',
    'a?b',
    'a<b',
    'a>b',
    'a"b',
    'trailing.',
  ])('rejects %s with 400 invalidValue', (name) => {
    try {
      checkSamAccountName(name);
      expect.fail('expected a ScimError');
    } catch (err) {
      expect(isScimError(err) && err.status === 400 && err.scimType === 'invalidValue').toBe(true);
      expect((err as Error).message).toContain('sAMAccountName');
    }
  });
});

describe('userAccountControl keeps the other bits', () => {
  const cases: [string | undefined, string, string][] = [
    ['66048', '514', '66050'], // DONT_EXPIRE_PASSWORD | NORMAL, disabled → + ACCOUNTDISABLE
    ['66050', '512', '66048'], // enabled again, DONT_EXPIRE_PASSWORD kept
    ['512', '512', '512'],
    [undefined, '514', '514'],
  ];
  it.each(cases)('current %s, computed %s → %s', (current, computed, expected) => {
    expect(mergeUserAccountControl(current, computed)).toBe(expected);
  });
});

it('unicodePwd is the quoted password in UTF-16LE', () => {
  expect(unicodePwd('Pa55w0rd!')).toEqual(Buffer.from('"Pa55w0rd!"', 'utf16le'));
});
