import { createServer, type Server, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResourceStore } from '../../../src/backends/resource-store.js';
import { mapSqlError } from '../../../src/backends/sql/error-mapping.js';
import { createSqlStore, type SqlStore } from '../../../src/backends/sql/sql-store.js';
import type { CompiledMapping } from '../../../src/mapping/compiled-mapping.js';
import { isScimError } from '../../../src/scim/errors.js';
import { parseFilter } from '../../../src/scim/filter/parser.js';
import { SCHEMA_URN } from '../../../src/scim/schema/core-schemas.js';
import type { ScimResource } from '../../../src/scim/schema/model.js';
import { prepareResourceForWrite } from '../../../src/scim/schema/prepare-write.js';
import { buildApp } from '../../../src/server/app.js';
import { createMariaDbHelpdeskDatabase, loadMysqlHelpdeskMapping } from '../../support/mariadb.js';
import { createPostgresHrDatabase, loadPostgresHrMapping } from '../../support/postgres.js';
import { scimErrorOf } from '../../support/scim-error-of.js';

/**
 * What the shipped PostgreSQL and MariaDB mappings do beyond the shared
 * contract suite, against the real servers: legacy column conventions, the
 * `constants` row scope, indexes behind case-insensitive comparisons,
 * transactions, error mapping, pools and cursors across gateway instances.
 */
interface LegacyDatabase {
  readonly db: Knex;
  readonly env: Readonly<Record<string, string>>;
  drop(): Promise<void>;
}

interface Backend {
  readonly name: string;
  create(): Promise<LegacyDatabase>;
  load(database: LegacyDatabase, extraEnv?: Readonly<Record<string, string>>): Promise<CompiledMapping>;
  /** The env variable naming the server port in the mapping's header. */
  readonly portVariable: string;
  /** Pool and connect timeout the shipped mapping sets. */
  readonly pool: { readonly min: number; readonly max: number; readonly connectMs: number };
  readonly users: {
    readonly table: string;
    readonly id: string;
    readonly login: string;
    readonly scope: string;
    readonly scopeValue: string;
    readonly active: string;
    readonly activeValues: readonly [string, string];
    readonly employeeNumber: string;
    readonly fullName: string;
    readonly emailTable: string;
    readonly emailValue: string;
  };
  /** Seed rows: a visible user, its manager, a user of another site/company with the same login, two nested groups. */
  readonly seed: {
    readonly login: string;
    readonly userId: string;
    readonly managedId: string;
    readonly hiddenId: string;
    readonly outerGroup: string;
    readonly innerGroup: string;
  };
  /** `crosswalk explain` lines for userName and emails.value. */
  readonly explained: { readonly userName: RegExp; readonly emailValue: RegExp };
  /** The database's own plan for a statement, as text. */
  plan(db: Knex, sql: string, bindings: readonly unknown[]): Promise<string>;
  /** Whether the plan looks rows up through the index (not a full scan of it). */
  seeks(plan: string, index: string): boolean;
  /** Index names the plans must show for userName eq, emails.value eq and (case-exact) externalId eq. */
  readonly indexes: { readonly userName: string; readonly emailValue: string; readonly externalId: string };
  /** The owner-column index of each child table, which the page's JSON sub-selects must seek. */
  readonly childOwnerIndexes: readonly string[];
}

