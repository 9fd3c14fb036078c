import type { Knex } from 'knex';
import type { SqlBackendConfig } from '../../../mapping/compiled-mapping.js';
import { fragment, type SqlFragment } from '../sql-fragment.js';
import type { ChildArrayParts, DatabaseErrorKind } from './sql-dialect.js';
import { errorField, SqlDialect } from './sql-dialect.js';

/** The part of a mysql2 connection the pool hook uses. */
interface MysqlConnection {
  query(sql: string, callback: (err: Error | null) => void): unknown;
}

/** 1 GiB: max_allowed_packet's ceiling on both servers, so no longer result could be sent anyway. */
const GROUP_CONCAT_MAX_LEN = 1073741824;

/**
 * MySQL / MariaDB (mysql2). Assumes the usual `_ci` column collations, so
 * plain comparison is case-insensitive; case-exact compares the binary form.
 */
export class MysqlDialect extends SqlDialect {
  readonly name = 'mysql' as const;
  readonly knexClient = 'mysql2';

  /**
   * UTC session time zone, so DATETIME values mean UTC both ways (a mapping
   * may override it). Each new connection lifts group_concat_max_len (MySQL's
   * default is 1,024 bytes), which bounds the child arrays of childArraySql.
   */
  override knexConfig(backend: SqlBackendConfig): Partial<Knex.Config> {
    return {
      connection: { timezone: 'Z', ...backend.connection },
      pool: {
        min: backend.pool.min,
        max: backend.pool.max,
        afterCreate: (
          connection: MysqlConnection,
          done: (err: Error | null, connection: unknown) => void,
        ) => {
          connection.query(`SET SESSION group_concat_max_len = ${GROUP_CONCAT_MAX_LEN}`, (err) =>
            done(err ?? null, connection),
          );
        },
      },
    };
  }

  /**
   * GROUP_CONCAT of JSON_ARRAY rather than JSON_ARRAYAGG: MySQL 8's
   * JSON_ARRAYAGG takes no ORDER BY (MariaDB's does from 10.5), and a stable
   * order is wanted on both. The result is JSON text, NULL when there are no rows.
   */
  childArraySql({ table, columns, owner, key }: ChildArrayParts): string {
    const list = columns.join(', ');
    return `(SELECT CONCAT('[', GROUP_CONCAT(JSON_ARRAY(${list}) ORDER BY ${list} SEPARATOR ','), ']') FROM ${table} WHERE ${owner} = ${key})`;
  }

  /** DATETIME(3) text in UTC: MySQL rejects the `T…Z` form in strict mode. */
  override timestampValue(date: Date): unknown {
    return date.toISOString().slice(0, 23).replace('T', ' ');
  }

  /**
   * `BINARY col = BINARY ?` alone cannot use an index on the column; the plain
   * `col = ?` in front can (it matches a superset under the column's
   * collation), and the BINARY comparison keeps only the exact matches.
   */
  override exactEquality(column: string, value: unknown): SqlFragment {
    return fragment('(?? = ? AND BINARY ?? = BINARY ?)', column, value, column, value);
  }

  operands(caseExact: boolean): { column: string; value: string } {
    return caseExact ? { column: 'BINARY ??', value: 'BINARY ?' } : { column: '??', value: '?' };
  }

  protected classifyDriverError(err: unknown): DatabaseErrorKind {
    const errno = errorField(err, 'errno');
    if (errno === 1062) {
      // "Duplicate entry '…' for key 'users.users_user_name_unique'": only the key name is kept.
      const message = String(errorField(err, 'sqlMessage') ?? errorField(err, 'message') ?? '');
      const key = /for key '([^']*)'/.exec(message)?.[1];
      return { kind: 'unique', columns: [], ...(key === undefined ? {} : { constraint: key }) };
    }
    if (errno === 1048 || errno === 1364) {
      const message = String(errorField(err, 'sqlMessage') ?? '');
      const column = /Column '([^']*)'|Field '([^']*)'/.exec(message);
      const name = column?.[1] ?? column?.[2];
      return { kind: 'notNull', columns: name === undefined ? [] : [name] };
    }
    if (errno === 1452 || errno === 1451) {
      // "… CONSTRAINT `fk` FOREIGN KEY (`supervisor_id`) REFERENCES …": the column, never a value.
      const message = String(errorField(err, 'sqlMessage') ?? '');
      const column = /FOREIGN KEY \(`([^`]*)`\)/.exec(message)?.[1];
      return { kind: 'foreignKey', columns: column === undefined ? [] : [column] };
    }
    // 1644 a trigger's SIGNAL; 3819 (MySQL) / 4025 (MariaDB) a CHECK constraint.
    if (errno === 1644 || errno === 3819 || errno === 4025) return { kind: 'check' };
    // 1406 data too long, 1264 out of range, 1265 truncated.
    if (errno === 1292 || errno === 1366 || errno === 1406 || errno === 1264 || errno === 1265)
      return { kind: 'invalidInput' };
    // Too many connections, lock wait timeout, deadlock, statement time limits (MySQL 3024, MariaDB 1969), gone away.
    if ([1040, 1205, 1213, 3024, 1969, 2002, 2006, 2013].includes(Number(errno)))
      return { kind: 'unavailable' };
    const code = errorField(err, 'code');
    return { kind: 'other', ...(typeof code === 'string' ? { code } : {}) };
  }
}
