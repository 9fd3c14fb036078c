import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayProcess, startGatewayProcess } from '../support/gateway-process.js';

/**
 * Scale-out: three gateway processes over one PostgreSQL database, as three
 * replicas behind a load balancer. Nothing that matters may live in a
 * process: every write one replica makes is what the others read, concurrent
 * member additions from all three lose nothing, and If-Match is decided by
 * the database, so two replicas writing with the same ETag get one 200 and
 * one 412.
 */

const MAPPING = fileURLToPath(new URL('./postgres-scale.yaml', import.meta.url));
const SCHEMA = fileURLToPath(new URL('./schema.sql', import.meta.url));
const TOKEN = 'scale-test-token';
const SERVER = { host: '127.0.0.1', port: 5432, user: 'postgres' };
const DATABASE = `crosswalk_scale_${randomBytes(4).toString('hex')}`;
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

type Json = Record<string, unknown>;

async function admin<T>(work: (db: Knex) => Promise<T>, database = 'postgres'): Promise<T> {
  const db = knex({ client: 'pg', connection: { ...SERVER, database }, pool: { min: 0, max: 1 } });
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}

let replicas: GatewayProcess[] = [];

/** The replica a round-robin load balancer would pick for request `n`. */
const replica = (n: number): GatewayProcess => replicas[n % replicas.length] as GatewayProcess;

async function call(
  gateway: GatewayProcess,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Json; etag: string | null }> {
  const response = await fetch(`${gateway.baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text === '' ? {} : (JSON.parse(text) as Json),
    etag: response.headers.get('etag'),
  };
}

beforeAll(async () => {
  await admin((db) => db.raw(`CREATE DATABASE ${DATABASE}`));
  const ddl = await readFile(SCHEMA, 'utf8');
  await admin((db) => db.raw(ddl), DATABASE);
  replicas = await Promise.all(
    [0, 1, 2].map(() =>
      startGatewayProcess(['--mapping', MAPPING], {
        CROSSWALK_TOKEN: TOKEN,
        SCALE_PG_DATABASE: DATABASE,
        CROSSWALK_WATCH_MAPPINGS: 'false',
        LOG_LEVEL: 'warn',
      }),
    ),
  );
}, 90_000);

afterAll(async () => {
  const codes = await Promise.all(replicas.map((gateway) => gateway.stop()));
  await admin((db) => db.raw(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`));
  expect(codes).toEqual(replicas.map(() => 0));
}, 60_000);

