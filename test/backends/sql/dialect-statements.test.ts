import knex from 'knex';
import { describe, expect, it } from 'vitest';
import { dialectFor } from '../../../src/backends/sql/dialects/dialect-for.js';
import { filterToSql } from '../../../src/backends/sql/filter-to-sql.js';
import { SqlLayouts } from '../../../src/backends/sql/sql-resource-layout.js';
import { SqlStore } from '../../../src/backends/sql/sql-store.js';
import { parseFilter } from '../../../src/scim/filter/parser.js';
import { demoSqliteMapping } from '../../support/demo-sqlite-mapping.js';
import { recordingKnex } from '../../support/recording-knex.js';
import { CLIENTS, FILTERS, normalize, READS, respond, WRITES } from './dialect-statements.cases.js';
import { EXPECTED } from './dialect-statements.expected.js';

/**
 * Per-dialect compile tests, no database: every filter operator as the
 * dialect's WHERE clause, and every statement of every table-path write as
 * the dialect's knex client compiles it (the store's real write code runs
 * against a knex whose driver records instead of sending), and every read
 * shape likewise. SQL Server has no server on the CI machine, so this is
 * where its SQL is pinned down.
 */
const demo = demoSqliteMapping(':memory:');

describe.each(CLIENTS)('%s', (client, name) => {
  const dialect = dialectFor(name);
  const expected = EXPECTED[name];

  it.each(FILTERS)('filter %s', (filter) => {
    const layout = new SqlLayouts(demo).get(filter.startsWith('members') ? 'Group' : 'User');
    const where = filterToSql(layout, dialect, parseFilter(filter));
    const native = knex({ client: dialect.knexClient })
      .queryBuilder()
      .whereRaw(where.sql, [...where.bindings] as never)
      .toSQL()
      .toNative();
    expect([native.sql.replace(/^select \* where /, ''), native.bindings]).toEqual(expected?.filters[filter]);
  });

  it.each(Object.keys(WRITES))('write: %s', async (title) => {
    const { db, statements } = await recordingKnex(client, respond);
    await WRITES[title]?.(new SqlStore(db, dialect, demo));
    expect(statements.map(normalize)).toEqual(expected?.writes[title]);
  });

  it.each(Object.keys(READS))('read: %s', async (title) => {
    const { db, statements } = await recordingKnex(client, respond);
    await READS[title]?.(new SqlStore(db, dialect, demo));
    expect(statements.map(normalize)).toEqual(expected?.reads[title]);
  });
});

it('SQL Server locks the row it checks If-Match against (UPDLOCK, held to the end of the transaction)', () => {
  expect(EXPECTED.mssql?.writes['replace a user (If-Match)']?.[0]?.[0]).toBe(
    'select [id], [version] from [users] with (UPDLOCK) where [users].[id] = @p0',
  );
});

it("SQL Server pages a deep page's keys with OFFSET … FETCH inside the derived table, after its ORDER BY", () => {
  const [page] =
    EXPECTED.mssql?.reads['a deep page of users (startIndex 1501: keys paged first, then joined back)'] ?? [];
  const keys =
    /from \((select \[users\]\.\[id\] from \[users\] .*)\) as \[page_keys\] inner join \[users\] on /.exec(
      String(page?.[0]),
    )?.[1];
  expect(keys).toMatch(/ order by .* offset @p2 rows fetch next @p3 rows only$/);
});
