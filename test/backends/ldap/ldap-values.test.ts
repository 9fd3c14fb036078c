import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generalizedToIso, valuesOf } from '../../../src/backends/ldap/ldap-values.js';

/** The Date round trip generalizedToIso did for every value before its fast path: the reference. */
function referenceToIso(text: string): string | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})?(\d{2})?(?:[.,](\d+))?(Z|[+-]\d{4})?$/.exec(
    text.trim(),
  );
  if (match === null) return undefined;
  const [, y, mo, d, h, mi = '00', s = '00', , zone = 'Z'] = match;
  const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`);
  if (Number.isNaN(date.getTime())) return undefined;
  return date.toISOString().replace('.000Z', 'Z');
}

const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));

describe('generalizedToIso', () => {
  it('converts what slapd and AD write', () => {
    expect(generalizedToIso('20261129090000Z')).toBe('2026-11-29T09:00:00Z');
    expect(generalizedToIso('20261129090000.0Z')).toBe('2026-11-29T09:00:00Z');
    expect(generalizedToIso('20240229235959Z')).toBe('2024-02-29T23:59:59Z');
    expect(generalizedToIso('202611290900+0200')).toBe('2026-11-29T07:00:00Z');
    expect(generalizedToIso('not a time')).toBeUndefined();
  });

  it('agrees with the Date round trip on any digits, including impossible dates', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')),
        two(14),
        two(33),
        two(25),
        fc.option(two(61)),
        fc.option(two(61)),
        fc.constantFrom('', '.5', ',123'),
        fc.constantFrom('Z', '', '+0200', '-0130'),
        (year, month, day, hour, minute, second, fraction, zone) => {
          const text = `${year}${month}${day}${hour}${minute ?? ''}${minute === null ? '' : (second ?? '')}${fraction}${zone}`;
          expect(generalizedToIso(text)).toBe(referenceToIso(text));
        },
      ),
      { numRuns: 5000 },
    );
  });
});

describe('valuesOf', () => {
  it('finds an attribute whatever case the server used, never dn or inherited properties', () => {
    const entry = { dn: 'uid=a,o=x', memberOf: ['cn=g,o=x'], mail: 'a@x' };
    expect(valuesOf(entry, 'memberOf')).toEqual(['cn=g,o=x']);
    expect(valuesOf(entry, 'memberof')).toEqual(['cn=g,o=x']);
    expect(valuesOf(entry, 'MAIL')).toEqual(['a@x']);
    expect(valuesOf(entry, 'dn')).toEqual([]);
    expect(valuesOf(entry, 'constructor')).toEqual([]);
    expect(valuesOf(entry, 'toString')).toEqual([]);
  });
});
