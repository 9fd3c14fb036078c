import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JwtCredential } from '../../../src/server/auth/credential.js';
import { localJwks, remoteJwks } from '../../../src/server/auth/jwks.js';
import { type AuthDemo, startAuthDemo } from './auth-demo.js';
import { expectScimError } from './scim-response.js';

const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const APP_ID = '00000014-0000-0000-c000-000000000000';
const ISSUER = `https://sts.windows.net/${TENANT_ID}/`;
const AUDIENCE = '8adf8e6e-67b2-4cf2-a259-e3dc5476c621';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

interface SigningKey {
  readonly kid: string;
  readonly alg: 'RS256' | 'ES256';
  readonly pair: KeyPair;
  readonly jwk: JWK;
}

async function signingKey(kid: string, alg: 'RS256' | 'ES256'): Promise<SigningKey> {
  const pair = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(pair.publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, pair, jwk };
}

const now = () => Math.floor(Date.now() / 1000);

/** An Entra-shaped access token; `claims` override or (undefined) remove the defaults. */
async function token(key: SigningKey, claims: Record<string, unknown> = {}, kid = key.kid): Promise<string> {
  const payload: Record<string, unknown> = {
    iss: ISSUER,
    aud: AUDIENCE,
    tid: TENANT_ID,
    appid: APP_ID,
    iat: now() - 10,
    nbf: now() - 10,
    exp: now() + 3600,
    ...claims,
  };
  for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
  return new SignJWT(payload as JWTPayload)
    .setProtectedHeader({ alg: key.alg, kid, typ: 'JWT' })
    .sign(key.pair.privateKey);
}

function jwtCredential(keys: JwtCredential['keys'], extra: Partial<JwtCredential> = {}): JwtCredential {
  return {
    kind: 'jwt',
    name: 'entra',
    readOnly: false,
    keys,
    issuer: ISSUER,
    audience: AUDIENCE,
    algorithms: ['RS256', 'ES256'],
    clockToleranceSeconds: 60,
    requiredClaims: { tid: TENANT_ID, appid: APP_ID },
    ...extra,
  };
}

const USERS = '/scim/v2/Users?count=1';
const bearer = (value: string) => ({ authorization: `Bearer ${value}` });

