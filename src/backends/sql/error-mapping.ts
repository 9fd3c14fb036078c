import { isScimError, ScimError, scimErrors } from '../../scim/errors.js';
import type { SqlDialect } from './dialects/sql-dialect.js';
import type { SqlResourceLayout } from './sql-resource-layout.js';

/**
 * A database failure that is not the client's fault. Its message names only
 * the driver's error code: SQL text and bound values (which may be personal
 * data or secrets) never reach a response or a log line.
 */
export class SqlBackendError extends Error {
  readonly code: string | undefined;

  constructor(code: string | undefined) {
    super(`The database failed to run the operation${code === undefined ? '' : ` (${code})`}`);
    this.name = 'SqlBackendError';
    this.code = code;
  }
}

/** The SCIM attribute a constraint guards, from its columns or constraint name. */
function constrainedAttribute(
  layout: SqlResourceLayout | undefined,
  columns: readonly string[],
  constraint?: string,
): string | undefined {
  if (layout === undefined) return undefined;
  const label = (scim: { schema: string; attribute: string; subAttribute?: string }) =>
    scim.subAttribute === undefined ? scim.attribute : `${scim.attribute}.${scim.subAttribute}`;
  const lowerColumns = columns.map((column) => column.toLowerCase());
  const constraintLower = constraint?.toLowerCase();
  for (const entry of layout.scalars) {
    const target = entry.target.toLowerCase();
    if (lowerColumns.includes(target) || (constraintLower?.includes(target) ?? false))
      return label(entry.scim);
  }
  for (const entry of layout.childTables) {
    for (const [sub, column] of Object.entries(entry.columns)) {
      if (lowerColumns.includes(column.toLowerCase())) return `${entry.scim.attribute}.${sub}`;
    }
  }
  if (lowerColumns.includes(layout.idColumn.toLowerCase())) return 'id';
  return undefined;
}

/**
 * The one place where SQL errors become SCIM errors: unique violation → 409
 * uniqueness naming the attribute (never the value), foreign key → 400
 * invalidValue, unreachable/overloaded database → 503 with Retry-After,
 * anything else → SqlBackendError (a 500 without SQL in it).
 */
export function mapSqlError(err: unknown, dialect: SqlDialect, layout?: SqlResourceLayout): Error {
  if (isScimError(err)) return err;
  const classified = dialect.classifyError(err);
  switch (classified.kind) {
    case 'unique': {
      const attribute = constrainedAttribute(layout, classified.columns, classified.constraint);
      const subject = layout === undefined ? 'resource' : layout.name;
      return scimErrors.uniqueness(
        attribute === undefined
          ? `A ${subject} with the same value of a unique attribute already exists`
          : `A ${subject} with this ${attribute} already exists`,
      );
    }
    case 'notNull': {
      const attribute = constrainedAttribute(layout, classified.columns);
      return scimErrors.invalidValue(
        attribute === undefined
          ? 'A required value is missing'
          : `A value for '${attribute}' is required by the backend`,
      );
    }
    case 'foreignKey': {
      const attribute = constrainedAttribute(layout, classified.columns ?? []);
      return scimErrors.invalidValue(
        attribute === undefined
          ? 'A referenced resource does not exist'
          : `The value of '${attribute}' does not refer to an existing row`,
      );
    }
    case 'check':
      // The database's own rule (CHECK constraint, trigger); its message may quote values, so it is not passed on.
      return scimErrors.invalidValue(
        'The database rejected a value (a check constraint, trigger or stored procedure)',
      );
    case 'invalidInput':
      return scimErrors.invalidValue('A value does not fit the type of its database column');
    case 'unavailable':
      return new ScimError(503, 'The backend database is unavailable; retry later', undefined, {
        retryAfter: 5,
      });
    case 'other':
      return new SqlBackendError(classified.code);
  }
}
