import type { Knex } from 'knex';
import type { SqlBackendConfig } from '../../../mapping/compiled-mapping.js';
import { mssqlConnection } from './mssql-connection.js';
import type { ChildArrayParts, DatabaseErrorKind } from './sql-dialect.js';
import { errorField, SqlDialect } from './sql-dialect.js';

/**
 * SQL Server (mssql/tedious). Default collations are case-insensitive;
 * case-exact compares under a CS collation. LIKE also treats `[` specially.
 */
export class MssqlDialect extends SqlDialect {
  readonly name = 'mssql' as const;
  readonly knexClient = 'mssql';

  override knexConfig(backend: SqlBackendConfig): Partial<Knex.Config> {
    return { ...super.knexConfig(backend), connection: mssqlConnection(backend.connection) };
  }

  operands(caseExact: boolean): { column: string; value: string } {
    return caseExact
      ? { column: '?? COLLATE Latin1_General_CS_AS', value: '?' }
      : { column: '??', value: '?' };
  }

  /**
   * FOR JSON PATH: each row an object whose keys are the column positions
   * ("0", "1", …; NULL values are left out). ORDER BY is allowed in a
   * sub-select that says FOR JSON.
   */
  childArraySql({ table, columns, owner, key }: ChildArrayParts): string {
    const values = columns.map((column, index) => `${column} AS [${index}]`).join(', ');
    return `(SELECT ${values} FROM ${table} WHERE ${owner} = ${key} ORDER BY ${columns.join(', ')} FOR JSON PATH)`;
  }

  protected override likeMetacharacters(): readonly string[] {
    return ['%', '_', '['];
  }

  protected classifyDriverError(err: unknown): DatabaseErrorKind {
    const number = errorField(err, 'number');
    if (number === 2627 || number === 2601) {
      const message = String(errorField(err, 'message') ?? '');
      const constraint = /constraint '([^']*)'|unique index '([^']*)'/.exec(message);
      const name = constraint?.[1] ?? constraint?.[2];
      return { kind: 'unique', columns: [], ...(name === undefined ? {} : { constraint: name }) };
    }
    if (number === 515) {
      const column = /column '([^']*)'/.exec(String(errorField(err, 'message') ?? ''))?.[1];
      return { kind: 'notNull', columns: column === undefined ? [] : [column] };
    }
    if (number === 547) {
      // 547 is both a FOREIGN KEY and a CHECK conflict; only the message tells them apart.
      const message = String(errorField(err, 'message') ?? '');
      return /CHECK constraint/i.test(message) ? { kind: 'check' } : { kind: 'foreignKey' };
    }
    // A procedure's own THROW / RAISERROR (user messages are numbered from 50000): the legacy system said no.
    if (typeof number === 'number' && number >= 50000) return { kind: 'check' };
    if (number === 8169 || number === 241 || number === 245) return { kind: 'invalidInput' };
    if (number === 1205 || number === 4060 || number === 18456) return { kind: 'unavailable' };
    const code = errorField(err, 'code');
    if (code === 'ESOCKET' || code === 'ETIMEOUT' || code === 'ECONNCLOSED') return { kind: 'unavailable' };
    return { kind: 'other', ...(typeof code === 'string' ? { code } : {}) };
  }
}
