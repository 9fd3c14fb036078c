import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayProcess, startGatewayProcess } from '../support/gateway-process.js';

const MAPPINGS = fileURLToPath(new URL('../../mappings/', import.meta.url));
const ADA = '6f1c7a52-4a4e-4c1e-9a57-3d2c1b8e0a01';
const TOKENS = { default: 'default-tenant-token', acme: 'acme-tenant-token' };
/** A `${env:NAME}` secret reference, as written in YAML. */
const envRef = (name: string): string => `\${env:${name}}`;

describe('hot reload with a gateway configuration: one tenant changes, the other is untouched', () => {
  let dir: string;
  let gateway: GatewayProcess;
  let demo: string;

  /** The demo mapping on its own SQLite file (absolute path), as tenant `name` serves it. */
  const mappingFor = (name: string, titleMapping = 'title: title') =>
    demo
      .replace(envRef('CROSSWALK_SQLITE_FILE:-./data/crosswalk-demo.sqlite'), join(dir, `${name}.sqlite`))
      .replace('      title: title\n', `      ${titleMapping}\n`);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crosswalk-tenants-reload-'));
    await cp(join(MAPPINGS, 'demo-sqlite'), join(dir, 'demo-sqlite'), { recursive: true });
    demo = await readFile(join(MAPPINGS, 'demo-sqlite.yaml'), 'utf8');
    await writeFile(join(dir, 'default.yaml'), mappingFor('default'));
    await writeFile(join(dir, 'acme.yaml'), mappingFor('acme'));
    await writeFile(
      join(dir, 'crosswalk.yaml'),
      [
        'version: 1',
        'tenants:',
        '  - name: default',
        '    mapping: default.yaml',
        '    credentials:',
        `      - { name: default-client, type: bearer, token: "${envRef('DEFAULT_TOKEN')}" }`,
        '  - name: acme',
        '    mapping: acme.yaml',
        '    credentials:',
        `      - { name: acme-client, type: bearer, token: "${envRef('ACME_TOKEN')}" }`,
        '',
      ].join('\n'),
    );
    gateway = await startGatewayProcess(['--config', join(dir, 'crosswalk.yaml')], {
      DEFAULT_TOKEN: TOKENS.default,
      ACME_TOKEN: TOKENS.acme,
    });
  }, 60_000);
  afterAll(async () => {
    expect(await gateway?.stop()).toBe(0);
    await rm(dir, { recursive: true, force: true });
  });

  const titleOfAda = async (base: string, token: string): Promise<unknown> => {
    const response = await fetch(`${gateway.origin}${base}/Users/${ADA}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { title?: unknown }).title;
  };

  it('reloads only the tenant whose file changed', async () => {
    expect(await titleOfAda('/scim/v2', TOKENS.default)).toBe('Chief Engineer');
    expect(await titleOfAda('/acme/scim/v2', TOKENS.acme)).toBe('Chief Engineer');

    await writeFile(
      join(dir, 'acme.yaml'),
      mappingFor('acme', 'title: { column: title, transform: uppercase }'),
    );
    const applied = await gateway.waitForLog((line) => line.msg === 'mapping reloaded');
    expect(applied.tenant).toBe('acme');

    expect(await titleOfAda('/acme/scim/v2', TOKENS.acme)).toBe('CHIEF ENGINEER');
    expect(await titleOfAda('/scim/v2', TOKENS.default)).toBe('Chief Engineer');
    // Credentials stay per tenant after the swap.
    const crossed = await fetch(`${gateway.origin}/acme/scim/v2/Users`, {
      headers: { authorization: `Bearer ${TOKENS.default}` },
    });
    expect(crossed.status).toBe(401);

    const metrics = await (await fetch(`${gateway.origin}/metrics`)).text();
    expect(metrics).toMatch(/crosswalk_mapping_reloads_total\{tenant="acme",result="applied"\} 1/);
    expect(metrics).not.toMatch(/crosswalk_mapping_reloads_total\{tenant="default"/);
  }, 60_000);
});
