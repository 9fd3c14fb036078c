import knex, { type Knex } from 'knex';

/** One statement knex sent, as the driver would have received it (native placeholders). */
export interface RecordedStatement {
  readonly sql: string;
  readonly bindings: readonly unknown[];
}

/** What the "database" answers to a statement: rows for a select, a row count otherwise. */
export type Responder = (statement: RecordedStatement, method: string) => unknown;

interface QueryObject {
  sql: string;
  bindings?: unknown[];
  method?: string;
  response?: unknown;
}

type ClientClass = new (config: Knex.Config) => Knex.Client;

const CLIENT_MODULES: Readonly<Record<string, string>> = {
  mssql: 'knex/lib/dialects/mssql/index.js',
  pg: 'knex/lib/dialects/postgres/index.js',
  mysql2: 'knex/lib/dialects/mysql2/index.js',
  'better-sqlite3': 'knex/lib/dialects/better-sqlite3/index.js',
};

/** A connection that accepts SQL Server's transaction calls (the other dialects send BEGIN/COMMIT as statements). */
const FAKE_CONNECTION = {
  beginTransaction: (done: (err?: Error) => void) => done(),
  saveTransaction: (done: (err?: Error) => void) => done(),
  commitTransaction: (done: (err?: Error) => void) => done(),
  rollbackTransaction: (done: (err?: Error) => void) => done(),
};

/**
 * A knex instance of a real dialect client whose statements are compiled
 * exactly as for the database (the dialect's own query compiler and
 * placeholder numbering) but recorded instead of sent: the store's write
 * code can be run to see every statement it issues, with no database.
 */
export async function recordingKnex(
  client: keyof typeof CLIENT_MODULES,
  respond: Responder,
): Promise<{ db: Knex; statements: RecordedStatement[] }> {
  const modulePath = CLIENT_MODULES[client];
  if (modulePath === undefined) throw new Error(`no knex client ${client}`);
  const Base = ((await import(modulePath)) as { default: ClientClass }).default;
  const statements: RecordedStatement[] = [];
  class Recording extends (Base as unknown as new (config: Knex.Config) => Record<string, unknown>) {
    acquireConnection() {
      return Promise.resolve(FAKE_CONNECTION);
    }
    releaseConnection() {
      return Promise.resolve();
    }
    _query(_connection: unknown, query: QueryObject) {
      const statement = { sql: query.sql, bindings: [...(query.bindings ?? [])] };
      if (!/^(begin|commit|rollback|savepoint|release)/i.test(query.sql.trim())) statements.push(statement);
      query.response = respond(statement, query.method ?? 'raw');
      return Promise.resolve(query);
    }
    processResponse(query: QueryObject) {
      return query.response;
    }
  }
  const db = knex({ client: Recording as unknown as typeof Knex.Client, useNullAsDefault: true });
  return { db, statements };
}
