import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteDialect } from '../../../src/backends/sql/dialects/sqlite.js';
import { mapSqlError, SqlBackendError } from '../../../src/backends/sql/error-mapping.js';
import { createSqlStore, type SqlStore } from '../../../src/backends/sql/sql-store.js';
import type { CompiledMapping } from '../../../src/mapping/compiled-mapping.js';
import { isScimError, ScimError } from '../../../src/scim/errors.js';
import { parseFilter } from '../../../src/scim/filter/parser.js';
import { parsePatchRequest } from '../../../src/scim/patch/parse-patch-request.js';
import { demoSqliteMapping, loadDemoSqliteMapping } from '../../support/demo-sqlite-mapping.js';

interface Recorded {
  sql: string;
  bindings: unknown[];
  rows: number;
}

let dir: string;
let file: string;
let store: SqlStore;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crosswalk-sqlstore-'));
  file = join(dir, 'data', 'demo.sqlite');
  store = (await createSqlStore(await loadDemoSqliteMapping(file))) as SqlStore;
});
afterAll(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

/** Runs `work` and returns every statement knex sent, with the number of rows each returned. */
async function recordSql(work: () => Promise<unknown>): Promise<Recorded[]> {
  const recorded: Recorded[] = [];
  const pending = new Map<string, Recorded>();
  const onQuery = (query: { __knexQueryUid: string; sql: string; bindings?: unknown[] }) => {
    const entry = { sql: query.sql, bindings: query.bindings ?? [], rows: 0 };
    pending.set(query.__knexQueryUid, entry);
    recorded.push(entry);
  };
  const onResponse = (response: unknown, query: { __knexQueryUid: string }) => {
    const entry = pending.get(query.__knexQueryUid);
    if (entry !== undefined && Array.isArray(response)) entry.rows = response.length;
  };
  store.db.on('query', onQuery).on('query-response', onResponse);
  try {
    await work();
  } finally {
    store.db.off('query', onQuery).off('query-response', onResponse);
  }
  return recorded;
}

const ADA = '6f1c7a52-4a4e-4c1e-9a57-3d2c1b8e0a01';
const ENGINEERING = '9b2d4e61-7c3f-4d8a-b1e2-5f6a7b8c9d01';

describe('the demo mapping', () => {
  it('loads from YAML into what the store tests build by hand', async () => {
    const shape = (mapping: CompiledMapping) => ({
      backend: mapping.backend,
      resourceTypes: mapping.resourceTypes.map((type) => ({
        name: type.name,
        sql: type.sql,
        attributes: type.attributes.map((attribute) => ({
          ...attribute,
          ...('transform' in attribute && attribute.transform !== undefined
            ? { transform: attribute.transform.name }
            : {}),
        })),
        core: type.schema.coreSchema,
        extensions: type.schema.extensions,
      })),
    });
    expect(shape(await loadDemoSqliteMapping(file))).toEqual(shape(demoSqliteMapping(file)));
  });
});

describe('bootstrap', () => {
  it('created the missing folder, the schema and the seed data', async () => {
    expect(existsSync(file)).toBe(true);
    const ada = await store.get('User', ADA);
    expect(ada).toMatchObject({
      userName: 'ada.lovelace@example.com',
      active: true,
      emails: [{ type: 'work', primary: true }],
    });
    const engineering = await store.get('Group', ENGINEERING);
    expect((engineering.members as unknown[]).length).toBe(2);
  });

  it('does not run again when the table exists', async () => {
    const again = await createSqlStore(demoSqliteMapping(file));
    const result = await again.search('User', { startIndex: 1, count: 0 });
    expect(result.totalResults).toBeGreaterThanOrEqual(3);
    await again.close();
  });
});

describe('member deltas on a large group', () => {
  const size = 20_000;
  let groupId: string;
  let newcomer: string;

  beforeAll(async () => {
    const group = await store.create('Group', { schemas: [], displayName: `big ${randomUUID()}` });
    groupId = String(group.id);
    const now = new Date().toISOString();
    const users = Array.from({ length: size }, (_, index) => ({
      id: randomUUID(),
      user_name: `bulk-${index}-${groupId}`,
      active: 1,
      version: 1,
      created_at: now,
      updated_at: now,
    }));
    await store.db.transaction(async (trx) => {
      await trx.batchInsert('users', users, 400);
      await trx.batchInsert(
        'group_members',
        users.map((user) => ({ group_id: groupId, member_id: user.id, member_type: 'User' })),
        400,
      );
    });
    newcomer = String((await store.create('User', { schemas: [], userName: `newcomer-${groupId}` })).id);
  });

  it('adding one member reads none of the others', async () => {
    const operations = parsePatchRequest({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'add', path: 'members', value: [{ value: newcomer }] }],
    });
    const statements = await recordSql(() =>
      store.modify('Group', groupId, operations, undefined, { excludedAttributes: ['members'] }),
    );
    const rowsRead = statements.reduce((sum, statement) => sum + statement.rows, 0);
    expect(rowsRead).toBeLessThan(10);
    expect(statements.filter((s) => /^insert into `group_members`/i.test(s.sql))).toHaveLength(1);
    const count = await store.db('group_members').where('group_id', groupId).count({ n: '*' });
    expect(Number(count[0]?.n)).toBe(size + 1);
  });

  it('removing members deletes only the named rows', async () => {
    const operations = parsePatchRequest({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'remove', path: `members[value eq "${newcomer}"]` }],
    });
    const statements = await recordSql(() =>
      store.modify('Group', groupId, operations, undefined, { excludedAttributes: ['members'] }),
    );
    expect(statements.reduce((sum, statement) => sum + statement.rows, 0)).toBeLessThan(10);
    const deletes = statements.filter((s) => /^delete from `group_members`/i.test(s.sql));
    expect(deletes).toHaveLength(1);
    expect(deletes[0]?.bindings).toEqual([groupId, newcomer]);
  });

  it('excludedAttributes=members never touches the join table', async () => {
    const statements = await recordSql(() =>
      store.get('Group', groupId, { excludedAttributes: ['members'] }),
    );
    expect(statements.some((s) => s.sql.includes('group_members'))).toBe(false);
    const listed = await recordSql(() =>
      store.search('Group', { startIndex: 1, count: 10, excludedAttributes: ['members'] }),
    );
    expect(listed.some((s) => s.sql.includes('group_members'))).toBe(false);
  });

  it('a page of users is one statement (e-mails and phones inside it), plus the COUNT when more match', async () => {
    const statements = await recordSql(() =>
      store.search('User', { startIndex: 1, count: 200, filter: parseFilter(`userName ew "${groupId}"`) }),
    );
    // the page (child tables as JSON sub-selects), then the count: 20,000 match, 200 shown
    expect(statements).toHaveLength(2);
    expect(statements[0]?.sql).toMatch(/json_group_array\(json_array\(`user_emails`\.`address`/);
    expect(statements[0]?.rows).toBe(200);
    expect(statements[1]?.sql).toMatch(/^select count\(\*\)/);
  });

  it('a cursor deep in the result costs the same as the first page', async () => {
    const filter = parseFilter(`userName ew "${groupId}"`);
    const first = await store.search('User', { startIndex: 1, count: 100, filter, cursor: '' });
    const statements = await recordSql(() =>
      store.search('User', { startIndex: 1, count: 100, filter, cursor: String(first.nextCursor) }),
    );
    // The page runs first now (a page that is not the last also needs the COUNT); find it by its LIMIT.
    const page = statements.find((statement) => /^select `users`\..* limit \?$/i.test(statement.sql));
    expect(page?.sql).not.toMatch(/offset/i);
    expect(page?.rows).toBe(101);
  });
});

