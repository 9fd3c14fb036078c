import type { Knex } from 'knex';
import type { SqlBackendConfig } from '../../../mapping/compiled-mapping.js';
import { isStalePlanError, type PgClient, PreparedStatements } from './postgres-prepared-statements.js';
import type { ChildArrayParts, DatabaseErrorKind } from './sql-dialect.js';
import { errorField, SqlDialect } from './sql-dialect.js';

/**
 * The server is going away or overloaded, or the statement ran into a limit
 * worth retrying: statement_timeout (57014), lock_timeout (55P03), a
 * serialization failure or deadlock (40001, 40P01).
 */
const UNAVAILABLE = new Set([
  '57P01',
  '57P03',
  '53300',
  '08006',
  '08001',
  '57014',
  '55P03',
  '40001',
  '40P01',
]);

/** PostgreSQL (pg). Case-insensitive via lower() on both sides; ILIKE for patterns. */
export class PostgresDialect extends SqlDialect {
  readonly name = 'postgres' as const;
  readonly knexClient = 'pg';

  /** Each pooled connection names its statements, so the server parses and plans them once. */
  override knexConfig(backend: SqlBackendConfig): Partial<Knex.Config> {
    const base = super.knexConfig(backend);
    if (backend.preparedStatements <= 0) return base;
    return {
      ...base,
      pool: {
        ...base.pool,
        afterCreate: (connection: PgClient, done: (err: Error | null, connection: unknown) => void) => {
          PreparedStatements.install(connection, backend.preparedStatements);
          done(null, connection);
        },
      },
    };
  }

  operands(caseExact: boolean): { column: string; value: string } {
    return caseExact ? { column: '??', value: '?' } : { column: 'lower(??)', value: 'lower(?)' };
  }

  /** json_agg of json_build_array: the pg driver parses the json column itself. */
  childArraySql({ table, columns, owner, key }: ChildArrayParts): string {
    const list = columns.join(', ');
    return `(SELECT json_agg(json_build_array(${list}) ORDER BY ${list}) FROM ${table} WHERE ${owner} = ${key})`;
  }

  override describeFolding(table: string, column: string): string {
    return `compared as lower(${column}) = lower(?); needs CREATE INDEX ON ${table} (lower(${column})) (or make the column citext and map it caseInsensitive: native)`;
  }

  protected classifyDriverError(err: unknown): DatabaseErrorKind {
    const code = errorField(err, 'code');
    if (code === '23505') {
      // detail: "Key (user_name)=(…) already exists." — keep the column list, drop the value.
      const detail = String(errorField(err, 'detail') ?? '');
      const list = /^Key \(([^)]*)\)=/.exec(detail)?.[1] ?? '';
      const constraint = errorField(err, 'constraint');
      return {
        kind: 'unique',
        columns: list.split(',').map((name) => name.trim().replace(/^"|"$/g, '')),
        ...(typeof constraint === 'string' ? { constraint } : {}),
      };
    }
    if (code === '23502') {
      const column = errorField(err, 'column');
      return { kind: 'notNull', columns: typeof column === 'string' ? [column] : [] };
    }
    if (code === '23503') {
      // detail: "Key (department_code)=(…) is not present in table …" — keep the column, drop the value.
      const list = /^Key \(([^)]*)\)=/.exec(String(errorField(err, 'detail') ?? ''))?.[1];
      return {
        kind: 'foreignKey',
        columns: list === undefined ? [] : list.split(',').map((name) => name.trim().replace(/^"|"$/g, '')),
      };
    }
    // 23514 check_violation; P0001 a trigger's RAISE EXCEPTION.
    if (code === '23514' || code === 'P0001') return { kind: 'check' };
    // 22P02 invalid_text_representation: a non-UUID id against a uuid column; 22001 a value too long.
    if (code === '22P02' || code === '22007' || code === '22008' || code === '22001' || code === '22003')
      return { kind: 'invalidInput' };
    // A prepared plan outlived a change of its table: the retry is prepared anew (postgres-prepared-statements.ts).
    if (UNAVAILABLE.has(String(code)) || isStalePlanError(err)) return { kind: 'unavailable' };
    return { kind: 'other', ...(typeof code === 'string' ? { code } : {}) };
  }
}
