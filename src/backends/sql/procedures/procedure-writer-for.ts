import type { Knex } from 'knex';
import type { CompiledMapping } from '../../../mapping/compiled-mapping.js';
import type { SqlDialect } from '../dialects/sql-dialect.js';
import type { ResourceReader } from '../resource-reader.js';
import type { SqlLayouts, SqlResourceLayout } from '../sql-resource-layout.js';
import { KnexWriteSessions } from './knex-write-sessions.js';
import { MssqlWriteSessions } from './mssql-write-sessions.js';
import { ProcedureWriter } from './procedure-writer.js';
import type { WriteSessions } from './write-session.js';

export type { ProcedureWriter };

/**
 * The write strategy for resource types whose mapping names procedures:
 * undefined when none does (every write is then a table statement). SQL
 * Server calls go through the mssql driver, PostgreSQL and MySQL/MariaDB
 * through knex.
 */
export function procedureWriterFor(
  db: Knex,
  dialect: SqlDialect,
  layouts: SqlLayouts,
  mapping: CompiledMapping,
  /** The store's reader of each resource type (reads inside a procedure write use the same statements). */
  readerOf: (layout: SqlResourceLayout) => ResourceReader,
  sessions?: WriteSessions,
): ProcedureWriter | undefined {
  const backend = mapping.backend;
  const needed = layouts.names.some((name) => layouts.get(name).procedures !== undefined);
  if (!needed || backend.type !== 'sql') return undefined;
  const chosen =
    sessions ??
    (dialect.name === 'mssql' ? new MssqlWriteSessions(backend.connection) : new KnexWriteSessions(db));
  return new ProcedureWriter(db, dialect, layouts, chosen, readerOf);
}
