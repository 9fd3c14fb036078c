import type { Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import { dialectFor } from '../../../../src/backends/sql/dialects/dialect-for.js';
import { mssqlRequestPlan } from '../../../../src/backends/sql/procedures/mssql-call.js';
import type { WriteSession, WriteSessions } from '../../../../src/backends/sql/procedures/write-session.js';
import { SqlStore } from '../../../../src/backends/sql/sql-store.js';
import { loadMappingFile } from '../../../../src/mapping/load-mapping.js';
import { parsePatchRequest } from '../../../../src/scim/patch/parse-patch-request.js';
import { SCHEMA_URN } from '../../../../src/scim/schema/core-schemas.js';
import { MSSQL_LEGACY_MAPPING } from '../../../support/mssql-legacy.js';
import { recordingKnex } from '../../../support/recording-knex.js';

const mapping = await loadMappingFile(MSSQL_LEGACY_MAPPING, {
  MSSQL_USER: 'app',
  MSSQL_PASSWORD: 'pw',
  MSSQL_DATABASE: 'legacy',
});
const ROW_VERSION = Buffer.from('00000000000007d1', 'hex');
const TEAM = '0F0E0D0C-0B0A-4909-8807-060504030201';

/**
 * What mappings/mssql-legacy.yaml makes the store send to SQL Server, with no
 * server: the statements run inside the write transaction (as the mssql
 * session would run them, compiled by knex's mssql client) and the procedure
 * calls (as mssql Request plans). The reads after commit go to a recording knex.
 */
async function run(write: (store: SqlStore) => Promise<unknown>) {
  const log: string[] = [];
  const session: WriteSession = {
    rows: async (query: Knex.QueryBuilder) => {
      const native = query.toSQL().toNative();
      log.push(`${native.sql} ${JSON.stringify(native.bindings)}`);
      if (native.sql.includes('with (UPDLOCK)'))
        return [{ EmployeeID: 42, TeamID: TEAM, RowVer: ROW_VERSION }];
      // SQL Server returns UNIQUEIDENTIFIERs in upper case.
      if (native.sql.startsWith('select [TeamID] from [Teams]')) return [{ TeamID: TEAM }];
      if (native.sql.startsWith('select [EmployeeID] from [Employees]')) return [{ EmployeeID: 7 }];
      if (native.sql.includes('from [Employees] where [Employees].[EmployeeID] = ')) {
        return [{ EmployeeID: 42, LoginName: 'bjensen', RowVer: ROW_VERSION }];
      }
      return [];
    },
    call: async (call) => {
      const plan = mssqlRequestPlan(call);
      log.push(
        `EXEC ${plan.procedure} ${plan.inputs.map((input) => `@${input.name}`).join(', ')}${plan.outputs.map((output) => ` @${output.name} OUTPUT`).join('')}`,
      );
      return plan.outputs.length === 0 ? undefined : { NewEmployeeID: 43 };
    },
  };
  const sessions: WriteSessions = { transaction: (work) => work(session), close: async () => {} };
  const { db } = await recordingKnex('mssql', (statement, method) =>
    method === 'select' && /from \[Employees\]/.test(statement.sql)
      ? [{ EmployeeID: statement.bindings[0], LoginName: 'x', RowVer: ROW_VERSION }]
      : method === 'select' && /from \[Teams\]/.test(statement.sql)
        ? [{ TeamID: statement.bindings[0], TeamName: 'x', RowVer: ROW_VERSION }]
        : [],
  );
  const store = new SqlStore(db, dialectFor('mssql'), mapping, sessions);
  const result = await write(store);
  return { log, result };
}

describe('mappings/mssql-legacy.yaml writes (no server)', () => {
  it('create: one EXEC with the OUTPUT id; meta.version is the rowversion in hex', async () => {
    const { log, result } = await run((store) =>
      store.create('User', {
        schemas: [SCHEMA_URN.user],
        userName: 'bjensen',
        [SCHEMA_URN.enterpriseUser]: { manager: { value: '7' } },
      }),
    );
    expect(log).toEqual([
      'select [EmployeeID] from [Employees] where [Employees].[EmployeeID] in (@p0) ["7"]',
      'EXEC dbo.usp_CreateEmployee @LoginName, @HrisKey, @StatusCode, @DisplayName, @FirstName, @LastName, @JobTitle, @Department, @ManagerID, @EmailsJson @NewEmployeeID OUTPUT',
    ]);
    expect(result).toMatchObject({ id: '43', meta: { version: '00000000000007d1' } });
  });

  it('PATCH of a user: the row locked WITH (UPDLOCK), If-Match checked against the rowversion, one EXEC', async () => {
    const { log } = await run((store) =>
      store.modify(
        'User',
        '42',
        parsePatchRequest({
          schemas: [SCHEMA_URN.patchOp],
          Operations: [{ op: 'replace', path: 'title', value: 'Boss' }],
        }),
        { ifMatch: 'W/"00000000000007d1"' },
      ),
    );
    expect(log[0]).toBe(
      'select [EmployeeID], [RowVer] from [Employees] with (UPDLOCK) where [Employees].[EmployeeID] = @p0 ["42"]',
    );
    expect(log.at(-1)).toBe(
      'EXEC dbo.usp_UpdateEmployee @EmployeeID, @RowVer, @LoginName, @HrisKey, @StatusCode, @DisplayName, @FirstName, @LastName, @JobTitle, @Department, @ManagerID, @EmailsJson',
    );
  });

  it('a stale If-Match is 412 before any EXEC', async () => {
    const error = await run((store) => store.delete('User', '42', { ifMatch: 'W/"00000000000007d0"' })).catch(
      (err: unknown) => err,
    );
    expect(error).toMatchObject({ status: 412 });
  });

  it('adding a member to a team: the member looked up (UUIDs in any case), one EXEC per member', async () => {
    const lower = TEAM.toLowerCase();
    const { log } = await run((store) =>
      store.modify(
        'Group',
        lower,
        parsePatchRequest({
          schemas: [SCHEMA_URN.patchOp],
          Operations: [{ op: 'add', path: 'members', value: [{ value: '7' }, { value: lower }] }],
        }),
      ),
    );
    expect(log.filter((line) => line.startsWith('EXEC'))).toEqual([
      'EXEC dbo.usp_AddTeamMember @TeamID, @MemberID, @MemberType',
      'EXEC dbo.usp_AddTeamMember @TeamID, @MemberID, @MemberType',
    ]);
  });
});
