import type { SqlStore } from '../../../src/backends/sql/sql-store.js';
import type { SqlDialect } from '../../../src/mapping/compiled-mapping.js';
import { parseFilter } from '../../../src/scim/filter/parser.js';
import { parsePatchRequest } from '../../../src/scim/patch/parse-patch-request.js';
import { SCHEMA_URN } from '../../../src/scim/schema/core-schemas.js';
import type { RecordedStatement } from '../../support/recording-knex.js';

/** The four dialects: knex client → Crosswalk dialect. */
export const CLIENTS = [
  ['mssql', 'mssql'],
  ['pg', 'postgres'],
  ['mysql2', 'mysql'],
  ['better-sqlite3', 'sqlite'],
] as const satisfies readonly (readonly [string, SqlDialect])[];

/** Every filter operator, the logical ones, value paths, presence on child and join tables. */
export const FILTERS = [
  'userName eq "Bjensen"',
  'userName ne "x"',
  'userName co "a%b_c!d[e"',
  'userName sw "J"',
  'userName ew "n"',
  'externalId eq "X"',
  'externalId co "X"',
  'externalId sw "X"',
  'externalId ew "X"',
  'title pr',
  'title gt "m"',
  'title ge "m"',
  'title lt "m"',
  'title le "m"',
  'active eq true',
  'meta.lastModified gt "2011-05-13T04:42:34Z"',
  'title eq "a" and not (active eq false)',
  'title eq "a" or title eq "b"',
  'not (userName co "x")',
  'emails[type eq "work" and value co "@example.com"]',
  'emails pr',
  'not (emails pr)',
  'members[value eq "11111111-1111-4111-8111-111111111111" and type eq "User"]',
] as const;

export const USER_ID = '11111111-1111-4111-8111-111111111111';
export const GROUP_ID = '22222222-2222-4222-8222-222222222222';
export const MEMBER_ID = '33333333-3333-4333-8333-333333333333';

/** The answers of the pretend database: the one user and group exist (version 1), every member id exists. */
export function respond(statement: RecordedStatement, method: string): unknown {
  if (method !== 'select' && method !== 'first' && method !== 'pluck') return 1;
  const sql = statement.sql;
  const from = /from [["`]?(\w+)/.exec(sql)?.[1];
  if (from === 'users')
    return [{ id: USER_ID, user_name: 'bjensen', version: 1, created_at: 'x', updated_at: 'x' }];
  if (from === 'groups') {
    return [
      { id: statement.bindings.includes(MEMBER_ID) ? MEMBER_ID : GROUP_ID, display_name: 'g', version: 1 },
    ];
  }
  return [];
}

const NOW = /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d\.\d{3}Z?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A statement with the values that change per run (now, a fresh UUID) named instead. */
export function normalize(statement: RecordedStatement): [string, unknown[]] {
  const fixed = new Set([USER_ID, GROUP_ID, MEMBER_ID]);
  return [
    statement.sql,
    statement.bindings.map((value) =>
      typeof value === 'string' && NOW.test(value)
        ? '<now>'
        : typeof value === 'string' && UUID.test(value) && !fixed.has(value)
          ? '<new uuid>'
          : value,
    ),
  ];
}

const patch = (operations: unknown[]) =>
  parsePatchRequest({ schemas: [SCHEMA_URN.patchOp], Operations: operations });

/** Every write the table path makes, each run against a recording knex. */
export const WRITES: Readonly<Record<string, (store: SqlStore) => Promise<unknown>>> = {
  'create a user with an email and a manager': (store) =>
    store.create('User', {
      schemas: [SCHEMA_URN.user],
      userName: 'bjensen',
      emails: [{ value: 'b@example.com', type: 'work', primary: true }],
      [SCHEMA_URN.enterpriseUser]: { manager: { value: USER_ID } },
    }),
  'create a group with a member': (store) =>
    store.create('Group', { schemas: [SCHEMA_URN.group], displayName: 'g', members: [{ value: MEMBER_ID }] }),
  'replace a user (If-Match)': (store) =>
    store.replace(
      'User',
      USER_ID,
      { schemas: [SCHEMA_URN.user], userName: 'bjensen', title: 'T' },
      { ifMatch: 'W/"1"' },
    ),
  'patch a user attribute': (store) =>
    store.modify('User', USER_ID, patch([{ op: 'replace', path: 'title', value: 'T' }])),
  'patch: add a member': (store) =>
    store.modify(
      'Group',
      GROUP_ID,
      patch([{ op: 'add', path: 'members', value: [{ value: MEMBER_ID }] }]),
      undefined,
      {
        excludedAttributes: ['members'],
      },
    ),
  'patch: remove a member': (store) =>
    store.modify(
      'Group',
      GROUP_ID,
      patch([{ op: 'remove', path: `members[value eq "${MEMBER_ID}"]` }]),
      undefined,
      {
        excludedAttributes: ['members'],
      },
    ),
  'delete a user': (store) => store.delete('User', USER_ID),
};

/**
 * Every read shape: one statement per resource and per page (child tables as
 * JSON sub-selects), a join table only when its attribute is returned.
 */
export const READS: Readonly<Record<string, (store: SqlStore) => Promise<unknown>>> = {
  'get a user': (store) => store.get('User', USER_ID),
  'get a user without e-mails': (store) => store.get('User', USER_ID, { excludedAttributes: ['emails'] }),
  'a page of users (userName eq, first page: no COUNT)': (store) =>
    store.search('User', { startIndex: 1, count: 100, filter: parseFilter('userName eq "bjensen"') }),
  'a deep page of users (startIndex 1501: keys paged first, then joined back)': (store) =>
    store.search('User', {
      startIndex: 1501,
      count: 100,
      filter: parseFilter('emails[type eq "work"] and title pr'),
      sort: { path: { attribute: 'userName' }, order: 'descending' },
    }),
  'get a group with its members': (store) => store.get('Group', GROUP_ID),
  'get a group, excludedAttributes=members': (store) =>
    store.get('Group', GROUP_ID, { excludedAttributes: ['members'] }),
};
