import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { etagMatches, toEtag } from '../../src/scim/etag.js';
import { toListResponse } from '../../src/scim/list-response.js';

describe('toEtag', () => {
  it.each([
    ['3', 'W/"3"'],
    ['2011-05-13T04:42:34Z', 'W/"2011-05-13T04:42:34Z"'],
    ['a"b', 'W/"a%22b"'],
    ['back\\slash', 'W/"back%5Cslash"'],
    ['50%', 'W/"50%25"'],
    ['with space', 'W/"with%20space"'],
    ['é', 'W/"%C3%A9"'],
    ['W/"e180ee84f0671b1"', 'W/"e180ee84f0671b1"'],
    ['"strong"', 'W/"strong"'],
  ])('%j → %s', (version, etag) => {
    expect(toEtag(version)).toBe(etag);
  });

  it('never yields the same tag for different versions', () => {
    expect(toEtag('a"b')).not.toBe(toEtag('a%22b'));
  });

  it('always yields a valid weak entity-tag that matches its own version', () => {
    // Versions that already are entity-tags are passed through, so leave them out here.
    const version = fc.string({ unit: 'grapheme' }).filter((v) => !/^(W\/)?"[^"]*"$/.test(v));
    fc.assert(
      fc.property(version, (v) => {
        const tag = toEtag(v);
        expect(tag).toMatch(/^W\/"[\x21\x23-\x7e]*"$/);
        expect(etagMatches(tag, v)).toBe(true);
      }),
    );
    fc.assert(
      fc.property(version, version, (a, b) => {
        fc.pre(a !== b);
        expect(toEtag(a)).not.toBe(toEtag(b));
      }),
    );
  });
});

describe('etagMatches', () => {
  it.each([
    ['*', '3', true],
    ['W/"3"', '3', true],
    ['"3"', '3', true],
    ['3', '3', true],
    ['W/"4"', '3', false],
    ['W/"1", W/"3"', '3', true],
    ['W/"1",W/"2"', '3', false],
    ['W/"a,b"', 'a,b', true],
    ['W/"a%22b"', 'a"b', true],
    ['W/"e180ee84f0671b1"', 'W/"e180ee84f0671b1"', true],
    ['', '3', false],
  ])('If-Match %j vs version %j → %s', (header, version, expected) => {
    expect(etagMatches(header, version)).toBe(expected);
  });
});

describe('toListResponse', () => {
  it('builds an index page (RFC 7644 §3.4.2)', () => {
    expect(
      toListResponse({ resources: [{ id: 'a' }, { id: 'b' }], totalResults: 10, startIndex: 3 }),
    ).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 10,
      itemsPerPage: 2,
      startIndex: 3,
      Resources: [{ id: 'a' }, { id: 'b' }],
    });
  });

  it('builds a cursor page without startIndex (RFC 9865)', () => {
    const body = toListResponse({
      resources: [{ id: 'a' }],
      totalResults: 5,
      nextCursor: 'n1',
      previousCursor: 'p0',
    });
    expect(body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 5,
      itemsPerPage: 1,
      nextCursor: 'n1',
      previousCursor: 'p0',
      Resources: [{ id: 'a' }],
    });
    expect('startIndex' in body).toBe(false);
  });

  it('answers count=0 with an empty Resources list', () => {
    expect(toListResponse({ resources: [], totalResults: 7, startIndex: 1 })).toMatchObject({
      itemsPerPage: 0,
      Resources: [],
    });
  });
});
