import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../src/backends/create-store.js';
import type { ResourceStore } from '../../src/backends/resource-store.js';
import { loadMappingFile } from '../../src/mapping/load-mapping.js';
import { AUTH, DEMO_MAPPING, type DemoApp, startDemoApp } from './support/demo-app.js';

const ACME_TOKEN = 'acme-token-abcdef';

describe('several service providers in one process', () => {
  let demo: DemoApp;
  let acmeStore: ResourceStore;
  let acmeDir: string;

  beforeAll(async () => {
    acmeDir = await mkdtemp(join(tmpdir(), 'crosswalk-tenant-'));
    const acmeMapping = await loadMappingFile(DEMO_MAPPING, {
      ...process.env,
      CROSSWALK_SQLITE_FILE: join(acmeDir, 'acme.sqlite'),
    });
    acmeStore = await createStore(acmeMapping);
    demo = await startDemoApp({
      tenants: [
        {
          name: 'acme',
          mapping: acmeMapping,
          store: acmeStore,
          auth: { bearerTokens: [{ name: 'acme', token: ACME_TOKEN }] },
        },
      ],
    });
  });
  afterAll(async () => {
    await demo.close();
    await acmeStore.close();
    await rm(acmeDir, { recursive: true, force: true });
  });

  it('each mount has its own credentials', async () => {
    const acmeAuth = { authorization: `Bearer ${ACME_TOKEN}` };
    expect((await demo.app.inject({ url: '/acme/scim/v2/Users', headers: acmeAuth })).statusCode).toBe(200);
    expect((await demo.app.inject({ url: '/acme/scim/v2/Users', headers: AUTH })).statusCode).toBe(401);
    expect((await demo.app.inject({ url: '/scim/v2/Users', headers: acmeAuth })).statusCode).toBe(401);
  });

  it('each mount has its own store and locations', async () => {
    const acmeAuth = { authorization: `Bearer ${ACME_TOKEN}` };
    const created = await demo.app.inject({
      method: 'POST',
      url: '/acme/scim/v2/Users',
      headers: { ...acmeAuth, 'content-type': 'application/scim+json' },
      payload: JSON.stringify({ userName: 'only.in.acme@example.com' }),
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.headers.location).toMatch(/^http:\/\/localhost:80\/acme\/scim\/v2\/Users\//);

    const filter = encodeURIComponent('userName eq "only.in.acme@example.com"');
    const inAcme = await demo.app.inject({ url: `/acme/scim/v2/Users?filter=${filter}`, headers: acmeAuth });
    const inDefault = await demo.app.inject({ url: `/scim/v2/Users?filter=${filter}`, headers: AUTH });
    expect(inAcme.json()).toMatchObject({ totalResults: 1 });
    expect(inDefault.json()).toMatchObject({ totalResults: 0 });
  });
});