describe('three gateway replicas over one PostgreSQL database', () => {
  const userIds: string[] = [];

  it('runs three separate processes', () => {
    const ports = new Set(replicas.map((gateway) => new URL(gateway.origin).port));
    const pids = new Set(replicas.map((gateway) => gateway.child.pid));
    expect(ports.size).toBe(3);
    expect(pids.size).toBe(3);
  });

  it('create round-robin: what one replica wrote, every replica reads', async () => {
    const created = await Promise.all(
      Array.from({ length: 30 }, (_, n) =>
        call(replica(n), 'POST', '/Users', {
          userName: `member.${n}@example.com`,
          displayName: `Member ${n}`,
          emails: [{ value: `member.${n}@example.com`, type: 'work', primary: true }],
        }),
      ),
    );
    for (const result of created) expect(result.status, JSON.stringify(result.body)).toBe(201);
    userIds.push(...created.map((result) => result.body.id as string));

    for (const [n, id] of userIds.entries()) {
      const read = await call(replica(n + 1), 'GET', `/Users/${id}`);
      expect(read.status).toBe(200);
      expect(read.body.userName).toBe(`member.${n}@example.com`);
    }
    for (const gateway of replicas) {
      const list = await call(gateway, 'GET', '/Users?count=0');
      expect(list.body.totalResults).toBe(30);
    }
    // Uniqueness is the database's: the same userName through another replica is 409.
    const duplicate = await call(replica(2), 'POST', '/Users', { userName: 'MEMBER.0@example.com' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.scimType).toBe('uniqueness');
  });

  it('patch round-robin: the next replica sees the change', async () => {
    for (const [n, id] of userIds.slice(0, 9).entries()) {
      const patched = await call(replica(n), 'PATCH', `/Users/${id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', path: 'title', value: `Title from replica ${n % 3}` }],
      });
      expect(patched.status).toBe(200);
      const read = await call(replica(n + 1), 'GET', `/Users/${id}?attributes=title`);
      expect(read.body.title).toBe(`Title from replica ${n % 3}`);
    }
  });

  it('concurrent member PATCHes on one group from all three replicas: no lost update', async () => {
    const group = await call(replica(0), 'POST', '/Groups', { displayName: 'Everyone', members: [] });
    expect(group.status).toBe(201);
    const groupId = group.body.id as string;
    const startVersion = Number(/W\/"(\d+)"/.exec(group.etag ?? '')?.[1]);

    // All 30 additions in flight at once, ten through each replica.
    const results = await Promise.all(
      userIds.map((id, n) =>
        call(replica(n), 'PATCH', `/Groups/${groupId}?excludedAttributes=members`, {
          schemas: [PATCH_OP],
          Operations: [{ op: 'add', path: 'members', value: [{ value: id }] }],
        }),
      ),
    );
    expect(results.map((result) => result.status)).toEqual(userIds.map(() => 200));

    for (const gateway of replicas) {
      const read = await call(gateway, 'GET', `/Groups/${groupId}`);
      const members = (read.body.members as { value: string }[]).map((member) => member.value).sort();
      expect(members).toEqual([...userIds].sort());
      // Every change counted once: the version went up by exactly 30.
      expect(read.etag).toBe(`W/"${startVersion + 30}"`);
    }

    // And concurrent removals of different members from all three.
    const removed = userIds.slice(0, 15);
    const removals = await Promise.all(
      removed.map((id, n) =>
        call(replica(n), 'PATCH', `/Groups/${groupId}`, {
          schemas: [PATCH_OP],
          Operations: [{ op: 'remove', path: `members[value eq "${id}"]` }],
        }),
      ),
    );
    // 200 with the group, or 204 (RFC 7644 §3.5.2 allows either; member PATCHes may answer without a body).
    for (const result of removals) expect([200, 204]).toContain(result.status);
    const after = await call(replica(1), 'GET', `/Groups/${groupId}`);
    expect((after.body.members as { value: string }[]).map((member) => member.value).sort()).toEqual(
      userIds.slice(15).sort(),
    );
  });

  it('If-Match: two replicas write with the same ETag, one wins and one gets 412', async () => {
    for (let round = 0; round < 5; round += 1) {
      const id = userIds[20 + round] as string;
      const current = await call(replica(round), 'GET', `/Users/${id}`);
      const etag = current.etag as string;
      expect(etag).toMatch(/^W\/"\d+"$/);
      const [first, second] = await Promise.all([
        call(
          replica(round),
          'PATCH',
          `/Users/${id}`,
          { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'Writer A' }] },
          { 'if-match': etag },
        ),
        call(
          replica(round + 1),
          'PUT',
          `/Users/${id}`,
          { userName: `member.${20 + round}@example.com`, displayName: 'Writer B' },
          { 'if-match': etag },
        ),
      ]);
      const statuses = [first.status, second.status].sort();
      expect(statuses).toEqual([200, 412]);
      const loser = first.status === 412 ? first : second;
      expect(loser.body.status).toBe('412');
      const winner = first.status === 200 ? 'Writer A' : 'Writer B';
      const read = await call(replica(round + 2), 'GET', `/Users/${id}`);
      expect(read.body.displayName).toBe(winner);
    }
  });

  it('delete round-robin: gone for every replica, and from the group', async () => {
    for (const [n, id] of userIds.slice(25).entries()) {
      expect((await call(replica(n), 'DELETE', `/Users/${id}`)).status).toBe(204);
      expect((await call(replica(n + 1), 'GET', `/Users/${id}`)).status).toBe(404);
      expect((await call(replica(n + 2), 'DELETE', `/Users/${id}`)).status).toBe(404);
    }
    const groups = await call(replica(2), 'GET', '/Groups?filter=displayName%20eq%20%22Everyone%22');
    const members = ((groups.body.Resources as Json[])[0]?.members ?? []) as { value: string }[];
    expect(members.map((member) => member.value).sort()).toEqual(userIds.slice(15, 25).sort());
    for (const gateway of replicas) {
      expect((await call(gateway, 'GET', '/Users?count=0')).body.totalResults).toBe(25);
    }
  });
});
