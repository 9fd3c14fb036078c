import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Attribute, Change, Client, type Entry } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLdapStore } from '../../../src/backends/ldap/ldap-store.js';
import type { ResourceStore } from '../../../src/backends/resource-store.js';
import type { CompiledMapping } from '../../../src/mapping/compiled-mapping.js';
import { guidFromBytes } from '../../../src/mapping/transforms/guid.js';
import type { ScimError } from '../../../src/scim/errors.js';
import { parseFilter } from '../../../src/scim/filter/parser.js';
import { parsePatchRequest } from '../../../src/scim/patch/parse-patch-request.js';
import { SCHEMA_URN } from '../../../src/scim/schema/core-schemas.js';
import { prepareResourceForWrite } from '../../../src/scim/schema/prepare-write.js';
import { buildApp, DEFAULT_BASE_PATH } from '../../../src/server/app.js';
import {
  loadActiveDirectoryMapping,
  loadEditedActiveDirectoryMapping,
} from '../../support/active-directory-mapping.js';
import { SAMBA_AD_AVAILABLE, type SambaAdInstance, startSambaAd } from '../../support/samba-ad.js';
import { scimErrorOf as errorOf } from '../../support/scim-error-of.js';

if (!SAMBA_AD_AVAILABLE) throw new Error('Samba AD is not installed: run scripts/install-ldap-packages.sh');

/** More members than AD's default MaxValRange (1,500): reading them needs a second range. */
const BIG_GROUP = { group: 'big-range', userPrefix: 'bulk', members: 1600 };
const ENTERPRISE = SCHEMA_URN.enterpriseUser;
const UF_ACCOUNTDISABLE = 0x2;
const UF_DONT_EXPIRE_PASSWD = 0x10000;

let dc: SambaAdInstance;
let folder: string;
let mapping: CompiledMapping;
let store: ResourceStore;
let admin: Client;
const extraStores: ResourceStore[] = [];

beforeAll(async () => {
  dc = await startSambaAd({ bulkGroups: [BIG_GROUP] });
  folder = await mkdtemp(join(tmpdir(), 'crosswalk-ad-mappings-'));
  mapping = await loadActiveDirectoryMapping(dc);
  store = await createLdapStore(mapping);
  admin = await dc.adminClient();
}, 240_000);
afterAll(async () => {
  await admin?.unbind().catch(() => undefined);
  for (const extra of extraStores) await extra.close();
  await store?.close();
  await dc?.destroy();
  if (folder !== undefined) await rm(folder, { recursive: true, force: true });
});

const schemaOf = (source: CompiledMapping, type: string) => {
  const found = source.resourceTypes.find((candidate) => candidate.name === type);
  if (found === undefined) throw new Error(type);
  return found.schema;
};
const createUser = (body: Record<string, unknown>, target = store, source = mapping) =>
  target.create(
    'User',
    prepareResourceForWrite(schemaOf(source, 'User'), { schemas: [SCHEMA_URN.user], ...body }, 'create'),
  );
const createGroup = (body: Record<string, unknown>) =>
  store.create(
    'Group',
    prepareResourceForWrite(schemaOf(mapping, 'Group'), { schemas: [SCHEMA_URN.group], ...body }, 'create'),
  );
const patch = (type: string, id: string, operations: unknown[], target = store) =>
  target.modify(type, id, parsePatchRequest({ schemas: [SCHEMA_URN.patchOp], Operations: operations }));

/** The entry as the Administrator sees it, straight from the DC. */
async function adEntry(filter: string, attributes: string[]): Promise<Entry | undefined> {
  const { searchEntries } = await admin.search(dc.baseDn, {
    filter,
    attributes,
    explicitBufferAttributes: ['objectGUID'],
  });
  return searchEntries[0];
}

async function uacOf(upn: string): Promise<number> {
  const entry = await adEntry(`(userPrincipalName=${upn})`, ['userAccountControl']);
  return Number(entry?.userAccountControl);
}

