import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResourceStore } from '../../../../src/backends/resource-store.js';
import { createSqlStore } from '../../../../src/backends/sql/sql-store.js';
import type { CompiledMapping } from '../../../../src/mapping/compiled-mapping.js';
import { parsePatchRequest } from '../../../../src/scim/patch/parse-patch-request.js';
import { SCHEMA_URN } from '../../../../src/scim/schema/core-schemas.js';
import { prepareResourceForWrite } from '../../../../src/scim/schema/prepare-write.js';
import {
  createMariaDbProcedureDatabase,
  type MariaDbProcedureDatabase,
} from '../../../support/mariadb-procedures.js';

/** Proof that writes really are CALLs: the account cannot write, and each call leaves an audit row. */
describe('MariaDB writes through stored procedures', () => {
  let database: MariaDbProcedureDatabase;
  let mapping: CompiledMapping;
  let store: ResourceStore;

  beforeAll(async () => {
    database = await createMariaDbProcedureDatabase();
    mapping = await database.loadMapping();
    store = await createSqlStore(mapping);
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  const schemaOf = (type: string) => {
    const found = mapping.resourceTypes.find((candidate) => candidate.name === type);
    if (found === undefined) throw new Error(type);
    return found.schema;
  };
  const create = (type: 'User' | 'Group', body: Record<string, unknown>) =>
    store.create(
      type,
      prepareResourceForWrite(
        schemaOf(type),
        { schemas: [type === 'User' ? SCHEMA_URN.user : SCHEMA_URN.group], ...body },
        'create',
      ),
    );
  const audit = async (after: number) =>
    (await database
      .admin('audit_log')
      .select('operation', 'target', 'detail')
      .where('seq', '>', after)
      .orderBy('seq')) as { operation: string; target: string; detail: string | null }[];
  const lastSeq = async () => Number((await database.admin('audit_log').max({ seq: 'seq' }))[0]?.seq ?? 0);

  it('the gateway account cannot INSERT, DELETE or UPDATE a data column directly', async () => {
    for (const action of [
      () => database.app('agents').insert({ agent_id: 'x', login: 'direct' }),
      () => database.app('teams').delete(),
      () => database.app('agents').update({ login: 'x' }),
    ]) {
      const error = await action().then(
        () => undefined,
        (err: unknown) => err,
      );
      expect((error as { code?: string } | undefined)?.code).toMatch(
        /^ER_(TABLEACCESS|COLUMNACCESS)_DENIED_ERROR$/,
      );
    }
  });

  it('create passes the gateway UUID, and the value map converts active to Y/N on the way in', async () => {
    const before = await lastSeq();
    const user = await create('User', { userName: 'proc-agent', active: false });
    expect(user.active).toBe(false);
    const row = await database.admin('agents').first('enabled').where('agent_id', String(user.id));
    expect(row).toEqual({ enabled: 'N' });
    expect(await audit(before)).toEqual([{ operation: 'agent_create', target: user.id, detail: null }]);
  });

  it('a team id comes back through the OUT parameter; adding one member is one CALL', async () => {
    const agent = String((await create('User', { userName: 'proc-member' })).id);
    const before = await lastSeq();
    const team = await create('Group', { displayName: 'proc desk' });
    expect(team.id).toMatch(/^\d+$/);
    const patched = await store.modify(
      'Group',
      String(team.id),
      parsePatchRequest({
        schemas: [SCHEMA_URN.patchOp],
        Operations: [{ op: 'add', path: 'members', value: [{ value: agent }] }],
      }),
    );
    expect(patched.members).toEqual([{ value: agent, type: 'User' }]);
    expect(await audit(before)).toEqual([
      { operation: 'team_create', target: team.id, detail: null },
      { operation: 'team_add_member', target: team.id, detail: agent },
    ]);
  });
});
