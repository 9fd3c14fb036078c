import { describe, expect, it } from 'vitest';
import { applyAccountEnabled } from '../../src/mapping/transforms/account-enabled.js';
import { BUILTIN_TRANSFORMS } from '../../src/mapping/transforms/builtin-transforms.js';
import { parseGeneralizedTime } from '../../src/mapping/transforms/date-transforms.js';
import { createValueMapTransform } from '../../src/mapping/transforms/value-map.js';
import { ScimError } from '../../src/scim/errors.js';

function builtin(name: string) {
  const found = BUILTIN_TRANSFORMS[name];
  if (found === undefined) throw new Error(`no transform ${name}`);
  return found.transform;
}

const GUID_BYTES = Buffer.from([
  0x33, 0x22, 0x11, 0x00, 0x55, 0x44, 0x77, 0x66, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
]);

/** SCIM value ↔ backend value pairs: each must convert both ways. */
const ROUND_TRIPS: readonly { name: string; scim: unknown; backend: unknown }[] = [
  { name: 'boolean01', scim: true, backend: 1 },
  { name: 'boolean01', scim: false, backend: 0 },
  { name: 'booleanYN', scim: true, backend: 'Y' },
  { name: 'booleanYN', scim: false, backend: 'N' },
  { name: 'booleanTF', scim: true, backend: 'TRUE' },
  { name: 'booleanTF', scim: false, backend: 'FALSE' },
  { name: 'lowercase', scim: 'bjensen@example.com', backend: 'bjensen@example.com' },
  { name: 'uppercase', scim: 'BJENSEN', backend: 'BJENSEN' },
  { name: 'isoDate', scim: '2024-01-01T12:00:00Z', backend: '2024-01-01T12:00:00.000Z' },
  { name: 'isoDate', scim: '2024-01-01T12:00:00.250Z', backend: '2024-01-01T12:00:00.250Z' },
  { name: 'generalizedTime', scim: '2024-01-01T12:00:00Z', backend: '20240101120000Z' },
  { name: 'generalizedTime', scim: '2024-06-30T23:59:59.500Z', backend: '20240630235959.500Z' },
  { name: 'adAccountEnabled', scim: true, backend: 512 },
  { name: 'adAccountEnabled', scim: false, backend: 514 },
  { name: 'guid', scim: '00112233-4455-6677-8899-aabbccddeeff', backend: GUID_BYTES },
];

describe('built-in transforms round-trip', () => {
  it.each(ROUND_TRIPS)('$name: $scim ↔ $backend', ({ name, scim, backend }) => {
    const transform = builtin(name);
    expect(transform.toBackend(scim)).toEqual(backend);
    expect(transform.fromBackend(backend)).toEqual(scim);
    expect(transform.fromBackend(transform.toBackend(scim))).toEqual(scim);
  });

  it.each(Object.keys(BUILTIN_TRANSFORMS))('%s passes null and undefined through', (name) => {
    const transform = builtin(name);
    expect(transform.toBackend(null)).toBeNull();
    expect(transform.toBackend(undefined)).toBeUndefined();
    expect(transform.fromBackend(null)).toBeUndefined();
  });
});

describe('tolerant reading, strict writing', () => {
  it.each([
    ['boolean01', '1', true],
    ['boolean01', '0', false],
    ['boolean01', true, true],
    ['booleanYN', 'y', true],
    ['booleanTF', 'f', false],
    ['booleanYN', 'X', undefined],
    ['isoDate', new Date('2024-01-01T12:00:00Z'), '2024-01-01T12:00:00Z'],
    ['isoDate', '2024-01-01 12:00:00', '2024-01-01T12:00:00Z'],
    ['isoDate', Date.UTC(2024, 0, 1, 12), '2024-01-01T12:00:00Z'],
    ['isoDate', 'garbage', undefined],
    ['generalizedTime', '20240101140000+0200', '2024-01-01T12:00:00Z'],
    ['generalizedTime', '2024010112Z', '2024-01-01T12:00:00Z'],
    ['generalizedTime', 'yesterday', undefined],
    ['adAccountEnabled', '66048', true],
    ['adAccountEnabled', ['66050'], false],
    ['guid', Buffer.from([1, 2, 3]), undefined],
  ])('%s reads %j as %j', (name, backend, scim) => {
    expect(builtin(name).fromBackend(backend)).toEqual(scim);
  });

  it.each([
    ['boolean01', 'False', 0],
    ['booleanYN', 'TRUE', 'Y'],
    ['isoDate', '2024-01-01', '2024-01-01T00:00:00.000Z'],
    ['generalizedTime', '2024-01-01T14:00:00+02:00', '20240101120000Z'],
    ['uppercase', 'mixed', 'MIXED'],
  ])('%s writes %j as %j', (name, scim, backend) => {
    expect(builtin(name).toBackend(scim)).toEqual(backend);
  });

  it.each([
    ['boolean01', 'yes'],
    ['booleanYN', 1],
    ['lowercase', 42],
    ['isoDate', 'next tuesday'],
    ['generalizedTime', '2024-13-45'],
    ['adAccountEnabled', 'maybe'],
    ['guid', 'not-a-guid'],
  ])('%s rejects %j with 400 invalidValue', (name, scim) => {
    const error = (() => {
      try {
        builtin(name).toBackend(scim);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ScimError);
    expect((error as ScimError).status).toBe(400);
    expect((error as ScimError).scimType).toBe('invalidValue');
  });
});

describe('applyAccountEnabled', () => {
  it.each([
    [512, true, 512],
    [512, false, 514],
    [514, true, 512],
    [66050, true, 66048], // password never expires (0x10000) kept
    [66048, false, 66050],
    [514, false, 514],
  ])('uac %i, enabled %s → %i', (current, enabled, expected) => {
    expect(applyAccountEnabled(current, enabled)).toBe(expected);
  });
});

describe('generalized time parsing', () => {
  it('reads fractions and offsets', () => {
    expect(parseGeneralizedTime('20240101120000.5Z')?.toISOString()).toBe('2024-01-01T12:00:00.500Z');
    expect(parseGeneralizedTime('202401011200-0130')?.toISOString()).toBe('2024-01-01T13:30:00.000Z');
  });
});

describe('value maps', () => {
  const status = createValueMapTransform({ true: 'A', false: 'I' }, { scimType: 'boolean' });
  const level = createValueMapTransform({ gold: 3, silver: 2 }, { scimType: 'string', default: 'bronze' });

  it.each([
    [status, true, 'A'],
    [status, false, 'I'],
    [level, 'gold', 3],
    [level, 'silver', 2],
  ])('round-trips %#', (transform, scim, backend) => {
    expect(transform.toBackend(scim)).toBe(backend);
    expect(transform.fromBackend(backend)).toBe(scim);
  });

  it('reads numbers and strings alike, and an unmapped backend value as the default or absent', () => {
    expect(level.fromBackend('3')).toBe('gold');
    expect(level.fromBackend(9)).toBe('bronze');
    expect(status.fromBackend('X')).toBeUndefined();
  });

  it('rejects an unmapped SCIM value with 400 invalidValue', () => {
    expect(() => level.toBackend('platinum')).toThrow(ScimError);
    expect(() => level.toBackend('platinum')).toThrow('value "platinum" is not one of gold, silver');
  });
});