/** Whether `upn` can log on with `password` (a simple bind as the user). */
async function canBind(upn: string, password: string): Promise<boolean> {
  const client = new Client({ url: dc.ldapsUrl, tlsOptions: { ca: await readCa() }, timeout: 10_000 });
  try {
    await client.bind(upn, password);
    return true;
  } catch {
    return false;
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

async function readCa(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  return readFile(dc.caFile, 'utf8');
}

/** A store for an edited copy of the shipped mapping (closed in afterAll). */
async function variantStore(edits: [string, string][], env: NodeJS.ProcessEnv = {}) {
  const variant = await loadEditedActiveDirectoryMapping(dc, folder, edits, env);
  const created = await createLdapStore(variant);
  extraStores.push(created);
  return { store: created, mapping: variant };
}

describe('Active Directory (Samba AD DC) store specifics', () => {
  it('the id is the objectGUID in canonical form, never the DN, and finds the entry by its binary value', async () => {
    const user = await createUser({ userName: 'guid@example.test' });
    const entry = await adEntry('(userPrincipalName=guid@example.test)', ['objectGUID']);
    const bytes = entry?.objectGUID;
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect(user.id).toBe(guidFromBytes(bytes as Buffer));
    expect(String(user.id)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect((await store.get('User', String(user.id).toUpperCase())).userName).toBe('guid@example.test');
    const found = await store.search('User', {
      filter: parseFilter(`id eq "${String(user.id)}"`),
      startIndex: 1,
      count: 10,
    });
    expect(found.resources.map((resource) => resource.userName)).toEqual(['guid@example.test']);
  });

  it('userName is written to userPrincipalName; AD generates the sAMAccountName', async () => {
    await createUser({ userName: 'upn.user@example.test', displayName: 'UPN User' });
    const entry = await adEntry('(userPrincipalName=upn.user@example.test)', [
      'userPrincipalName',
      'sAMAccountName',
      'displayName',
    ]);
    expect(entry?.userPrincipalName).toBe('upn.user@example.test');
    expect(String(entry?.sAMAccountName)).not.toBe('');
    expect(entry?.displayName).toBe('UPN User');
  });

  it('active flips ACCOUNTDISABLE and keeps every other userAccountControl bit', async () => {
    const user = await createUser({ userName: 'bits@example.test', active: true });
    expect(await uacOf('bits@example.test')).toBe(0x200);
    // An admin sets "password never expires" behind the gateway's back.
    const { dn } = (await adEntry('(userPrincipalName=bits@example.test)', ['1.1'])) as Entry;
    await admin.modify(
      dn,
      new Change({
        operation: 'replace',
        modification: new Attribute({
          type: 'userAccountControl',
          values: [String(0x200 | UF_DONT_EXPIRE_PASSWD)],
        }),
      }),
    );
    const disabled = await patch('User', String(user.id), [{ op: 'replace', path: 'active', value: false }]);
    expect(disabled.active).toBe(false);
    expect(await uacOf('bits@example.test')).toBe(0x200 | UF_DONT_EXPIRE_PASSWD | UF_ACCOUNTDISABLE);
    const enabled = await patch('User', String(user.id), [{ op: 'replace', path: 'active', value: 'True' }]);
    expect(enabled.active).toBe(true);
    expect(await uacOf('bits@example.test')).toBe(0x200 | UF_DONT_EXPIRE_PASSWD);
    const found = await store.search('User', {
      filter: parseFilter('userName eq "bits@example.test" and active eq true'),
      startIndex: 1,
      count: 10,
    });
    expect(found.totalResults).toBe(1);
  });

  describe('passwords', () => {
    it('create with a password: added disabled, password set, then enabled; the user can log on', async () => {
      const password = 'Correct-Horse-9!';
      const user = await createUser({ userName: 'pw.create@example.test', active: true, password });
      expect(user.password).toBeUndefined();
      expect(JSON.stringify(user)).not.toContain(password);
      expect(await uacOf('pw.create@example.test')).toBe(0x200);
      expect(await canBind('pw.create@example.test', password)).toBe(true);
      expect(await canBind('pw.create@example.test', 'Wrong-Horse-9!')).toBe(false);
    });

    it('an inactive user gets its password and stays disabled', async () => {
      await createUser({ userName: 'pw.off@example.test', active: false, password: 'Quiet-Pass-42!' });
      expect((await uacOf('pw.off@example.test')) & UF_ACCOUNTDISABLE).toBe(UF_ACCOUNTDISABLE);
    });

    it('PATCH and PUT set a new password; a PUT without one keeps it', async () => {
      const user = await createUser({
        userName: 'pw.patch@example.test',
        active: true,
        password: 'First-Pass-1!',
      });
      await patch('User', String(user.id), [{ op: 'replace', path: 'password', value: 'Second-Pass-2!' }]);
      expect(await canBind('pw.patch@example.test', 'Second-Pass-2!')).toBe(true);
      const body = { userName: 'pw.patch@example.test', active: true, displayName: 'Put' };
      await store.replace(
        'User',
        String(user.id),
        prepareResourceForWrite(schemaOf(mapping, 'User'), body, 'replace'),
      );
      expect(await canBind('pw.patch@example.test', 'Second-Pass-2!')).toBe(true);
      await store.replace(
        'User',
        String(user.id),
        prepareResourceForWrite(schemaOf(mapping, 'User'), { ...body, password: 'Third-Pass-3!' }, 'replace'),
      );
      expect(await canBind('pw.patch@example.test', 'Third-Pass-3!')).toBe(true);
    });

    it("a password the domain's policy refuses is 400 invalidValue with AD's reason, and nothing is left behind", async () => {
      const error = await errorOf(() =>
        createUser({ userName: 'pw.weak@example.test', active: true, password: 'abc' }),
      );
      expect(error.status).toBe(400);
      expect(error.scimType).toBe('invalidValue');
      expect(error.message).toContain('0000052D');
      expect(error.message).toMatch(/password/i);
      expect(error.message).not.toContain('"abc"');
      expect(await adEntry('(userPrincipalName=pw.weak@example.test)', ['1.1'])).toBeUndefined();
      // The same userName is free again.
      await createUser({ userName: 'pw.weak@example.test', password: 'Strong-Enough-7!' });
    });

    it('a weak password in a PATCH is 400 and the old password still works', async () => {
      const user = await createUser({
        userName: 'pw.keep@example.test',
        active: true,
        password: 'Keep-This-1!',
      });
      const error = await errorOf(() =>
        patch('User', String(user.id), [{ op: 'replace', path: 'password', value: 'x' }]),
      );
      expect(error).toMatchObject({ status: 400, scimType: 'invalidValue' });
      expect(await canBind('pw.keep@example.test', 'Keep-This-1!')).toBe(true);
    });

    it('through the HTTP app (trace-level logs, audit on), no log line carries a password', async () => {
      const lines: string[] = [];
      const stream = { write: (line: string) => void lines.push(line) };
      const logged = await variantStore([]);
      const app = await buildApp({
        mapping: logged.mapping,
        store: logged.store,
        auth: { bearerTokens: [{ name: 'test', token: 'log-test-token-0123456789' }] },
        logger: { level: 'trace', stream },
      });
      try {
        const send = (method: 'POST' | 'PATCH', url: string, body: unknown) =>
          app.inject({
            method,
            url: `${DEFAULT_BASE_PATH}${url}`,
            headers: {
              authorization: 'Bearer log-test-token-0123456789',
              'content-type': 'application/scim+json',
            },
            payload: JSON.stringify(body),
          });
        const created = await send('POST', '/Users', {
          schemas: [SCHEMA_URN.user],
          userName: 'pw.logs@example.test',
          active: true,
          password: 'Logged-Never-42!',
        });
        expect(created.statusCode).toBe(201);
        expect(created.body).not.toContain('Logged-Never-42!');
        const id = (created.json() as { id: string }).id;
        const weak = await send('PATCH', `/Users/${id}`, {
          schemas: [SCHEMA_URN.patchOp],
          Operations: [{ op: 'replace', path: 'password', value: 'weakpw1' }],
        });
        expect(weak.statusCode).toBe(400);
        expect(weak.body).not.toContain('weakpw1');
      } finally {
        await app.close();
      }
      expect(lines.length).toBeGreaterThan(0);
      const text = lines.join('');
      expect(text).not.toContain('Logged-Never-42!');
      expect(text).not.toContain('weakpw1');
      expect(text).not.toContain(dc.servicePassword);
    });

    it('over plain ldap:// a password is refused before anything is sent or written', async () => {
      const plain = await variantStore([], { AD_URL: dc.ldapUrl });
      const error = await errorOf(() =>
        createUser(
          { userName: 'pw.plain@example.test', password: 'Never-Sent-1!' },
          plain.store,
          plain.mapping,
        ),
      );
      expect(error).toMatchObject({ status: 400, scimType: 'invalidValue' });
      expect(error.message).toMatch(/encrypted connection/);
      expect(await adEntry('(userPrincipalName=pw.plain@example.test)', ['1.1'])).toBeUndefined();
      // Without a password the plain connection works.
      const user = await createUser({ userName: 'no.pw.plain@example.test' }, plain.store, plain.mapping);
      const refused = await errorOf(() =>
        patch(
          'User',
          String(user.id),
          [{ op: 'replace', path: 'password', value: 'Never-Sent-2!' }],
          plain.store,
        ),
      );
      expect(refused.status).toBe(400);
    });

    it('StartTLS on ldap:// counts as encrypted (and verifies the DC against the CA)', async () => {
      const tls = await variantStore([['startTls: false', 'startTls: true']], { AD_URL: dc.ldapUrl });
      await createUser(
        { userName: 'pw.starttls@example.test', active: true, password: 'Start-Tls-Pass-1!' },
        tls.store,
        tls.mapping,
      );
      expect(await canBind('pw.starttls@example.test', 'Start-Tls-Pass-1!')).toBe(true);
    });

    it('a DC whose certificate the configured CA did not sign is 503, not a silent downgrade', async () => {
      const untrusted = await variantStore([], { AD_CA_FILE: '' });
      const error = await errorOf(() => untrusted.store.search('User', { startIndex: 1, count: 1 }));
      expect(error.status).toBe(503);
    });
  });

  describe('sAMAccountName rules (mapping userName: sAMAccountName)', () => {
    const edits: [string, string][] = [['userName: userPrincipalName', 'userName: sAMAccountName']];

    it('a name AD accepts is stored as sAMAccountName', async () => {
      const sam = await variantStore(edits);
      const user = await createUser({ userName: 'jdoe' }, sam.store, sam.mapping);
      expect(user.userName).toBe('jdoe');
      expect((await adEntry('(sAMAccountName=jdoe)', ['sAMAccountName']))?.sAMAccountName).toBe('jdoe');
    });

    const refused: [string, RegExp][] = [
      ['twenty-one-characters', /at most 20 characters \(got 21\)/],
      ['with/slash', /may not contain '\/'/],
      ['name@domain', /may not contain '@'/],
      ['trailing.', /may not end with a period/],
    ];
    for (const [userName, detail] of refused) {
      it(`"${userName}" is 400 invalidValue naming the rule, and nothing is written`, async () => {
        const sam = await variantStore(edits);
        const error = await errorOf(() => createUser({ userName }, sam.store, sam.mapping));
        expect(error).toMatchObject({ status: 400, scimType: 'invalidValue' });
        expect(error.message).toMatch(/userName is mapped to sAMAccountName/);
        expect(error.message).toMatch(detail);
        expect(await adEntry(`(cn=${userName.replace(/[\\*()]/g, '')})`, ['1.1'])).toBeUndefined();
      });
    }

    it("the DC's own refusal of a character is 400 invalidValue with its reason", async () => {
      // Bypass the gateway's check: an admin writes, the store maps what Samba answers.
      const { mapLdapError } = await import('../../../src/backends/ldap/error-mapping.js');
      const failure = await admin
        .add(`CN=bad-sam,${dc.usersBase}`, {
          objectClass: ['top', 'person', 'organizationalPerson', 'user'],
          sAMAccountName: 'bad|sam',
        })
        .then(
          () => undefined,
          (err: unknown) => err,
        );
      const mapped = mapLdapError(failure, 'User');
      expect(mapped).toMatchObject({ status: 400, scimType: 'invalidValue' });
      expect(mapped.message).toMatch(/sAMAccountName/);
    });

    it('a userPrincipalName clash the DC reports is 409 uniqueness', async () => {
      const { mapLdapError } = await import('../../../src/backends/ldap/error-mapping.js');
      await createUser({ userName: 'clash@example.test' });
      const failure = await admin
        .add(`CN=clash-two,${dc.usersBase}`, {
          objectClass: ['top', 'person', 'organizationalPerson', 'user'],
          userPrincipalName: 'clash@example.test',
        })
        .then(
          () => undefined,
          (err: unknown) => err,
        );
      const mapped = mapLdapError(failure, 'User');
      expect(mapped).toMatchObject({ status: 409, scimType: 'uniqueness' });
      expect(mapped.message).not.toContain('clash@example.test');
    });
  });

  it('manager is stored as the DN of the manager entry, and groups come from memberOf', async () => {
    const boss = await createUser({ userName: 'boss@example.test' });
    const worker = await createUser({
      userName: 'worker@example.test',
      [ENTERPRISE]: { manager: { value: String(boss.id) } },
    });
    const group = await createGroup({ displayName: 'workers', members: [{ value: String(worker.id) }] });
    const bossEntry = (await adEntry('(userPrincipalName=boss@example.test)', ['1.1'])) as Entry;
    const workerEntry = await adEntry('(userPrincipalName=worker@example.test)', ['manager']);
    expect(String(workerEntry?.manager).toLowerCase()).toBe(bossEntry.dn.toLowerCase());
    const read = await store.get('User', String(worker.id));
    expect(read[ENTERPRISE]).toMatchObject({ manager: { value: boss.id } });
    expect(read.groups).toEqual([{ value: group.id, type: 'Group' }]);
  });

  it('renaming (userName → CN) moves the entry with modifyDN: same id, membership and manager follow', async () => {
    const boss = await createUser({ userName: 'old.name@example.test' });
    const report = await createUser({
      userName: 'report@example.test',
      [ENTERPRISE]: { manager: { value: String(boss.id) } },
    });
    const group = await createGroup({ displayName: 'renamers', members: [{ value: String(boss.id) }] });
    const renamed = await patch('User', String(boss.id), [
      { op: 'replace', path: 'userName', value: 'new, name@example.test' },
    ]);
    expect(renamed.id).toBe(boss.id);
    expect(renamed.userName).toBe('new, name@example.test');
    const entry = await adEntry('(userPrincipalName=new, name@example.test)', ['cn']);
    expect(entry?.dn).toBe(`CN=new\\, name@example.test,${dc.usersBase}`);
    const members = (await store.get('Group', String(group.id))).members as { value: string }[];
    expect(members.map((member) => member.value)).toEqual([boss.id]);
    const reportRead = await store.get('User', String(report.id));
    expect(reportRead[ENTERPRISE]).toMatchObject({ manager: { value: boss.id } });
  });

  describe(`range retrieval: a group of ${BIG_GROUP.members} members (AD hands out 1,500 values per range)`, () => {
    let bigId: string;
    beforeAll(async () => {
      const found = await store.search('Group', {
        filter: parseFilter(`displayName eq "${BIG_GROUP.group}"`),
        startIndex: 1,
        count: 1,
        excludedAttributes: ['members'],
      });
      bigId = String(found.resources[0]?.id);
    });

    it('the server really answers in ranges', async () => {
      const entry = await adEntry(`(cn=${BIG_GROUP.group})`, ['member;range=0-1499']);
      const keys = Object.keys(entry ?? {}).filter((key) => key.toLowerCase().startsWith('member;range='));
      expect(keys.some((key) => /range=0-1499$/.test(key))).toBe(true);
    });

    it('get reads every range: all members, each a User with its own id', async () => {
      const group = await store.get('Group', bigId);
      const members = group.members as { value: string; type: string }[];
      expect(members).toHaveLength(BIG_GROUP.members);
      expect(new Set(members.map((member) => member.value)).size).toBe(BIG_GROUP.members);
      expect(new Set(members.map((member) => member.type))).toEqual(new Set(['User']));
    });

    it('a search page with members reads every range too; excludedAttributes=members reads none', async () => {
      const page = await store.search('Group', {
        filter: parseFilter(`displayName eq "${BIG_GROUP.group}"`),
        startIndex: 1,
        count: 10,
      });
      expect(page.resources[0]?.members).toHaveLength(BIG_GROUP.members);
      const lean = await store.get('Group', bigId, { excludedAttributes: ['members'] });
      expect(lean.members).toBeUndefined();
    });

    it('adding and removing one member is a value-level change; the count follows', async () => {
      const extra = await createUser({ userName: 'one.more@example.test' });
      const added = await patch('Group', bigId, [
        { op: 'add', path: 'members', value: [{ value: String(extra.id) }] },
      ]);
      expect((added.members as unknown[]).length).toBe(BIG_GROUP.members + 1);
      const removed = await patch('Group', bigId, [
        { op: 'remove', path: `members[value eq "${String(extra.id)}"]` },
      ]);
      expect((removed.members as unknown[]).length).toBe(BIG_GROUP.members);
    });

    it('remove with a value filter other than value eq reads all ranges before matching', async () => {
      const extra = await createUser({ userName: 'filtered@example.test' });
      await patch('Group', bigId, [{ op: 'add', path: 'members', value: [{ value: String(extra.id) }] }]);
      const after = await patch('Group', bigId, [
        { op: 'remove', path: `members[value eq "${String(extra.id)}" and type eq "User"]` },
      ]);
      expect((after.members as unknown[]).length).toBe(BIG_GROUP.members);
    });
  });

  it('explain shows the bitwise active filter, the binary-free id and the VLV paging', () => {
    const text = store.explain('User', {
      filter: parseFilter('active eq false'),
      startIndex: 1,
      count: 10,
      sort: { path: { attribute: 'userName' }, order: 'ascending' },
    });
    expect(text).toContain('(userAccountControl:1.2.840.113556.1.4.803:=2)');
    expect(text).toContain('server-side sort userPrincipalName');
    expect(text).toContain('VLV');
  });

  it('VLV pages keep using pooled connections: many in a row all succeed with the same total', async () => {
    const totals = new Set<number>();
    for (let i = 0; i < 40; i += 1) {
      // startIndex 2 always takes the server-side sort + VLV path.
      const page = await store.search('User', { startIndex: 2, count: 1 });
      expect(page.resources).toHaveLength(1);
      totals.add(page.totalResults);
    }
    expect(totals.size).toBe(1);
    expect([...totals][0]).toBeGreaterThanOrEqual(BIG_GROUP.members);
  });

  it('reconnects by itself after the DC restarts, and is 503 with Retry-After while it is down', async () => {
    const user = await createUser({ userName: 'survivor@example.test' });
    await dc.stop();
    try {
      const down = await errorOf(() => store.get('User', String(user.id)));
      expect(down.status).toBe(503);
      expect(down.retryAfter).toBeGreaterThan(0);
      expect(down.message).not.toContain(dc.servicePassword);
      await expect(store.ping()).rejects.toMatchObject({ status: 503 });
    } finally {
      await dc.start();
      await admin.unbind().catch(() => undefined);
      admin = await dc.adminClient();
    }
    expect((await store.get('User', String(user.id))).userName).toBe('survivor@example.test');
    await store.ping();
  });

  it('a DC that accepts connections but answers nothing is 503 after the operation timeout, then recovers', async () => {
    const quick = await variantStore([['operationMs: 15000', 'operationMs: 1000']]);
    const user = await createUser({ userName: 'timeout@example.test' }, quick.store, quick.mapping);
    dc.freeze();
    const began = Date.now();
    let down: ScimError;
    try {
      down = await errorOf(() => quick.store.get('User', String(user.id)));
    } finally {
      dc.thaw();
    }
    expect(down.status).toBe(503);
    expect(down.retryAfter).toBeGreaterThan(0);
    // One try and one retry on a fresh connection, each bounded by operationMs (plus connect).
    expect(Date.now() - began).toBeLessThan(10_000);
    expect((await quick.store.get('User', String(user.id))).userName).toBe('timeout@example.test');
  });

  it('a wrong service-account password is 503 and the message never holds it', async () => {
    const wrong = await variantStore([], { AD_BIND_PASSWORD: 'Wrong-Secret-123!' });
    const error = await errorOf(() => wrong.store.get('User', '00000000-0000-0000-0000-000000000000'));
    expect(error.status).toBe(503);
    expect(`${error.message} ${JSON.stringify(error)}`).not.toContain('Wrong-Secret-123!');
  });
});
