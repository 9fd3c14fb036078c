import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../src/backends/create-store.js';
import type { ResourceStore } from '../../src/backends/resource-store.js';
import { loadMappingFile } from '../../src/mapping/load-mapping.js';
import { buildApp } from '../../src/server/app.js';
import { AUTH, type DemoApp, SEED, startDemoApp, TOKEN } from '../server/support/demo-app.js';
import { loadOpenLdapMapping, OPENLDAP_MAPPING_FILE } from '../support/openldap-mapping.js';
import { freePort, SLAPD_AVAILABLE, type SlapdInstance, startSlapd } from '../support/slapd.js';

/** The value of one sample line of the Prometheus text format, e.g. `name{a="b"} 3`. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const labelText = line.slice(name.length + 1, line.lastIndexOf('}'));
    const found = Object.fromEntries([...labelText.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) {
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return undefined;
}

describe('Prometheus metrics at /metrics', () => {
  let demo: DemoApp;
  let other: DemoApp;

  beforeAll(async () => {
    demo = await startDemoApp();
    // A second app in the same process: its own registry, no "metric already registered".
    other = await startDemoApp();
  });
  afterAll(async () => {
    await demo.close();
    await other.close();
  });

  it('counts requests by tenant, route template, method and status, with latency histograms', async () => {
    for (let i = 0; i < 3; i += 1) await demo.app.inject({ url: '/scim/v2/Users', headers: AUTH });
    await demo.app.inject({ url: `/scim/v2/Users/${SEED.ada}`, headers: AUTH });
    await demo.app.inject({ url: '/scim/v2/Users/does-not-exist', headers: AUTH });
    await demo.app.inject({ url: '/scim/v2/Users' }); // 401

    const response = await demo.app.inject({ url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    const text = response.body;
    const requests = 'crosswalk_http_requests_total';
    expect(
      sample(text, requests, { tenant: 'default', route: '/scim/v2/Users', method: 'GET', status: '200' }),
    ).toBe(3);
    expect(sample(text, requests, { route: '/scim/v2/Users/:id', status: '200' })).toBe(1);
    expect(sample(text, requests, { route: '/scim/v2/Users/:id', status: '404' })).toBe(1);
    expect(sample(text, requests, { route: '/scim/v2/Users', status: '401' })).toBe(1);
    expect(
      sample(text, 'crosswalk_http_request_duration_seconds_count', {
        tenant: 'default',
        route: '/scim/v2/Users',
      }),
    ).toBe(4);
    expect(text).toContain('crosswalk_http_request_duration_seconds_bucket{le="0.005",tenant="default"');
    // The raw id of a request never becomes a label.
    expect(text).not.toContain('does-not-exist');
    expect(text).not.toContain(TOKEN);
  });

  it('times backend operations and counts their errors by status', async () => {
    await demo.app.inject({ url: '/scim/v2/Groups/no-such-group', headers: AUTH });
    const text = (await demo.app.inject({ url: '/metrics' })).body;
    expect(
      sample(text, 'crosswalk_backend_operation_duration_seconds_count', {
        tenant: 'default',
        backend: 'sql',
        operation: 'search',
        resource_type: 'User',
        outcome: 'ok',
      }),
    ).toBeGreaterThanOrEqual(3);
    expect(
      sample(text, 'crosswalk_backend_operation_errors_total', {
        operation: 'get',
        resource_type: 'Group',
        status: '404',
      }),
    ).toBe(1);
  });

  it('reports pool usage of the store (knex: used, free, pending, max)', async () => {
    const text = (await demo.app.inject({ url: '/metrics' })).body;
    // The demo mapping's SQLite pool is min 1, max 1, and nothing is running during a scrape.
    expect(sample(text, 'crosswalk_backend_pool_max_connections', { tenant: 'default' })).toBe(1);
    expect(sample(text, 'crosswalk_backend_pool_connections', { tenant: 'default', state: 'used' })).toBe(0);
    expect(sample(text, 'crosswalk_backend_pool_connections', { tenant: 'default', state: 'free' })).toBe(1);
    expect(sample(text, 'crosswalk_backend_pool_connections', { tenant: 'default', state: 'pending' })).toBe(
      0,
    );
  });

  it('keeps each app in its own registry', async () => {
    const text = (await other.app.inject({ url: '/metrics' })).body;
    expect(
      sample(text, 'crosswalk_http_requests_total', { route: '/scim/v2/Users', status: '200' }),
    ).toBeUndefined();
    expect(text).toContain('crosswalk_process_resident_memory_bytes');
  });
});

describe('/metrics behind its own token', () => {
  let demo: DemoApp;
  beforeAll(async () => {
    demo = await startDemoApp({ metrics: { token: 'scrape-secret-42' } });
  });
  afterAll(async () => demo.close());

  it('refuses scrapers without it, and SCIM tokens are not it', async () => {
    expect((await demo.app.inject({ url: '/metrics' })).statusCode).toBe(401);
    expect((await demo.app.inject({ url: '/metrics', headers: AUTH })).statusCode).toBe(401);
    const ok = await demo.app.inject({
      url: '/metrics',
      headers: { authorization: 'Bearer scrape-secret-42' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).not.toContain('scrape-secret-42');
  });
});

describe('/healthz and /readyz', () => {
  let demo: DemoApp;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crosswalk-ready-'));
    // A second tenant whose directory is not there: nothing listens on this port.
    const port = await freePort();
    const ldapMapping = await loadMappingFile(OPENLDAP_MAPPING_FILE, {
      LDAP_URL: `ldap://127.0.0.1:${port}`,
      LDAP_BIND_DN: 'cn=crosswalk,dc=example,dc=test',
      LDAP_BIND_PASSWORD: 'unused',
      LDAP_USERS_BASE: 'ou=people,dc=example,dc=test',
      LDAP_GROUPS_BASE: 'ou=groups,dc=example,dc=test',
    });
    const ldapStore = await createStore(ldapMapping);
    demo = await startDemoApp({
      tenants: [
        {
          name: 'directory',
          mapping: ldapMapping,
          store: ldapStore,
          auth: { bearerTokens: [{ name: 'd', token: 'dir-token-123456' }] },
        },
      ],
    });
  });
  afterAll(async () => {
    await demo.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answer without credentials; /readyz checks every tenant and says 503 when one backend is down', async () => {
    const health = await demo.app.inject({ url: '/healthz' });
    expect(health.statusCode).toBe(200);
    const ready = await demo.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.headers['retry-after']).toBe('5');
    // The default tenant alone is fine: the SQL demo answers.
    expect((await demo.app.inject({ url: '/scim/v2/Users', headers: AUTH })).statusCode).toBe(200);
  });
});

describe.runIf(SLAPD_AVAILABLE)('pool gauges of an LDAP store (OpenLDAP)', () => {
  let slapd: SlapdInstance;
  let store: ResourceStore;
  let app: FastifyInstance;

  beforeAll(async () => {
    slapd = await startSlapd();
    const mapping = await loadOpenLdapMapping(slapd);
    store = await createStore(mapping);
    app = await buildApp({
      mapping,
      store,
      auth: { bearerTokens: [{ name: 't', token: 'ldap-metrics-token' }] },
    });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await store?.close();
    await slapd?.destroy();
  });

  it('reports the bound connections the pool keeps, and their use', async () => {
    const auth = { authorization: 'Bearer ldap-metrics-token' };
    const before = (await app.inject({ url: '/metrics' })).body;
    // The shipped mapping's pool.size is 4; nothing is connected before the first request.
    expect(sample(before, 'crosswalk_backend_pool_max_connections', { tenant: 'default' })).toBe(4);
    expect(sample(before, 'crosswalk_backend_pool_connections', { tenant: 'default', state: 'free' })).toBe(
      0,
    );

    expect((await app.inject({ url: '/scim/v2/Users', headers: auth })).statusCode).toBe(200);
    const after = (await app.inject({ url: '/metrics' })).body;
    expect(sample(after, 'crosswalk_backend_pool_connections', { tenant: 'default', state: 'used' })).toBe(0);
    expect(
      sample(after, 'crosswalk_backend_pool_connections', { tenant: 'default', state: 'free' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(after, 'crosswalk_backend_operation_duration_seconds_count', {
        backend: 'ldap',
        operation: 'search',
        resource_type: 'User',
        outcome: 'ok',
      }),
    ).toBe(1);
    expect(after).not.toContain(slapd.servicePassword);
  });
});