describe('reads from compiled statement templates', () => {
  const names = async (filter: string) =>
    (await store.search('User', { startIndex: 1, count: 10, filter: parseFilter(filter) })).resources.map(
      (user) => user.userName,
    );

  it('fills each request its own values into a shape compiled once', async () => {
    expect(await names('userName eq "ada.lovelace@example.com"')).toEqual(['ada.lovelace@example.com']);
    expect(await names('userName eq "GRACE.HOPPER@example.com"')).toEqual(['grace.hopper@example.com']);
    expect(await names('userName eq "nobody@example.com"')).toEqual([]);
  });

  it('tells apart filters whose SQL differs only in the column', async () => {
    // Both compare lower(column) = lower(?): the column is an identifier binding, part of the template's key.
    expect(await names('displayName eq "Ada Lovelace"')).toEqual(['ada.lovelace@example.com']);
    expect(await names('userName eq "Ada Lovelace"')).toEqual([]);
    expect(await names('displayName eq "ada.lovelace@example.com"')).toEqual([]);
  });

  it('reads by id with and without a selection of attributes', async () => {
    expect((await store.get('User', ADA)).emails).toEqual([
      { value: 'ada.lovelace@example.com', type: 'work', primary: true },
    ]);
    const narrow = await store.get('User', ADA, { attributes: ['userName'] });
    expect(narrow.userName).toBe('ada.lovelace@example.com');
    expect(narrow.emails).toBeUndefined();
    await expect(store.get('User', '6f1c7a52-4a4e-4c1e-9a57-3d2c1b8e0aff')).rejects.toMatchObject({
      status: 404,
    });
  });
});

