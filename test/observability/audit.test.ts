import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../src/backends/create-store.js';
import type { ResourceStore } from '../../src/backends/resource-store.js';
import { buildApp } from '../../src/server/app.js';
import { createAuditLog } from '../../src/server/observability/audit-log.js';
import { AUTH, type DemoApp, SEED, startDemoApp } from '../server/support/demo-app.js';
import { loadOpenLdapMapping } from '../support/openldap-mapping.js';
import { SLAPD_AVAILABLE, type SlapdInstance, startSlapd } from '../support/slapd.js';
import { LogCapture, type LogLine } from './support/log-capture.js';

const SCIM = { ...AUTH, 'content-type': 'application/scim+json' };
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describe('audit trail of every write (SQL)', () => {
  let demo: DemoApp;
  const log = new LogCapture();
  const audits = (): LogLine[] => log.lines.filter((line) => line.audit === true);
  const auditOf = (requestId: string): LogLine[] => audits().filter((line) => line.requestId === requestId);

  beforeAll(async () => {
    demo = await startDemoApp({ logger: { level: 'info', stream: log } });
  });
  afterAll(async () => demo.close());

  let userId = '';

  it('create: who, what, which id and row, attribute names, status — never values', async () => {
    const response = await demo.app.inject({
      method: 'POST',
      url: '/scim/v2/Users',
      headers: { ...SCIM, 'x-request-id': 'audit-create' },
      payload: {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
        userName: 'very.private.person@example.com',
        name: { givenName: 'Very', familyName: 'Private' },
        emails: [{ value: 'very.private.person@example.com', type: 'work', primary: true }],
        password: 'Sup3r-Secret-Pa55!',
        [ENTERPRISE]: { department: 'Secret Projects' },
      },
    });
    expect(response.statusCode, response.body).toBe(201);
    userId = response.json().id;

    const [entry, ...more] = auditOf('audit-create');
    expect(more).toHaveLength(0);
    expect(entry).toMatchObject({
      audit: true,
      msg: 'audit',
      tenant: 'default',
      actor: 'test',
      via: 'http',
      operation: 'create',
      resourceType: 'User',
      resourceId: userId,
      backendObject: `users[id=${userId}]`,
      status: 201,
    });
    expect(entry?.attributes).toEqual(
      expect.arrayContaining(['userName', 'name', 'emails', 'password', `${ENTERPRISE}:department`]),
    );
    expect(entry?.attributes).not.toContain('schemas');
    const line = JSON.stringify(entry);
    expect(line).not.toContain('very.private.person');
    expect(line).not.toContain('Sup3r-Secret-Pa55!');
    expect(line).not.toContain('Secret Projects');
  });

  it('patch: paths without their value filters; path-less operations by their keys', async () => {
    const response = await demo.app.inject({
      method: 'PATCH',
      url: `/scim/v2/Users/${userId}`,
      headers: { ...SCIM, 'x-request-id': 'audit-patch' },
      payload: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [
          { op: 'Replace', path: 'emails[type eq "work"].value', value: 'renamed.person@example.com' },
          { op: 'Replace', value: { active: 'False', 'name.familyName': 'Renamed' } },
          { op: 'Add', path: `${ENTERPRISE}:department`, value: 'Elsewhere' },
        ],
      },
    });
    expect(response.statusCode, response.body).toBe(200);
    const [entry] = auditOf('audit-patch');
    expect(entry).toMatchObject({ operation: 'patch', resourceId: userId, status: 200 });
    expect(entry?.attributes).toEqual([
      'emails.value',
      'active',
      'name.familyName',
      `${ENTERPRISE}:department`,
    ]);
    expect(JSON.stringify(entry)).not.toContain('renamed.person');
    expect(JSON.stringify(entry)).not.toContain('"work"');
  });

  it('a members-only PATCH is audited with the 204 the client gets', async () => {
    const response = await demo.app.inject({
      method: 'PATCH',
      url: `/scim/v2/Groups/${SEED.allStaff}`,
      headers: { ...SCIM, 'x-request-id': 'audit-members' },
      payload: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'add', path: 'members', value: [{ value: SEED.grace }] }],
      },
    });
    expect(response.statusCode).toBe(204);
    expect(auditOf('audit-members')).toEqual([
      expect.objectContaining({
        operation: 'patch',
        resourceType: 'Group',
        resourceId: SEED.allStaff,
        backendObject: `groups[id=${SEED.allStaff}]`,
        attributes: ['members'],
        status: 204,
      }),
    ]);
  });

  it('a refused write is audited with its status', async () => {
    const response = await demo.app.inject({
      method: 'PUT',
      url: `/scim/v2/Users/${userId}`,
      headers: { ...SCIM, 'if-match': 'W/"999"', 'x-request-id': 'audit-stale' },
      payload: { userName: 'renamed.person@example.com' },
    });
    expect(response.statusCode).toBe(412);
    expect(auditOf('audit-stale')).toEqual([
      expect.objectContaining({
        operation: 'replace',
        resourceId: userId,
        status: 412,
        attributes: ['userName'],
      }),
    ]);
  });

  it('delete: the deleted row', async () => {
    const response = await demo.app.inject({
      method: 'DELETE',
      url: `/scim/v2/Users/${userId}`,
      headers: { ...AUTH, 'x-request-id': 'audit-delete' },
    });
    expect(response.statusCode).toBe(204);
    expect(auditOf('audit-delete')).toEqual([
      expect.objectContaining({
        operation: 'delete',
        resourceType: 'User',
        resourceId: userId,
        backendObject: `users[id=${userId}]`,
        status: 204,
        attributes: [],
      }),
    ]);
  });

  it('every operation of a Bulk request, marked as such', async () => {
    const response = await demo.app.inject({
      method: 'POST',
      url: '/scim/v2/Bulk',
      headers: { ...SCIM, 'x-request-id': 'audit-bulk' },
      payload: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
        Operations: [
          { method: 'POST', path: '/Users', bulkId: 'u1', data: { userName: 'bulk.one@example.com' } },
          {
            method: 'PATCH',
            path: `/Groups/${SEED.engineering}`,
            data: {
              schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
              Operations: [{ op: 'add', path: 'members', value: [{ value: 'bulkId:u1' }] }],
            },
          },
          { method: 'DELETE', path: '/Users/no-such-user' },
        ],
      },
    });
    expect(response.statusCode, response.body).toBe(200);
    const entries = auditOf('audit-bulk');
    expect(entries.map((entry) => [entry.via, entry.operation, entry.resourceType, entry.status])).toEqual([
      ['bulk', 'create', 'User', 201],
      ['bulk', 'patch', 'Group', 200],
      ['bulk', 'delete', 'User', 404],
    ]);
    expect(entries[1]).toMatchObject({
      resourceId: SEED.engineering,
      backendObject: `groups[id=${SEED.engineering}]`,
      attributes: ['members'],
    });
  });

  it('reads are not audited', async () => {
    await demo.app.inject({ url: '/scim/v2/Users', headers: { ...AUTH, 'x-request-id': 'audit-read' } });
    await demo.app.inject({
      method: 'POST',
      url: '/scim/v2/Users/.search',
      headers: { ...SCIM, 'x-request-id': 'audit-search' },
      payload: { filter: 'userName sw "a"' },
    });
    expect(auditOf('audit-read')).toHaveLength(0);
    expect(auditOf('audit-search')).toHaveLength(0);
  });
});

