import type { DatabaseErrorKind } from './sql-dialect.js';
import { errorField, SqlDialect } from './sql-dialect.js';

/**
 * MySQL / MariaDB (mysql2). Assumes the usual `_ci` column collations, so
 * plain comparison is case-insensitive; case-exact compares the binary form.
 */
export class MysqlDialect extends SqlDialect {
  readonly name = 'mysql' as const;
  readonly knexClient = 'mysql2';

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
    if (errno === 1452 || errno === 1451) return { kind: 'foreignKey' };
    if (errno === 1292 || errno === 1366) return { kind: 'invalidInput' };
    if (errno === 1040 || errno === 1205 || errno === 2002 || errno === 2013) return { kind: 'unavailable' };
    const code = errorField(err, 'code');
    return { kind: 'other', ...(typeof code === 'string' ? { code } : {}) };
  }
}