const POSTGRES: Backend = {
  name: 'PostgreSQL (mappings/postgres-hr.yaml)',
  create: createPostgresHrDatabase,
  load: (database, extraEnv) =>
    loadPostgresHrMapping(database as Parameters<typeof loadPostgresHrMapping>[0], extraEnv),
  portVariable: 'HR_PG_PORT',
  pool: { min: 0, max: 8, connectMs: 5000 },
  users: {
    table: 'employees',
    id: 'employee_id',
    login: 'login',
    scope: 'company_code',
    scopeValue: 'ACME',
    active: 'status_code',
    activeValues: ['A', 'T'],
    employeeNumber: 'badge_no',
    fullName: 'full_name',
    emailTable: 'employee_emails',
    emailValue: 'email_address',
  },
  seed: {
    login: 'ada.lovelace',
    userId: '1',
    managedId: '2',
    hiddenId: '4',
    outerGroup: '4a1f0c2e-8d7b-4c55-9e01-0000000000a2',
    innerGroup: '4a1f0c2e-8d7b-4c55-9e01-0000000000a1',
  },
  explained: {
    userName: /-- case-insensitive employees\.login: the column ignores case itself/,
    emailValue:
      /-- case-insensitive employee_emails\.email_address: compared as lower\(email_address\) = lower\(\?\); needs CREATE INDEX ON employee_emails \(lower\(email_address\)\)/,
  },
  async plan(db, sql, bindings) {
    // The seed is tiny: forbid sequential scans so the plan shows whether an index CAN serve.
    return db.transaction(async (trx) => {
      await trx.raw('SET LOCAL enable_seqscan = off');
      const result = (await trx.raw(`EXPLAIN ${sql}`, [...bindings] as Knex.RawBinding[])) as {
        rows: { 'QUERY PLAN': string }[];
      };
      return result.rows.map((row) => row['QUERY PLAN']).join('\n');
    });
  },
  seeks: (plan, index) =>
    new RegExp(
      `(Index Scan|Index Only Scan|Bitmap Index Scan) (using|on) ${index}\\b[^\\n]*\\n\\s*(->\\s*)?Index Cond:`,
    ).test(plan),
  indexes: {
    userName: 'employees_login_unique',
    emailValue: 'employee_emails_address_lower',
    externalId: 'employees_external_ref',
  },
  childOwnerIndexes: ['employee_emails_employee', 'employee_phones_employee', 'employee_addresses_employee'],
};

const MARIADB: Backend = {
  name: 'MariaDB (mappings/mysql-helpdesk.yaml)',
  create: createMariaDbHelpdeskDatabase,
  load: (database, extraEnv) =>
    loadMysqlHelpdeskMapping(database as Parameters<typeof loadMysqlHelpdeskMapping>[0], extraEnv),
  portVariable: 'HELPDESK_DB_PORT',
  pool: { min: 0, max: 6, connectMs: 5000 },
  users: {
    table: 'hd_agent',
    id: 'agent_id',
    login: 'login',
    scope: 'site_code',
    scopeValue: 'HQ01',
    active: 'enabled_yn',
    activeValues: ['Y', 'N'],
    employeeNumber: 'staff_no',
    fullName: 'full_name',
    emailTable: 'hd_agent_email',
    emailValue: 'address',
  },
  seed: {
    login: 'mhamilton',
    userId: '1',
    managedId: '2',
    hiddenId: '4',
    outerGroup: '7c9e6679-7425-40de-944b-e07fc1f90ae2',
    innerGroup: '7c9e6679-7425-40de-944b-e07fc1f90ae1',
  },
  explained: {
    userName: /-- case-insensitive hd_agent\.login: the column ignores case itself/,
    emailValue: /-- case-insensitive hd_agent_email\.address: the column ignores case itself/,
  },
  async plan(db, sql, bindings) {
    const [rows] = (await db.raw(`EXPLAIN ${sql}`, [...bindings] as Knex.RawBinding[])) as [
      Record<string, unknown>[],
    ];
    return rows
      .map((row) => `${String(row.table)}: key=${String(row.key)} type=${String(row.type)}`)
      .join('\n');
  },
  // `index` / `ALL` would be a full scan; these types look rows up.
  seeks: (plan, index) =>
    new RegExp(`key=${index}(\\|\\S+)? type=(const|eq_ref|ref|ref_or_null|range)\\b`).test(plan),
  indexes: {
    userName: 'uq_hd_agent_login',
    emailValue: 'ix_hd_agent_email_address',
    externalId: 'ix_hd_agent_ext_ref',
  },
  // InnoDB names the index a foreign key needs after the constraint.
  childOwnerIndexes: ['hd_agent_email_agent', 'hd_agent_phone_agent'],
};

const TOKEN = 'legacy-sql-test-token-0123456789';

/** A TCP port where nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** A server that accepts connections and never answers (a hung database). */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Log lines, as the app's logger writes them. */
function logCapture(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { stream, lines };
}

async function appFor(mapping: CompiledMapping, store: ResourceStore, stream?: Writable) {
  const app = await buildApp({
    mapping,
    store,
    auth: { bearerTokens: [{ name: 'test', token: TOKEN }] },
    logger: stream === undefined ? false : { level: 'debug', stream },
    audit: false,
    failedAuth: false,
  });
  await app.ready();
  return app;
}

const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' };

