import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { type GatewayProcess, startGatewayProcess } from '../support/gateway-process.js';

const DEMO = fileURLToPath(new URL('../../mappings/demo-sqlite.yaml', import.meta.url));
const TOKEN = 'audit-file-token';

describe('crosswalk serve with CROSSWALK_AUDIT_FILE and CROSSWALK_METRICS_TOKEN (a real process)', () => {
  let dir: string;
  let gateway: GatewayProcess | undefined;
  afterAll(async () => {
    await gateway?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the audit trail to the file, not to stdout, and keeps every line through shutdown', async () => {
    dir = await mkdtemp(join(tmpdir(), 'crosswalk-audit-file-'));
    await cp(DEMO, join(dir, 'mapping.yaml'));
    await cp(join(DEMO, '..', 'demo-sqlite'), join(dir, 'demo-sqlite'), { recursive: true });
    const auditFile = join(dir, 'logs', 'audit.log');
    gateway = await startGatewayProcess(['--mapping', join(dir, 'mapping.yaml')], {
      CROSSWALK_TOKEN: TOKEN,
      CROSSWALK_SQLITE_FILE: join(dir, 'demo.sqlite'),
      CROSSWALK_AUDIT_FILE: auditFile,
      CROSSWALK_METRICS_TOKEN: 'scrape-me',
    });
    const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' };
    const ids: string[] = [];
    for (let n = 0; n < 5; n += 1) {
      const response = await fetch(`${gateway.baseUrl}/Users`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ userName: `audited.${n}@example.com` }),
      });
      expect(response.status).toBe(201);
      ids.push(((await response.json()) as { id: string }).id);
    }
    expect((await fetch(`${gateway.origin}/metrics`)).status).toBe(401);
    const scraped = await fetch(`${gateway.origin}/metrics`, {
      headers: { authorization: 'Bearer scrape-me' },
    });
    expect(scraped.status).toBe(200);

    expect(await gateway.stop()).toBe(0);
    const lines = (await readFile(auditFile, 'utf8'))
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text) as Record<string, unknown>);
    expect(
      lines.map((line) => [line.audit, line.actor, line.operation, line.resourceId, line.status]),
    ).toEqual(ids.map((id) => [true, 'default', 'create', id, 201]));
    expect(gateway.logs.filter((line) => line.audit === true)).toHaveLength(0);
    expect(gateway.logs.filter((line) => line.msg === 'request' && line.method === 'POST')).toHaveLength(5);
  }, 60_000);
});
