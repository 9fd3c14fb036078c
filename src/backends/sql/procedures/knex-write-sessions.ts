import type { Knex } from 'knex';
import type { Row } from '../resource-codec.js';
import { mysqlCallSql, mysqlOutputSql } from './mysql-call.js';
import { postgresCallSql } from './postgres-call.js';
import type { CallResult, ProcedureCall } from './procedure-call.js';
import type { WriteSession, WriteSessions } from './write-session.js';

type Bindings = readonly Knex.RawBinding[];

/** The rows of a raw result: pg gives `{ rows }`; mysql2 gives `[rows, fields]`, and for CALL `[[rows…], header]`. */
export function rowsOfRaw(result: unknown): Row[] {
  if (typeof result === 'object' && result !== null && 'rows' in result) {
    const rows = (result as { rows: unknown }).rows;
    return Array.isArray(rows) ? (rows as Row[]) : [];
  }
  if (!Array.isArray(result)) return [];
  const first: unknown = result[0];
  if (!Array.isArray(first)) return [];
  // A CALL returns one array per result set, then a status header: the first set holds the row.
  if (Array.isArray(first[0])) return first[0] as Row[];
  return first.filter((row): row is Row => typeof row === 'object' && row !== null && !Array.isArray(row));
}

/** PostgreSQL functions/procedures and MySQL/MariaDB procedures, as bound knex raw calls in a knex transaction. */
export class KnexWriteSessions implements WriteSessions {
  constructor(private readonly db: Knex) {}

  transaction<T>(work: (session: WriteSession) => Promise<T>): Promise<T> {
    return this.db.transaction((trx) => work(this.sessionOf(trx)));
  }

  private sessionOf(trx: Knex.Transaction): WriteSession {
    const client = this.db.client.config.client;
    return {
      rows: async (query) => (await query.transacting(trx)) as Row[],
      call: async (call: ProcedureCall): Promise<CallResult> => {
        if (client === 'pg') {
          const { sql, bindings } = postgresCallSql(call);
          return rowsOfRaw(await trx.raw(sql, bindings as Bindings))[0];
        }
        const { sql, bindings } = mysqlCallSql(call);
        const first = rowsOfRaw(await trx.raw(sql, bindings as Bindings))[0];
        const output = mysqlOutputSql(call);
        if (output === undefined) return first;
        const read = rowsOfRaw(await trx.raw(output.sql, output.bindings as Bindings))[0];
        return { ...first, ...read };
      },
    };
  }

  async close(): Promise<void> {
    // The store closes its knex.
  }
}
