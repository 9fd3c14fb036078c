import type { Knex } from 'knex';

type Row = Record<string, unknown>;

/** A compiled SELECT as knex's `toSQL()` gives it: `?` placeholders, bindings in order. */
export interface CompiledSelect {
  readonly sql: string;
  readonly bindings: readonly unknown[];
}

/**
 * The parts of knex's dialect client this uses. They are what knex's own
 * query runner calls for every statement (knex 3): `query` positions the
 * bindings for the dialect, emits the `query` event and sends the statement;
 * `processResponse` turns the driver's answer into rows.
 */
interface DialectClient {
  acquireConnection(): Promise<unknown>;
  releaseConnection(connection: unknown): unknown;
  query(connection: unknown, query: Record<string, unknown>): Promise<unknown>;
  processResponse(response: unknown, runner: undefined): unknown;
  emit(event: string, ...args: unknown[]): boolean;
}

let nextQueryUid = 0;

/**
 * Runs a compiled SELECT on a connection of the store's pool, without knex's
 * query runner. The runner's bookkeeping per statement (a runner object,
 * query contexts, copies of the query for two events, promise chains) is
 * work a read does not need — one statement on whichever pooled connection
 * is free — and it costs CPU on every read (bench/sql/read-path-cpu.ts,
 * docs/sql.md "How a read is sent"). Reads inside a
 * transaction keep going through knex (`await builder`), which runs them on
 * the transaction's connection.
 *
 * Failures are the driver's own errors, as with knex, so `mapSqlError` maps
 * them alike. The `query` event still fires (knex's client sends it), and
 * `query-response` does when someone listens (tests count rows with it).
 */
export async function runSelect(db: Knex, statement: CompiledSelect): Promise<Row[]> {
  const client = db.client as unknown as DialectClient;
  nextQueryUid += 1;
  const query = {
    method: 'select',
    sql: statement.sql,
    bindings: [...statement.bindings],
    options: {},
    __knexQueryUid: `direct-${nextQueryUid}`,
  };
  const connection = await client.acquireConnection();
  try {
    const rows = client.processResponse(await client.query(connection, query), undefined) as Row[];
    // knex itself always listens on its client; only a listener on the knex object wants the event.
    if ((db as unknown as NodeJS.EventEmitter).listenerCount('query-response') > 0)
      client.emit('query-response', rows, query);
    return rows;
  } finally {
    await client.releaseConnection(connection);
  }
}
