import { readFileSync } from 'node:fs';
import knex from 'knex';
import mssql, { type ISqlTypeFactory } from 'mssql';
import { describe, expect, it } from 'vitest';
import { dialectFor } from '../../../../src/backends/sql/dialects/dialect-for.js';
import { mssqlRequestPlan } from '../../../../src/backends/sql/procedures/mssql-call.js';
import { mysqlCallSql, mysqlOutputSql } from '../../../../src/backends/sql/procedures/mysql-call.js';
import { postgresCallSql } from '../../../../src/backends/sql/procedures/postgres-call.js';
import { buildProcedureCall } from '../../../../src/backends/sql/procedures/procedure-arguments.js';
import type { ProcedureCall } from '../../../../src/backends/sql/procedures/procedure-call.js';
import { SqlLayouts } from '../../../../src/backends/sql/sql-resource-layout.js';
import type { CompiledMapping, ProcedureOperation } from '../../../../src/mapping/compiled-mapping.js';
import { loadMappingFile } from '../../../../src/mapping/load-mapping.js';
import { SCHEMA_URN } from '../../../../src/scim/schema/core-schemas.js';
import { prepareResourceForWrite } from '../../../../src/scim/schema/prepare-write.js';
import { MSSQL_LEGACY_MAPPING, tsqlBatches } from '../../../support/mssql-legacy.js';

/** mssql's own type factory, e.g. sqlType('NVarChar', 256) is sql.NVarChar(256). */
function sqlType(name: string, ...args: number[]) {
  const factory = mssql[name] as ISqlTypeFactory | undefined;
  if (factory === undefined) throw new Error(`mssql has no ${name}`);
  return factory(...args);
}

const MSSQL_ENV = {
  MSSQL_USER: 'app',
  MSSQL_PASSWORD: 'pw',
  MSSQL_DATABASE: 'legacy',
};
const legacy = await loadMappingFile(MSSQL_LEGACY_MAPPING, MSSQL_ENV);
const pg = await loadMappingFile(
  new URL('../../../fixtures/postgres-procedures/mapping.yaml', import.meta.url).pathname,
  {
    PROC_PG_HOST: 'h',
    PROC_PG_PORT: '5432',
    PROC_PG_USER: 'u',
    PROC_PG_DATABASE: 'd',
  },
);
const my = await loadMappingFile(
  new URL('../../../fixtures/mariadb-procedures/mapping.yaml', import.meta.url).pathname,
  {
    PROC_MY_HOST: 'h',
    PROC_MY_PORT: '3306',
    PROC_MY_USER: 'u',
    PROC_MY_DATABASE: 'd',
  },
);

function callFor(
  mapping: CompiledMapping,
  type: string,
  operation: ProcedureOperation,
  sources: Parameters<typeof buildProcedureCall>[3],
): ProcedureCall {
  if (mapping.backend.type !== 'sql') throw new Error('not SQL');
  const dialect = dialectFor(mapping.backend.dialect);
  const layout = new SqlLayouts(mapping).get(type);
  const spec = layout.procedures?.[operation];
  if (spec === undefined) throw new Error(`${type} has no ${operation}`);
  return buildProcedureCall(dialect, layout, spec, sources);
}

function userOf(mapping: CompiledMapping, body: Record<string, unknown>) {
  const schema = mapping.resourceTypes.find((type) => type.name === 'User')?.schema;
  if (schema === undefined) throw new Error('no User');
  return prepareResourceForWrite(schema, { schemas: [SCHEMA_URN.user], ...body }, 'create');
}

const alice = {
  userName: 'alice',
  active: false,
  name: { givenName: 'Alice' },
  emails: [{ value: 'alice@example.test', type: 'work', primary: true }],
  [SCHEMA_URN.enterpriseUser]: { manager: { value: '7' } },
};

