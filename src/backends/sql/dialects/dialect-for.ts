import type { SqlDialect as SqlDialectName } from '../../../mapping/compiled-mapping.js';
import { MssqlDialect } from './mssql.js';
import { MysqlDialect } from './mysql.js';
import { PostgresDialect } from './postgres.js';
import type { SqlDialect } from './sql-dialect.js';
import { SqliteDialect } from './sqlite.js';

export function dialectFor(name: SqlDialectName): SqlDialect {
  switch (name) {
    case 'sqlite':
      return new SqliteDialect();
    case 'postgres':
      return new PostgresDialect();
    case 'mysql':
      return new MysqlDialect();
    case 'mssql':
      return new MssqlDialect();
  }
}
