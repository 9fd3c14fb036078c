import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResourceStore } from '../../../../src/backends/resource-store.js';
import { createSqlStore } from '../../../../src/backends/sql/sql-store.js';
import type { CompiledMapping } from '../../../../src/mapping/compiled-mapping.js';
import { isScimError } from '../../../../src/scim/errors.js';
import { parsePatchRequest } from '../../../../src/scim/patch/parse-patch-request.js';
import { SCHEMA_URN } from '../../../../src/scim/schema/core-schemas.js';
import { prepareResourceForWrite } from '../../../../src/scim/schema/prepare-write.js';
import {
  createPostgresProcedureDatabase,
  type PostgresProcedureDatabase,
} from '../../../support/postgres-procedures.js';

/** Proof that writes really go through the routines: the role cannot write, and each call leaves an audit row. */
describe('PostgreSQL writes through functions and procedures', () => {
  let database: PostgresProcedureDatabase;
  let mapping: CompiledMapping;
  let store: ResourceStore;

  beforeAll(async () => {
    database = await createPostgresProcedureDatabase();
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
  const patch = (id: string, operations: unknown[]) =>
    store.modify('Group', id, parsePatchRequest({ schemas: [SCHEMA_URN.patchOp], Operations: operations }));
  const audit = async (after: number) =>
    (await database
      .admin('audit_log')
      .select('operation', 'target', 'detail')
      .where('seq', '>', after)
      .orderBy('seq')) as { operation: string; target: string; detail: string | null }[];
  const lastSeq = async () => Number((await database.admin('audit_log').max({ seq: 'seq' }))[0]?.seq ?? 0);

  it('the gateway role cannot INSERT, DELETE or UPDATE a data column directly', async () => {
    const denied = async (action: () => Promise<unknown>) => {
      const error = await action().then(
        () => undefined,
        (err: unknown) => err,
      );
      expect((error as { code?: string } | undefined)?.code).toBe('42501'); // insufficient_privilege
    };
    await denied(() => database.app('app_users').insert({ user_name: 'direct' }));
    await denied(() => database.app('app_groups').delete());
    await denied(() => database.app('app_users').update({ user_name: 'x' }));
    await denied(() => database.app('audit_log').insert({ operation: 'forged', target: 'x' }));
  });

  it('create calls the function, which hands back the identity id and writes the audit row', async () => {
    const before = await lastSeq();
    const user = await create('User', {
      userName: 'proc-alice',
      emails: [{ value: 'alice@example.test', type: 'work', primary: true }],
    });
    expect(user.id).toMatch(/^\d+$/);
    expect(user.emails).toEqual([{ value: 'alice@example.test', type: 'work', primary: true }]);
    expect(await audit(before)).toEqual([{ operation: 'create_user', target: user.id, detail: null }]);
  });

  it('member PATCHes are one procedure call per member that changes, never a rewrite', async () => {
    const users: string[] = [];
    for (const key of ['a', 'b', 'c', 'd', 'e']) {
      users.push(String((await create('User', { userName: `proc-member-${key}` })).id));
    }
    const [a, b, c, d, e] = users as [string, string, string, string, string];
    const group = await create('Group', { displayName: 'proc team', members: [{ value: a }, { value: b }] });
    const id = String(group.id);

    let before = await lastSeq();
    await patch(id, [{ op: 'add', path: 'members', value: [{ value: c }, { value: a }] }]);
    expect(await audit(before)).toEqual([{ operation: 'add_member', target: id, detail: c }]);

    before = await lastSeq();
    await patch(id, [{ op: 'remove', path: `members[value eq "${b}"]` }]);
    expect(await audit(before)).toEqual([{ operation: 'remove_member', target: id, detail: b }]);

    before = await lastSeq();
    const replaced = await patch(id, [
      { op: 'replace', path: 'members', value: [{ value: a }, { value: d }, { value: e }] },
    ]);
    const calls = await audit(before);
    expect(calls.map((call) => `${call.operation} ${call.detail}`).sort()).toEqual(
      [`add_member ${d}`, `add_member ${e}`, `remove_member ${c}`].sort(),
    );
    expect((replaced.members as { value: string }[]).map((member) => member.value).sort()).toEqual(
      [a, d, e].sort(),
    );
  });

  it('a failing call rolls back every call before it', async () => {
    const group = await create('Group', { displayName: 'proc rollback' });
    const before = await lastSeq();
    const error = await patch(String(group.id), [
      { op: 'replace', path: 'displayName', value: 'proc rollback renamed' },
      { op: 'add', path: 'members', value: [{ value: '999999999' }] },
    ]).catch((err: unknown) => err);
    expect(isScimError(error) && error.scimType).toBe('invalidValue');
    expect(await audit(before)).toEqual([]);
    expect((await store.get('Group', String(group.id))).displayName).toBe('proc rollback');
  });

  it('a unique violation inside a function is 409 uniqueness naming the attribute', async () => {
    await create('User', { userName: 'proc-unique' });
    const error = await create('User', { userName: 'PROC-UNIQUE' }).catch((err: unknown) => err);
    expect(isScimError(error) ? [error.status, error.scimType, error.message] : error).toEqual([
      409,
      'uniqueness',
      expect.stringContaining('userName'),
    ]);
  });
});
