import { describe, expect, it } from 'vitest';
import { dialectFor } from '../../../src/backends/sql/dialects/dialect-for.js';
import { mapSqlError, SqlBackendError } from '../../../src/backends/sql/error-mapping.js';
import { ScimError } from '../../../src/scim/errors.js';

/**
 * Driver errors as pg, mysql2 and tedious shape them (code / errno / number
 * fields), classified without a database. The real servers raise them in
 * the PostgreSQL and MariaDB suites; SQL Server cannot run here.
 */
function driverError(fields: Record<string, unknown>): Error {
  return Object.assign(new Error(String(fields.message ?? 'driver error')), fields);
}

describe('SQL errors a stored procedure or trigger raises on purpose are 400, not 500', () => {
  it.each([
    ['postgres', { code: 'P0001', message: 'employee 42 is locked' }],
    ['mysql', { errno: 1644, code: 'ER_SIGNAL_EXCEPTION', message: 'agent is locked' }],
    ['mssql', { number: 50001, message: 'usp_CreateUser: badge already issued' }],
    ['mssql', { number: 547, message: 'The INSERT statement conflicted with the CHECK constraint "ck_x"' }],
  ] as const)('%s %o', (dialect, fields) => {
    const mapped = mapSqlError(driverError(fields), dialectFor(dialect));
    expect(mapped).toBeInstanceOf(ScimError);
    expect((mapped as ScimError).status).toBe(400);
    expect((mapped as ScimError).scimType).toBe('invalidValue');
    // The procedure's own text may quote values: it is not passed on.
    expect(mapped.message).not.toContain(String(fields.message).slice(-10));
  });

  it('SQL Server 547 without CHECK is a foreign key', () => {
    const mapped = mapSqlError(
      driverError({ number: 547, message: 'conflicted with the FOREIGN KEY constraint "fk_x"' }),
      dialectFor('mssql'),
    );
    expect((mapped as ScimError).status).toBe(400);
    expect(mapped.message).toMatch(/does not exist|refer/);
  });

  it('an unknown failure stays a 500 that carries only the driver code', () => {
    const mapped = mapSqlError(
      driverError({ number: 8623, code: 'EREQUEST', message: 'select secret' }),
      dialectFor('mssql'),
    );
    expect(mapped).toBeInstanceOf(SqlBackendError);
    expect(mapped.message).not.toContain('secret');
  });
});
