import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { loadGatewayConfigText } from '../../src/config/load-gateway-config.js';

const sha = (secret: string) => `sha256:${createHash('sha256').update(secret).digest('hex')}`;
const HASH = sha('a-long-random-token-0123456789');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crosswalk-config-'));
  await writeFile(
    join(dir, 'keys.json'),
    JSON.stringify({ keys: [{ kty: 'oct', k: 'c2VjcmV0', kid: 'x' }] }),
  );
  await writeFile(join(dir, 'not-json.json'), '{ nope');
  await writeFile(join(dir, 'token.txt'), 'token-from-a-file-0123456789\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const load = (text: string, env: NodeJS.ProcessEnv = {}) =>
  loadGatewayConfigText(text, join(dir, 'crosswalk.yaml'), env);

/** `line:col: message` of every issue, for readable expectations. */
function issuesOf(text: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    load(text, env);
  } catch (error) {
    if (error instanceof ConfigError)
      return error.issues.map((issue) => `${issue.line}:${issue.column}: ${issue.message}`);
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('loading a gateway configuration', () => {
  it('reads tenants, credentials and server settings, with defaults', () => {
    const config = load(
      `version: 1
server:
  host: 0.0.0.0
  port: 8443
  trustProxy: true
  limits: { bodyBytes: 2097152, headerBytes: 8192, requestTimeoutSeconds: 60, idleTimeoutSeconds: 10, backendTimeoutSeconds: 2.5, maxPageSize: 200 }
  rateLimit:
    perCredential: { max: 600 }
    failedAuthentication: { maxFailures: 5, windowSeconds: 300 }
tenants:
  - name: default
    mapping: mappings/demo.yaml
    credentials:
      - { name: entra, type: bearer, tokenHash: "${HASH}" }
      - { name: reader, type: bearer, token: "\${env:READER_TOKEN}", readOnly: true, rateLimit: { max: 10, windowSeconds: 1 } }
  - name: acme
    mapping: /etc/crosswalk/acme.yaml
    credentials:
      - name: entra-oauth
        type: jwt
        issuer: https://sts.windows.net/t/
        audience: [api://crosswalk]
        jwksFile: keys.json
        requiredClaims: { tid: t, appid: [a, b] }
      - { name: ops, type: basic, username: ops, password: "\${file:token.txt}" }
  - name: globex
    basePath: /partners/globex/scim/v2/
    mapping: globex.yaml
    credentials:
      - { name: g, type: bearer, token: other-token-0123456789 }
`,
      { READER_TOKEN: 'reader-token-0123456789' },
    );
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 8443,
      trustProxy: true,
      bodyLimit: 2097152,
      backendTimeoutMs: 2500,
      limits: { maxPageSize: 200 },
      server: { maxHeaderSize: 8192, requestTimeoutMs: 60000, connectionTimeoutMs: 10000 },
      failedAuth: { maxFailures: 5, windowSeconds: 300 },
    });
    expect(config.tenants.map((t) => [t.name, t.basePath, t.mappingFile])).toEqual([
      ['default', '/scim/v2', join(dir, 'mappings/demo.yaml')],
      ['acme', '/acme/scim/v2', '/etc/crosswalk/acme.yaml'],
      ['globex', '/partners/globex/scim/v2', join(dir, 'globex.yaml')],
    ]);
    const [first, second] = config.tenants;
    expect(first?.credentials.map((c) => [c.name, c.kind, c.readOnly])).toEqual([
      ['entra', 'bearer', false],
      ['reader', 'bearer', true],
    ]);
    expect(first?.rateLimits).toEqual({
      default: { max: 600, windowSeconds: 60 },
      byCredential: { reader: { max: 10, windowSeconds: 1 } },
    });
    expect(second?.credentials.map((c) => c.kind)).toEqual(['jwt', 'basic']);
    expect(second?.credentials[0]).toMatchObject({
      clockToleranceSeconds: 60,
      requiredClaims: { tid: 't', appid: ['a', 'b'] },
    });
    // Plain secrets are held only as hashes.
    expect(JSON.stringify(config)).not.toContain('reader-token-0123456789');
    expect(JSON.stringify(config)).not.toContain('token-from-a-file');
  });

  it('failedAuthentication maxFailures 0 turns the brake off; TLS files resolve next to the file', () => {
    const config = load(`version: 1
server:
  tls: { certFile: tls/tls.crt, keyFile: /secrets/tls.key, minVersion: TLSv1.3, watchIntervalSeconds: 1 }
  rateLimit: { failedAuthentication: { maxFailures: 0 } }
tenants:
  - { name: default, mapping: m.yaml, credentials: [{ name: a, type: bearer, tokenHash: "${HASH}" }] }
`);
    expect(config.failedAuth).toBe(false);
    expect(config.server.tls).toEqual({
      cert: { file: join(dir, 'tls/tls.crt') },
      key: { file: '/secrets/tls.key' },
      minVersion: 'TLSv1.3',
      watchIntervalMs: 1000,
    });
  });

  const tenant = (credentials: string) =>
    `version: 1\ntenants:\n  - name: default\n    mapping: m.yaml\n    credentials:\n${credentials}`;

  it.each([
    ['YAML syntax', 'version: 1\ntenants: [\n', ['3:1: YAML: ']],
    [
      'an unknown server key',
      'version: 1\nserver:\n  prot: 80\ntenants: []\n',
      ['3:3: server: unknown property "prot"', '4:10: tenants: must not be empty'],
    ],
    [
      'a tenant name that is not URL-safe',
      `version: 1\ntenants:\n  - { name: Acme Corp, mapping: m.yaml, credentials: [{ name: a, type: bearer, tokenHash: "${HASH}" }] }\n`,
      ['3:13: tenants[0].name: must match pattern "^[a-z0-9][a-z0-9-]*$"'],
    ],
    [
      'a jwt without issuer',
      tenant('      - { name: j, type: jwt, audience: x, jwksFile: keys.json }\n'),
      ['6:9: tenants[0].credentials[0]: missing required property "issuer"'],
    ],
    [
      'a bad credential type',
      tenant('      - { name: j, type: saml }\n'),
      ['6:26: tenants[0].credentials[0].type: must be one of bearer, jwt, basic (got "saml")'],
    ],
    [
      'both token and tokenHash',
      tenant(`      - { name: b, type: bearer, token: x, tokenHash: "${HASH}" }\n`),
      ['6:9: tenants[0].credentials[0]: give exactly one of "tokenHash" and "token"'],
    ],
    [
      'neither',
      tenant('      - { name: b, type: bearer }\n'),
      ['6:9: tenants[0].credentials[0]: give exactly one of "tokenHash" and "token"'],
    ],
    [
      'a malformed hash',
      tenant('      - { name: b, type: bearer, tokenHash: "md5:abc" }\n'),
      [
        expect.stringMatching(
          /^6:45: tenants\[0\]\.credentials\[0\]\.tokenHash: must be "sha256:<64 hex digits>"/,
        ),
      ],
    ],
    [
      'a property of another type',
      tenant(`      - { name: b, type: bearer, tokenHash: "${HASH}", username: ops }\n`),
      ['6:120: tenants[0].credentials[0].username: "username" does not apply to a bearer credential'],
    ],
    [
      'a JWKS URL in clear text',
      tenant(
        '      - { name: j, type: jwt, issuer: i, audience: a, jwksUrl: "http://idp.example.com/keys" }\n',
      ),
      ['6:64: tenants[0].credentials[0].jwksUrl: must use https (http only for localhost)'],
    ],
    [
      'a missing JWKS file',
      tenant('      - { name: j, type: jwt, issuer: i, audience: a, jwksFile: nope.json }\n'),
      ['6:65: tenants[0].credentials[0].jwksFile: cannot read the JWKS file (ENOENT)'],
    ],
    [
      'a JWKS file that is not JSON',
      tenant('      - { name: j, type: jwt, issuer: i, audience: a, jwksFile: not-json.json }\n'),
      ['6:65: tenants[0].credentials[0].jwksFile: the JWKS file is not JSON'],
    ],
    [
      'both jwksUrl and jwksFile',
      tenant(
        '      - { name: j, type: jwt, issuer: i, audience: a, jwksFile: keys.json, jwksUrl: "https://x/keys" }\n',
      ),
      ['6:9: tenants[0].credentials[0]: give exactly one of "jwksUrl" and "jwksFile"'],
    ],
    [
      'an unset secret reference',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a secret reference, written as in a file
      tenant('      - { name: b, type: bearer, token: "${env:NOT_SET}" }\n'),
      ['6:41: tenants[0].credentials[0].token: environment variable NOT_SET is not set'],
    ],
    [
      'duplicate credential names',
      tenant(
        `      - { name: b, type: bearer, tokenHash: "${HASH}" }\n      - { name: b, type: bearer, token: other-0123456789 }\n`,
      ),
      ['7:17: tenants[0].credentials[1].name: credential "b" is already defined in this tenant'],
    ],
    [
      'only a certificate',
      `version: 1\nserver:\n  tls: { certFile: a.crt }\ntenants:\n  - { name: default, mapping: m.yaml, credentials: [{ name: a, type: bearer, tokenHash: "${HASH}" }] }\n`,
      ['3:3: server.tls: give exactly one of "keyFile" and "key"'],
    ],
  ])('%s → a positioned message', (_label, text, expected) => {
    expect(issuesOf(text)).toEqual(
      expected.map((e) => (typeof e === 'string' && e.endsWith(': ') ? expect.stringContaining(e) : e)),
    );
  });

  it('refuses tenants that clash: same name, overlapping or reserved paths, a shared token', () => {
    const issues = issuesOf(`version: 1
tenants:
  - { name: default, mapping: a.yaml, credentials: [{ name: a, type: bearer, tokenHash: "${HASH}" }] }
  - { name: default, mapping: b.yaml, credentials: [{ name: b, type: bearer, token: "t-0123456789" }] }
  - { name: nested, basePath: /scim/v2/nested, mapping: c.yaml, credentials: [{ name: c, type: bearer, token: "a-long-random-token-0123456789" }] }
  - { name: probe, basePath: /metrics, mapping: d.yaml, credentials: [{ name: d, type: bearer, token: "u-0123456789" }] }
`);
    expect(issues).toEqual([
      '4:13: tenants[1].name: tenant "default" is already defined at tenants[0]',
      '4:13: tenants[1].name: base path /scim/v2 overlaps /scim/v2 of tenants[0]',
      '5:31: tenants[2].basePath: base path /scim/v2/nested overlaps /scim/v2 of tenants[0]',
      '5:31: tenants[2].basePath: base path /scim/v2/nested overlaps /scim/v2 of tenants[1]',
      '5:79: tenants[2].credentials[0]: the same token is configured for tenant "default"; each tenant needs its own',
      '6:30: tenants[3].basePath: "/metrics" is not available (the gateway serves /healthz, /readyz, /metrics)',
    ]);
  });

  it('never repeats a secret value in a message', () => {
    const secret = 'md5:this-is-a-secret-value';
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a secret reference, written as in a file
    const issues = issuesOf(tenant('      - { name: b, type: bearer, tokenHash: "${env:HASH}" }\n'), {
      HASH: secret,
    });
    expect(issues).toHaveLength(1);
    expect(issues.join('\n')).not.toContain('this-is-a-secret-value');
  });
});
