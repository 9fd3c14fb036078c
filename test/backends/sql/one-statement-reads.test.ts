import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { elementsOfRows, ResourceDecoder } from '../../../src/backends/sql/resource-decoder.js';
import { SqlLayouts } from '../../../src/backends/sql/sql-resource-layout.js';
import { createSqlStore, type SqlStore } from '../../../src/backends/sql/sql-store.js';
import type { CompiledMapping } from '../../../src/mapping/compiled-mapping.js';
import { loadMappingText } from '../../../src/mapping/load-mapping.js';
import { parseFilter } from '../../../src/scim/filter/parser.js';
import { SCHEMA_URN } from '../../../src/scim/schema/core-schemas.js';
import type { ScimResource } from '../../../src/scim/schema/model.js';
import { loadDemoSqliteMapping } from '../../support/demo-sqlite-mapping.js';
import { createMariaDbHelpdeskDatabase, loadMysqlHelpdeskMapping } from '../../support/mariadb.js';
import { createPostgresHrDatabase, loadPostgresHrMapping } from '../../support/postgres.js';

/**
 * Reads of a resource are one statement, its child tables aggregated into it
 * as JSON (resource-reader.ts). JSON carries no driver typing — booleans are
 * true/false or 0/1, numbers and strings differ per dialect — so on each real
 * server the resource read that way must equal the one decoded from the
 * driver's own typed rows of the same tables (what the store read before),
 * for values JSON must escape, booleans both ways, NULLs, and the mapping's
 * transforms on the main row (value maps, Y/N and 0/1 flags, upper-casing,
 * timestamps).
 */
interface Opened {
  readonly store: SqlStore;
  readonly mapping: CompiledMapping;
  /** Is `addresses` mapped (a third child table)? */
  readonly addresses: boolean;
  /** Does the mapping upper-case employeeNumber (transform: uppercase)? */
  readonly upperCase: boolean;
  cleanup(): Promise<void>;
}

const BACKENDS: readonly (readonly [string, () => Promise<Opened>])[] = [
  [
    'SQLite (demo mapping)',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'crosswalk-json-'));
      const mapping = await loadDemoSqliteMapping(join(dir, 'demo.sqlite'));
      const store = (await createSqlStore(mapping)) as SqlStore;
      return {
        store,
        mapping,
        addresses: false,
        upperCase: false,
        cleanup: async () => {
          await store.close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  ],
  [
    'PostgreSQL (postgres-hr mapping)',
    async () => {
      const database = await createPostgresHrDatabase();
      const mapping = await loadPostgresHrMapping(database);
      const store = (await createSqlStore(mapping)) as SqlStore;
      return {
        store,
        mapping,
        addresses: true,
        upperCase: true,
        cleanup: async () => {
          try {
            await store.close();
          } finally {
            await database.drop();
          }
        },
      };
    },
  ],
  [
    'MariaDB (mysql-helpdesk mapping)',
    async () => {
      const database = await createMariaDbHelpdeskDatabase();
      const mapping = await loadMysqlHelpdeskMapping(database);
      const store = (await createSqlStore(mapping)) as SqlStore;
      return {
        store,
        mapping,
        addresses: false,
        upperCase: true,
        cleanup: async () => {
          try {
            await store.close();
          } finally {
            await database.drop();
          }
        },
      };
    },
  ],
];

/** Every statement knex sends while `work` runs. */
async function statementsOf(db: Knex, work: () => Promise<unknown>): Promise<string[]> {
  const sent: string[] = [];
  const onQuery = (query: { sql: string }) => sent.push(query.sql);
  db.on('query', onQuery);
  try {
    await work();
  } finally {
    db.off('query', onQuery);
  }
  return sent;
}

/**
 * The resource decoded from the driver's typed rows: the main row and each
 * child table's rows read on their own, ordered by their columns as the
 * JSON aggregate orders them.
 */
async function decodedFromTypedRows(store: SqlStore, mapping: CompiledMapping, id: string) {
  const layout = new SqlLayouts(mapping).get('User');
  const [row] = (await store.db(layout.table).select('*').where(layout.idColumn, id)) as Record<
    string,
    unknown
  >[];
  if (row === undefined) throw new Error(`no row ${id}`);
  const children = [];
  for (const entry of layout.childTables) {
    const columns = Object.values(entry.columns);
    const rows = (await store
      .db(entry.table)
      .select(columns)
      .where(entry.ownerColumn, id)
      .orderBy(columns)) as Record<string, unknown>[];
    children.push(elementsOfRows(entry, rows));
  }
  return new ResourceDecoder(layout).decode(row, { children, joins: [] });
}

