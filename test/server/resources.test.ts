import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, type DemoApp, SEED, startDemoApp } from './support/demo-app.js';

const BASE = '/scim/v2';
const SCIM_JSON = 'application/scim+json';
const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

let demo: DemoApp;
let app: FastifyInstance;

beforeAll(async () => {
  demo = await startDemoApp();
  app = demo.app;
});
afterAll(async () => {
  await demo.close();
});

type Json = Record<string, unknown>;
const json = (response: LightMyRequestResponse): Json => response.json() as Json;

async function call(
  method: InjectOptions['method'],
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method,
    url: `${BASE}${url}`,
    headers: { ...AUTH, ...(body === undefined ? {} : { 'content-type': SCIM_JSON }), ...headers },
    ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

function expectScimError(response: LightMyRequestResponse, status: number, scimType?: string): void {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toBe('application/scim+json; charset=utf-8');
  const body = json(response);
  expect(body.schemas).toEqual([ERROR_SCHEMA]);
  expect(body.status).toBe(String(status));
  if (scimType === undefined) expect(body.scimType).toBeUndefined();
  else expect(body.scimType).toBe(scimType);
  expect(typeof body.detail).toBe('string');
}

let counter = 0;
function newUser(extra: Json = {}): Json {
  counter += 1;
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
    userName: `user${counter}.${Date.now()}@example.com`,
    name: { givenName: 'Test', familyName: `User${counter}` },
    emails: [{ value: `user${counter}@example.com`, type: 'work', primary: true }],
    active: 'True',
    [ENTERPRISE]: { department: 'QA', manager: { value: SEED.ada } },
    ...extra,
  };
}

async function createUser(extra: Json = {}): Promise<Json> {
  const response = await call('POST', '/Users', newUser(extra));
  expect(response.statusCode, response.body).toBe(201);
  return json(response);
}

describe('health', () => {
  it('/healthz answers 200 without credentials', async () => {
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
  });

  it('/readyz pings the store: 200 without credentials', async () => {
    const response = await app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(200);
  });

  it('/readyz is 503 when the store is down', async () => {
    const other = await startDemoApp();
    try {
      await other.store.close();
      const response = await other.app.inject({ method: 'GET', url: '/readyz' });
      expect(response.statusCode).toBe(503);
    } finally {
      // Closes the app and removes the demo's database folder (closing the store again is harmless).
      await other.close();
    }
  });
});

describe('authentication', () => {
  it.each([
    ['no Authorization header', {}],
    ['a wrong token', { authorization: 'Bearer wrong-token' }],
    ['a token that is a prefix of the right one', { authorization: 'Bearer test-token' }],
    ['another scheme', { authorization: 'Basic dGVzdDp0ZXN0' }],
    ['an empty bearer', { authorization: 'Bearer ' }],
  ])('%s → 401 with WWW-Authenticate', async (_label, headers) => {
    const response = await app.inject({ method: 'GET', url: `${BASE}/Users`, headers });
    expectScimError(response, 401);
    // RFC 6750 §3.1: a presented but wrong token also says error="invalid_token".
    expect(response.headers['www-authenticate']).toMatch(
      /^Bearer realm="crosswalk"(, error="invalid_token")?$/,
    );
  });

  it('rejects before parsing the body', async () => {
    const response = await app.inject({
      method: 'POST',
      url: `${BASE}/Users`,
      headers: { 'content-type': SCIM_JSON },
      payload: '{not json',
    });
    expectScimError(response, 401);
  });

  it('accepts the scheme name in any case', async () => {
    const response = await app.inject({
      method: 'GET',
      url: `${BASE}/Users?count=1`,
      headers: { authorization: AUTH.authorization.replace('Bearer', 'bearer') },
    });
    expect(response.statusCode).toBe(200);
  });
});

describe('unknown routes and resources', () => {
  it.each([
    ['GET', '/Nope'],
    ['GET', '/Users/some/thing'],
    ['POST', '/Widgets'],
  ] as const)('%s %s → 404 SCIM error', async (method, url) => {
    expectScimError(await call(method, url), 404);
  });

  it('404 outside the SCIM prefix is a SCIM error too', async () => {
    const response = await app.inject({ method: 'GET', url: '/nothing-here' });
    expectScimError(response, 404);
  });

  it.each([
    ['GET', undefined],
    ['PUT', newUser()],
    ['PATCH', { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'x' }] }],
    ['DELETE', undefined],
  ] as const)('%s of a missing id → 404', async (method, body) => {
    expectScimError(await call(method, '/Users/00000000-0000-0000-0000-000000000000', body), 404);
  });
});

