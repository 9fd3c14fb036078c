import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGatewayApp, type GatewayApp } from '../../src/config/build-gateway-app.js';
import { loadGatewayConfigFile } from '../../src/config/load-gateway-config.js';

const MAPPINGS = fileURLToPath(new URL('../../mappings/', import.meta.url));
const DEFAULT_TOKEN = 'default-tenant-token-6b1d9e3f7a2c4058';
const ACME_TOKEN = 'acme-tenant-token-1f8c3a5e9b7d2064';
const GLOBEX_PASSWORD = 'globex basic password';

/** The demo mapping, on its own SQLite file, so each tenant has its own store. */
async function demoMappingFor(dir: string, name: string): Promise<string> {
  const text = await readFile(join(MAPPINGS, 'demo-sqlite.yaml'), 'utf8');
  const file = join(dir, `${name}.yaml`);
  await writeFile(
    file,
    text
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a secret reference, written as in a file
      .replace('${env:CROSSWALK_SQLITE_FILE:-./data/crosswalk-demo.sqlite}', join(dir, `${name}.sqlite`))
      .replaceAll('./demo-sqlite/', join(MAPPINGS, 'demo-sqlite/')),
  );
  return file;
}

describe('a gateway served from its configuration file', () => {
  let dir: string;
  let gateway: GatewayApp;
  let jwt: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crosswalk-gateway-'));
    const keys = await generateKeyPair('ES256', { extractable: true });
    await writeFile(
      join(dir, 'jwks.json'),
      JSON.stringify({ keys: [{ ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'ES256' }] }),
    );
    jwt = await new SignJWT({ tid: 'tenant-1', appid: 'app-1' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer('https://sts.windows.net/tenant-1/')
      .setAudience('api://crosswalk')
      .setExpirationTime('10m')
      .sign(keys.privateKey);
    for (const name of ['default', 'acme', 'globex']) await demoMappingFor(dir, name);
    await writeFile(
      join(dir, 'crosswalk.yaml'),
      `version: 1
server:
  rateLimit: { failedAuthentication: { maxFailures: 0 } }
tenants:
  - name: default
    mapping: default.yaml
    credentials:
      - { name: entra, type: bearer, token: "\${env:DEFAULT_TOKEN}" }
  - name: acme
    mapping: acme.yaml
    credentials:
      - { name: acme-static, type: bearer, token: "\${env:ACME_TOKEN}", readOnly: true }
      - name: acme-entra
        type: jwt
        issuer: https://sts.windows.net/tenant-1/
        audience: api://crosswalk
        jwksFile: jwks.json
        requiredClaims: { tid: tenant-1, appid: app-1 }
  - name: globex
    basePath: /partners/globex/scim/v2
    mapping: globex.yaml
    credentials:
      - { name: globex-basic, type: basic, username: globex, password: "\${env:GLOBEX_PASSWORD}" }
`,
    );
    const config = await loadGatewayConfigFile(join(dir, 'crosswalk.yaml'), {
      DEFAULT_TOKEN,
      ACME_TOKEN,
      GLOBEX_PASSWORD,
    });
    gateway = await buildGatewayApp(config);
  });
  afterAll(async () => {
    await gateway?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const globexBasic = (password: string) => ({
    authorization: `Basic ${Buffer.from(`globex:${password}`).toString('base64')}`,
  });

  it('a credential reaches its own tenant and no other', async () => {
    const paths = {
      default: '/scim/v2/Users',
      acme: '/acme/scim/v2/Users',
      globex: '/partners/globex/scim/v2/Users',
    };
    const credentials = {
      default: bearer(DEFAULT_TOKEN),
      acme: bearer(ACME_TOKEN),
      'acme (JWT)': { authorization: `Bearer ${jwt}` },
      globex: globexBasic(GLOBEX_PASSWORD),
    };
    const owner: Record<string, keyof typeof paths> = {
      default: 'default',
      acme: 'acme',
      'acme (JWT)': 'acme',
      globex: 'globex',
    };
    const outcome: string[] = [];
    for (const [who, headers] of Object.entries(credentials)) {
      for (const [tenant, url] of Object.entries(paths)) {
        const response = await gateway.app.inject({ url, headers });
        outcome.push(`${who} → ${tenant}: ${response.statusCode}`);
        expect(response.statusCode, `${who} → ${tenant}`).toBe(owner[who] === tenant ? 200 : 401);
      }
    }
    expect(outcome).toHaveLength(12);
  });

  it('each tenant has its own store, and a read-only credential cannot write', async () => {
    const created = await gateway.app.inject({
      method: 'POST',
      url: '/partners/globex/scim/v2/Users',
      headers: { ...globexBasic(GLOBEX_PASSWORD), 'content-type': 'application/scim+json' },
      payload: JSON.stringify({ userName: 'only.in.globex@example.com' }),
    });
    expect(created.statusCode, created.body).toBe(201);
    const filter = `?filter=${encodeURIComponent('userName eq "only.in.globex@example.com"')}`;
    const inDefault = await gateway.app.inject({
      url: `/scim/v2/Users${filter}`,
      headers: bearer(DEFAULT_TOKEN),
    });
    expect(inDefault.json()).toMatchObject({ totalResults: 0 });

    const write = await gateway.app.inject({
      method: 'POST',
      url: '/acme/scim/v2/Users',
      headers: { ...bearer(ACME_TOKEN), 'content-type': 'application/scim+json' },
      payload: JSON.stringify({ userName: 'nope@example.com' }),
    });
    expect(write.statusCode).toBe(403);
    const viaJwt = await gateway.app.inject({
      method: 'POST',
      url: '/acme/scim/v2/Users',
      headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/scim+json' },
      payload: JSON.stringify({ userName: 'yes@example.com' }),
    });
    expect(viaJwt.statusCode, viaJwt.body).toBe(201);
  });

  it('a wrong Basic password for the right tenant → 401', async () => {
    const response = await gateway.app.inject({
      url: '/partners/globex/scim/v2/Users',
      headers: globexBasic('wrong'),
    });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toContain('Basic realm="crosswalk"');
  });
});