describe.each([POSTGRES, MARIADB])('$name', (backend) => {
  let database: LegacyDatabase;
  let mapping: CompiledMapping;
  let store: SqlStore;
  const { users, seed } = backend;

  beforeAll(async () => {
    database = await backend.create();
    mapping = await backend.load(database);
    store = (await createSqlStore(mapping)) as SqlStore;
  });
  afterAll(async () => {
    try {
      await store?.close();
    } finally {
      await database?.drop();
    }
  });

  const schemaOf = (type: string) => {
    const found = mapping.resourceTypes.find((candidate) => candidate.name === type);
    if (found === undefined) throw new Error(`no ${type}`);
    return found.schema;
  };
  const createUser = (body: Record<string, unknown>) =>
    store.create(
      'User',
      prepareResourceForWrite(schemaOf('User'), { schemas: [SCHEMA_URN.user], ...body }, 'create'),
    );
  const rowOf = async (resource: ScimResource) =>
    (await database.db(users.table).where(users.id, String(resource.id)).first()) as Record<string, unknown>;

  // ------------------------------------------------------------ the seed

  it('reads the seeded rows: integer and UUID ids, manager, nested groups', async () => {
    const user = await store.get('User', seed.managedId);
    expect(user[SCHEMA_URN.enterpriseUser]).toMatchObject({ manager: { value: seed.userId } });
    const outer = await store.get('Group', seed.outerGroup);
    const members = outer.members as { value: string; type: string }[];
    expect(members).toContainEqual({ value: seed.innerGroup, type: 'Group' });
    const inner = await store.search('Group', {
      startIndex: 1,
      count: 10,
      filter: parseFilter(`members[value eq "${seed.innerGroup}" and type eq "Group"]`),
    });
    expect(inner.resources.map((group) => group.id)).toEqual([seed.outerGroup]);
  });

  it('members: a value naming its type is looked up as that type; deleting a user leaves same-valued Group rows', async () => {
    const groupBody = (members: unknown[]) =>
      prepareResourceForWrite(
        schemaOf('Group'),
        { displayName: `typed ${members.length}`, members },
        'create',
      );
    const user = await createUser({ userName: 'typed-member' });
    const wrong = await scimErrorOf(() =>
      store.create('Group', groupBody([{ value: user.id, type: 'Group' }])),
    );
    expect(wrong.scimType).toBe('invalidValue');
    expect(wrong.message).toContain(String(user.id));
    const group = await store.create('Group', groupBody([{ value: user.id, type: 'User' }]));
    expect(group.members).toEqual([{ value: user.id, type: 'User' }]);
    // A legacy row for a group whose key equals the user's (integer keys shared by both tables).
    const join = backend === POSTGRES ? 'employee_roles' : 'hd_team_member';
    const [owner, value, kind] =
      backend === POSTGRES
        ? ['role_id', 'member_id', 'member_kind']
        : ['team_uid', 'member_ref', 'member_kind'];
    await database.db(join).insert({ [owner]: seed.outerGroup, [value]: String(user.id), [kind]: 'Group' });
    await store.delete('User', String(user.id));
    const left = (await database.db(join).where(value, String(user.id))) as Record<string, unknown>[];
    expect(left.map((row) => row[kind])).toEqual(['Group']);
    await database.db(join).where(value, String(user.id)).delete();
  });

  it('constants: rows of another company/site are invisible to reads, writes and references', async () => {
    const found = await store.search('User', {
      startIndex: 1,
      count: 10,
      filter: parseFilter(`userName eq "${seed.login.toUpperCase()}"`),
    });
    expect(found.resources.map((user) => user.id)).toEqual([seed.userId]);
    expect((await scimErrorOf(() => store.get('User', seed.hiddenId))).status).toBe(404);
    const patch = [{ op: 'replace' as const, path: { attribute: 'title' }, value: 'x' }];
    expect((await scimErrorOf(() => store.modify('User', seed.hiddenId, patch))).status).toBe(404);
    expect((await scimErrorOf(() => store.delete('User', seed.hiddenId))).status).toBe(404);
    const error = await scimErrorOf(() =>
      createUser({
        userName: 'refers-to-hidden',
        [SCHEMA_URN.enterpriseUser]: { manager: { value: seed.hiddenId } },
      }),
    );
    expect(error.scimType).toBe('invalidValue');
    const created = await createUser({ userName: 'scoped-insert' });
    expect((await rowOf(created))[users.scope]).toBe(users.scopeValue);
  });

  it('an id the key type cannot hold is 404, never a cast to another row', async () => {
    // MySQL would compare '1abc' with an INT as 1; PostgreSQL would fail the statement.
    for (const id of [`${seed.userId}abc`, `${seed.userId}.0`, ' 1', seed.outerGroup]) {
      expect((await scimErrorOf(() => store.get('User', id))).status).toBe(404);
    }
    expect((await scimErrorOf(() => store.get('Group', seed.userId))).status).toBe(404);
    const filtered = await store.search('User', {
      startIndex: 1,
      count: 10,
      filter: parseFilter(`id eq "${seed.userId}abc"`),
    });
    expect(filtered.totalResults).toBe(0);
  });

  // ------------------------------------------------- column conventions

  it('stores legacy conventions: status/Y-N codes, upper-case numbers, a computed full name', async () => {
    const user = await createUser({
      userName: 'conventions',
      active: false,
      name: { givenName: 'Legacy', familyName: 'Person' },
      [SCHEMA_URN.enterpriseUser]: { employeeNumber: 'ab-123' },
    });
    const row = await rowOf(user);
    expect(row[users.active]).toBe(users.activeValues[1]);
    expect(row[users.employeeNumber]).toBe('AB-123');
    expect(row[users.fullName]).toBe('Legacy Person');
    expect(user).toMatchObject({
      active: false,
      name: { givenName: 'Legacy', familyName: 'Person', formatted: 'Legacy Person' },
      [SCHEMA_URN.enterpriseUser]: { employeeNumber: 'AB-123' },
    });
    // A default fills in what the client left out.
    const defaulted = await createUser({ userName: 'defaulted' });
    expect((await rowOf(defaulted))[users.active]).toBe(users.activeValues[0]);
    expect(defaulted.active).toBe(true);
  });

  if (backend === POSTGRES) {
    it('addresses live in a child table with a type column, filtered with one EXISTS per value path', async () => {
      const seeded = await store.get('User', seed.userId);
      expect(seeded.addresses).toEqual([
        {
          type: 'work',
          streetAddress: '12 Analytical Row',
          locality: 'London',
          postalCode: 'EC1A 1AA',
          country: 'GB',
        },
      ]);
      const user = await createUser({
        userName: 'two-addresses',
        addresses: [
          { type: 'work', locality: 'Paris', country: 'FR' },
          { type: 'home', locality: 'London', country: 'GB' },
        ],
      });
      const search = async (filter: string) =>
        (await store.search('User', { startIndex: 1, count: 10, filter: parseFilter(filter) })).resources
          .map((found) => found.id)
          .sort();
      expect(await search('addresses[type eq "work" and locality eq "london"]')).toEqual([seed.userId]);
      expect(await search('addresses[type eq "home" and locality eq "LONDON"]')).toEqual([user.id]);
      expect(await search('addresses.country eq "FR"')).toEqual([user.id]);
      const rows = await database
        .db('employee_addresses')
        .where('employee_id', String(user.id))
        .orderBy('city');
      expect(rows.map((row: Record<string, unknown>) => [row.address_type, row.city])).toEqual([
        ['home', 'London'],
        ['work', 'Paris'],
      ]);
    });
  }

  it('a timestamp version moves on every write, even within one millisecond, and guards If-Match', async () => {
    const type = backend === POSTGRES ? 'Group' : 'User';
    const body =
      type === 'Group'
        ? prepareResourceForWrite(schemaOf('Group'), { displayName: 'stamped' }, 'create')
        : prepareResourceForWrite(schemaOf('User'), { userName: 'stamped' }, 'create');
    const created = await store.create(type, body);
    const versions = [String((created.meta as { version: string }).version)];
    for (const name of ['one', 'two', 'three']) {
      const attribute = type === 'Group' ? 'externalId' : 'title';
      const changed = await store.modify(type, String(created.id), [
        { op: 'replace', path: { attribute }, value: name },
      ]);
      versions.push(String((changed.meta as { version: string }).version));
    }
    expect(new Set(versions).size).toBe(4);
    const stale = `W/"${versions[1]}"`;
    const error = await scimErrorOf(() => store.delete(type, String(created.id), { ifMatch: stale }));
    expect(error.status).toBe(412);
    await store.delete(type, String(created.id), { ifMatch: `W/"${versions[3]}"` });
  });

  // ------------------------------------------------------ case, indexes

  it('crosswalk explain shows how each case-insensitive column is compared', () => {
    const text = store.explain('User', {
      startIndex: 1,
      count: 10,
      filter: parseFilter('userName eq "X" and emails.value eq "y@example.com"'),
    });
    expect(text).toMatch(backend.explained.userName);
    expect(text).toMatch(backend.explained.emailValue);
  });

  it('userName, emails.value and externalId comparisons seek an index (plans checked)', async () => {
    for (const [filter, index] of [
      [`userName eq "${seed.login.toUpperCase()}"`, backend.indexes.userName],
      ['emails.value eq "SOMEONE@EXAMPLE.COM"', backend.indexes.emailValue],
      // Case-exact: MySQL's BINARY comparison gets a plain pre-filter the index serves.
      ['externalId eq "hris-0002"', backend.indexes.externalId],
    ] as const) {
      // The count statement exactly as the store sends it (the page adds ORDER BY id and LIMIT).
      const explain = store.explain('User', { startIndex: 1, count: 10, filter: parseFilter(filter) });
      const page = /-- totalResults\n([^\n]+)\n-- bindings: ([^\n]+)/.exec(explain);
      expect(page).not.toBeNull();
      const sql = String(page?.[1]);
      const bindings = JSON.parse(String(page?.[2])) as unknown[];
      const plan = await backend.plan(
        database.db,
        toKnexPlaceholders(sql, backend),
        bindings.map((value) => (typeof value === 'string' ? value : Number(value))),
      );
      expect(plan).toContain(index);
      expect(backend.seeks(plan, index), plan).toBe(true);
    }
  });

  it("a page is one statement whose child sub-selects seek each child table's owner index", async () => {
    const explain = store.explain('User', {
      startIndex: 1,
      count: 10,
      filter: parseFilter(`userName eq "${seed.login}"`),
    });
    const page = /-- page\n([^\n]+)\n-- bindings: ([^\n]+)/.exec(explain);
    expect(page).not.toBeNull();
    const sql = String(page?.[1]);
    const bindings = JSON.parse(String(page?.[2])) as unknown[];
    const plan = await backend.plan(
      database.db,
      toKnexPlaceholders(sql, backend),
      bindings.map((value) => (typeof value === 'string' ? value : Number(value))),
    );
    for (const index of backend.childOwnerIndexes) expect(backend.seeks(plan, index), plan).toBe(true);
    // And the store sends that one statement for the page (it holds every match: no COUNT).
    const sent: string[] = [];
    const onQuery = (query: { sql: string }) => sent.push(query.sql);
    store.db.on('query', onQuery);
    try {
      const found = await store.search('User', {
        startIndex: 1,
        count: 10,
        filter: parseFilter(`userName eq "${seed.login}"`),
      });
      expect(found.resources[0]?.emails).toBeDefined();
    } finally {
      store.db.off('query', onQuery);
    }
    expect(sent).toEqual([sql]);
  });

  // --------------------------------------------------------- transactions

  it('a write whose third statement fails leaves nothing of the first two', async () => {
    const userName = 'half-written';
    const email = 'half-written@example.com';
    const error = await scimErrorOf(() =>
      createUser({
        userName,
        emails: [{ value: email, type: 'work' }],
        // The validation trigger rejects this row: statement 3 (employee row, e-mail rows, phone rows).
        phoneNumbers: [{ value: 'call me maybe', type: 'work' }],
      }),
    );
    expect(error.status).toBe(400);
    expect(error.scimType).toBe('invalidValue');
    expect(error.message).not.toContain('call me maybe');
    expect(await database.db(users.table).where(users.login, userName)).toEqual([]);
    expect(await database.db(users.emailTable).where(users.emailValue, email)).toEqual([]);
    // The same resource with a valid number goes through.
    const ok = await createUser({
      userName,
      emails: [{ value: email, type: 'work' }],
      phoneNumbers: [{ value: '+1 (555) 010-0199', type: 'work' }],
    });
    expect(ok.phoneNumbers).toEqual([{ value: '+1 (555) 010-0199', type: 'work', primary: false }]);
  });

  // ---------------------------------------------------------------- errors

  if (backend === POSTGRES) {
    it("a row locked past lock_timeout (set in the mapping's connection) is 503 with Retry-After", async () => {
      const sql = mapping.backend as Extract<CompiledMapping['backend'], { type: 'sql' }>;
      // `connection` goes to the driver unchanged: pg takes lock_timeout / statement_timeout (ms).
      const impatient = await createSqlStore({
        ...mapping,
        backend: { ...sql, connection: { ...sql.connection, lock_timeout: 200 } },
      });
      let release: () => void = () => {};
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      let locked: () => void = () => {};
      const isLocked = new Promise<void>((resolve) => {
        locked = resolve;
      });
      const holder = database.db.transaction(async (trx) => {
        await trx(users.table).where(users.id, seed.userId).forUpdate();
        locked();
        await released;
      });
      try {
        await isLocked;
        const error = await scimErrorOf(() =>
          impatient.modify('User', seed.userId, [
            { op: 'replace', path: { attribute: 'title' }, value: 'x' },
          ]),
        );
        expect(error.status).toBe(503);
        expect(error.retryAfter).toBeGreaterThan(0);
      } finally {
        release();
        await holder;
        await impatient.close();
      }
    });
  }

  it('a foreign-key violation from the database is 400 invalidValue, without SQL', async () => {
    let failure: unknown;
    try {
      await database.db(users.emailTable).insert({
        [backend === POSTGRES ? 'employee_id' : 'agent_id']: 987_654,
        [users.emailValue]: 'orphan@example.com',
      });
    } catch (err) {
      failure = err;
    }
    expect(failure).toBeDefined();
    const mapped = mapSqlError(failure, store.dialect);
    expect(isScimError(mapped) && mapped.status).toBe(400);
    expect(isScimError(mapped) && mapped.scimType).toBe('invalidValue');
    expect(mapped.message).not.toMatch(/insert|orphan|987654/i);
  });

  if (backend === POSTGRES) {
    it('costCenter must name an existing department (a database foreign key): 400 naming the attribute', async () => {
      const error = await scimErrorOf(() =>
        createUser({ userName: 'bad-cost-centre', [SCHEMA_URN.enterpriseUser]: { costCenter: 'NOPE-42' } }),
      );
      expect(error.status).toBe(400);
      expect(error.scimType).toBe('invalidValue');
      expect(error.message).toContain('costCenter');
      expect(error.message).not.toContain('NOPE-42');
      const ok = await createUser({
        userName: 'good-cost-centre',
        [SCHEMA_URN.enterpriseUser]: { costCenter: 'OPS' },
      });
      expect(ok[SCHEMA_URN.enterpriseUser]).toMatchObject({ costCenter: 'OPS' });
    });
  }

  it('neither SQL text nor bound values reach a response or a log line', async () => {
    const { stream, lines } = logCapture();
    const app = await appFor(mapping, store, stream);
    const marker = 'zq-marker-7731';
    const responses: string[] = [];
    try {
      const post = (body: Record<string, unknown>) =>
        app.inject({
          method: 'POST',
          url: '/scim/v2/Users',
          headers,
          payload: JSON.stringify({ schemas: [SCHEMA_URN.user], ...body }),
        });
      // Unique violation (409), a value too long for its column (400), a trigger's rejection (400).
      await post({ userName: `${marker}-dup` });
      const duplicate = await post({ userName: `${marker}-DUP` });
      expect(duplicate.statusCode).toBe(409);
      const tooLong = await post({ userName: `${marker}-long`, title: `${marker}${'x'.repeat(300)}` });
      expect(tooLong.statusCode).toBe(400);
      const rejected = await post({
        userName: `${marker}-phone`,
        phoneNumbers: [{ value: `${marker} phone`, type: 'work' }],
      });
      expect(rejected.statusCode).toBe(400);
      // An unexpected failure (a column renamed under the gateway): 500, logged without SQL.
      await database.db.schema.alterTable(users.table, (table) =>
        table.renameColumn('job_title', 'job_title_x'),
      );
      const broken = await app.inject({
        method: 'GET',
        url: `/scim/v2/Users?filter=${encodeURIComponent(`title eq "${marker}"`)}`,
        headers,
      });
      await database.db.schema.alterTable(users.table, (table) =>
        table.renameColumn('job_title_x', 'job_title'),
      );
      expect(broken.statusCode).toBe(500);
      responses.push(duplicate.body, tooLong.body, rejected.body, broken.body);
    } finally {
      await app.close();
    }
    const errorLines = lines.filter((line) => /"level":(40|50)/.test(line));
    expect(errorLines.some((line) => line.includes('"level":50'))).toBe(true);
    for (const text of [...responses, ...lines]) {
      expect(text).not.toMatch(/\b(select|insert into|update|delete from)\b.*\b(from|set|values|where)\b/i);
      expect(text).not.toContain(users.table);
      expect(text).not.toContain(`${marker}-DUP`);
      expect(text).not.toContain(`${marker} phone`);
      expect(text).not.toContain('xxxxxxxxxx');
    }
  });

  // ----------------------------------------------------- pool, outages

  it('the pool sizes and connect timeout of the mapping reach knex', () => {
    const client = store.db.client as {
      pool: { min: number; max: number };
      config: { acquireConnectionTimeout: number };
    };
    expect(client.pool.min).toBe(backend.pool.min);
    expect(client.pool.max).toBe(backend.pool.max);
    expect(client.config.acquireConnectionTimeout).toBe(backend.pool.connectMs);
  });

  it('connection refused is 503 with Retry-After (store and HTTP)', async () => {
    const port = String(await closedPort());
    const downMapping = await backend.load(database, { [backend.portVariable]: port });
    const down = await createSqlStore(downMapping);
    const app = await appFor(downMapping, down);
    try {
      const error = await scimErrorOf(() => down.get('User', seed.userId));
      expect(error.status).toBe(503);
      expect(error.retryAfter).toBeGreaterThan(0);
      const response = await app.inject({ method: 'GET', url: '/scim/v2/Users', headers });
      expect(response.statusCode).toBe(503);
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      expect(response.json()).toMatchObject({ status: '503' });
      expect(response.body).not.toContain(port);
    } finally {
      await app.close();
      await down.close();
    }
  });

  it('a server that never answers is 503 with Retry-After once the connect timeout passes', async () => {
    const silent = await silentServer();
    const hungMapping = await backend.load(database, { [backend.portVariable]: String(silent.port) });
    const quick: CompiledMapping = {
      ...hungMapping,
      backend: {
        ...(hungMapping.backend as Extract<CompiledMapping['backend'], { type: 'sql' }>),
        timeouts: { connectMs: 300 },
      },
    };
    const hung = await createSqlStore(quick);
    try {
      const error = await scimErrorOf(() => hung.search('User', { startIndex: 1, count: 1 }));
      expect(error.status).toBe(503);
      expect(error.retryAfter).toBeGreaterThan(0);
    } finally {
      await silent.close();
      await hung.close();
    }
  });

  // --------------------------------------------------------------- paging

  it('a cursor from one gateway instance continues on another', async () => {
    for (const key of ['a', 'b', 'c', 'd', 'e']) await createUser({ userName: `replica-${key}` });
    const other = await createSqlStore(mapping);
    const first = await appFor(mapping, store);
    const second = await appFor(mapping, other);
    try {
      const filter = encodeURIComponent('userName sw "replica-"');
      const seen: string[] = [];
      let cursor = '';
      const apps: FastifyInstance[] = [first, second];
      for (let page = 0; page < 10; page++) {
        const app = apps[page % 2] as FastifyInstance;
        const response = await app.inject({
          method: 'GET',
          url: `/scim/v2/Users?filter=${filter}&sortBy=userName&count=2&cursor=${encodeURIComponent(cursor)}`,
          headers,
        });
        expect(response.statusCode).toBe(200);
        const body = response.json() as { Resources?: { userName: string }[]; nextCursor?: string };
        seen.push(...(body.Resources ?? []).map((user) => user.userName));
        if (body.nextCursor === undefined) break;
        cursor = body.nextCursor;
      }
      expect(seen).toEqual(['a', 'b', 'c', 'd', 'e'].map((key) => `replica-${key}`));
    } finally {
      await first.close();
      await second.close();
      await other.close();
    }
  });
});

/** explain() prints the driver's native SQL ($1 for pg, ? for mysql); knex.raw wants `?`. */
function toKnexPlaceholders(sql: string, backend: Backend): string {
  return backend === POSTGRES ? sql.replace(/\$\d+/g, '?') : sql;
}