describe('explain', () => {
  it('shows the SQL with placeholders and the bindings separately', () => {
    const text = store.explain('User', {
      startIndex: 1,
      count: 10,
      filter: parseFilter('userName eq "secret-value" and emails[type eq "work"]'),
      sort: { path: { attribute: 'userName' }, order: 'ascending' },
    });
    const sqlLines = text.split('\n').filter((line) => !line.startsWith('--'));
    expect(sqlLines.join('\n')).not.toContain('secret-value');
    expect(sqlLines.join('\n')).toContain('?');
    expect(text).toContain('-- bindings: ["secret-value","work"');
    expect(text).toMatch(/EXISTS \(SELECT 1 FROM `user_emails`/);
  });
});

describe('error mapping', () => {
  const dialect = new SqliteDialect();
  const cases: [string, unknown, number, string | undefined][] = [
    [
      'connection refused',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      503,
      undefined,
    ],
    [
      'pool timeout',
      Object.assign(new Error('Knex: Timeout acquiring a connection'), { name: 'KnexTimeoutError' }),
      503,
      undefined,
    ],
    [
      'database busy',
      Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }),
      503,
      undefined,
    ],
    [
      'unique violation',
      Object.assign(new Error('insert into users … - UNIQUE constraint failed: users.user_name'), {
        code: 'SQLITE_CONSTRAINT_UNIQUE',
      }),
      409,
      'uniqueness',
    ],
    [
      'foreign key',
      Object.assign(new Error('FOREIGN KEY constraint failed'), { code: 'SQLITE_CONSTRAINT_FOREIGNKEY' }),
      400,
      'invalidValue',
    ],
  ];
  it.each(cases)('%s', (_label, err, status, scimType) => {
    const mapped = mapSqlError(err, dialect);
    expect(mapped).toBeInstanceOf(ScimError);
    expect({ status: (mapped as ScimError).status, scimType: (mapped as ScimError).scimType }).toEqual({
      status,
      scimType,
    });
    if (status === 503) expect((mapped as ScimError).retryAfter).toBeGreaterThan(0);
  });

  it('an unexpected database error carries neither SQL nor bound values', async () => {
    const broken = await mkdtemp(join(tmpdir(), 'crosswalk-broken-'));
    const other = (await createSqlStore(demoSqliteMapping(join(broken, 'x.sqlite')))) as SqlStore;
    await other.db.schema.dropTable('user_phones');
    let error: unknown;
    try {
      await other.search('User', {
        startIndex: 1,
        count: 5,
        filter: parseFilter('userName eq "ada.lovelace@example.com"'),
      });
    } catch (err) {
      error = err;
    }
    await other.close();
    await rm(broken, { recursive: true, force: true });
    expect(error).toBeInstanceOf(SqlBackendError);
    const text = `${String((error as Error).message)} ${String((error as Error).cause ?? '')}`;
    expect(text).not.toMatch(/select|user_phones|ada\.lovelace/i);
  });

  it('a required column left empty is 400 invalidValue, not 500', async () => {
    let error: unknown;
    try {
      await store.create('Group', { schemas: [] });
    } catch (err) {
      error = err;
    }
    expect(isScimError(error) && error.scimType).toBe('invalidValue');
    expect((error as Error).message).toContain('displayName');
  });
});