describe('OAuth 2.0 JWT bearer tokens against a JWKS file', () => {
  let rsa: SigningKey;
  let ec: SigningKey;
  let stranger: SigningKey;
  let demo: AuthDemo;

  beforeAll(async () => {
    [rsa, ec, stranger] = await Promise.all([
      signingKey('rsa-1', 'RS256'),
      signingKey('ec-1', 'ES256'),
      signingKey('rsa-1', 'RS256'),
    ]);
    demo = await startAuthDemo({
      auth: { credentials: [jwtCredential(localJwks({ keys: [rsa.jwk, ec.jwk] }))] },
      failedAuth: false,
    });
  });
  afterAll(async () => {
    await demo.close();
  });

  it.each([
    ['RS256', () => token(rsa)],
    ['ES256', () => token(ec)],
    ['expired 30 s ago, within the 60 s tolerance', () => token(rsa, { exp: now() - 30 })],
    ['nbf 30 s ahead, within the tolerance', () => token(rsa, { nbf: now() + 30 })],
    ['aud as a list holding ours', () => token(rsa, { aud: ['api://other', AUDIENCE] })],
  ])('accepts a valid token: %s', async (_label, make) => {
    demo.credentialsSeen.length = 0;
    const response = await demo.app.inject({ url: USERS, headers: bearer(await make()) });
    expect(response.statusCode, response.body).toBe(200);
    expect(demo.credentialsSeen).toEqual(['entra']);
  });

  it.each([
    ['another issuer', () => token(rsa, { iss: 'https://sts.windows.net/evil/' })],
    ['another audience', () => token(rsa, { aud: 'api://someone-else' })],
    ['expired beyond the tolerance', () => token(rsa, { exp: now() - 120 })],
    ['not yet valid beyond the tolerance', () => token(rsa, { nbf: now() + 600 })],
    ['no exp at all', () => token(rsa, { exp: undefined })],
    ['another Entra tenant (tid)', () => token(rsa, { tid: '00000000-0000-0000-0000-000000000000' })],
    ['another client application (appid)', () => token(rsa, { appid: 'some-other-app' })],
    ['no tid claim', () => token(rsa, { tid: undefined })],
    ['signed by a key not in the JWKS, same kid', () => token(stranger)],
    ['an unknown kid', () => token(rsa, {}, 'rsa-2')],
    [
      'alg none',
      async () => {
        const [header, payload] = (await token(rsa)).split('.');
        const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
        return `${none}.${payload ?? header}.`;
      },
    ],
    [
      'a tampered payload',
      async () => {
        const [header, , signature] = (await token(rsa)).split('.');
        const forged = Buffer.from(
          JSON.stringify({ iss: ISSUER, aud: AUDIENCE, tid: TENANT_ID, appid: APP_ID, exp: now() + 9999 }),
        ).toString('base64url');
        return `${header}.${forged}.${signature}`;
      },
    ],
  ])('refuses %s → 401 invalid_token', async (_label, make) => {
    const response = await demo.app.inject({ url: USERS, headers: bearer(await make()) });
    expectScimError(response, 401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="crosswalk", error="invalid_token"');
  });

  it('accepts a required claim given as a list of allowed values', async () => {
    const listed = await startAuthDemo({
      auth: {
        credentials: [
          jwtCredential(localJwks({ keys: [rsa.jwk] }), { requiredClaims: { appid: ['first-app', APP_ID] } }),
        ],
      },
    });
    try {
      expect((await listed.app.inject({ url: USERS, headers: bearer(await token(rsa)) })).statusCode).toBe(
        200,
      );
      const other = await token(rsa, { appid: 'third-app' });
      expect((await listed.app.inject({ url: USERS, headers: bearer(other) })).statusCode).toBe(401);
    } finally {
      await listed.close();
    }
  });
});

describe('OAuth 2.0 JWT bearer tokens against a JWKS URL', () => {
  let first: SigningKey;
  let rotated: SigningKey;
  let published: JWK[];
  let fetches: number;
  let failing: boolean;
  let server: Server;
  let url: URL;

  beforeAll(async () => {
    [first, rotated] = await Promise.all([signingKey('k1', 'RS256'), signingKey('k2', 'RS256')]);
    published = [first.jwk];
    fetches = 0;
    failing = false;
    server = createServer((request, response) => {
      fetches++;
      if (failing || request.url !== '/discovery/v2.0/keys') {
        response.writeHead(failing ? 500 : 404).end();
        return;
      }
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ keys: published }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/discovery/v2.0/keys`);
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('fetches the keys once and serves later tokens from the cache', async () => {
    fetches = 0;
    const demo = await startAuthDemo({
      auth: {
        credentials: [
          jwtCredential(remoteJwks(url, { cacheMaxAgeSeconds: 600, cooldownSeconds: 30, timeoutMs: 2000 })),
        ],
      },
    });
    try {
      for (let i = 0; i < 5; i++) {
        const response = await demo.app.inject({ url: USERS, headers: bearer(await token(first)) });
        expect(response.statusCode, response.body).toBe(200);
      }
      expect(fetches).toBe(1);
      // Forged tokens with unknown key ids cannot make it refetch within the cooldown.
      for (let i = 0; i < 5; i++) {
        const response = await demo.app.inject({
          url: USERS,
          headers: bearer(await token(first, {}, `nope-${i}`)),
        });
        expectScimError(response, 401);
      }
      expect(fetches).toBe(1);
    } finally {
      await demo.close();
    }
  });

  it('picks up a rotated key: an unknown kid refetches once the cooldown has passed', async () => {
    published = [first.jwk];
    const demo = await startAuthDemo({
      auth: {
        credentials: [
          jwtCredential(remoteJwks(url, { cacheMaxAgeSeconds: 600, cooldownSeconds: 0, timeoutMs: 2000 })),
        ],
      },
    });
    try {
      expect((await demo.app.inject({ url: USERS, headers: bearer(await token(first)) })).statusCode).toBe(
        200,
      );
      published = [first.jwk, rotated.jwk];
      const before = fetches;
      const response = await demo.app.inject({ url: USERS, headers: bearer(await token(rotated)) });
      expect(response.statusCode, response.body).toBe(200);
      expect(fetches).toBe(before + 1);
    } finally {
      published = [first.jwk];
      await demo.close();
    }
  });

  it('an unreachable JWKS answers 503 with Retry-After, not 401', async () => {
    failing = true;
    const demo = await startAuthDemo({
      auth: {
        credentials: [
          jwtCredential(remoteJwks(url, { cacheMaxAgeSeconds: 600, cooldownSeconds: 0, timeoutMs: 2000 })),
        ],
      },
    });
    try {
      const response = await demo.app.inject({ url: USERS, headers: bearer(await token(first)) });
      expectScimError(response, 503);
      expect(response.headers['retry-after']).toBeDefined();
      // An opaque (non-JWT) wrong token is still a plain 401.
      expectScimError(await demo.app.inject({ url: USERS, headers: bearer('not-a-jwt') }), 401);
    } finally {
      failing = false;
      await demo.close();
    }
  });
});