describe('SQL Server procedure calls: what goes to mssql Request (no server)', () => {
  it('create: every input with the mapping type as an mssql type, the value converted as for its column, the OUTPUT id', () => {
    const plan = mssqlRequestPlan(callFor(legacy, 'User', 'create', { resource: userOf(legacy, alice) }));
    expect(plan.procedure).toBe('dbo.usp_CreateEmployee');
    expect(plan.inputs).toEqual([
      { name: 'LoginName', type: sqlType('NVarChar', 256), value: 'alice' },
      { name: 'HrisKey', type: sqlType('NVarChar', 64), value: null },
      { name: 'StatusCode', type: sqlType('Char', 1), value: 'I' },
      { name: 'DisplayName', type: sqlType('NVarChar', 256), value: null },
      { name: 'FirstName', type: sqlType('NVarChar', 128), value: 'Alice' },
      { name: 'LastName', type: sqlType('NVarChar', 128), value: null },
      { name: 'JobTitle', type: sqlType('NVarChar', 128), value: null },
      { name: 'Department', type: sqlType('NVarChar', 128), value: null },
      { name: 'ManagerID', type: sqlType('Int'), value: '7' },
      {
        name: 'EmailsJson',
        type: sqlType('NVarChar', mssql.MAX),
        value: '[{"value":"alice@example.test","type":"work","primary":true}]',
      },
    ]);
    expect(plan.outputs).toEqual([{ name: 'NewEmployeeID', type: sqlType('Int') }]);
    expect(plan.inputs[0]?.type).toMatchObject({ type: mssql.NVarChar, length: 256 });
  });

  it('update passes the id and the stored rowversion (binary(8)) as read', () => {
    const rowVersion = Buffer.from('00000000000007d1', 'hex');
    const plan = mssqlRequestPlan(
      callFor(legacy, 'User', 'update', { id: '42', version: rowVersion, resource: userOf(legacy, alice) }),
    );
    expect(plan.inputs.slice(0, 2)).toEqual([
      { name: 'EmployeeID', type: sqlType('Int'), value: '42' },
      { name: 'RowVer', type: sqlType('Binary', 8), value: rowVersion },
    ]);
    expect(plan.outputs).toEqual([]);
  });

  it('member procedures get the group, the member and its type', () => {
    const team = '0f0e0d0c-0b0a-4909-8807-060504030201';
    expect(
      mssqlRequestPlan(
        callFor(legacy, 'Group', 'addMember', { id: team, memberId: '42', memberType: 'User' }),
      ),
    ).toEqual({
      procedure: 'dbo.usp_AddTeamMember',
      inputs: [
        { name: 'TeamID', type: sqlType('UniqueIdentifier'), value: team },
        { name: 'MemberID', type: sqlType('NVarChar', 64), value: '42' },
        { name: 'MemberType', type: sqlType('NVarChar', 8), value: 'User' },
      ],
      outputs: [],
    });
  });

  it('every procedure the mapping names exists in the T-SQL with exactly those parameters', () => {
    const script = readFileSync(
      new URL('../../../fixtures/mssql-legacy/schema.sql', import.meta.url),
      'utf8',
    );
    const declared = new Map<string, string[]>();
    for (const batch of tsqlBatches(script)) {
      const match = /CREATE PROCEDURE (\S+)([\s\S]*?)\bAS\b/i.exec(batch);
      if (match?.[1] !== undefined) {
        declared.set(
          match[1],
          [...(match[2] ?? '').matchAll(/@(\w+)/g)].map((parameter) => parameter[1] ?? ''),
        );
      }
    }
    for (const type of legacy.resourceTypes) {
      for (const [operation, spec] of Object.entries(type.sql?.procedures ?? {})) {
        const output = spec.returns !== undefined && 'output' in spec.returns ? [spec.returns.output] : [];
        expect(declared.get(spec.name), `${type.name}.${operation}`).toEqual([
          ...Object.keys(spec.parameters),
          ...output,
        ]);
      }
    }
  });

  it('splits the script at GO lines, one CREATE PROCEDURE per batch', () => {
    const batches = tsqlBatches(
      'CREATE TABLE t (a int);\nGO\n  go  \nCREATE PROCEDURE p AS SELECT 1;\nGO\n-- end\n',
    );
    expect(batches).toEqual(['CREATE TABLE t (a int);', 'CREATE PROCEDURE p AS SELECT 1;']);
  });
});

