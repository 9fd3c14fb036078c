import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../src/backends/create-store.js';
import { type InteropContext, interopContextFor } from '../interop/interop-context.js';
import { loadDemoSqliteMapping } from '../support/demo-sqlite-mapping.js';
import { loadOpenLdapMapping } from '../support/openldap-mapping.js';
import { SLAPD_AVAILABLE, startSlapd } from '../support/slapd.js';

if (!SLAPD_AVAILABLE) throw new Error('slapd is not installed: run scripts/install-ldap-packages.sh');

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const backends: [string, () => Promise<InteropContext>][] = [
  [
    'SQLite',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'crosswalk-schemas-filter-'));
      const mapping = await loadDemoSqliteMapping(join(dir, 'demo.sqlite'));
      const store = await createStore(mapping);
      return interopContextFor(mapping, store, async () => {
        await store.close();
        await rm(dir, { recursive: true, force: true });
      });
    },
  ],
  [
    'OpenLDAP',
    async () => {
      const slapd = await startSlapd();
      const mapping = await loadOpenLdapMapping(slapd);
      const store = await createStore(mapping);
      return interopContextFor(mapping, store, async () => {
        await store.close();
        await slapd.destroy();
      });
    },
  ],
];

describe.each(backends)('filter on schemas, pushed down to %s', (_name, makeContext) => {
  let ctx: InteropContext;
  const tag = `sf${Date.now()}`;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    ctx = await makeContext();
    for (const [key, body] of Object.entries({
      plain: { userName: `${tag}-plain` },
      department: { userName: `${tag}-department`, [ENTERPRISE]: { department: 'QA' } },
    })) {
      const response = await ctx.app.inject({
        method: 'POST',
        url: `${ctx.basePath}/Users`,
        headers: { authorization: `Bearer ${ctx.token}`, 'content-type': 'application/scim+json' },
        payload: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], ...body }),
      });
      expect(response.statusCode, response.body).toBe(201);
      ids[key] = (response.json() as { id: string }).id;
    }
  }, 60_000);
  afterAll(async () => {
    await ctx?.cleanup();
  });

  const found = async (filter: string): Promise<string[]> => {
    const response = await ctx.app.inject({
      method: 'GET',
      url: `${ctx.basePath}/Users?attributes=id&filter=${encodeURIComponent(`userName sw "${tag}" and (${filter})`)}`,
      headers: { authorization: `Bearer ${ctx.token}` },
    });
    expect(response.statusCode, response.body).toBe(200);
    return (response.json() as { Resources: { id: string }[] }).Resources.map((user) => user.id).sort();
  };

  it('schemas eq the enterprise URN keeps the users that have enterprise attributes', async () => {
    expect(await found(`schemas eq "${ENTERPRISE}"`)).toEqual([ids.department]);
  });

  it('schemas ne / not eq keeps the others; the core schema and pr keep all', async () => {
    expect(await found(`schemas ne "${ENTERPRISE}"`)).toEqual([ids.plain]);
    expect(await found(`not (schemas eq "${ENTERPRISE}")`)).toEqual([ids.plain]);
    const all = [ids.plain, ids.department].sort();
    expect(await found('schemas eq "urn:ietf:params:scim:schemas:core:2.0:User"')).toEqual(all);
    expect(await found('schemas pr')).toEqual(all);
    expect(await found('schemas eq "urn:example:unknown"')).toEqual([]);
  });
});
