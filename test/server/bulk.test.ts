import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResourceStore } from '../../src/backends/resource-store.js';
import { createSqlStore } from '../../src/backends/sql/sql-store.js';
import { loadMappingFile } from '../../src/mapping/load-mapping.js';
import { SCHEMA_URN } from '../../src/scim/schema/core-schemas.js';
import { type AppOptions, buildApp } from '../../src/server/app.js';
import { DEMO_MAPPING_FILE } from '../support/demo-sqlite-mapping.js';

const TOKEN = 'bulk-test-token';
const BASE = '/scim/v2';
const HOST = 'gw.example.test';
const ORIGIN = `http://${HOST}${BASE}`;
const ADA = '6f1c7a52-4a4e-4c1e-9a57-3d2c1b8e0a01';

type Json = Record<string, unknown>;

interface Demo {
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

/** The gateway on a fresh copy of the embedded SQLite demo. */
async function startDemo(options: Partial<Pick<AppOptions, 'bodyLimit' | 'limits'>> = {}): Promise<Demo> {
  const dir = mkdtempSync(join(tmpdir(), 'crosswalk-bulk-'));
  const mapping = await loadMappingFile(DEMO_MAPPING_FILE, {
    CROSSWALK_SQLITE_FILE: join(dir, 'demo.sqlite'),
  });
  const store: ResourceStore = await createSqlStore(mapping);
  const app = await buildApp({
    mapping,
    store,
    auth: { bearerTokens: [{ name: 'test', token: TOKEN }] },
    ...options,
  });
  await app.ready();
  return {
    app,
    async close() {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let demo: Demo;
let serial = 0;
/** A userName no other test uses. */
const unique = (stem: string): string => `${stem}.${Date.now()}.${++serial}@example.com`;

beforeAll(async () => {
  demo = await startDemo();
});
afterAll(async () => {
  await demo?.close();
});

async function send(
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  app: FastifyInstance = demo.app,
): Promise<{ status: number; body: Json }> {
  const response = await app.inject({
    method,
    url: `${BASE}${path}`,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      host: HOST,
      ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }),
    },
    ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: response.statusCode, body: response.body === '' ? {} : (response.json() as Json) };
}

const bulk = (operations: unknown[], extra: Json = {}): Json => ({
  schemas: [SCHEMA_URN.bulkRequest],
  ...extra,
  Operations: operations,
});

async function postBulk(operations: unknown[], extra: Json = {}): Promise<Json[]> {
  const { status, body } = await send('POST', '/Bulk', bulk(operations, extra));
  expect(status).toBe(200);
  expect(body.schemas).toEqual([SCHEMA_URN.bulkResponse]);
  return body.Operations as Json[];
}

const newUser = (userName: string): Json => ({ schemas: [SCHEMA_URN.user], userName });
const newGroup = (displayName: string, memberValues: string[]): Json => ({
  schemas: [SCHEMA_URN.group],
  displayName,
  members: memberValues.map((value) => ({ value, type: 'User' })),
});
const idFrom = (location: unknown): string => String(location).split('/').pop() ?? '';

describe('POST /Bulk: bulkId references (RFC 7644 §3.7.2)', () => {
  it('creates a user and a group holding it, the group first in the request', async () => {
    const userName = unique('bulk.member');
    const results = await postBulk([
      { method: 'POST', path: '/Groups', bulkId: 'g1', data: newGroup('Bulk Team', ['bulkId:u1']) },
      { method: 'POST', path: '/Users', bulkId: 'u1', data: newUser(userName) },
    ]);

    // Results in request order, each with status, location and version.
    expect(results.map((result) => [result.method, result.bulkId, result.status])).toEqual([
      ['POST', 'g1', '201'],
      ['POST', 'u1', '201'],
    ]);
    const [groupResult, userResult] = results as [Json, Json];
    expect(String(groupResult.location)).toMatch(new RegExp(`^${ORIGIN}/Groups/[^/]+$`));
    expect(String(userResult.location)).toMatch(new RegExp(`^${ORIGIN}/Users/[^/]+$`));
    expect(userResult.version).toMatch(/^W\/"/);
    expect(groupResult.response).toBeUndefined();

    const userId = idFrom(userResult.location);
    const group = await send('GET', `/Groups/${idFrom(groupResult.location)}`);
    expect(group.status).toBe(200);
    expect(group.body.members).toEqual([expect.objectContaining({ value: userId })]);
    const user = await send('GET', `/Users/${userId}`);
    expect(user.body.userName).toBe(userName);
  });

  it('resolves references in paths and in nested values (manager), for every method', async () => {
    const userName = unique('bulk.chain');
    const managerName = unique('bulk.manager');
    const results = await postBulk([
      {
        method: 'patch',
        path: '/Users/bulkId:worker',
        data: {
          schemas: [SCHEMA_URN.patchOp],
          Operations: [{ op: 'replace', path: 'title', value: 'Operator' }],
        },
      },
      {
        method: 'Put',
        path: '/Users/bulkId:worker',
        data: {
          ...newUser(userName),
          displayName: 'Worker',
          [SCHEMA_URN.enterpriseUser]: { manager: { value: 'bulkId:boss' } },
        },
      },
      { method: 'post', path: 'Users', bulkId: 'worker', data: newUser(userName) },
      { method: 'POST', path: '/Users', bulkId: 'boss', data: newUser(managerName) },
    ]);
    expect(results.map((result) => [result.method, result.status])).toEqual([
      ['PATCH', '200'],
      ['PUT', '200'],
      ['POST', '201'],
      ['POST', '201'],
    ]);
    const workerId = idFrom(results[2]?.location);
    const bossId = idFrom(results[3]?.location);
    expect(results[0]?.location).toBe(`${ORIGIN}/Users/${workerId}`);

    const worker = await send('GET', `/Users/${workerId}`);
    // Once resolvable, operations run in request order: the PATCH before the PUT that replaces its title.
    expect(worker.body.title).toBeUndefined();
    expect(worker.body[SCHEMA_URN.enterpriseUser]).toMatchObject({ manager: { value: bossId } });
    expect(worker.body.displayName).toBe('Worker');
  });

  it('deletes a resource created in the same request', async () => {
    const results = await postBulk([
      { method: 'POST', path: '/Users', bulkId: 'temp', data: newUser(unique('bulk.temp')) },
      { method: 'DELETE', path: '/Users/bulkId:temp' },
    ]);
    expect(results.map((result) => result.status)).toEqual(['201', '204']);
    expect(results[1]?.location).toBe(results[0]?.location);
    const gone = await send('GET', `/Users/${idFrom(results[0]?.location)}`);
    expect(gone.status).toBe(404);
  });

  it('answers 409 for every operation of a circular reference and runs the rest (§3.7.1)', async () => {
    const results = await postBulk([
      { method: 'POST', path: '/Groups', bulkId: 'a', data: newGroup('Cycle A', ['bulkId:b']) },
      { method: 'POST', path: '/Groups', bulkId: 'b', data: newGroup('Cycle B', ['bulkId:a']) },
      { method: 'POST', path: '/Groups', bulkId: 'c', data: newGroup('Waits on cycle', ['bulkId:a']) },
      { method: 'POST', path: '/Groups', bulkId: 'self', data: newGroup('Self', ['bulkId:self']) },
      { method: 'POST', path: '/Users', bulkId: 'free', data: newUser(unique('bulk.free')) },
    ]);
    expect(results.map((result) => [result.bulkId, result.status])).toEqual([
      ['a', '409'],
      ['b', '409'],
      ['c', '409'],
      ['self', '409'],
      ['free', '201'],
    ]);
    const detail = (index: number): string => String((results[index]?.response as Json | undefined)?.detail);
    expect(detail(0)).toContain('a → b → a');
    expect(detail(1)).toContain('b → a → b');
    expect(detail(2)).toMatch(/circular/i);
    expect(detail(3)).toContain('self → self');
    expect(results[0]?.response).toMatchObject({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '409',
    });
    expect(results[0]?.location).toBeUndefined();
  });

  it('fails operations that refer to a failed or an unknown bulkId', async () => {
    const results = await postBulk([
      { method: 'POST', path: '/Users', bulkId: 'broken', data: { schemas: [SCHEMA_URN.user] } },
      { method: 'POST', path: '/Groups', bulkId: 'g', data: newGroup('Needs broken', ['bulkId:broken']) },
      { method: 'POST', path: '/Groups', bulkId: 'h', data: newGroup('Needs nobody', ['bulkId:nobody']) },
    ]);
    expect(results.map((result) => [result.bulkId, result.status])).toEqual([
      ['broken', '400'],
      ['g', '409'],
      ['h', '400'],
    ]);
    expect(results[0]?.response).toMatchObject({ scimType: 'invalidValue' });
    expect(results[1]?.response).toMatchObject({ detail: expect.stringContaining('bulkId:broken') });
    expect(results[2]?.response).toMatchObject({ scimType: 'invalidValue' });
  });
});

describe('POST /Bulk: errors per operation (RFC 7644 §3.7.3)', () => {
  it.each([
    ['an unknown method', { method: 'GET', path: '/Users', bulkId: 'x' }, '400', 'invalidSyntax'],
    [
      'a POST without bulkId',
      { method: 'POST', path: '/Users', data: newUser('no.bulkid@example.com') },
      '400',
      'invalidSyntax',
    ],
    ['a POST without data', { method: 'POST', path: '/Users', bulkId: 'x' }, '400', 'invalidSyntax'],
    [
      'a POST to a resource',
      { method: 'POST', path: `/Users/${ADA}`, bulkId: 'x', data: newUser('x@example.com') },
      '400',
      'invalidSyntax',
    ],
    [
      'a PUT without id',
      { method: 'PUT', path: '/Users', data: newUser('x@example.com') },
      '400',
      'invalidSyntax',
    ],
    ['an unknown endpoint', { method: 'DELETE', path: '/Devices/1' }, '404', undefined],
    [
      'a duplicate userName',
      { method: 'POST', path: '/Users', bulkId: 'x', data: newUser('ada.lovelace@example.com') },
      '409',
      'uniqueness',
    ],
    [
      'an invalid value',
      {
        method: 'POST',
        path: '/Users',
        bulkId: 'x',
        data: { userName: 'bad.active@example.com', active: 'maybe' },
      },
      '400',
      'invalidValue',
    ],
    [
      'a PATCH with a bad path',
      {
        method: 'PATCH',
        path: `/Users/${ADA}`,
        data: { schemas: [SCHEMA_URN.patchOp], Operations: [{ op: 'replace', path: 'nope[', value: 1 }] },
      },
      '400',
      'invalidPath',
    ],
    ['an operation that is not an object', 'DELETE /Users/1', '400', 'invalidSyntax'],
  ])('reports %s', async (_label, operation, status, scimType) => {
    const results = await postBulk([operation]);
    expect(results).toHaveLength(1);
    expect(results[0]?.status).toBe(status);
    expect(results[0]?.response).toMatchObject({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status,
      ...(scimType === undefined ? {} : { scimType }),
    });
  });

  it('gives a failed PUT, PATCH or DELETE its location, and 404 for a missing resource', async () => {
    const results = await postBulk([
      { method: 'DELETE', path: '/Users/00000000-0000-0000-0000-000000000000' },
    ]);
    expect(results[0]).toMatchObject({
      method: 'DELETE',
      status: '404',
      location: `${ORIGIN}/Users/00000000-0000-0000-0000-000000000000`,
    });
  });

  it('honours version as If-Match (412 on a stale version, success on the current one)', async () => {
    const created = await postBulk([
      { method: 'POST', path: '/Users', bulkId: 'v', data: newUser(unique('bulk.version')) },
    ]);
    const location = String(created[0]?.location);
    const path = `/Users/${idFrom(location)}`;
    const patch = {
      schemas: [SCHEMA_URN.patchOp],
      Operations: [{ op: 'replace', path: 'title', value: 'Versioned' }],
    };
    const results = await postBulk([
      { method: 'PATCH', path, version: 'W/"not-the-version"', data: patch },
      { method: 'PATCH', path, version: created[0]?.version, data: patch },
    ]);
    expect(results.map((result) => result.status)).toEqual(['412', '200']);
    expect(results[1]?.version).not.toBe(created[0]?.version);
  });

  it('keeps going after errors when failOnErrors is not set', async () => {
    const results = await postBulk([
      { method: 'POST', path: '/Users', bulkId: 'dup1', data: newUser('ada.lovelace@example.com') },
      { method: 'POST', path: '/Users', bulkId: 'dup2', data: newUser('grace.hopper@example.com') },
      { method: 'POST', path: '/Users', bulkId: 'ok', data: newUser(unique('bulk.after.errors')) },
    ]);
    expect(results.map((result) => result.status)).toEqual(['409', '409', '201']);
  });

  it('stops after failOnErrors errors and reports only what ran', async () => {
    const lateUser = unique('bulk.never');
    const results = await postBulk(
      [
        { method: 'POST', path: '/Users', bulkId: 'ok', data: newUser(unique('bulk.before')) },
        { method: 'POST', path: '/Users', bulkId: 'dup1', data: newUser('ada.lovelace@example.com') },
        { method: 'POST', path: '/Users', bulkId: 'dup2', data: newUser('grace.hopper@example.com') },
        { method: 'POST', path: '/Users', bulkId: 'late', data: newUser(lateUser) },
      ],
      { failOnErrors: 2 },
    );
    expect(results.map((result) => [result.bulkId, result.status])).toEqual([
      ['ok', '201'],
      ['dup1', '409'],
      ['dup2', '409'],
    ]);
    const search = await send('GET', `/Users?filter=${encodeURIComponent(`userName eq "${lateUser}"`)}`);
    expect(search.body.totalResults).toBe(0);
  });

  it('stops at the first error with failOnErrors 1', async () => {
    const results = await postBulk(
      [
        { method: 'POST', path: '/Users', bulkId: 'dup', data: newUser('ada.lovelace@example.com') },
        { method: 'POST', path: '/Users', bulkId: 'never', data: newUser(unique('bulk.never')) },
      ],
      { failOnErrors: 1 },
    );
    expect(results.map((result) => result.bulkId)).toEqual(['dup']);
  });
});

describe('POST /Bulk: the request as a whole', () => {
  it.each([
    ['a body that is not an object', '[1, 2]'],
    ['no Operations', { schemas: [SCHEMA_URN.bulkRequest] }],
    ['Operations that is not an array', { schemas: [SCHEMA_URN.bulkRequest], Operations: {} }],
    ['failOnErrors 0', bulk([], { failOnErrors: 0 })],
    ['failOnErrors as text', bulk([], { failOnErrors: 'many' })],
    [
      'a bulkId used twice',
      bulk([
        { method: 'POST', path: '/Users', bulkId: 'same', data: newUser('one@example.com') },
        { method: 'POST', path: '/Users', bulkId: 'same', data: newUser('two@example.com') },
      ]),
    ],
    ['a body that is not JSON', '{"Operations": ['],
  ])('rejects %s with 400 invalidSyntax', async (_label, body) => {
    const { status, body: error } = await send('POST', '/Bulk', body);
    expect(status).toBe(400);
    expect(error).toMatchObject({ status: '400', scimType: 'invalidSyntax' });
  });

  it('accepts an empty Operations list', async () => {
    expect(await postBulk([])).toEqual([]);
  });

  describe('with small limits', () => {
    let small: Demo;
    beforeAll(async () => {
      small = await startDemo({ bodyLimit: 2048, limits: { maxBulkOperations: 2 } });
    });
    afterAll(async () => {
      await small?.close();
    });

    it('answers 413 when there are more than maxOperations operations (§3.7.4)', async () => {
      const operations = [1, 2, 3].map((n) => ({ method: 'DELETE', path: `/Users/missing-${n}` }));
      const { status, body } = await send('POST', '/Bulk', bulk(operations), small.app);
      expect(status).toBe(413);
      expect(body).toMatchObject({ status: '413' });
      expect(String(body.detail)).toContain('maxOperations');
    });

    it('answers 413 when the payload exceeds maxPayloadSize (§3.7.4)', async () => {
      const data = { ...newUser('big@example.com'), displayName: 'x'.repeat(4096) };
      const { status, body } = await send(
        'POST',
        '/Bulk',
        bulk([{ method: 'POST', path: '/Users', bulkId: 'big', data }]),
        small.app,
      );
      expect(status).toBe(413);
      expect(body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '413' });
    });

    it('runs a request within the limits', async () => {
      const { status } = await send(
        'POST',
        '/Bulk',
        bulk([{ method: 'POST', path: '/Users', bulkId: 'fits', data: newUser(unique('bulk.fits')) }]),
        small.app,
      );
      expect(status).toBe(200);
    });
  });
});
