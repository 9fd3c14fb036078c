import knex from 'knex';
import { describe, expect, it } from 'vitest';
import { dialectFor } from '../../../src/backends/sql/dialects/dialect-for.js';
import { filterToSql } from '../../../src/backends/sql/filter-to-sql.js';
import { SqlLayouts } from '../../../src/backends/sql/sql-resource-layout.js';
import type { CompiledMapping, SqlDialect } from '../../../src/mapping/compiled-mapping.js';
import { isScimError } from '../../../src/scim/errors.js';
import { parseFilter } from '../../../src/scim/filter/parser.js';
import { SCHEMA_URN, USER_RESOURCE_TYPE, USER_SCHEMA } from '../../../src/scim/schema/core-schemas.js';
import { narrowSchema } from '../../../src/scim/schema/narrow-schema.js';
import { createResourceSchema } from '../../../src/scim/schema/resource-schema.js';
import { demoSqliteMapping } from '../../support/demo-sqlite-mapping.js';

/** The WHERE clause a filter becomes, rendered by knex for a dialect, without a database. */
function compile(mapping: CompiledMapping, dialectName: SqlDialect, resourceType: string, filter: string) {
  const dialect = dialectFor(dialectName);
  const layout = new SqlLayouts(mapping).get(resourceType);
  const where = filterToSql(layout, dialect, parseFilter(filter));
  const db = knex({ client: dialect.knexClient });
  const native = db
    .queryBuilder()
    .whereRaw(where.sql, [...where.bindings] as never)
    .toSQL()
    .toNative();
  return { sql: native.sql.replace(/^select \* where /, ''), bindings: native.bindings };
}