describe('GET list', () => {
  it('returns a ListResponse as application/scim+json', async () => {
    const response = await call('GET', '/Users?filter=userName%20sw%20%22ada%22');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/scim+json; charset=utf-8');
    const body = json(response);
    expect(body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:ListResponse']);
    expect(body.totalResults).toBe(1);
    expect(body.itemsPerPage).toBe(1);
    expect(body.startIndex).toBe(1);
    const [ada] = body.Resources as Json[];
    expect(ada?.id).toBe(SEED.ada);
    expect((ada?.meta as Json | undefined)?.location).toBe(`http://localhost:80${BASE}/Users/${SEED.ada}`);
  });

  it('filters on the enterprise extension and value paths', async () => {
    const byDepartment = json(
      await call('GET', `/Users?filter=${encodeURIComponent(`${ENTERPRISE}:department eq "Research"`)}`),
    );
    expect((byDepartment.Resources as Json[]).map((user) => user.id)).toEqual([SEED.alan]);
    const byEmail = json(await call('GET', `/Users?filter=${encodeURIComponent('emails[type eq "home"]')}`));
    expect((byEmail.Resources as Json[]).map((user) => user.id)).toEqual([SEED.grace]);
  });

  // RFC 7644 §3.4.2.4
  it.each([
    [
      'startIndex=0 is treated as 1',
      'startIndex=0&count=1&sortBy=userName',
      { startIndex: 1, itemsPerPage: 1 },
    ],
    [
      'startIndex=-5 is treated as 1',
      'startIndex=-5&count=2&sortBy=userName',
      { startIndex: 1, itemsPerPage: 2 },
    ],
    ['count=0 returns only totalResults', 'count=0', { itemsPerPage: 0, totalResults: 3 }],
    ['count<0 is treated as 0', 'count=-3', { itemsPerPage: 0, totalResults: 3 }],
    ['count over the maximum is capped', 'count=100000', { itemsPerPage: 3 }],
    ['startIndex past the end is an empty page', 'startIndex=50', { itemsPerPage: 0, startIndex: 50 }],
  ])('%s', async (_label, query, expected) => {
    const response = await call('GET', `/Users?${query}`);
    expect(response.statusCode, response.body).toBe(200);
    expect(json(response)).toMatchObject(expected);
  });

  it.each([
    ['count=abc'],
    ['count=1.5'],
    ['startIndex=x'],
    ['sortOrder=sideways'],
    ['sortBy=noSuchAttribute'],
    ['count=1&count=2'],
  ])('%s → 400 invalidValue', async (query) => {
    expectScimError(await call('GET', `/Users?${query}`), 400, 'invalidValue');
  });

  it.each([
    ['unknown attribute', 'nickName eq "x"'],
    ['bad syntax', 'userName eq'],
    ['unknown operator', 'userName xx "a"'],
    ['unbalanced parentheses', '(userName eq "a"'],
  ])('filter with %s → 400 invalidFilter', async (_label, filter) => {
    expectScimError(await call('GET', `/Users?filter=${encodeURIComponent(filter)}`), 400, 'invalidFilter');
  });

  it('sorts both ways', async () => {
    const names = async (order: string): Promise<unknown[]> =>
      (json(await call('GET', `/Users?sortBy=userName&sortOrder=${order}`)).Resources as Json[]).map(
        (user) => user.userName,
      );
    const ascending = await names('ascending');
    expect(ascending).toEqual([...ascending].sort());
    expect(await names('descending')).toEqual([...ascending].reverse());
  });

  it('applies attributes and excludedAttributes', async () => {
    const only = json(
      await call('GET', `/Users?attributes=userName&filter=${encodeURIComponent(`id eq "${SEED.ada}"`)}`),
    );
    expect((only.Resources as Json[])[0]).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      id: SEED.ada,
      userName: 'ada.lovelace@example.com',
    });
    const without = json(await call('GET', `/Groups?excludedAttributes=members`));
    for (const group of without.Resources as Json[]) expect(group.members).toBeUndefined();
  });

  it('pages by cursor (RFC 9865) without gaps or duplicates', async () => {
    expect(demo.store.supportsCursor('User')).toBe(true);
    const seen: unknown[] = [];
    let cursor = '';
    for (let page = 0; page < 5; page += 1) {
      const body = json(
        await call('GET', `/Users?count=2&sortBy=userName&cursor=${encodeURIComponent(cursor)}`),
      );
      expect(body.startIndex).toBeUndefined();
      seen.push(...(body.Resources as Json[]).map((user) => user.id));
      if (typeof body.nextCursor !== 'string') break;
      cursor = body.nextCursor;
    }
    const total = json(await call('GET', '/Users?count=0')).totalResults;
    expect(seen).toHaveLength(total as number);
    expect(new Set(seen).size).toBe(seen.length);
  });
});