describe('PostgreSQL and MySQL calls as knex renders them (no database)', () => {
  const render = (client: string, fragment: { sql: string; bindings: readonly unknown[] }) =>
    knex({ client })
      .raw(fragment.sql, [...fragment.bindings] as never)
      .toSQL()
      .toNative();

  it('PostgreSQL function: select * from schema.fn(name => $n::type, …), every value bound', () => {
    const call = callFor(pg, 'User', 'delete', { id: '9' });
    expect(render('pg', postgresCallSql(call))).toEqual({
      sql: 'select * from "scim"."delete_user"("p_id" => $1::bigint)',
      bindings: ['9'],
    });
    const create = render(
      'pg',
      postgresCallSql(callFor(pg, 'User', 'create', { resource: userOf(pg, alice) })),
    );
    expect(create.sql).toBe(
      'select * from "scim"."create_user"("p_user_name" => $1, "p_external_id" => $2, "p_active" => $3, "p_display_name" => $4, "p_given_name" => $5, "p_family_name" => $6, "p_title" => $7, "p_department" => $8, "p_manager_id" => $9::bigint, "p_emails" => $10::jsonb)',
    );
    expect(create.bindings).toEqual([
      'alice',
      null,
      false,
      null,
      'Alice',
      null,
      null,
      null,
      '7',
      '[{"value":"alice@example.test","type":"work","primary":true}]',
    ]);
  });

  it('PostgreSQL procedure: CALL schema.proc(name => $n, …)', () => {
    const call = callFor(pg, 'Group', 'removeMember', { id: 'g', memberId: "x'); DROP TABLE t; --" });
    expect(render('pg', postgresCallSql(call))).toEqual({
      sql: 'CALL "scim"."remove_member"("p_group_id" => $1::uuid, "p_member_id" => $2)',
      bindings: ['g', "x'); DROP TABLE t; --"],
    });
  });

  it('PostgreSQL INOUT output of a procedure is passed as a typed NULL and read from the row CALL returns', () => {
    const call: ProcedureCall = {
      name: 'hr.add_role',
      kind: 'procedure',
      arguments: [{ name: 'p_name', value: 'x' }],
      output: { name: 'p_new_id', type: { name: 'integer', args: [] } },
    };
    expect(render('pg', postgresCallSql(call))).toEqual({
      sql: 'CALL "hr"."add_role"("p_name" => $1, "p_new_id" => NULL::integer)',
      bindings: ['x'],
    });
  });

  it('MySQL: CALL proc(?, …) in the mapping order, the OUT parameter last as a session variable', () => {
    const call = callFor(my, 'Group', 'create', { resource: { displayName: 'Desk' } });
    expect(render('mysql2', mysqlCallSql(call))).toEqual({
      sql: 'CALL `team_create`(?, ?, @crosswalk_output)',
      bindings: ['Desk', null],
    });
    const output = mysqlOutputSql(call);
    expect(output === undefined ? undefined : render('mysql2', output)).toEqual({
      sql: 'SELECT @crosswalk_output AS `p_new_id`',
      bindings: [],
    });
    const agent = render(
      'mysql2',
      mysqlCallSql(callFor(my, 'User', 'update', { id: 'u-1', resource: userOf(my, alice) })),
    );
    expect(agent.sql).toBe('CALL `agent_update`(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    expect(agent.bindings.slice(0, 4)).toEqual(['u-1', 'alice', null, 'N']);
  });
});
