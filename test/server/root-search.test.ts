import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, type DemoApp, SEED, startDemoApp } from './support/demo-app.js';

const BASE = '/scim/v2';
const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

let demo: DemoApp;
beforeAll(async () => {
  demo = await startDemoApp();
});
afterAll(async () => {
  await demo.close();
});

type Json = Record<string, unknown>;
interface ListBody {
  schemas: string[];
  totalResults: number;
  itemsPerPage: number;
  startIndex?: number;
  Resources: Json[];
}

function call(method: InjectOptions['method'], url: string, body?: unknown): Promise<LightMyRequestResponse> {
  return demo.app.inject({
    method,
    url: `${BASE}${url}`,
    headers: { ...AUTH, ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }) },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
}

async function search(body: Json): Promise<ListBody> {
  const response = await call('POST', '/.search', body);
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers['content-type']).toMatch(/^application\/scim\+json/);
  const list = response.json() as ListBody;
  expect(list.schemas).toEqual([LIST_RESPONSE]);
  expect(list.itemsPerPage).toBe(list.Resources.length);
  return list;
}

async function expectError(
  response: LightMyRequestResponse,
  status: number,
  scimType?: string,
): Promise<void> {
  expect(response.statusCode, response.body).toBe(status);
  const body = response.json() as Json;
  expect(body.schemas).toEqual([ERROR]);
  if (scimType !== undefined) expect(body.scimType).toBe(scimType);
}

const ids = (list: ListBody) => list.Resources.map((resource) => resource.id);
const names = (list: ListBody) => list.Resources.map((resource) => resource.displayName);

// The seed, in mapping order (User, then Group) and each store's order (by key).
const ALL = [SEED.ada, SEED.grace, SEED.alan, SEED.engineering, SEED.allStaff];