describe('POST /.search', () => {
  it('takes a SearchRequest with the same semantics as GET', async () => {
    const response = await call('POST', '/Users/.search', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
      filter: 'userName sw "grace"',
      attributes: ['userName', 'emails'],
      startIndex: 1,
      count: 10,
    });
    expect(response.statusCode, response.body).toBe(200);
    const body = json(response);
    expect(body.totalResults).toBe(1);
    const [grace] = body.Resources as Json[];
    expect(Object.keys(grace ?? {}).sort()).toEqual(['emails', 'id', 'schemas', 'userName']);
  });

  it('rejects a bad filter in the body', async () => {
    expectScimError(await call('POST', '/Users/.search', { filter: 'userName zz 1' }), 400, 'invalidFilter');
  });

  it('rejects a non-integer count in the body', async () => {
    expectScimError(await call('POST', '/Users/.search', { count: 'ten' }), 400, 'invalidValue');
  });
});

describe('POST (create)', () => {
  it('answers 201 with Location, ETag and the full resource', async () => {
    const response = await call('POST', '/Users', newUser({ userName: 'Created.Person@example.com' }));
    expect(response.statusCode, response.body).toBe(201);
    const body = json(response);
    const meta = body.meta as Json;
    expect(response.headers.location).toBe(meta.location);
    expect(meta.location).toBe(`http://localhost:80${BASE}/Users/${String(body.id)}`);
    expect(response.headers.etag).toBe(meta.version);
    expect(response.headers.etag).toMatch(/^W\/".+"$/);
    expect(body.active).toBe(true);
    expect(body.userName).toBe('Created.Person@example.com');
    // $ref filled from the mapping's ref: User
    expect((body[ENTERPRISE] as Json).manager).toMatchObject({
      value: SEED.ada,
      $ref: `http://localhost:80${BASE}/Users/${SEED.ada}`,
    });
  });

  it('honours attributes on the write response', async () => {
    const response = await call('POST', '/Users?attributes=userName', newUser());
    expect(response.statusCode).toBe(201);
    expect(Object.keys(json(response)).sort()).toEqual(['id', 'schemas', 'userName']);
  });

  it('a duplicate userName (any case) → 409 uniqueness', async () => {
    expectScimError(
      await call('POST', '/Users', newUser({ userName: 'ADA.LOVELACE@example.com' })),
      409,
      'uniqueness',
    );
  });

  it('a missing userName → 400 invalidValue', async () => {
    const body = newUser();
    delete body.userName;
    expectScimError(await call('POST', '/Users', body), 400, 'invalidValue');
  });

  it('accepts application/json with a charset', async () => {
    const response = await call('POST', '/Users', newUser(), {
      'content-type': 'application/json; charset=utf-8',
    });
    expect(response.statusCode, response.body).toBe(201);
  });

  it.each([
    ['truncated JSON', '{"userName": "x"'],
    ['not JSON at all', 'userName=x'],
    ['a JSON array', '[1,2]'],
  ])('%s → 400 invalidSyntax', async (_label, payload) => {
    expectScimError(await call('POST', '/Users', payload), 400, 'invalidSyntax');
  });

  it.each([['text/plain'], ['application/xml'], ['application/x-www-form-urlencoded']])(
    'Content-Type %s → 415',
    async (contentType) => {
      expectScimError(
        await call('POST', '/Users', JSON.stringify(newUser()), { 'content-type': contentType }),
        415,
      );
    },
  );

  it('a body over the limit → 413', async () => {
    const huge = newUser({ displayName: 'x'.repeat(1024 * 1024 + 10) });
    expectScimError(await call('POST', '/Users', huge), 413);
  });

  it('the body limit is configurable', async () => {
    const small = await startDemoApp({ bodyLimit: 200 });
    const response = await small.app.inject({
      method: 'POST',
      url: `${BASE}/Users`,
      headers: { ...AUTH, 'content-type': SCIM_JSON },
      payload: JSON.stringify(newUser({ displayName: 'y'.repeat(300) })),
    });
    expectScimError(response, 413);
    await small.close();
  });

  it('an unknown member id → 400 invalidValue, never 500', async () => {
    const response = await call('POST', '/Groups', {
      displayName: 'Broken group',
      members: [{ value: '00000000-0000-0000-0000-000000000000', type: 'User' }],
    });
    expectScimError(response, 400, 'invalidValue');
  });
});

