import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResourceStore } from '../../src/backends/resource-store.js';
import { createSqlStore } from '../../src/backends/sql/sql-store.js';
import type { CompiledMapping } from '../../src/mapping/compiled-mapping.js';
import { loadMappingFile } from '../../src/mapping/load-mapping.js';
import { SCHEMA_URN } from '../../src/scim/schema/core-schemas.js';
import { buildApp } from '../../src/server/app.js';
import { DEFAULT_LIMITS } from '../../src/server/limits.js';
import { DEMO_MAPPING_FILE } from '../support/demo-sqlite-mapping.js';

const TOKEN = 'discovery-test-token';
const BASE = '/scim/v2';
const HOST = 'gw.example.test';

let dir: string;
let mapping: CompiledMapping;
let store: ResourceStore;
let app: FastifyInstance;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crosswalk-discovery-'));
  mapping = await loadMappingFile(DEMO_MAPPING_FILE, { CROSSWALK_SQLITE_FILE: join(dir, 'demo.sqlite') });
  store = await createSqlStore(mapping);
  app = await buildApp({ mapping, store, auth: { bearerTokens: [{ name: 'test', token: TOKEN }] } });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function get(path: string): Promise<{ status: number; body: Record<string, unknown>; type: string }> {
  const response = await app.inject({
    method: 'GET',
    url: `${BASE}${path}`,
    headers: { authorization: `Bearer ${TOKEN}`, host: HOST },
  });
  return {
    status: response.statusCode,
    body: response.json() as Record<string, unknown>,
    type: String(response.headers['content-type']),
  };
}

type Json = Record<string, unknown>;
const attributesOf = (schema: Json): Json[] => schema.attributes as Json[];
const named = (list: Json[], name: string): Json | undefined => list.find((entry) => entry.name === name);
const subsOf = (attribute: Json | undefined): Json[] => (attribute?.subAttributes ?? []) as Json[];

describe('GET /ServiceProviderConfig', () => {
  it('describes what this deployment supports (RFC 7643 §5, RFC 9865)', async () => {
    const { status, body, type } = await get('/ServiceProviderConfig');
    expect(status).toBe(200);
    expect(type).toMatch(/^application\/scim\+json/);
    expect(body).toMatchObject({
      schemas: [SCHEMA_URN.serviceProviderConfig],
      patch: { supported: true },
      bulk: {
        supported: true,
        maxOperations: DEFAULT_LIMITS.maxBulkOperations,
        maxPayloadSize: DEFAULT_LIMITS.bodyLimit,
      },
      filter: { supported: true, maxResults: DEFAULT_LIMITS.maxPageSize },
      // The demo maps no password.
      changePassword: { supported: false },
      sort: { supported: true },
      etag: { supported: true },
      pagination: {
        cursor: true,
        index: true,
        defaultPaginationMethod: 'index',
        defaultPageSize: DEFAULT_LIMITS.defaultPageSize,
        maxPageSize: DEFAULT_LIMITS.maxPageSize,
      },
      meta: {
        resourceType: 'ServiceProviderConfig',
        location: `http://${HOST}${BASE}/ServiceProviderConfig`,
      },
    });
    expect(body.authenticationSchemes).toEqual([
      expect.objectContaining({ type: 'oauthbearertoken', primary: true }),
    ]);
    expect((body.pagination as Json).cursorTimeout).toBeGreaterThan(0);
  });

  it('needs authentication like every SCIM endpoint', async () => {
    const response = await app.inject({ method: 'GET', url: `${BASE}/ServiceProviderConfig` });
    expect(response.statusCode).toBe(401);
  });
});

describe('GET /ResourceTypes', () => {
  it('lists the mapped resource types as a ListResponse (RFC 7644 §4)', async () => {
    const { status, body } = await get('/ResourceTypes');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      schemas: [SCHEMA_URN.listResponse],
      totalResults: 2,
      itemsPerPage: 2,
      startIndex: 1,
    });
    expect(body.Resources).toEqual([
      {
        schemas: [SCHEMA_URN.resourceType],
        id: 'User',
        name: 'User',
        endpoint: '/Users',
        description: 'User Account',
        schema: SCHEMA_URN.user,
        schemaExtensions: [{ schema: SCHEMA_URN.enterpriseUser, required: false }],
        meta: { resourceType: 'ResourceType', location: `http://${HOST}${BASE}/ResourceTypes/User` },
      },
      {
        schemas: [SCHEMA_URN.resourceType],
        id: 'Group',
        name: 'Group',
        endpoint: '/Groups',
        description: 'Group',
        schema: SCHEMA_URN.group,
        schemaExtensions: [],
        meta: { resourceType: 'ResourceType', location: `http://${HOST}${BASE}/ResourceTypes/Group` },
      },
    ]);
  });

  it.each(['User', 'user', 'Group'])('returns /ResourceTypes/%s as a single resource', async (name) => {
    const { status, body } = await get(`/ResourceTypes/${name}`);
    expect(status).toBe(200);
    expect(body.schemas).toEqual([SCHEMA_URN.resourceType]);
    expect(String(body.name).toLowerCase()).toBe(name.toLowerCase());
  });

  it('answers 404 for a type the mapping does not serve', async () => {
    const { status, body } = await get('/ResourceTypes/Device');
    expect(status).toBe(404);
    expect(body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '404' });
  });
});

