import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSecretHash, verifySecret } from '../../src/server/auth/secret-hash.js';
import { startGatewayProcess } from '../support/gateway-process.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAPPINGS = join(ROOT, 'mappings');
const TOKEN = 'cli-config-token-2e4a6c8e0b1d3f57';

/** `crosswalk …` as a user runs it (tsx on the source). */
function crosswalk(args: string[], input?: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: ROOT,
    input,
    encoding: 'utf8',
    env: { ...process.env, CROSSWALK_TOKEN: '' },
  });
}

function httpsGet(url: string, ca: string, token?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { ca, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    req.once('error', reject);
    req.end();
  });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crosswalk-cli-config-'));
  const demo = await readFile(join(MAPPINGS, 'demo-sqlite.yaml'), 'utf8');
  await writeFile(
    join(dir, 'demo.yaml'),
    demo
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a secret reference, written as in a file
      .replace('${env:CROSSWALK_SQLITE_FILE:-./data/crosswalk-demo.sqlite}', join(dir, 'demo.sqlite'))
      .replaceAll('./demo-sqlite/', join(MAPPINGS, 'demo-sqlite/')),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('crosswalk hash-secret', () => {
  it('prints a sha256 hash of stdin (without the trailing newline)', () => {
    const result = crosswalk(['hash-secret'], 'my-token\n');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(`sha256:${createHash('sha256').update('my-token').digest('hex')}`);
  });

  it('--scrypt prints a salted hash that verifies', async () => {
    const result = crosswalk(['hash-secret', '--scrypt'], 'pass word');
    expect(result.status, result.stderr).toBe(0);
    const text = result.stdout.trim();
    expect(text).toMatch(/^scrypt:32768:8:1:/);
    expect(await verifySecret('pass word', parseSecretHash(text))).toBe(true);
  });

  it('refuses an empty stdin', () => {
    const result = crosswalk(['hash-secret'], '');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('No secret on stdin');
  });
});

describe('crosswalk validate --config', () => {
  it('accepts the shipped example (its mappings included)', () => {
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli.ts', 'validate', '--config', 'examples/crosswalk.yaml'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: {
          ...process.env,
          ENTRA_SCIM_TOKEN: 'x'.repeat(40),
          ENTRA_TENANT_ID: 'tid',
          HR_AUDIT_PASSWORD: 'pw',
          // The openldap mapping of the example's second tenant reads these.
          LDAP_URL: 'ldap://127.0.0.1:1389',
          LDAP_BIND_DN: 'cn=admin,dc=example,dc=test',
          LDAP_BIND_PASSWORD: 'pw',
        },
      },
    );
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('ok');
    expect(result.status).toBe(0);
  });

  it('prints file:line:col for the configuration and for the mappings it names', async () => {
    const broken = join(dir, 'broken-mapping.yaml');
    await writeFile(
      broken,
      'version: 1\nbackend: { type: sql, dialect: sqlite, connection: { filename: x } }\nresources: {}\n',
    );
    const config = join(dir, 'bad.yaml');
    await writeFile(
      config,
      `version: 1
tenants:
  - name: default
    mapping: broken-mapping.yaml
    credentials:
      - { name: a, type: bearer, tokenHash: "sha256:nope" }
  - name: second
    mapping: demo.yaml
    credentials:
      - { name: b, type: bearer, token: "b-token-0123456789" }
`,
    );
    let result = crosswalk(['validate', '--config', config]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `^${config.replaceAll('/', '\\/')}:6:45: tenants\\[0\\]\\.credentials\\[0\\]\\.tokenHash: must be`,
        'm',
      ),
    );

    await writeFile(
      config,
      (await readFile(config, 'utf8')).replace('"sha256:nope"', `"sha256:${'0'.repeat(64)}"`),
    );
    result = crosswalk(['validate', '--config', config]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${broken}:`);
  });
});

describe('crosswalk serve --config', () => {
  it('serves HTTPS with the configured credentials, refuses the rest, and stops on SIGTERM', async () => {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, 'tls.key'),
        '-out',
        join(dir, 'tls.crt'),
        '-days',
        '1',
        '-subj',
        '/CN=crosswalk',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    const config = join(dir, 'crosswalk.yaml');
    await writeFile(
      config,
      `version: 1
server:
  tls: { certFile: tls.crt, keyFile: tls.key }
tenants:
  - name: default
    mapping: demo.yaml
    credentials:
      - { name: entra, type: bearer, token: "\${env:SCIM_TOKEN}" }
`,
    );
    const gateway = await startGatewayProcess(['--config', config], {
      SCIM_TOKEN: TOKEN,
      CROSSWALK_WATCH_MAPPINGS: 'false',
    });
    try {
      expect(gateway.baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);
      const ca = await readFile(join(dir, 'tls.crt'), 'utf8');
      expect((await httpsGet(`${gateway.baseUrl}/Users?count=1`, ca, TOKEN)).status).toBe(200);
      expect((await httpsGet(`${gateway.baseUrl}/Users?count=1`, ca, 'wrong')).status).toBe(401);
      expect(gateway.output()).not.toContain(TOKEN);
    } finally {
      expect(await gateway.stop()).toBe(0);
    }
  });

  it('SIGHUP makes a running gateway serve a replaced certificate', async () => {
    const certDir = await mkdtemp(join(dir, 'hup-'));
    const makeCert = (name: string) =>
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-keyout',
          join(certDir, `${name}.key`),
          '-out',
          join(certDir, `${name}.crt`),
          '-days',
          '1',
          '-subj',
          `/CN=${name}`,
          '-addext',
          'subjectAltName=IP:127.0.0.1',
        ],
        { stdio: 'ignore' },
      );
    makeCert('first');
    const config = join(certDir, 'crosswalk.yaml');
    await writeFile(
      config,
      `version: 1
server:
  tls: { certFile: first.crt, keyFile: first.key, watchIntervalSeconds: 0 }
tenants:
  - name: default
    mapping: ../demo.yaml
    credentials:
      - { name: entra, type: bearer, token: "\${env:SCIM_TOKEN}" }
`,
    );
    const gateway = await startGatewayProcess(['--config', config], {
      SCIM_TOKEN: TOKEN,
      CROSSWALK_WATCH_MAPPINGS: 'false',
    });
    const subject = async (): Promise<string> => {
      const { connect } = await import('node:tls');
      return new Promise((resolve, reject) => {
        const socket = connect({
          host: '127.0.0.1',
          port: Number(new URL(gateway.baseUrl).port),
          rejectUnauthorized: false,
        });
        socket.once('secureConnect', () => {
          resolve(String(socket.getPeerCertificate().subject.CN));
          socket.end();
        });
        socket.once('error', reject);
      });
    };
    try {
      expect(await subject()).toBe('first');
      // Replace the files in place (watching is off): only SIGHUP can make the process notice.
      makeCert('second');
      await writeFile(join(certDir, 'first.key'), await readFile(join(certDir, 'second.key')));
      await writeFile(join(certDir, 'first.crt'), await readFile(join(certDir, 'second.crt')));
      expect(await subject()).toBe('first');
      gateway.child.kill('SIGHUP');
      await gateway.waitForLog((line) => line.msg === 'TLS certificate reloaded');
      expect(await subject()).toBe('second');
    } finally {
      expect(await gateway.stop()).toBe(0);
    }
  });

  it('the quick start form still works: serve <mapping.yaml> with CROSSWALK_TOKEN', async () => {
    const gateway = await startGatewayProcess([join(dir, 'demo.yaml')], {
      CROSSWALK_TOKEN: TOKEN,
      CROSSWALK_WATCH_MAPPINGS: 'false',
    });
    try {
      expect(gateway.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);
      const response = await fetch(`${gateway.baseUrl}/Users?count=1`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(response.status).toBe(200);
    } finally {
      await gateway.stop();
    }
  });

  it('refuses to start on an invalid configuration, with positioned messages', async () => {
    const config = join(dir, 'invalid.yaml');
    await writeFile(
      config,
      'version: 1\ntenants:\n  - name: default\n    mapping: demo.yaml\n    credentials: []\n',
    );
    const result = crosswalk(['serve', '--config', config, '--port', '0']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${config}:5:18: tenants[0].credentials: must not be empty`);
  });
});
