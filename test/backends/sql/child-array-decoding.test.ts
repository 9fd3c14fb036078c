import { describe, expect, it } from 'vitest';
import { dialectFor } from '../../../src/backends/sql/dialects/dialect-for.js';
import { SqlStore } from '../../../src/backends/sql/sql-store.js';
import { demoSqliteMapping } from '../../support/demo-sqlite-mapping.js';
import { type RecordedStatement, recordingKnex } from '../../support/recording-knex.js';
import { USER_ID } from './dialect-statements.cases.js';

/**
 * The child arrays exactly as each driver hands them over, decoded by the
 * store's real read path (a recording knex answers the one statement): a
 * parsed array (pg's json type), JSON text with 0/1 booleans (mysql2,
 * better-sqlite3), bytes (a GROUP_CONCAT under a binary collation), and SQL
 * Server's FOR JSON PATH objects keyed by position with NULLs left out. Every
 * form must give the same SCIM values. SQL Server has no server here, so
 * this is where its JSON form is checked.
 */
const EMAILS = [
  { value: 'b@example.com', type: 'work', primary: true },
  { value: 'a "quoted" \\ value', primary: false },
];

const CASES = [
  [
    'pg',
    'postgres',
    'parsed json',
    [
      ['b@example.com', 'work', true],
      ['a "quoted" \\ value', null, false],
    ],
  ],
  ['mysql2', 'mysql', 'JSON text, 0/1', '[["b@example.com","work",1],["a \\"quoted\\" \\\\ value",null,0]]'],
  [
    'mysql2',
    'mysql',
    'JSON bytes',
    Buffer.from('[["b@example.com","work",1],["a \\"quoted\\" \\\\ value",null,0]]', 'utf8'),
  ],
  [
    'better-sqlite3',
    'sqlite',
    'JSON text, 0/1',
    '[["b@example.com","work",1],["a \\"quoted\\" \\\\ value",null,0]]',
  ],
  [
    'mssql',
    'mssql',
    'FOR JSON PATH objects, NULL left out',
    '[{"0":"b@example.com","1":"work","2":true},{"0":"a \\"quoted\\" \\\\ value","2":false}]',
  ],
] as const;

describe.each(CASES)('%s (%s): %s', (client, dialectName, _form, emailsJson) => {
  it('decodes to the same e-mails; a NULL list (no rows) leaves the attribute out', async () => {
    const answer = (statement: RecordedStatement, method: string) => {
      if (method !== 'select') return 1;
      expect(statement.sql).toContain('emails_json');
      return [
        { id: USER_ID, user_name: 'bjensen', version: 1, emails_json: emailsJson, phoneNumbers_json: null },
      ];
    };
    const { db, statements } = await recordingKnex(client, answer);
    const user = await new SqlStore(db, dialectFor(dialectName), demoSqliteMapping(':memory:')).get(
      'User',
      USER_ID,
    );
    expect(statements).toHaveLength(1);
    expect(user.emails).toEqual(EMAILS);
    expect(user).not.toHaveProperty('phoneNumbers');
    expect(user.userName).toBe('bjensen');
  });
});

it('an empty array (SQLite answers [] rather than NULL) leaves the attribute out too', async () => {
  const { db } = await recordingKnex('better-sqlite3', (_statement, method) =>
    method === 'select' ? [{ id: USER_ID, user_name: 'u', emails_json: '[]', phoneNumbers_json: '[]' }] : 1,
  );
  const user = await new SqlStore(db, dialectFor('sqlite'), demoSqliteMapping(':memory:')).get(
    'User',
    USER_ID,
  );
  expect(user).not.toHaveProperty('emails');
  expect(user).not.toHaveProperty('phoneNumbers');
});