const TRICKY_EMAILS = [
  { value: 'Quote"Back\\slash@example.com', type: 'work', primary: true },
  { value: 'ünïcødé+😀@Example.COM', type: 'home', primary: false },
  { value: "tab\tnew\nline'apos@example.com" },
];

describe.each(BACKENDS)('%s', (_name, open) => {
  let opened: Opened;
  const run = randomUUID().slice(0, 8);
  let tricky: ScimResource;
  let plain: ScimResource;
  let many: ScimResource;

  beforeAll(async () => {
    opened = await open();
    const { store } = opened;
    tricky = await store.create('User', {
      schemas: [SCHEMA_URN.user],
      userName: `json-${run}-MiXeD`,
      active: false,
      title: 'Ingénieure "senior"',
      emails: TRICKY_EMAILS,
      phoneNumbers: [{ value: '007 123', type: 'mobile', primary: true }],
      ...(opened.addresses
        ? {
            addresses: [
              { type: 'work', streetAddress: 'Main St. 1 "A"', locality: 'Zürich', country: 'CH' },
              { type: 'home', locality: 'Genève' },
            ],
          }
        : {}),
      [SCHEMA_URN.enterpriseUser]: { employeeNumber: 'ab-12' },
    });
    plain = await store.create('User', { schemas: [SCHEMA_URN.user], userName: `json-${run}-plain` });
    many = await store.create('User', {
      schemas: [SCHEMA_URN.user],
      userName: `json-${run}-many`,
      emails: Array.from({ length: 60 }, (_, index) => ({
        value: `address-number-${String(index).padStart(2, '0')}@a-rather-long-domain.example`,
        type: index % 2 === 0 ? 'work' : 'other',
      })),
    });
  }, 60_000);
  afterAll(async () => {
    await opened?.cleanup();
  });

  it('a user read is one statement and equals the resource decoded from typed rows', async () => {
    const { store, mapping } = opened;
    let viaJson: ScimResource | undefined;
    const sent = await statementsOf(store.db, async () => {
      viaJson = await store.get('User', String(tricky.id));
    });
    expect(sent).toHaveLength(1);
    expect(viaJson).toEqual(await decodedFromTypedRows(store, mapping, String(tricky.id)));
  });

  it('decodes what JSON escapes and retypes: quotes, backslashes, control characters, emoji, booleans, NULLs', async () => {
    const read = await opened.store.get('User', String(tricky.id));
    const emails = read.emails as Record<string, unknown>[];
    expect(emails).toHaveLength(3);
    for (const sent of TRICKY_EMAILS) {
      // A value without type reads back without one (NULL column); primary is a real boolean either way.
      expect(emails).toContainEqual({ primary: false, ...sent });
    }
    expect(emails.map((email) => typeof email.primary)).toEqual(['boolean', 'boolean', 'boolean']);
    expect(read.phoneNumbers).toEqual([{ value: '007 123', type: 'mobile', primary: true }]);
    if (opened.addresses) {
      expect(read.addresses).toContainEqual({
        type: 'work',
        streetAddress: 'Main St. 1 "A"',
        locality: 'Zürich',
        country: 'CH',
      });
      expect(read.addresses).toContainEqual({ type: 'home', locality: 'Genève' });
    }
  });

  it("the main row's transforms are unchanged: value maps and flags, upper-casing, timestamps, case", async () => {
    const read = await opened.store.get('User', String(tricky.id));
    expect(read.userName).toBe(`json-${run}-MiXeD`);
    expect(read.active).toBe(false);
    expect(read.title).toBe('Ingénieure "senior"');
    expect((read[SCHEMA_URN.enterpriseUser] as Record<string, unknown>).employeeNumber).toBe(
      opened.upperCase ? 'AB-12' : 'ab-12',
    );
    const meta = read.meta as Record<string, unknown>;
    expect(meta.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(meta.lastModified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('every read lists child values in the same order', async () => {
    const first = await opened.store.get('User', String(tricky.id));
    const again = await opened.store.get('User', String(tricky.id));
    const found = await opened.store.search('User', {
      startIndex: 1,
      count: 10,
      filter: parseFilter(`userName eq "json-${run}-mixed"`),
    });
    expect(again.emails).toEqual(first.emails);
    expect(found.resources[0]?.emails).toEqual(first.emails);
  });

  it('a user without child rows has no empty lists, in one statement', async () => {
    let read: ScimResource | undefined;
    const sent = await statementsOf(opened.store.db, async () => {
      read = await opened.store.get('User', String(plain.id));
    });
    expect(sent).toHaveLength(1);
    expect(read).not.toHaveProperty('emails');
    expect(read).not.toHaveProperty('phoneNumbers');
    expect(read).toEqual(await decodedFromTypedRows(opened.store, opened.mapping, String(plain.id)));
  });

  it('a long child list comes back whole (60 e-mails, several KB of JSON)', async () => {
    const read = await opened.store.get('User', String(many.id));
    expect(read.emails).toHaveLength(60);
    expect(read).toEqual(await decodedFromTypedRows(opened.store, opened.mapping, String(many.id)));
    const backend = opened.mapping.backend;
    if (backend.type === 'sql' && backend.dialect === 'mysql') {
      // MySQL's default group_concat_max_len (1,024 bytes) would cut the JSON: every connection lifts it.
      const [rows] = (await opened.store.db.raw('SELECT @@SESSION.group_concat_max_len AS n')) as [
        { n: unknown }[],
      ];
      expect(Number(rows[0]?.n)).toBe(1073741824);
    }
  });

  it('userName eq is one statement (the page holds every match: no COUNT)', async () => {
    let total = -1;
    const sent = await statementsOf(opened.store.db, async () => {
      total = (
        await opened.store.search('User', {
          startIndex: 1,
          count: 100,
          filter: parseFilter(`userName eq "json-${run}-MIXED"`),
        })
      ).totalResults;
    });
    expect(total).toBe(1);
    expect(sent).toHaveLength(1);
  });

  it('a page of several users is one statement plus the COUNT when more match than it shows', async () => {
    let page: ScimResource[] = [];
    let total = -1;
    const sent = await statementsOf(opened.store.db, async () => {
      const found = await opened.store.search('User', {
        startIndex: 1,
        count: 2,
        filter: parseFilter(`userName sw "json-${run}"`),
        sort: { path: { attribute: 'userName' }, order: 'ascending' },
      });
      page = [...found.resources];
      total = found.totalResults;
    });
    expect(total).toBe(3);
    expect(sent).toHaveLength(2);
    expect(page.map((user) => user.userName)).toEqual([`json-${run}-many`, `json-${run}-MiXeD`]);
    for (const user of page) {
      expect(user).toEqual(await decodedFromTypedRows(opened.store, opened.mapping, String(user.id)));
    }
  });

  it('excludedAttributes leaves the excluded child table out of the statement', async () => {
    const sent = await statementsOf(opened.store.db, () =>
      opened.store.get('User', String(tricky.id), { excludedAttributes: ['emails'] }),
    );
    expect(sent).toHaveLength(1);
    const layout = new SqlLayouts(opened.mapping).get('User');
    const emails = layout.childTables.find((entry) => entry.scim.attribute === 'emails');
    expect(sent[0]).not.toContain(String(emails?.table));
  });
});

describe('a child table whose values JSON cannot carry (binary x509Certificates)', () => {
  let dir: string;
  let store: SqlStore;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crosswalk-json-binary-'));
    const yaml = `
version: 1
backend:
  type: sql
  dialect: sqlite
  connection: { filename: ${JSON.stringify(join(dir, 'certs.sqlite'))} }
  pool: { min: 1, max: 1 }
resources:
  User:
    table: users
    id: { column: id, generate: uuid }
    attributes:
      userName: user_name
      emails: { table: user_emails, owner: user_id, columns: { value: address, type: kind } }
      x509Certificates: { table: user_certs, owner: user_id, columns: { value: der, type: kind } }
`;
    store = (await createSqlStore(loadMappingText(yaml, join(dir, 'certs.yaml')))) as SqlStore;
    await store.db.raw('CREATE TABLE users (id TEXT PRIMARY KEY, user_name TEXT NOT NULL)');
    await store.db.raw('CREATE TABLE user_emails (user_id TEXT NOT NULL, address TEXT, kind TEXT)');
    await store.db.raw('CREATE TABLE user_certs (user_id TEXT NOT NULL, der BLOB, kind TEXT)');
  });
  afterAll(async () => {
    await store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('is read by a statement of its own (bytes → base64 as before); the e-mails stay in the main one', async () => {
    const id = randomUUID();
    await store.db('users').insert({ id, user_name: 'cert-holder' });
    await store.db('user_emails').insert({ user_id: id, address: 'c@example.com', kind: 'work' });
    await store.db('user_certs').insert({ user_id: id, der: Buffer.from([0, 1, 2, 250, 255]), kind: 'work' });
    let read: ScimResource | undefined;
    const sent = await statementsOf(store.db, async () => {
      read = await store.get('User', id);
    });
    expect(sent).toHaveLength(2);
    expect(sent[0]).toContain('json_group_array');
    expect(sent[0]).not.toContain('user_certs');
    expect(sent[1]).toMatch(/^select `user_id`, `der`, `kind` from `user_certs`/);
    expect(read?.emails).toEqual([{ value: 'c@example.com', type: 'work' }]);
    expect(read?.x509Certificates).toEqual([{ value: 'AAEC+v8=', type: 'work' }]);
  });
});
