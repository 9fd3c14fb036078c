import { createHash, scryptSync } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credential } from '../../../src/server/auth/credential.js';
import { parseSecretHash } from '../../../src/server/auth/secret-hash.js';
import { SEED } from '../support/demo-app.js';
import { type AuthDemo, startAuthDemo } from './auth-demo.js';
import { basic, expectScimError, SCIM_JSON } from './scim-response.js';

const BASE = '/scim/v2';
const WRITER_TOKEN = 'writer-token-7f3a9c2e5b1d4f60';
const READER_TOKEN = 'reader-token-0b8e6d4c2a193f57';
const SCRYPT_TOKEN = 'scrypt-token-5e2c9a7b3d1f8e46';
const OPS_PASSWORD = 'ops: pass word with colon';
const SALT = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

/** The text forms the configuration holds (what `crosswalk hash-secret` prints), computed independently. */
const sha256Text = (secret: string) => `sha256:${createHash('sha256').update(secret).digest('hex')}`;
const scryptText = (secret: string) =>
  `scrypt:1024:8:1:${SALT}:${scryptSync(secret, Buffer.from(SALT, 'hex'), 32, { N: 1024 }).toString('hex')}`;

const CREDENTIALS: Credential[] = [
  { kind: 'bearer', name: 'writer', readOnly: false, tokenHash: parseSecretHash(sha256Text(WRITER_TOKEN)) },
  { kind: 'bearer', name: 'reader', readOnly: true, tokenHash: parseSecretHash(sha256Text(READER_TOKEN)) },
  { kind: 'bearer', name: 'slow', readOnly: false, tokenHash: parseSecretHash(scryptText(SCRYPT_TOKEN)) },
  {
    kind: 'basic',
    name: 'ops',
    readOnly: false,
    username: 'ops',
    passwordHash: parseSecretHash(scryptText(OPS_PASSWORD)),
  },
];

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('configured credentials', () => {
  let demo: AuthDemo;

  beforeAll(async () => {
    demo = await startAuthDemo({ auth: { credentials: CREDENTIALS }, failedAuth: false });
  });
  afterAll(async () => {
    await demo.close();
  });

  const call = (options: InjectOptions) => demo.app.inject(options);

  it.each([
    ['a SHA-256 token', bearer(WRITER_TOKEN), 'writer'],
    ['an scrypt token', bearer(SCRYPT_TOKEN), 'slow'],
    ['an scrypt token again (cached verification)', bearer(SCRYPT_TOKEN), 'slow'],
    ['HTTP Basic', { authorization: basic('ops', OPS_PASSWORD) }, 'ops'],
  ])('%s authenticates as its credential', async (_label, headers, name) => {
    demo.credentialsSeen.length = 0;
    const response = await call({ url: `${BASE}/Users?count=1`, headers });
    expect(response.statusCode, response.body).toBe(200);
    expect(demo.credentialsSeen).toEqual([name]);
  });

  it.each([
    ['no header', {}],
    ['a wrong token', bearer('writer-token-7f3a9c2e5b1d4f6')],
    ['the hash itself as the token', bearer(sha256Text(WRITER_TOKEN))],
    ['a wrong Basic password', { authorization: basic('ops', 'ops') }],
    ['a right password for another user', { authorization: basic('root', OPS_PASSWORD) }],
    ['Basic without a colon', { authorization: `Basic ${Buffer.from('ops').toString('base64')}` }],
    ['an unknown scheme', { authorization: `Digest username="ops"` }],
  ])('%s → 401 with a challenge naming Bearer and Basic', async (_label, headers) => {
    const response = await call({ url: `${BASE}/Users`, headers });
    expectScimError(response, 401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="crosswalk"/);
    expect(response.headers['www-authenticate']).toContain('Basic realm="crosswalk"');
    expect(response.body).not.toContain(OPS_PASSWORD);
  });

  describe('a read-only credential', () => {
    const reader = bearer(READER_TOKEN);
    const json = { ...reader, 'content-type': SCIM_JSON };

    it.each([
      ['GET a list', { method: 'GET', url: `${BASE}/Users` }],
      ['GET one', { method: 'GET', url: `${BASE}/Users/${SEED.ada}` }],
      ['GET discovery', { method: 'GET', url: `${BASE}/ServiceProviderConfig` }],
      ['POST /.search', { method: 'POST', url: `${BASE}/.search`, payload: '{}' }],
      ['POST /Users/.search', { method: 'POST', url: `${BASE}/Users/.search`, payload: '{}' }],
    ] as const)('may read: %s', async (_label, request) => {
      const response = await call({ ...request, headers: json });
      expect(response.statusCode, response.body).toBe(200);
    });

    it.each([
      ['POST', `${BASE}/Users`, { userName: 'ro.create@example.com' }],
      ['PUT', `${BASE}/Users/${SEED.ada}`, { userName: 'ada@example.com' }],
      [
        'PATCH',
        `${BASE}/Users/${SEED.ada}`,
        {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
          Operations: [{ op: 'replace', path: 'active', value: false }],
        },
      ],
      ['DELETE', `${BASE}/Users/${SEED.alan}`, undefined],
      [
        'POST',
        `${BASE}/Bulk`,
        {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
          Operations: [{ method: 'DELETE', path: `/Users/${SEED.alan}` }],
        },
      ],
    ] as const)('may not write: %s %s → 403, nothing changed', async (method, url, body) => {
      const response = await call({
        method,
        url,
        headers: json,
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      });
      expectScimError(response, 403);
      expect(response.json().detail).toContain("'reader'");
      // The writer still sees the seed untouched.
      const ada = await call({ url: `${BASE}/Users/${SEED.ada}`, headers: bearer(WRITER_TOKEN) });
      expect(ada.json()).toMatchObject({ userName: expect.stringContaining('ada'), active: true });
      const alan = await call({ url: `${BASE}/Users/${SEED.alan}`, headers: bearer(WRITER_TOKEN) });
      expect(alan.statusCode).toBe(200);
    });

    it('the same write with a writing credential succeeds', async () => {
      const response = await call({
        method: 'POST',
        url: `${BASE}/Users`,
        headers: { ...bearer(WRITER_TOKEN), 'content-type': SCIM_JSON },
        payload: JSON.stringify({ userName: 'rw.create@example.com' }),
      });
      expect(response.statusCode, response.body).toBe(201);
    });
  });
});
