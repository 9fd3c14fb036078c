import type { Knex } from 'knex';
import type { SqlBackendConfig, SqlDialect as SqlDialectName } from '../../../mapping/compiled-mapping.js';
import { fragment, type SqlFragment } from '../sql-fragment.js';

export type PatternKind = 'co' | 'sw' | 'ew';

/** What a database error means, as far as the gateway cares (mapped to ScimError in error-mapping.ts). */
export type DatabaseErrorKind =
  | { readonly kind: 'unique'; readonly columns: readonly string[]; readonly constraint?: string }
  | { readonly kind: 'foreignKey'; readonly columns?: readonly string[] }
  /** A CHECK constraint or a trigger (PostgreSQL RAISE, MySQL SIGNAL) rejected the row. */
  | { readonly kind: 'check' }
  | { readonly kind: 'notNull'; readonly columns: readonly string[] }
  | { readonly kind: 'invalidInput' }
  | { readonly kind: 'unavailable' }
  | { readonly kind: 'other'; readonly code?: string };

/** The LIKE escape character: not a backslash, which MySQL string literals would eat. */
export const LIKE_ESCAPE = '!';

/** Error codes every Node driver uses for an unreachable server. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'EPIPE',
]);

/** One child table's sub-select, every identifier already quoted by the dialect's knex client. */
export interface ChildArrayParts {
  /** The child table. */
  readonly table: string;
  /** Its mapped columns, qualified, in the mapping's order: position i of every element. */
  readonly columns: readonly string[];
  /** The child's owner column, qualified. */
  readonly owner: string;
  /** The outer (main) table's key column, qualified. */
  readonly key: string;
}

export function errorField(err: unknown, field: string): unknown {
  return typeof err === 'object' && err !== null ? (err as Record<string, unknown>)[field] : undefined;
}

/**
 * What differs between SQL databases, and nothing else: case-insensitive
 * comparison, LIKE escaping, error codes, row locking, connection set-up.
 * Everything else in src/backends/sql is plain knex. Fragments use knex
 * placeholders: `??` for the column (bound by the caller), `?` for values.
 */
export abstract class SqlDialect {
  abstract readonly name: SqlDialectName;
  /** knex `client`. */
  abstract readonly knexClient: string;

  /** Driver-specific knex settings (pool hooks, useNullAsDefault …). */
  knexConfig(backend: SqlBackendConfig): Partial<Knex.Config> {
    return { connection: { ...backend.connection }, pool: { min: backend.pool.min, max: backend.pool.max } };
  }

  /** Work to do before the first connection (SQLite creates its folder). */
  async prepare(_backend: SqlBackendConfig): Promise<void> {}

  /**
   * How a column and a bound value are written so that they compare with or
   * without regard to case: `{ column: 'lower(??)', value: 'lower(?)' }`.
   * Used for =, <>, <, > and for ORDER BY, so sort and keyset agree.
   */
  abstract operands(caseExact: boolean): { readonly column: string; readonly value: string };

  /**
   * For `crosswalk explain`: how `operands(false)` compares a column without
   * regard to case, and which index serves that. By default the column's own
   * collation does it (MySQL `_ci`, SQL Server `CI_AS`), so a plain index serves.
   */
  describeFolding(table: string, column: string): string {
    return `compared under the column's case-insensitive collation; a plain index on ${table} (${column}) serves it`;
  }

  /** `column = value`, comparing case (and accents) exactly: `operands(true)` by default. */
  exactEquality(column: string, value: unknown): SqlFragment {
    const sides = this.operands(true);
    return fragment(`${sides.column} = ${sides.value}`, column, value);
  }

  /** Positive `co` / `sw` / `ew` on a non-NULL column (NULL handling is the caller's). */
  patternMatch(column: string, kind: PatternKind, value: string, caseExact: boolean): SqlFragment {
    const pattern = this.likePattern(kind, value);
    const like = caseExact ? this.caseExactLike() : this.caseInsensitiveLike();
    return fragment(`${like.column} LIKE ${like.value} ESCAPE '${LIKE_ESCAPE}'`, column, pattern);
  }

  protected caseInsensitiveLike(): { column: string; value: string } {
    return this.operands(false);
  }

  protected caseExactLike(): { column: string; value: string } {
    return this.operands(true);
  }

  /** Characters LIKE treats specially besides the escape itself. */
  protected likeMetacharacters(): readonly string[] {
    return ['%', '_'];
  }

  likePattern(kind: PatternKind, value: string): string {
    const special = [LIKE_ESCAPE, ...this.likeMetacharacters()];
    let escaped = '';
    for (const char of value) escaped += special.includes(char) ? `${LIKE_ESCAPE}${char}` : char;
    if (kind === 'co') return `%${escaped}%`;
    return kind === 'sw' ? `${escaped}%` : `%${escaped}`;
  }

  /**
   * A correlated scalar sub-select of the main SELECT: the outer row's child
   * rows as one JSON array, each element the row's column values in
   * `parts.columns` order (an array, or an object keyed "0", "1", … on SQL
   * Server), ordered by those values so that every read lists them alike.
   * NULL or `[]` when there are none. The main statement thus reads a
   * resource and all its child tables in one round trip.
   */
  abstract childArraySql(parts: ChildArrayParts): string;

  /**
   * Joins the main table (`table`) to a page's keys, the derived table
   * already in FROM (ResourceReader.selectPage), on `key = pageKey`. An
   * inner join: the optimizers start from the page's keys and look each row
   * up by its key.
   */
  joinPageRows(page: Knex.QueryBuilder, table: string, key: string, pageKey: string): void {
    page.join(table, key, pageKey);
  }

  /** Lock the row read inside a write transaction (If-Match check, then update). */
  lockForUpdate<T extends Knex.QueryBuilder>(query: T): T {
    return query.forUpdate() as T;
  }

  /** How a timestamp is bound (ISO 8601 UTC text works for TEXT, timestamptz, datetime2). */
  timestampValue(date: Date): unknown {
    return date.toISOString();
  }

  /** Splits a bootstrap script into statements (statements end with `;` at the end of a line). */
  splitScript(script: string): string[] {
    const withoutComments = script
      .split('\n')
      .filter((line) => !line.trim().startsWith('--'))
      .join('\n');
    return withoutComments
      .split(/;\s*(?:\r?\n|$)/)
      .map((statement) => statement.trim())
      .filter((statement) => statement.length > 0);
  }

  classifyError(err: unknown): DatabaseErrorKind {
    if (errorField(err, 'name') === 'KnexTimeoutError') return { kind: 'unavailable' };
    const code = errorField(err, 'code');
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return { kind: 'unavailable' };
    return this.classifyDriverError(err);
  }

  protected abstract classifyDriverError(err: unknown): DatabaseErrorKind;
}