const demo = demoSqliteMapping(':memory:');
const typeOf = (filter: string) => (/^(not \()?members/.test(filter) ? 'Group' : 'User');

describe('filterToSql on SQLite (demo mapping)', () => {
  // [filter, WHERE clause, bindings]
  const cases: [string, string, unknown[]][] = [
    ['userName eq "Bjensen"', '`users`.`user_name` COLLATE NOCASE = ?', ['Bjensen']],
    ['userName ne "x"', '(`users`.`user_name` IS NULL OR `users`.`user_name` COLLATE NOCASE <> ?)', ['x']],
    [
      'not (userName eq "x")',
      '(`users`.`user_name` IS NULL OR `users`.`user_name` COLLATE NOCASE <> ?)',
      ['x'],
    ],
    ['title gt "m"', '`users`.`title` COLLATE NOCASE > ?', ['m']],
    ['title ge "m"', '`users`.`title` COLLATE NOCASE >= ?', ['m']],
    ['title lt "m"', '`users`.`title` COLLATE NOCASE < ?', ['m']],
    ['title le "m"', '`users`.`title` COLLATE NOCASE <= ?', ['m']],
    ['not (title gt "m")', '(`users`.`title` IS NULL OR `users`.`title` COLLATE NOCASE <= ?)', ['m']],
    ['userName co "a%b_c!d"', "`users`.`user_name` COLLATE NOCASE LIKE ? ESCAPE '!'", ['%a!%b!_c!!d%']],
    ['userName sw "J"', "`users`.`user_name` COLLATE NOCASE LIKE ? ESCAPE '!'", ['J%']],
    ['userName ew "n"', "`users`.`user_name` COLLATE NOCASE LIKE ? ESCAPE '!'", ['%n']],
    [
      'not (userName co "x")',
      "(`users`.`user_name` IS NULL OR NOT (`users`.`user_name` COLLATE NOCASE LIKE ? ESCAPE '!'))",
      ['%x%'],
    ],
    ['externalId co "X"', 'instr(`users`.`external_id`, ?) > 0', ['X']],
    ['externalId sw "X"', 'instr(`users`.`external_id`, ?) = 1', ['X']],
    [
      'externalId ew "X"',
      'substr(`users`.`external_id`, length(`users`.`external_id`) - length(?) + 1) = ?',
      ['X', 'X'],
    ],
    ['externalId eq "X"', '`users`.`external_id` = ?', ['X']],
    ['title pr', '(`users`.`title` IS NOT NULL AND `users`.`title` <> ?)', ['']],
    ['not (title pr)', '(`users`.`title` IS NULL OR `users`.`title` = ?)', ['']],
    ['active pr', '`users`.`active` IS NOT NULL', []],
    ['active eq true', '`users`.`active` = ?', [1]],
    ['active ne false', '(`users`.`active` IS NULL OR `users`.`active` <> ?)', [0]],
    ['title eq null', '(`users`.`title` IS NULL OR `users`.`title` = ?)', ['']],
    ['title ne null', '(`users`.`title` IS NOT NULL AND `users`.`title` <> ?)', ['']],
    [
      'id eq "2819c223-7f76-453a-919d-413861904646"',
      '`users`.`id` = ?',
      ['2819c223-7f76-453a-919d-413861904646'],
    ],
    // An id the key type (uuid) cannot hold is decided without the database.
    ['id eq "2819c223"', '1 = 0', []],
    ['id ne "2819c223"', '1 = 1', []],
    ['not (id eq "2819c223")', '1 = 1', []],
    ['meta.created gt "2011-05-13T04:42:34Z"', '`users`.`created_at` > ?', ['2011-05-13T04:42:34.000Z']],
    [
      'meta.lastModified le "2011-05-13T04:42:34+02:00"',
      '`users`.`updated_at` <= ?',
      ['2011-05-13T02:42:34.000Z'],
    ],
    ['meta.resourceType eq "User"', '1 = 1', []],
    ['meta.resourceType eq "Group"', '1 = 0', []],
    ['name.familyName eq "O\'Malley"', '`users`.`family_name` COLLATE NOCASE = ?', ["O'Malley"]],
    [
      'name pr',
      '((`users`.`formatted_name` IS NOT NULL AND `users`.`formatted_name` <> ?) OR (`users`.`family_name` IS NOT NULL AND `users`.`family_name` <> ?) OR (`users`.`given_name` IS NOT NULL AND `users`.`given_name` <> ?))',
      ['', '', ''],
    ],
    ['name[givenName eq "Ada"]', '`users`.`given_name` COLLATE NOCASE = ?', ['Ada']],
    [
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "701984"',
      '`users`.`employee_number` COLLATE NOCASE = ?',
      ['701984'],
    ],
    [
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d"',
      '`users`.`manager_id` = ?',
      ['26118915-6090-4610-87e4-49d8ca9f808d'],
    ],
    [
      'emails[type eq "work" and value co "@example.com"]',
      "EXISTS (SELECT 1 FROM `user_emails` WHERE (`user_emails`.`user_id` = `users`.`id` AND (`user_emails`.`kind` COLLATE NOCASE = ? AND `user_emails`.`address` COLLATE NOCASE LIKE ? ESCAPE '!')))",
      ['work', '%@example.com%'],
    ],
    [
      'emails[type eq "work"].value eq "a@x"',
      'EXISTS (SELECT 1 FROM `user_emails` WHERE (`user_emails`.`user_id` = `users`.`id` AND (`user_emails`.`kind` COLLATE NOCASE = ? AND `user_emails`.`address` COLLATE NOCASE = ?)))',
      ['work', 'a@x'],
    ],
    [
      'emails.value eq "a@x"',
      'EXISTS (SELECT 1 FROM `user_emails` WHERE (`user_emails`.`user_id` = `users`.`id` AND `user_emails`.`address` COLLATE NOCASE = ?))',
      ['a@x'],
    ],
    [
      'emails co "@x"',
      "EXISTS (SELECT 1 FROM `user_emails` WHERE (`user_emails`.`user_id` = `users`.`id` AND `user_emails`.`address` COLLATE NOCASE LIKE ? ESCAPE '!'))",
      ['%@x%'],
    ],
    ['emails pr', 'EXISTS (SELECT 1 FROM `user_emails` WHERE `user_emails`.`user_id` = `users`.`id`)', []],
    [
      'not (emails pr)',
      'NOT EXISTS (SELECT 1 FROM `user_emails` WHERE `user_emails`.`user_id` = `users`.`id`)',
      [],
    ],
    [
      'emails.type pr',
      'EXISTS (SELECT 1 FROM `user_emails` WHERE (`user_emails`.`user_id` = `users`.`id` AND (`user_emails`.`kind` IS NOT NULL AND `user_emails`.`kind` <> ?)))',
      [''],
    ],
    [
      'not (emails[type eq "work"])',
      'NOT EXISTS (SELECT 1 FROM `user_emails` WHERE (`user_emails`.`user_id` = `users`.`id` AND `user_emails`.`kind` COLLATE NOCASE = ?))',
      ['work'],
    ],
    [
      'emails[not (primary eq true)]',
      'EXISTS (SELECT 1 FROM `user_emails` WHERE (`user_emails`.`user_id` = `users`.`id` AND (`user_emails`.`is_primary` IS NULL OR `user_emails`.`is_primary` <> ?)))',
      [true],
    ],
    [
      'userName eq "a" and (title pr or not (active eq true))',
      '(`users`.`user_name` COLLATE NOCASE = ? AND ((`users`.`title` IS NOT NULL AND `users`.`title` <> ?) OR (`users`.`active` IS NULL OR `users`.`active` <> ?)))',
      ['a', '', 1],
    ],
    [
      'not (userName eq "a" or title eq "b")',
      '((`users`.`user_name` IS NULL OR `users`.`user_name` COLLATE NOCASE <> ?) AND (`users`.`title` IS NULL OR `users`.`title` COLLATE NOCASE <> ?))',
      ['a', 'b'],
    ],
    [
      'members.value eq "0b2f6a3e-1c4d-4e5f-8a9b-0c1d2e3f4a5b"',
      'EXISTS (SELECT 1 FROM `group_members` WHERE (`group_members`.`group_id` = `groups`.`id` AND `group_members`.`member_id` = ?))',
      ['0b2f6a3e-1c4d-4e5f-8a9b-0c1d2e3f4a5b'],
    ],
    ['members.value eq "x"', '1 = 0', []],
    ['not (members.value eq "x")', '1 = 1', []],
    [
      'members[type eq "Group"]',
      'EXISTS (SELECT 1 FROM `group_members` WHERE (`group_members`.`group_id` = `groups`.`id` AND `group_members`.`member_type` COLLATE NOCASE = ?))',
      ['Group'],
    ],
    [
      'members pr',
      'EXISTS (SELECT 1 FROM `group_members` WHERE `group_members`.`group_id` = `groups`.`id`)',
      [],
    ],
  ];
  it.each(cases)('%s', (filter, sql, bindings) => {
    expect(compile(demo, 'sqlite', typeOf(filter), filter)).toEqual({ sql, bindings });
  });
});

describe('filterToSql per dialect', () => {
  const cases: [SqlDialect, string, string, unknown[]][] = [
    ['postgres', 'userName eq "Bjensen"', 'lower("users"."user_name") = lower($1)', ['Bjensen']],
    [
      'postgres',
      'userName co "a%b_c!d"',
      `lower("users"."user_name") LIKE lower($1) ESCAPE '!'`,
      ['%a!%b!_c!!d%'],
    ],
    ['postgres', 'externalId sw "X"', `"users"."external_id" LIKE $1 ESCAPE '!'`, ['X%']],
    [
      'postgres',
      'not (title gt "m")',
      '("users"."title" IS NULL OR lower("users"."title") <= lower($1))',
      ['m'],
    ],
    [
      'mysql',
      'externalId eq "X"',
      '(`users`.`external_id` = ? AND BINARY `users`.`external_id` = BINARY ?)',
      ['X', 'X'],
    ],
    ['mysql', 'userName sw "a_"', "`users`.`user_name` LIKE ? ESCAPE '!'", ['a!_%']],
    ['mssql', 'userName co "a[b%"', "[users].[user_name] LIKE @p0 ESCAPE '!'", ['%a![b!%%']],
    ['mssql', 'externalId eq "X"', '[users].[external_id] COLLATE Latin1_General_CS_AS = @p0', ['X']],
  ];
  it.each(cases)('%s: %s', (dialect, filter, sql, bindings) => {
    expect(compile(demo, dialect, 'User', filter)).toEqual({ sql, bindings });
  });
});

describe('typed picks (emails[type eq "work"].value mapped to a column)', () => {
  const U = SCHEMA_URN.user;
  const attributes = [
    { kind: 'scalar', scim: { schema: U, attribute: 'userName' }, target: 'uid', readOnly: false },
    {
      kind: 'scalar',
      scim: { schema: U, attribute: 'emails', subAttribute: 'value', typeValue: 'work' },
      target: 'mail',
      readOnly: false,
    },
    {
      kind: 'scalar',
      scim: { schema: U, attribute: 'emails', subAttribute: 'value', typeValue: 'home' },
      target: 'home_mail',
      readOnly: false,
    },
  ] as const;
  const schema = createResourceSchema(
    USER_RESOURCE_TYPE,
    narrowSchema(USER_SCHEMA, [
      { attribute: 'userName' },
      { attribute: 'emails', subAttribute: 'value' },
      { attribute: 'emails', subAttribute: 'type' },
    ]),
    [],
  );
  const mapping: CompiledMapping = {
    source: 'picks.yaml',
    backend: {
      type: 'sql',
      dialect: 'sqlite',
      connection: {},
      pool: { min: 1, max: 1 },
      preparedStatements: 0,
    },
    resourceTypes: [
      { name: 'User', schema, attributes, sql: { table: 'people', id: { column: 'pid', generate: 'uuid' } } },
    ],
  };
  const cases: [string, string, unknown[]][] = [
    [
      'emails[type eq "work" and value co "@x"]',
      "(`people`.`mail` IS NOT NULL AND `people`.`mail` COLLATE NOCASE LIKE ? ESCAPE '!')",
      ['%@x%'],
    ],
    [
      'emails[type eq "work"].value eq "a@x"',
      '(`people`.`mail` IS NOT NULL AND `people`.`mail` COLLATE NOCASE = ?)',
      ['a@x'],
    ],
    [
      'emails.value eq "a@x"',
      '((`people`.`mail` IS NOT NULL AND `people`.`mail` COLLATE NOCASE = ?) OR (`people`.`home_mail` IS NOT NULL AND `people`.`home_mail` COLLATE NOCASE = ?))',
      ['a@x', 'a@x'],
    ],
    ['emails pr', '(`people`.`mail` IS NOT NULL OR `people`.`home_mail` IS NOT NULL)', []],
    // The work value can never be of type home, so only the home column decides.
    ['not (emails[type eq "home"])', '`people`.`home_mail` IS NULL', []],
    ['emails[type eq "other"]', '1 = 0', []],
  ];
  it.each(cases)('%s', (filter, sql, bindings) => {
    expect(compile(mapping, 'sqlite', 'User', filter)).toEqual({ sql, bindings });
  });
});

describe('what the mapping cannot answer is 400 invalidFilter', () => {
  const cases = [
    'nickName eq "x"',
    'emails.display eq "x"',
    'emails[display eq "x"]',
    'active gt true',
    'active co "t"',
    'meta.created gt "not a date"',
    'meta.location eq "x"',
    'title gt null',
    'name eq "x"',
    'emails[value[type eq "x"]]',
  ];
  it.each(cases)('%s', (filter) => {
    let error: unknown;
    try {
      compile(demo, 'sqlite', 'User', filter);
    } catch (err) {
      error = err;
    }
    expect(isScimError(error) ? { status: error.status, scimType: error.scimType } : error).toEqual({
      status: 400,
      scimType: 'invalidFilter',
    });
  });
});