describe('POST /.search at the root (RFC 7644 §3.4.3)', () => {
  it('without a filter returns every resource type, each with its meta.resourceType', async () => {
    const list = await search({ schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'] });
    expect(list.totalResults).toBe(5);
    expect(list.startIndex).toBe(1);
    expect(ids(list)).toEqual(ALL);
    expect(list.Resources.map((resource) => (resource.meta as Json).resourceType)).toEqual([
      'User',
      'User',
      'User',
      'Group',
      'Group',
    ]);
    expect(String((list.Resources[3]?.meta as Json | undefined)?.location)).toMatch(
      /\/scim\/v2\/Groups\/9b2d4e61/,
    );
  });

  it('applies a filter on a shared attribute to every type', async () => {
    const list = await search({ filter: 'displayName sw "a"' });
    expect(list.totalResults).toBe(3);
    expect(names(list)).toEqual(['Ada Lovelace', 'Alan Turing', 'All Staff']);
  });

  it('a filter on an attribute one type lacks matches nothing of that type', async () => {
    expect(ids(await search({ filter: 'userName eq "ada.lovelace@example.com"' }))).toEqual([SEED.ada]);
    expect(ids(await search({ filter: `members[value eq "${SEED.ada}"]` }))).toEqual([SEED.engineering]);
    const either = await search({ filter: 'title co "engineer" or displayName eq "All Staff"' });
    // Users know title and displayName; Groups do not know title, so the whole filter does not apply to them.
    expect(ids(either)).toEqual([SEED.ada, SEED.grace]);
  });

  it('a filter no type understands → 400 invalidFilter; a malformed one too', async () => {
    await expectError(await call('POST', '/.search', { filter: 'nickName eq "x"' }), 400, 'invalidFilter');
    await expectError(await call('POST', '/.search', { filter: 'displayName eq' }), 400, 'invalidFilter');
  });

  it('pages across the types with startIndex/count; count=0 gives the total only', async () => {
    const page = await search({ startIndex: 3, count: 2 });
    expect(page).toMatchObject({ totalResults: 5, startIndex: 3, itemsPerPage: 2 });
    expect(ids(page)).toEqual([SEED.alan, SEED.engineering]);
    expect(ids(await search({ startIndex: 4, count: 10 }))).toEqual([SEED.engineering, SEED.allStaff]);
    expect(ids(await search({ startIndex: 2, count: 1 }))).toEqual([SEED.grace]);
    const totalOnly = await search({ count: 0 });
    expect(totalOnly).toMatchObject({ totalResults: 5, itemsPerPage: 0, Resources: [] });
    const past = await search({ startIndex: 9 });
    expect(past).toMatchObject({ totalResults: 5, Resources: [] });
  });

  it('sorts across the types, both ways', async () => {
    const ascending = await search({ sortBy: 'displayName' });
    expect(names(ascending)).toEqual([
      'Ada Lovelace',
      'Alan Turing',
      'All Staff',
      'Engineering',
      'Grace Hopper',
    ]);
    const descending = await search({
      sortBy: 'displayName',
      sortOrder: 'descending',
      startIndex: 2,
      count: 3,
    });
    expect(names(descending)).toEqual(['Engineering', 'All Staff', 'Alan Turing']);
    expect(descending).toMatchObject({ totalResults: 5, startIndex: 2 });
  });

  it('types without the sort attribute come last in both directions', async () => {
    const ascending = await search({ sortBy: 'userName' });
    expect(ids(ascending)).toEqual([SEED.ada, SEED.alan, SEED.grace, SEED.engineering, SEED.allStaff]);
    const descending = await search({ sortBy: 'userName', sortOrder: 'descending' });
    expect(ids(descending)).toEqual([SEED.grace, SEED.alan, SEED.ada, SEED.engineering, SEED.allStaff]);
  });

  it('sorts by an attribute the response leaves out', async () => {
    const list = await search({ sortBy: 'displayName', sortOrder: 'descending', attributes: ['id'] });
    expect(ids(list)).toEqual([SEED.grace, SEED.engineering, SEED.allStaff, SEED.alan, SEED.ada]);
    for (const resource of list.Resources) expect(resource.displayName).toBeUndefined();
  });

  it('applies attributes / excludedAttributes per type', async () => {
    const list = await search({ attributes: ['displayName'], filter: 'displayName eq "Engineering"' });
    expect(list.Resources).toEqual([
      {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
        id: SEED.engineering,
        displayName: 'Engineering',
      },
    ]);
    const without = await search({ excludedAttributes: ['members'], filter: `id eq "${SEED.engineering}"` });
    expect(without.Resources[0]?.members).toBeUndefined();
    expect(without.Resources[0]?.displayName).toBe('Engineering');
  });

  it('rejects what it cannot do with the right error', async () => {
    await expectError(await call('POST', '/.search', { sortBy: 'nickName' }), 400, 'invalidValue');
    await expectError(
      await call('POST', '/.search', { sortBy: 'displayName', startIndex: 1000, count: 10 }),
      400,
      'tooMany',
    );
    await expectError(await call('POST', '/.search', { cursor: '' }), 400, 'invalidValue');
    await expectError(await call('POST', '/.search', { count: 'ten' }), 400, 'invalidValue');
    await expectError(await call('POST', '/.search', ['not', 'an', 'object']), 400, 'invalidSyntax');
    await expectError(await call('POST', '/.search', '{"filter": '), 400, 'invalidSyntax');
  });

  it('needs credentials', async () => {
    const response = await demo.app.inject({ method: 'POST', url: `${BASE}/.search`, payload: {} });
    await expectError(response, 401);
  });
});

describe('GET at the root', () => {
  it('queries every type with the same parameters, with or without a trailing slash', async () => {
    for (const url of [
      `/?filter=${encodeURIComponent('displayName sw "a"')}`,
      `?filter=${encodeURIComponent('displayName sw "a"')}`,
    ]) {
      const response = await call('GET', url);
      expect(response.statusCode, `${url} ${response.body}`).toBe(200);
      expect(names(response.json() as ListBody)).toEqual(['Ada Lovelace', 'Alan Turing', 'All Staff']);
    }
  });

  it('a repeated parameter is ambiguous → 400 invalidValue', async () => {
    await expectError(await call('GET', '/?count=1&count=2'), 400, 'invalidValue');
  });
});
