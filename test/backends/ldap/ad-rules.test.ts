import { ConstraintViolationError } from 'ldapts';
import { describe, expect, it } from 'vitest';
import {
  checkSamAccountName,
  disabledUserAccountControl,
  isUnicodePwd,
  mergeUserAccountControl,
  unicodePwd,
} from '../../../src/backends/ldap/ad-rules.js';
import { mapLdapError } from '../../../src/backends/ldap/error-mapping.js';
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

describe('AD account creation helpers', () => {
  it.each([
    ['512', '514'],
    ['514', '514'],
    [String(0x200 | 0x10000), String(0x200 | 0x10000 | 0x2)],
    ['not a number', 'not a number'],
  ])('disabledUserAccountControl(%s) = %s', (value, expected) => {
    expect(disabledUserAccountControl(value)).toBe(expected);
  });

  it('names the SCIM attribute mapped to sAMAccountName in the detail', () => {
    try {
      checkSamAccountName('x'.repeat(21), 'externalId');
      throw new Error('expected a ScimError');
    } catch (err) {
      expect(isScimError(err) && err.message).toMatch(/^externalId is mapped to sAMAccountName/);
    }
  });

  it.each(['unicodePwd', 'UNICODEPWD'])('%s is the AD password attribute', (name) => {
    expect(isUnicodePwd(name)).toBe(true);
  });
  it('userPassword is not', () => {
    expect(isUnicodePwd('userPassword')).toBe(false);
  });
});

describe('AD answers in error-mapping', () => {
  it('0000052D (password policy) is 400 invalidValue saying so, with the server text', () => {
    const error = mapLdapError(
      new ConstraintViolationError(
        '0000052D: Constraint violation - check_password_restrictions: the password is too short. Code: 0x13',
      ),
      'User x',
    );
    expect(error).toMatchObject({ status: 400, scimType: 'invalidValue' });
    expect(error.message).toMatch(/refused the password \(password policy\): 0000052D/);
  });

  it('a UPN / sAMAccountName clash is 409 uniqueness naming the attribute only', () => {
    const error = mapLdapError(
      new ConstraintViolationError(
        "0000202F: samldb: userPrincipalName 'jane@corp.example' is already in use  Code: 0x13",
      ),
      'User x',
    );
    expect(error).toMatchObject({ status: 409, scimType: 'uniqueness' });
    expect(error.message).toContain('userPrincipalName');
    expect(error.message).not.toContain('jane@corp.example');
  });

  it('other constraint violations stay 400 invalidValue', () => {
    const error = mapLdapError(
      new ConstraintViolationError("0000202F: samldb: sAMAccountName contains invalid '|' character"),
    );
    expect(error).toMatchObject({ status: 400, scimType: 'invalidValue' });
  });
});
