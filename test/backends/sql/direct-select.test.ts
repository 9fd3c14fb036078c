import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSelect } from '../../../src/backends/sql/direct-select.js';

/** An in-memory SQLite database behind a pool of one connection: a connection not given back stalls the next read. */
let db: Knex;

beforeAll(async () => {
  db = knex({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
    pool: { min: 1, max: 1 },
    acquireConnectionTimeout: 2000,
  });
  await db.schema.createTable('people', (table) => {
    table.integer('id').primary();
    table.string('name');
  });
  await db('people').insert([
    { id: 1, name: 'Ada' },
    { id: 2, name: 'Grace' },
    { id: 3, name: 'Alan' },
  ]);
});

afterAll(async () => {
  await db.destroy();
});

describe('runSelect', () => {
  it('returns the rows knex would', async () => {
    const query = () => db('people').select('id', 'name').where('name', 'like', 'A%').orderBy('id');
    expect(await runSelect(db, query().toSQL())).toEqual(await query());
  });

  it('gives the connection back, after rows and after a failure', async () => {
    const reads = Array.from({ length: 5 }, (_, i) => runSelect(db, { sql: 'select ? as n', bindings: [i] }));
    expect((await Promise.all(reads)).map((rows) => rows[0]?.n)).toEqual([0, 1, 2, 3, 4]);
    await expect(runSelect(db, { sql: 'select * from missing_table', bindings: [] })).rejects.toThrow(
      /missing_table/,
    );
    expect(await runSelect(db, { sql: 'select 1 as one', bindings: [] })).toEqual([{ one: 1 }]);
  });

  it("fires knex's query events, so statements can still be watched", async () => {
    const seen: { sql: string; uid: string }[] = [];
    const answered: { rows: unknown; uid: string }[] = [];
    const onQuery = (query: { sql: string; __knexQueryUid: string }) =>
      seen.push({ sql: query.sql, uid: query.__knexQueryUid });
    const onResponse = (rows: unknown, query: { __knexQueryUid: string }) =>
      answered.push({ rows, uid: query.__knexQueryUid });
    db.on('query', onQuery).on('query-response', onResponse);
    try {
      await runSelect(db, db('people').select('name').where('id', 2).toSQL());
    } finally {
      db.off('query', onQuery).off('query-response', onResponse);
    }
    expect(seen).toHaveLength(1);
    expect(seen[0]?.sql).toMatch(/select `name` from `people`/);
    expect(answered).toEqual([{ rows: [{ name: 'Grace' }], uid: seen[0]?.uid }]);
  });
});
