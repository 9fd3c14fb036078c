import type { Knex } from 'knex';
import type { Row } from '../resource-codec.js';
import type { CallResult, ProcedureCall } from './procedure-call.js';

/**
 * One write transaction of the procedure path. Queries are built with the
 * store's knex (so every dialect's SQL comes from one place) and run inside
 * the transaction, next to the procedure calls.
 */
export interface WriteSession {
  /** Runs a knex-built query inside the transaction; its rows. */
  rows(query: Knex.QueryBuilder): Promise<Row[]>;
  /** Calls a procedure inside the transaction; the first row it returned, OUTPUT parameters included. */
  call(call: ProcedureCall): Promise<CallResult>;
}

/** Opens write transactions: all of `work` commits, or none of it. */
export interface WriteSessions {
  transaction<T>(work: (session: WriteSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