describe('GET by id, ETags', () => {
  it('returns the resource with its ETag', async () => {
    const response = await call('GET', `/Users/${SEED.grace}`);
    expect(response.statusCode).toBe(200);
    const body = json(response);
    expect(body.id).toBe(SEED.grace);
    expect(response.headers.etag).toBe((body.meta as Json).version);
  });

  it('If-None-Match with the current ETag → 304 without body', async () => {
    const first = await call('GET', `/Users/${SEED.grace}`);
    const etag = String(first.headers.etag);
    const second = await call('GET', `/Users/${SEED.grace}`, undefined, { 'if-none-match': etag });
    expect(second.statusCode).toBe(304);
    expect(second.body).toBe('');
    const stale = await call('GET', `/Users/${SEED.grace}`, undefined, { 'if-none-match': 'W/"stale"' });
    expect(stale.statusCode).toBe(200);
  });

  it('excludedAttributes on GET by id', async () => {
    const body = json(await call('GET', `/Users/${SEED.grace}?excludedAttributes=emails,name`));
    expect(body.emails).toBeUndefined();
    expect(body.name).toBeUndefined();
    expect(body.userName).toBe('grace.hopper@example.com');
  });
});

describe('PUT (replace)', () => {
  it('replaces, bumps the ETag; a stale If-Match → 412', async () => {
    const created = await createUser();
    const id = String(created.id);
    const etag = String((created.meta as Json).version);
    const replacement = { ...newUser({ userName: created.userName }), title: 'Replaced' };

    const ok = await call('PUT', `/Users/${id}`, replacement, { 'if-match': etag });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(json(ok).title).toBe('Replaced');
    expect(ok.headers.etag).not.toBe(etag);

    expectScimError(await call('PUT', `/Users/${id}`, replacement, { 'if-match': etag }), 412);
  });

  it('a readOnly id in the body is ignored (RFC 7643 §2.2)', async () => {
    const created = await createUser();
    const response = await call('PUT', `/Users/${String(created.id)}`, {
      ...newUser({ userName: created.userName }),
      id: 'something-else',
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(json(response).id).toBe(created.id);
  });
});

describe('PATCH', () => {
  const patch = (operations: unknown[]): Json => ({ schemas: [PATCH_OP], Operations: operations });

  it('applies Entra-style operations and answers 200 with the resource', async () => {
    const created = await createUser();
    const response = await call(
      'PATCH',
      `/Users/${String(created.id)}`,
      patch([
        { op: 'Replace', path: 'title', value: 'Lead' },
        { op: 'Replace', path: 'active', value: 'False' },
        { op: 'Add', path: 'emails[type eq "home"].value', value: 'home@example.org' },
      ]),
    );
    expect(response.statusCode, response.body).toBe(200);
    const body = json(response);
    expect(body.title).toBe('Lead');
    expect(body.active).toBe(false);
    expect(body.emails).toEqual(
      expect.arrayContaining([expect.objectContaining({ value: 'home@example.org', type: 'home' })]),
    );
    expect(response.headers.etag).toBe((body.meta as Json).version);
  });

  it('adds a group member: 204 No Content with the ETag, and the member is there', async () => {
    const user = await createUser();
    const group = json(await call('POST', '/Groups', { displayName: `Team ${Date.now()}` }));
    const response = await call(
      'PATCH',
      `/Groups/${String(group.id)}`,
      patch([{ op: 'add', path: 'members', value: [{ value: user.id, type: 'User' }] }]),
    );
    expect(response.statusCode, response.body).toBe(204);
    expect(response.body).toBe('');
    const fetched = await call('GET', `/Groups/${String(group.id)}`);
    expect(response.headers.etag).toBe(fetched.headers.etag);
    expect((json(fetched).members as Json[]).map((member) => member.value)).toEqual([user.id]);
  });

  it('adds a group member with ?attributes=members: 200 and $ref from the member type', async () => {
    const user = await createUser();
    const group = json(await call('POST', '/Groups', { displayName: `Team ${Date.now()}` }));
    const response = await call(
      'PATCH',
      `/Groups/${String(group.id)}?attributes=members`,
      patch([{ op: 'add', path: 'members', value: [{ value: user.id, type: 'User' }] }]),
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(json(response).members).toEqual([
      expect.objectContaining({
        value: user.id,
        $ref: `http://localhost:80${BASE}/Users/${String(user.id)}`,
      }),
    ]);
  });

  it.each([
    ['id', 'id'],
    ['meta.created', 'meta.created'],
    ['meta', 'meta'],
  ])('a path naming readOnly %s → 400 mutability', async (_label, path) => {
    expectScimError(
      await call('PATCH', `/Users/${SEED.alan}`, patch([{ op: 'replace', path, value: 'x' }])),
      400,
      'mutability',
    );
  });

  it.each([
    ['unknown attribute', 'nickName'],
    ['broken value filter', 'emails[type eq'],
    ['unknown sub-attribute in a value filter', 'emails[kind eq "work"].value'],
    ['trailing garbage', 'title]'],
  ])('%s → 400 invalidPath', async (_label, path) => {
    expectScimError(
      await call('PATCH', `/Users/${SEED.alan}`, patch([{ op: 'replace', path, value: 'x' }])),
      400,
      'invalidPath',
    );
  });

  it.each([
    ['no Operations', { schemas: [PATCH_OP] }],
    ['Operations not an array', { schemas: [PATCH_OP], Operations: {} }],
    ['an unknown op', patch([{ op: 'move', path: 'title', value: 'x' }])],
  ])('%s → 400 invalidSyntax', async (_label, body) => {
    expectScimError(await call('PATCH', `/Users/${SEED.alan}`, body), 400, 'invalidSyntax');
  });

  it('a stale If-Match → 412, the current one succeeds', async () => {
    const created = await createUser();
    const id = String(created.id);
    const etag = String((created.meta as Json).version);
    const first = await call('PATCH', `/Users/${id}`, patch([{ op: 'replace', path: 'title', value: 'A' }]), {
      'if-match': etag,
    });
    expect(first.statusCode, first.body).toBe(200);
    expectScimError(
      await call('PATCH', `/Users/${id}`, patch([{ op: 'replace', path: 'title', value: 'B' }]), {
        'if-match': etag,
      }),
      412,
    );
  });

  it('PATCH making userName collide → 409 uniqueness', async () => {
    const created = await createUser();
    expectScimError(
      await call(
        'PATCH',
        `/Users/${String(created.id)}`,
        patch([{ op: 'replace', path: 'userName', value: 'grace.hopper@example.com' }]),
      ),
      409,
      'uniqueness',
    );
  });
});

describe('DELETE', () => {
  it('answers 204, then the resource is gone', async () => {
    const created = await createUser();
    const url = `/Users/${String(created.id)}`;
    const response = await call('DELETE', url);
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    expectScimError(await call('GET', url), 404);
  });

  it('a stale If-Match → 412 and nothing is deleted', async () => {
    const created = await createUser();
    const url = `/Users/${String(created.id)}`;
    expectScimError(await call('DELETE', url, undefined, { 'if-match': 'W/"999"' }), 412);
    expect((await call('GET', url)).statusCode).toBe(200);
  });
});
