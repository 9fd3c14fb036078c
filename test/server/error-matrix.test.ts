import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, type DemoApp, SEED, startDemoApp } from './support/demo-app.js';

/**
 * Every error issue 2 lists, on every endpoint it can happen on — Users and
 * Groups alike, the root and per-type searches, Bulk and discovery — as a
 * table, so a route that forgets one shows up by name.
 */

const BASE = '/scim/v2';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const BODY_LIMIT = 4096;

let demo: DemoApp;
beforeAll(async () => {
  // The failed-authentication brake would turn the 401 table into 429s; it has its own tests.
  demo = await startDemoApp({ bodyLimit: BODY_LIMIT, failedAuth: false });
});
afterAll(async () => {
  await demo.close();
});

type Method = NonNullable<InjectOptions['method']>;

function send(
  method: Method,
  url: string,
  payload?: string,
  headers: Record<string, string> = AUTH,
): Promise<LightMyRequestResponse> {
  return demo.app.inject({
    method,
    url: `${BASE}${url}`,
    headers: { ...headers, ...(payload === undefined ? {} : { 'content-type': 'application/scim+json' }) },
    ...(payload === undefined ? {} : { payload }),
  });
}

function expectScimError(response: LightMyRequestResponse, status: number, scimType?: string): void {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toBe('application/scim+json; charset=utf-8');
  const body = response.json() as Record<string, unknown>;
  expect(body.schemas).toEqual([ERROR]);
  expect(body.status).toBe(String(status));
  if (scimType === undefined) expect(body.scimType).toBeUndefined();
  else expect(body.scimType).toBe(scimType);
  expect(typeof body.detail).toBe('string');
}

const patchBody = (operations: unknown[]) => JSON.stringify({ schemas: [PATCH_OP], Operations: operations });

const user = `/Users/${SEED.alan}`;
const group = `/Groups/${SEED.allStaff}`;

/** [method, url, a valid body or undefined] for every SCIM route. */
const ROUTES: [Method, string, string | undefined][] = [
  ['GET', '/Users', undefined],
  ['GET', '/Groups', undefined],
  ['GET', user, undefined],
  ['GET', group, undefined],
  ['POST', '/Users', JSON.stringify({ userName: 'matrix' })],
  ['POST', '/Groups', JSON.stringify({ displayName: 'matrix' })],
  ['PUT', user, JSON.stringify({ userName: 'alan.turing@example.com' })],
  ['PUT', group, JSON.stringify({ displayName: 'All Staff' })],
  ['PATCH', user, patchBody([{ op: 'replace', path: 'title', value: 'x' }])],
  ['PATCH', group, patchBody([{ op: 'replace', path: 'displayName', value: 'All Staff' }])],
  ['DELETE', user, undefined],
  ['DELETE', group, undefined],
  ['POST', '/Users/.search', '{}'],
  ['POST', '/Groups/.search', '{}'],
  ['POST', '/.search', '{}'],
  ['GET', '/', undefined],
  [
    'POST',
    '/Bulk',
    JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations: [] }),
  ],
  ['GET', '/ServiceProviderConfig', undefined],
  ['GET', '/Schemas', undefined],
  ['GET', '/ResourceTypes', undefined],
];
const WITH_BODY = ROUTES.filter(([, , body]) => body !== undefined);

describe('401 without valid credentials, on every route (before the body is read)', () => {
  it.each(ROUTES)('%s %s', async (method, url, body) => {
    expectScimError(await send(method, url, body, {}), 401);
    expectScimError(await send(method, url, body, { authorization: 'Bearer wrong' }), 401);
  });
});

describe('400 invalidSyntax for malformed JSON, on every route with a body', () => {
  it.each(WITH_BODY)('%s %s', async (method, url) => {
    expectScimError(await send(method, url, '{"unterminated": '), 400, 'invalidSyntax');
  });
});

describe('413 for a body over the limit, on every route with a body', () => {
  it.each(WITH_BODY)('%s %s', async (method, url) => {
    const oversized = JSON.stringify({ padding: 'x'.repeat(BODY_LIMIT + 1) });
    expectScimError(await send(method, url, oversized), 413);
  });
});

