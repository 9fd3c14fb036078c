import type { Knex } from 'knex';
import mssql, { type ConnectionPool, type Transaction } from 'mssql';
import { mssqlConnection } from '../dialects/mssql-connection.js';
import type { Row } from '../resource-codec.js';
import { mssqlRequestPlan } from './mssql-call.js';
import type { CallResult, ProcedureCall } from './procedure-call.js';
import type { WriteSession, WriteSessions } from './write-session.js';

/**
 * SQL Server writes through the `mssql` package: procedures with typed
 * inputs (`request.input(name, sql.NVarChar(256), value)`) and OUTPUT
 * parameters, `request.execute(name)`. The knex-built queries of the same
 * transaction (If-Match lock, member lookups) run on the same mssql
 * Transaction, their `@p0…` placeholders bound as inputs.
 */
export class MssqlWriteSessions implements WriteSessions {
  private pool: Promise<ConnectionPool> | undefined;

  /** `connection` is the mapping's connection block (the same keys knex's mssql client takes). */
  constructor(private readonly connection: Readonly<Record<string, unknown>>) {}

  private connect(): Promise<ConnectionPool> {
    if (this.pool === undefined) {
      const pool = new mssql.ConnectionPool(mssqlConnection(this.connection));
      this.pool = pool.connect().catch((err: unknown) => {
        this.pool = undefined;
        throw err;
      });
    }
    return this.pool;
  }

  async transaction<T>(work: (session: WriteSession) => Promise<T>): Promise<T> {
    const transaction = new mssql.Transaction(await this.connect());
    await transaction.begin();
    let result: T;
    try {
      result = await work(sessionOf(transaction));
    } catch (err) {
      await transaction.rollback().catch(() => undefined);
      throw err;
    }
    await transaction.commit();
    return result;
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    if (pool !== undefined) await (await pool.catch(() => undefined))?.close();
  }
}

function sessionOf(transaction: Transaction): WriteSession {
  return {
    rows: async (query: Knex.QueryBuilder) => {
      const native = query.toSQL().toNative();
      const request = new mssql.Request(transaction);
      native.bindings.forEach((value, index) => {
        request.input(`p${index}`, value);
      });
      return ((await request.query<Row>(native.sql)).recordset ?? []) as Row[];
    },
    call: async (call: ProcedureCall): Promise<CallResult> => {
      const plan = mssqlRequestPlan(call);
      const request = new mssql.Request(transaction);
      for (const input of plan.inputs) {
        if (input.type === undefined) request.input(input.name, input.value);
        else request.input(input.name, input.type, input.value);
      }
      for (const output of plan.outputs) {
        if (output.type === undefined) throw new Error(`OUTPUT parameter ${output.name} needs a type`);
        request.output(output.name, output.type);
      }
      const result = await request.execute<Row>(plan.procedure);
      const first = result.recordset?.[0];
      return plan.outputs.length === 0 ? first : { ...first, ...result.output };
    },
  };
}
