import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  escapeDnValue,
  isUnder,
  isUnderNormalized,
  normalizeDn,
  splitDn,
  unescapeDnValue,
} from '../../../src/backends/ldap/dn-text.js';

/**
 * The byte-by-byte decoding normalizeDn used before its fast path, the
 * reference it must agree with — except that it went by UTF-16 unit and so
 * turned a character outside the BMP (an emoji) into two U+FFFD; here it goes
 * by code point, as the new code does.
 */
function referenceUnescape(value: string): string {
  const bytes: number[] = [];
  const at = (i: number) => String.fromCodePoint(value.codePointAt(i) ?? 0);
  for (let i = 0; i < value.length; i += 1) {
    const char = at(i);
    if (char === '\\' && /^[0-9a-fA-F]{2}$/.test(value.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(value.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (char === '\\') {
      const next = i + 1 < value.length ? at(i + 1) : '';
      bytes.push(...Buffer.from(next));
      i += next.length;
    } else {
      bytes.push(...Buffer.from(char));
      i += char.length - 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function referenceNormalize(dn: string): string {
  return splitDn(dn)
    .map((rdn) => {
      const eq = rdn.indexOf('=');
      if (eq < 0) return rdn.toLowerCase();
      return `${rdn.slice(0, eq).trim().toLowerCase()}=${referenceUnescape(rdn.slice(eq + 1).trim()).toLowerCase()}`;
    })
    .join(',');
}

describe('normalizeDn', () => {
  it('lower-cases names and values and drops spaces around separators', () => {
    expect(normalizeDn('UID=BJensen, OU=People ,dc=Example,dc=TEST')).toBe(
      'uid=bjensen,ou=people,dc=example,dc=test',
    );
  });

  it('decodes escapes: \\2C and \\, name the same RDN, hex pairs spell UTF-8', () => {
    expect(normalizeDn('uid=renamed\\2C Jr.,ou=people')).toBe('uid=renamed, jr.,ou=people');
    expect(normalizeDn('uid=Renamed\\, JR.,ou=people')).toBe('uid=renamed, jr.,ou=people');
    expect(normalizeDn('cn=Caf\\C3\\A9,o=x')).toBe(normalizeDn('cn=café,o=x'));
    expect(normalizeDn('cn=a\\+b\\=c,o=x')).toBe('cn=a+b=c,o=x');
  });

  it('the empty DN stays empty', () => {
    expect(normalizeDn('')).toBe('');
  });

  it('keeps characters outside the BMP in an escaped value', () => {
    expect(normalizeDn('cn=\u{1F600}\\2C x,o=x')).toBe('cn=\u{1F600}, x,o=x');
  });

  it('agrees with the byte-by-byte reference on any DN, escaped or not', () => {
    const value = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 12 }),
      fc.string({ unit: 'grapheme', maxLength: 12 }).map(escapeDnValue),
      fc.constantFrom('\\2C', '\\C3\\A9', '\\', 'a\\', ' x ', '\\ '),
    );
    const rdn = fc.tuple(fc.constantFrom('uid', 'CN', ' ou '), value).map(([name, v]) => `${name}=${v}`);
    fc.assert(
      fc.property(fc.array(rdn, { minLength: 1, maxLength: 4 }), (rdns) => {
        const dn = rdns.join(',');
        expect(normalizeDn(dn)).toBe(referenceNormalize(dn));
      }),
      { numRuns: 2000 },
    );
  });

  it('unescapeDnValue equals the reference on any text with backslashes', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string({ unit: 'grapheme', maxLength: 3 }),
            fc.constantFrom('\\', '\\2c', '\\e2\\82\\ac'),
          ),
          {
            maxLength: 8,
          },
        ),
        (parts) => {
          const text = parts.join('');
          expect(unescapeDnValue(text)).toBe(referenceUnescape(text));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('isUnder', () => {
  it('a DN is under its base and under itself, not under a sibling or a suffix lookalike', () => {
    expect(isUnder('uid=a,ou=People,dc=example', 'ou=people,dc=example')).toBe(true);
    expect(isUnder('ou=people,dc=example', 'OU=People, dc=example')).toBe(true);
    expect(isUnder('uid=a,ou=groups,dc=example', 'ou=people,dc=example')).toBe(false);
    expect(isUnder('uid=a,ou=xpeople,dc=example', 'ou=people,dc=example')).toBe(false);
  });

  it('isUnderNormalized takes keys normalised once', () => {
    const base = normalizeDn('ou=People,dc=example');
    expect(isUnderNormalized(normalizeDn('uid=a,ou=people,dc=Example'), base)).toBe(true);
    expect(isUnderNormalized(normalizeDn('uid=a,ou=groups,dc=example'), base)).toBe(false);
  });
});