describe('audit trail to a file of its own', () => {
  let dir: string;
  let demo: DemoApp;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crosswalk-audit-'));
  });
  afterAll(async () => {
    await demo?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes JSON lines with audit: true to the file', async () => {
    const file = join(dir, 'audit.log');
    const destination = pino.destination({ dest: file, sync: true });
    demo = await startDemoApp({ audit: createAuditLog(pino({ base: null }, destination)) });
    const response = await demo.app.inject({
      method: 'DELETE',
      url: `/scim/v2/Users/${SEED.alan}`,
      headers: AUTH,
    });
    expect(response.statusCode).toBe(204);
    const lines = (await readFile(file, 'utf8'))
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text) as LogLine);
    expect(lines).toEqual([
      expect.objectContaining({
        audit: true,
        actor: 'test',
        operation: 'delete',
        resourceId: SEED.alan,
        status: 204,
      }),
    ]);
  });
});

describe.runIf(SLAPD_AVAILABLE)('audit trail names the DN (OpenLDAP)', () => {
  let slapd: SlapdInstance;
  let store: ResourceStore;
  let app: Awaited<ReturnType<typeof buildApp>>;
  const log = new LogCapture();

  beforeAll(async () => {
    slapd = await startSlapd();
    const mapping = await loadOpenLdapMapping(slapd);
    store = await createStore(mapping);
    app = await buildApp({
      mapping,
      store,
      auth: { bearerTokens: [{ name: 'entra-provisioning', token: 'ldap-audit-token' }] },
      logger: { level: 'info', stream: log },
    });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await store?.close();
    await slapd?.destroy();
  });

  it('create and delete record the entry DN', async () => {
    const headers = { authorization: 'Bearer ldap-audit-token', 'content-type': 'application/scim+json' };
    const created = await app.inject({
      method: 'POST',
      url: '/scim/v2/Users',
      headers: { ...headers, 'x-request-id': 'ldap-create' },
      payload: {
        userName: 'audit.dn',
        name: { givenName: 'Audit', familyName: 'Dn' },
        displayName: 'Audit Dn',
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    const deleted = await app.inject({
      method: 'DELETE',
      url: `/scim/v2/Users/${id}`,
      headers: { authorization: 'Bearer ldap-audit-token', 'x-request-id': 'ldap-delete' },
    });
    expect(deleted.statusCode).toBe(204);

    const entries = log.lines.filter((line) => line.audit === true);
    const dnPattern = new RegExp(`^uid=audit\\.dn,ou=people,${slapd.suffix}$`, 'i');
    expect(entries.find((line) => line.requestId === 'ldap-create')).toMatchObject({
      actor: 'entra-provisioning',
      operation: 'create',
      resourceId: id,
      backendObject: expect.stringMatching(dnPattern),
    });
    expect(entries.find((line) => line.requestId === 'ldap-delete')).toMatchObject({
      operation: 'delete',
      backendObject: expect.stringMatching(dnPattern),
      status: 204,
    });
  });
});