describe('400 invalidFilter for an unknown attribute, on every search', () => {
  it.each([
    ['GET', `/Users?filter=${encodeURIComponent('nickName eq "x"')}`, undefined],
    ['GET', `/Groups?filter=${encodeURIComponent('userName eq "x"')}`, undefined],
    ['POST', '/Users/.search', JSON.stringify({ filter: 'nickName eq "x"' })],
    ['POST', '/Groups/.search', JSON.stringify({ filter: 'userName eq "x"' })],
    ['POST', '/.search', JSON.stringify({ filter: 'nickName eq "x"' })],
    ['GET', `/?filter=${encodeURIComponent('nickName eq "x"')}`, undefined],
  ] as [Method, string, string | undefined][])('%s %s', async (method, url, body) => {
    expectScimError(await send(method, url, body), 400, 'invalidFilter');
  });
});

describe('PATCH errors on Users and Groups', () => {
  it.each([
    [user, 'nickName'],
    [user, 'emails[type eq "work"'],
    [group, 'members[nope eq "x"]'],
    [group, 'userName'],
  ])('%s path %s → 400 invalidPath', async (url, path) => {
    expectScimError(
      await send('PATCH', url, patchBody([{ op: 'replace', path, value: 'x' }])),
      400,
      'invalidPath',
    );
  });

  it.each([
    [user, 'id'],
    [user, 'meta.created'],
    [group, 'id'],
    [group, 'meta.lastModified'],
  ])('%s path %s (readOnly) → 400 mutability', async (url, path) => {
    expectScimError(
      await send('PATCH', url, patchBody([{ op: 'replace', path, value: '2020-01-01T00:00:00Z' }])),
      400,
      'mutability',
    );
  });
});

describe('409 uniqueness on Users and Groups', () => {
  it.each([
    ['POST', '/Users', JSON.stringify({ userName: 'ADA.LOVELACE@example.com' })],
    ['POST', '/Groups', JSON.stringify({ displayName: 'Engineering' })],
    ['PUT', user, JSON.stringify({ userName: 'grace.hopper@example.com' })],
    ['PUT', group, JSON.stringify({ displayName: 'Engineering' })],
    ['PATCH', user, patchBody([{ op: 'replace', path: 'userName', value: 'grace.hopper@example.com' }])],
    ['PATCH', group, patchBody([{ op: 'replace', path: 'displayName', value: 'Engineering' }])],
  ] as [Method, string, string][])('%s %s', async (method, url, body) => {
    expectScimError(await send(method, url, body), 409, 'uniqueness');
  });
});

describe('404 for an unknown id, on every method', () => {
  const bodies: Partial<Record<Method, string>> = {
    PUT: JSON.stringify({ userName: 'ghost', displayName: 'ghost' }),
    PATCH: patchBody([{ op: 'replace', path: 'displayName', value: 'x' }]),
  };
  it.each(
    (['GET', 'PUT', 'PATCH', 'DELETE'] as Method[]).flatMap((method) =>
      ['/Users', '/Groups'].map((endpoint) => [method, endpoint] as const),
    ),
  )('%s %s/<unknown>', async (method, endpoint) => {
    expectScimError(
      await send(method, `${endpoint}/00000000-0000-4000-8000-000000000000`, bodies[method]),
      404,
    );
  });

  it('an unknown resource type or endpoint is a SCIM 404 too', async () => {
    expectScimError(await send('GET', '/Devices'), 404);
    expectScimError(await send('GET', '/ResourceTypes/Device'), 404);
  });
});

describe('ETags on Users and Groups', () => {
  it.each([user, group])(
    '%s: If-None-Match current → 304; If-Match stale → 412 on PUT, PATCH, DELETE',
    async (url) => {
      const current = await send('GET', url);
      expect(current.statusCode).toBe(200);
      const etag = String(current.headers.etag);
      expect(etag).toMatch(/^W\/".+"$/);
      const notModified = await send('GET', url, undefined, { ...AUTH, 'if-none-match': etag });
      expect(notModified.statusCode).toBe(304);
      expect(notModified.body).toBe('');

      const stale = { ...AUTH, 'if-match': 'W/"stale"' };
      const body = url === user ? { userName: 'alan.turing@example.com' } : { displayName: 'All Staff' };
      expectScimError(await send('PUT', url, JSON.stringify(body), stale), 412);
      expectScimError(
        await send('PATCH', url, patchBody([{ op: 'replace', path: 'displayName', value: 'z' }]), stale),
        412,
      );
      expectScimError(await send('DELETE', url, undefined, stale), 412);
      // Nothing changed.
      expect((await send('GET', url)).headers.etag).toBe(etag);
    },
  );
});
