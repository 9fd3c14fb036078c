import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Knex } from 'knex';
import type { SqlBackendConfig } from '../../../mapping/compiled-mapping.js';
import { fragment, type SqlFragment } from '../sql-fragment.js';
import {
  type ChildArrayParts,
  type DatabaseErrorKind,
  errorField,
  type PatternKind,
  SqlDialect,
} from './sql-dialect.js';

interface SqliteConnection {
  pragma(source: string): unknown;
}

function filenameOf(backend: SqlBackendConfig): string | undefined {
  const filename = backend.connection.filename;
  return typeof filename === 'string' ? filename : undefined;
}

/**
 * SQLite through better-sqlite3. NOCASE and LIKE fold ASCII only; a case-exact
 * `co`/`sw`/`ew` uses instr/substr because LIKE ignores case. Writes lock the
 * whole database, so there is no row lock to take.
 */
export class SqliteDialect extends SqlDialect {
  readonly name = 'sqlite' as const;
  readonly knexClient = 'better-sqlite3';

  override knexConfig(backend: SqlBackendConfig): Partial<Knex.Config> {
    return {
      connection: { ...backend.connection },
      useNullAsDefault: true,
      pool: {
        min: backend.pool.min,
        max: backend.pool.max,
        afterCreate: (
          connection: SqliteConnection,
          done: (err: Error | null, connection: unknown) => void,
        ) => {
          try {
            connection.pragma('foreign_keys = ON');
            connection.pragma('journal_mode = WAL');
            connection.pragma('busy_timeout = 5000');
            done(null, connection);
          } catch (err) {
            done(err instanceof Error ? err : new Error('SQLite connection set-up failed'), connection);
          }
        },
      },
    };
  }

  override async prepare(backend: SqlBackendConfig): Promise<void> {
    const filename = filenameOf(backend);
    if (filename === undefined || filename === ':memory:' || filename === '') return;
    await mkdir(dirname(filename), { recursive: true });
  }

  operands(caseExact: boolean): { column: string; value: string } {
    return caseExact ? { column: '??', value: '?' } : { column: '?? COLLATE NOCASE', value: '?' };
  }

  /** json_group_array (built into the SQLite that better-sqlite3 bundles; ORDER BY in an aggregate since 3.44). */
  childArraySql({ table, columns, owner, key }: ChildArrayParts): string {
    const list = columns.join(', ');
    return `(SELECT json_group_array(json_array(${list}) ORDER BY ${list}) FROM ${table} WHERE ${owner} = ${key})`;
  }

  override describeFolding(table: string, column: string): string {
    return `compared with COLLATE NOCASE; needs an index on ${table} (${column} COLLATE NOCASE) or a NOCASE column`;
  }

  override patternMatch(column: string, kind: PatternKind, value: string, caseExact: boolean): SqlFragment {
    if (!caseExact) return super.patternMatch(column, kind, value, caseExact);
    if (kind === 'co') return fragment('instr(??, ?) > 0', column, value);
    if (kind === 'sw') return fragment('instr(??, ?) = 1', column, value);
    return fragment('substr(??, length(??) - length(?) + 1) = ?', column, column, value, value);
  }

  /**
   * CROSS JOIN, which keeps the FROM order in SQLite: with an inner join its
   * planner may scan the whole main table in key order to spare sorting the
   * page, probing the keys for each row (100,000 rows read for a page of 100).
   */
  override joinPageRows(page: Knex.QueryBuilder, table: string, key: string, pageKey: string): void {
    page.crossJoin(table, key, pageKey);
  }

  override lockForUpdate<T extends Knex.QueryBuilder>(query: T): T {
    return query;
  }

  protected classifyDriverError(err: unknown): DatabaseErrorKind {
    const code = errorField(err, 'code');
    const message = String(errorField(err, 'message') ?? '');
    if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
      // "UNIQUE constraint failed: users.user_name, users.x" — column names only, never values.
      const list = /constraint failed: ([^\n]+)$/.exec(message)?.[1] ?? '';
      const columns = list
        .split(',')
        .map((name) => name.trim().split('.').pop() ?? '')
        .filter((name) => name !== '');
      return { kind: 'unique', columns };
    }
    if (code === 'SQLITE_CONSTRAINT_NOTNULL') {
      const column = /NOT NULL constraint failed: (?:[^.\s]+\.)?(\S+)/.exec(message)?.[1];
      return { kind: 'notNull', columns: column === undefined ? [] : [column] };
    }
    if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return { kind: 'foreignKey' };
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code === 'SQLITE_CANTOPEN') {
      return { kind: 'unavailable' };
    }
    return { kind: 'other', ...(typeof code === 'string' ? { code } : {}) };
  }
}