describe('GET /Schemas', () => {
  it('lists exactly the schemas the mapping serves', async () => {
    const { status, body } = await get('/Schemas');
    expect(status).toBe(200);
    expect(body).toMatchObject({ schemas: [SCHEMA_URN.listResponse], totalResults: 3 });
    const ids = (body.Resources as Json[]).map((schema) => schema.id);
    expect(ids).toEqual([SCHEMA_URN.user, SCHEMA_URN.enterpriseUser, SCHEMA_URN.group]);
  });

  it('narrows the User schema to the mapped attributes and sub-attributes', async () => {
    const { status, body } = await get(`/Schemas/${SCHEMA_URN.user}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      schemas: [SCHEMA_URN.schema],
      id: SCHEMA_URN.user,
      name: 'User',
      meta: { resourceType: 'Schema', location: `http://${HOST}${BASE}/Schemas/${SCHEMA_URN.user}` },
    });
    const attributes = attributesOf(body);
    expect(attributes.map((attribute) => attribute.name).sort()).toEqual(
      ['active', 'displayName', 'emails', 'name', 'phoneNumbers', 'title', 'userName'].sort(),
    );
    // Unmapped attributes are not advertised.
    for (const absent of ['password', 'addresses', 'groups', 'nickName'])
      expect(named(attributes, absent)).toBeUndefined();
    const name = named(attributes, 'name');
    expect(
      subsOf(name)
        .map((sub) => sub.name)
        .sort(),
    ).toEqual(['familyName', 'formatted', 'givenName']);
  });

  // RFC 7643 §8.7.1 characteristics survive narrowing.
  it.each([
    [
      'userName',
      {
        type: 'string',
        required: true,
        caseExact: false,
        mutability: 'readWrite',
        returned: 'default',
        uniqueness: 'server',
        multiValued: false,
      },
    ],
    ['active', { type: 'boolean', mutability: 'readWrite', returned: 'default', uniqueness: 'none' }],
    ['emails', { type: 'complex', multiValued: true, mutability: 'readWrite' }],
  ])('keeps the characteristics of %s', async (attribute, expected) => {
    const { body } = await get(`/Schemas/${SCHEMA_URN.user}`);
    expect(named(attributesOf(body), attribute)).toMatchObject(expected);
  });

  it('keeps the manager sub-attributes of the enterprise extension', async () => {
    const { status, body } = await get(`/Schemas/${SCHEMA_URN.enterpriseUser}`);
    expect(status).toBe(200);
    const attributes = attributesOf(body);
    expect(attributes.map((attribute) => attribute.name).sort()).toEqual([
      'department',
      'employeeNumber',
      'manager',
    ]);
    const manager = named(attributes, 'manager');
    expect(manager).toMatchObject({ type: 'complex', multiValued: false });
    expect(named(subsOf(manager), 'value')).toBeDefined();
  });

  it('advertises Group members with their reference types', async () => {
    const { body } = await get(`/Schemas/${SCHEMA_URN.group}`);
    const attributes = attributesOf(body);
    expect(attributes.map((attribute) => attribute.name).sort()).toEqual(['displayName', 'members']);
    const members = named(attributes, 'members');
    expect(members).toMatchObject({ multiValued: true, type: 'complex' });
    const ref = named(subsOf(members), '$ref');
    expect(ref?.referenceTypes).toEqual(expect.arrayContaining(['User', 'Group']));
  });

  it('finds a schema by URN case-insensitively', async () => {
    const { status, body } = await get(`/Schemas/${SCHEMA_URN.group.toUpperCase()}`);
    expect(status).toBe(200);
    expect(body.id).toBe(SCHEMA_URN.group);
  });

  it.each([
    'urn:ietf:params:scim:schemas:core:2.0:Device',
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:Group',
  ])('answers 404 for %s', async (urn) => {
    const { status, body } = await get(`/Schemas/${urn}`);
    expect(status).toBe(404);
    expect(body.status).toBe('404');
  });
});

describe('filters on discovery endpoints', () => {
  // RFC 7644 §4: "If a 'filter' is provided, the service provider SHOULD respond with HTTP status code 403".
  it.each([
    '/ServiceProviderConfig',
    '/Schemas',
    '/ResourceTypes',
    `/Schemas/${SCHEMA_URN.user}`,
    '/ResourceTypes/User',
  ])('%s?filter=… is 403', async (path) => {
    const { status, body } = await get(`${path}?filter=${encodeURIComponent('name eq "User"')}`);
    expect(status).toBe(403);
    expect(body.status).toBe('403');
  });

  it('ignores the other query parameters', async () => {
    const { status, body } = await get('/ResourceTypes?count=1&startIndex=2&sortBy=name');
    expect(status).toBe(200);
    expect(body.totalResults).toBe(2);
    expect(body.Resources).toHaveLength(2);
  });
});
