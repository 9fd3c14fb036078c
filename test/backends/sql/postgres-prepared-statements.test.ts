import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlStore, type SqlStore } from '../../../src/backends/sql/sql-store.js';
import type { CompiledMapping, SqlBackendConfig } from '../../../src/mapping/compiled-mapping.js';
import { parseFilter } from '../../../src/scim/filter/parser.js';
import { SCHEMA_URN } from '../../../src/scim/schema/core-schemas.js';
import { prepareResourceForWrite } from '../../../src/scim/schema/prepare-write.js';
import {
  createPostgresHrDatabase,
  loadPostgresHrMapping,
  type PostgresDatabase,
} from '../../support/postgres.js';
import { scimErrorOf } from '../../support/scim-error-of.js';

/**
 * PostgreSQL connections name their statements (postgres-prepared-statements.ts)
 * so the server parses and plans each once. On the real server: answers are
 * those of unnamed statements, a connection never holds more statements than
 * the mapping allows, transactions and failed statements leave it usable, and
 * a table changed under a prepared plan costs one 503, not a broken connection.
 * Each store here has one connection, so pg_prepared_statements (which lists
 * the asking session's statements) shows exactly what that connection holds.
 */
let database: PostgresDatabase;
let mapping: CompiledMapping;

beforeAll(async () => {
  database = await createPostgresHrDatabase();
  mapping = await loadPostgresHrMapping(database);
}, 60_000);

afterAll(async () => {
  await database?.drop();
});

async function openStore(preparedStatements: number): Promise<SqlStore> {
  const backend = mapping.backend as SqlBackendConfig;
  return (await createSqlStore({
    ...mapping,
    backend: { ...backend, pool: { min: 0, max: 1 }, preparedStatements },
  })) as SqlStore;
}

/** The statements the store's one connection holds prepared. */
async function held(store: SqlStore): Promise<string[]> {
  const result = (await store.db.raw('SELECT name FROM pg_prepared_statements')) as {
    rows: { name: string }[];
  };
  return result.rows.map((row) => row.name);
}

const FILTERS = [
  'userName eq "ada.lovelace"',
  'userName eq "GRACE.HOPPER"',
  'externalId eq "hris-0003"',
  'displayName co "a"',
  'title sw "Eng"',
  'userName pr',
  'emails[type eq "work" and value ew "acme.example"]',
  'not (title eq "Analyst")',
  'userName eq "ada.lovelace" or userName eq "alan.turing"',
  'displayName gt "B"',
  'active eq true',
  'meta.lastModified gt "2000-01-01T00:00:00Z"',
];

const search = (store: SqlStore, filter: string) =>
  store.search('User', { startIndex: 1, count: 50, filter: parseFilter(filter) });

describe('PostgreSQL prepared statements', () => {
  it('a repeated read is prepared once and answers what an unnamed statement answers', async () => {
    const prepared = await openStore(10);
    const unnamed = await openStore(0);
    try {
      const first = await prepared.get('User', '1');
      const names = await held(prepared);
      expect(names.length).toBeGreaterThan(0);
      expect(await prepared.get('User', '1')).toEqual(first);
      expect(await held(prepared)).toEqual(names);
      expect(first).toEqual(await unnamed.get('User', '1'));
      expect(await held(unnamed)).toEqual([]);
    } finally {
      await prepared.close();
      await unnamed.close();
    }
  });

  it('never holds more statements than allowed, however many filter shapes arrive', async () => {
    const prepared = await openStore(3);
    const unnamed = await openStore(0);
    try {
      for (const round of [1, 2]) {
        for (const filter of FILTERS) {
          const answer = await search(prepared, filter);
          expect(answer, `${filter} (round ${round})`).toEqual(await search(unnamed, filter));
          expect((await held(prepared)).length).toBeLessThanOrEqual(3);
        }
      }
      expect((await held(prepared)).length).toBe(3);
    } finally {
      await prepared.close();
      await unnamed.close();
    }
  });

  it('writes in a transaction with every slot taken go unnamed and commit', async () => {
    const store = await openStore(1);
    try {
      await store.get('User', '1');
      const schema = mapping.resourceTypes.find((type) => type.name === 'User')?.schema;
      if (schema === undefined) throw new Error('no User');
      const created = await store.create(
        'User',
        prepareResourceForWrite(
          schema,
          {
            schemas: [SCHEMA_URN.user],
            userName: 'prepared.create',
            name: { givenName: 'Pre', familyName: 'Pared' },
            emails: [{ value: 'prepared@acme.example', type: 'work', primary: true }],
          },
          'create',
        ),
      );
      expect((await held(store)).length).toBeLessThanOrEqual(1);
      expect(await store.get('User', String(created.id))).toMatchObject({ userName: 'prepared.create' });
      // A failed statement inside the create's transaction: 409, and the connection still serves.
      const duplicate = await scimErrorOf(() =>
        store.create(
          'User',
          prepareResourceForWrite(
            schema,
            { schemas: [SCHEMA_URN.user], userName: 'PREPARED.create' },
            'create',
          ),
        ),
      );
      expect(duplicate.status).toBe(409);
      expect(await store.get('User', String(created.id))).toMatchObject({ userName: 'prepared.create' });
      expect((await held(store)).length).toBeLessThanOrEqual(1);
    } finally {
      await store.close();
    }
  });

  // Changes the employees table: the last test of the file.
  it('a column type changed under a prepared plan is one 503, and the retry is prepared anew', async () => {
    const store = await openStore(10);
    try {
      expect(await store.get('User', '2')).toMatchObject({ title: 'Engineer' });
      await database.db.raw('ALTER TABLE employees ALTER COLUMN job_title TYPE varchar(150)');
      await database.db.raw('ALTER TABLE employees ALTER COLUMN job_title TYPE text');
      const stale = await scimErrorOf(() => store.get('User', '2'));
      expect(stale.status).toBe(503);
      expect(stale.retryAfter).toBeGreaterThan(0);
      expect(await store.get('User', '2')).toMatchObject({ title: 'Engineer' });
      expect(await store.get('User', '2')).toMatchObject({ title: 'Engineer' });
    } finally {
      await store.close();
    }
  });
});
