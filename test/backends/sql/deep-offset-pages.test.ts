import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchQuery } from '../../../src/backends/resource-store.js';
import { createSqlStore, type SqlStore } from '../../../src/backends/sql/sql-store.js';
import type { CompiledMapping } from '../../../src/mapping/compiled-mapping.js';
import { parseFilter } from '../../../src/scim/filter/parser.js';
import { SCHEMA_URN } from '../../../src/scim/schema/core-schemas.js';
import type { ScimResource } from '../../../src/scim/schema/model.js';
import { loadDemoSqliteMapping } from '../../support/demo-sqlite-mapping.js';
import { createMariaDbHelpdeskDatabase, loadMysqlHelpdeskMapping } from '../../support/mariadb.js';
import { createPostgresHrDatabase, loadPostgresHrMapping } from '../../support/postgres.js';

/**
 * A page with an OFFSET (startIndex > 1) pages the main table's keys in a
 * derived table and joins them back, so the child sub-selects run for the
 * page's rows only (ResourceReader.selectPage). Databases evaluate the
 * select list before OFFSET discards a row: with the sub-selects next to the
 * OFFSET, startIndex 90,001 aggregated the child rows of 90,100 users.
 *
 * On each real server: 2,000 users with 0–2 e-mails, titles that tie and
 * NULLs; a deep page (startIndex 1,501) must hold the same resources in the
 * same order as the cursor walk, whose pages (keyset, no OFFSET) keep the
 * one-SELECT shape; and the database's own plan must show the sub-selects
 * evaluated once per page row, above the LIMIT.
 */
const USERS = 2000;
const START = 1501;
const COUNT = 100;
/** How many rows the page's LIMIT reads through: the skipped ones and the page. */
const READ_THROUGH = START - 1 + COUNT;
const TITLES = ['Alpha', 'beta', 'Gamma', undefined] as const;

interface Backend {
  readonly name: string;
  /** The user store, and a cleanup. */
  open(): Promise<{ store: SqlStore; cleanup(): Promise<void> }>;
  /** Users created at once (the pool's size; SQLite writes one at a time). */
  readonly parallel: number;
  /**
   * The page statement's plan, checked against the database's own report:
   * the LIMIT reads READ_THROUGH keys, and each child sub-select runs once
   * per page row (not once per row read).
   */
  checkPlan(db: Knex, sql: string, bindings: readonly unknown[]): Promise<void>;
}

/** A fresh database of a real server with the store of its shipped mapping; cleanup closes and drops both. */
async function storeOnDatabase<Database extends { drop(): Promise<void> }>(
  create: () => Promise<Database>,
  mappingOf: (database: Database) => Promise<CompiledMapping>,
): Promise<{ store: SqlStore; cleanup(): Promise<void> }> {
  const database = await create();
  const store = (await createSqlStore(await mappingOf(database))) as SqlStore;
  return {
    store,
    cleanup: async () => {
      try {
        await store.close();
      } finally {
        await database.drop();
      }
    },
  };
}

type PlanNode = Record<string, unknown> & { Plans?: PlanNode[] };

function* nodesOf(node: PlanNode): Generator<PlanNode> {
  yield node;
  for (const child of node.Plans ?? []) yield* nodesOf(child);
}

const POSTGRES: Backend = {
  name: 'PostgreSQL (postgres-hr mapping)',
  parallel: 8,
  open: () => storeOnDatabase(createPostgresHrDatabase, loadPostgresHrMapping),
  async checkPlan(db, sql, bindings) {
    const result = (await db.raw(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql.replace(/\$\d+/g, '?')}`, [
      ...bindings,
    ] as Knex.RawBinding[])) as { rows: { 'QUERY PLAN': [{ Plan: PlanNode }] }[] };
    const root = result.rows[0]?.['QUERY PLAN'][0].Plan;
    if (root === undefined) throw new Error('no plan');
    const text = JSON.stringify(root, null, 1);
    const limits = [...nodesOf(root)].filter((node) => node['Node Type'] === 'Limit');
    expect(limits, text).toHaveLength(1);
    const limit = limits[0] as PlanNode;
    expect(limit['Actual Rows'], text).toBe(COUNT);
    expect(limit.Plans?.[0]?.['Actual Rows'], text).toBe(READ_THROUGH);
    const subPlans = [...nodesOf(root)].filter((node) => node['Parent Relationship'] === 'SubPlan');
    // e-mails, phones, addresses.
    expect(subPlans, text).toHaveLength(3);
    for (const subPlan of subPlans) expect(subPlan['Actual Loops'], text).toBe(COUNT);
    // Above the Limit: none of them is evaluated inside its subtree.
    for (const below of nodesOf(limit)) expect(below['Parent Relationship'], text).not.toBe('SubPlan');
  },
};

const MARIADB: Backend = {
  name: 'MariaDB (mysql-helpdesk mapping)',
  parallel: 6,
  open: () => storeOnDatabase(createMariaDbHelpdeskDatabase, loadMysqlHelpdeskMapping),
  async checkPlan(db, sql, bindings) {
    const [rows] = (await db.raw(`ANALYZE FORMAT=JSON ${sql}`, [...bindings] as Knex.RawBinding[])) as [
      Record<string, string>[],
    ];
    const report = JSON.parse(Object.values(rows[0] ?? {})[0] ?? 'null') as unknown;
    const text = JSON.stringify(report, null, 1);
    // Each table the statement reads: how, how often (r_loops), inside a derived table or not.
    const reads: { table: string; access: string; loops: number; derived: boolean }[] = [];
    const walk = (value: unknown, derived: boolean): void => {
      if (Array.isArray(value)) {
        for (const item of value) walk(item, derived);
        return;
      }
      if (typeof value !== 'object' || value === null) return;
      const object = value as Record<string, unknown>;
      const table = object.table as Record<string, unknown> | undefined;
      if (typeof table?.table_name === 'string') {
        const access = String(table.access_type);
        reads.push({ table: table.table_name, access, loops: Number(table.r_loops), derived });
      }
      for (const [key, child] of Object.entries(object))
        walk(child, derived || key === 'materialized' || key === 'derived');
    };
    walk(report, false);
    // MariaDB evaluates select-list sub-selects only for the rows it sends (the old shape read the
    // child tables 100 times too): what this pins is the shape, which spares the skipped rows'
    // full reads and sort width. The page's keys: a derived table, materialized once.
    const keys = reads.filter((read) => read.table === 'hd_agent' && read.derived);
    expect(keys, text).toHaveLength(1);
    expect(keys[0]?.loops, text).toBe(1);
    // Each page row looked up by its key.
    const pageRows = reads.filter((read) => read.table === 'hd_agent' && !read.derived);
    expect(pageRows, text).toHaveLength(1);
    expect(pageRows[0]?.access, text).toBe('eq_ref');
    // The child sub-selects: read once per page row, not once per row the LIMIT went through.
    for (const child of ['hd_agent_email', 'hd_agent_phone']) {
      const found = reads.filter((read) => read.table === child);
      expect(found, text).toHaveLength(1);
      expect(found[0]?.loops, text).toBe(COUNT);
    }
  },
};

const SQLITE: Backend = {
  name: 'SQLite (demo mapping)',
  parallel: 1,
  async open() {
    const dir = await mkdtemp(join(tmpdir(), 'crosswalk-deep-page-'));
    const store = (await createSqlStore(await loadDemoSqliteMapping(join(dir, 'demo.sqlite')))) as SqlStore;
    return {
      store,
      cleanup: async () => {
        await store.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
  async checkPlan(db, sql, bindings) {
    // SQLite reports no loop counts: its plan shows where the LIMIT's subquery and the sub-selects sit.
    const rows = (await db.raw(`EXPLAIN QUERY PLAN ${sql}`, [...bindings] as Knex.RawBinding[])) as {
      id: number;
      parent: number;
      detail: string;
    }[];
    const text = rows.map((row) => `${row.id} ${row.parent} ${row.detail}`).join('\n');
    const parentOf = new Map(rows.map((row) => [row.id, row.parent]));
    const ancestors = (id: number): number[] => {
      const parent = parentOf.get(id);
      return parent === undefined || parent === 0 ? [] : [parent, ...ancestors(parent)];
    };
    // The page's keys: a subquery of their own (not flattened into the outer SELECT).
    const keys = rows.filter((row) => /^(CO-ROUTINE|MATERIALIZE) page_keys$/.test(row.detail));
    expect(keys, text).toHaveLength(1);
    const keysId = keys[0]?.id ?? -1;
    // The outer SELECT walks the page's keys and looks each row up by its key (CROSS JOIN keeps
    // that order: an inner join let SQLite scan all of users in key order, probing the keys).
    const outer = rows.filter((row) => row.parent === 0).map((row) => row.detail);
    expect(outer, text).toContain('SCAN page_keys');
    expect(
      outer.findIndex((detail) => /^SEARCH users USING .*\(id=\?\)$/.test(detail)),
      text,
    ).toBeGreaterThan(outer.indexOf('SCAN page_keys'));
    // The child sub-selects are the outer SELECT's, outside the keys' subquery.
    const subSelects = rows.filter((row) => row.detail.startsWith('CORRELATED SCALAR SUBQUERY'));
    expect(subSelects, text).toHaveLength(2);
    for (const row of subSelects) expect(ancestors(row.id), text).not.toContain(keysId);
  },
};

describe.each([POSTGRES, MARIADB, SQLITE])('$name', (backend) => {
  let store: SqlStore;
  let cleanup: () => Promise<void>;
  const run = randomUUID().slice(0, 8);
  const prefix = `deep-${run}-`;

  beforeAll(async () => {
    ({ store, cleanup } = await backend.open());
    const create = (index: number) => {
      const title = TITLES[index % TITLES.length];
      // userNames in another order than creation (and ids): 0–2 e-mails each.
      const key = String((index * 7919) % USERS).padStart(4, '0');
      return store.create('User', {
        schemas: [SCHEMA_URN.user],
        userName: `${prefix}${key}`,
        ...(title === undefined ? {} : { title }),
        emails: Array.from({ length: index % 3 }, (_, n) => ({
          value: `${key}-${n}@deep.example`,
          type: n === 0 ? 'work' : 'home',
        })),
        phoneNumbers: index % 5 === 0 ? [{ value: `+41 ${key}`, type: 'work' }] : [],
      });
    };
    for (let index = 0; index < USERS; index += backend.parallel) {
      const batch = Array.from({ length: Math.min(backend.parallel, USERS - index) }, (_, n) => index + n);
      await Promise.all(batch.map(create));
    }
  }, 300_000);
  afterAll(async () => {
    await cleanup?.();
  });

  /** Every match, by cursor pages (keyset: no OFFSET, the one-SELECT shape). */
  async function cursorWalk(query: Omit<SearchQuery, 'startIndex' | 'count' | 'cursor'>) {
    const all: ScimResource[] = [];
    let cursor = '';
    for (;;) {
      const page = await store.search('User', { ...query, startIndex: 1, count: 250, cursor });
      all.push(...page.resources);
      if (page.nextCursor === undefined) return all;
      cursor = page.nextCursor;
    }
  }

  const mine = () => parseFilter(`userName sw "${prefix}"`);
  const cases: readonly [string, () => Omit<SearchQuery, 'startIndex' | 'count' | 'cursor'>][] = [
    ['by id', () => ({ filter: mine() })],
    [
      'sortBy=userName',
      () => ({ filter: mine(), sort: { path: { attribute: 'userName' }, order: 'ascending' } }),
    ],
    [
      'sortBy=title descending (ties, NULLs last)',
      () => ({ filter: mine(), sort: { path: { attribute: 'title' }, order: 'descending' } }),
    ],
  ];

  it.each(cases)(
    'startIndex 1,501 holds the cursor walk’s users 1,501–1,600 in order: %s',
    async (_title, query) => {
      const walked = await cursorWalk(query());
      expect(walked).toHaveLength(USERS);
      const page = await store.search('User', { ...query(), startIndex: START, count: COUNT });
      expect(page.totalResults).toBe(USERS);
      expect(page.resources.map((user) => user.id)).toEqual(
        walked.slice(START - 1, START - 1 + COUNT).map((user) => user.id),
      );
      // Whole resources, child lists included.
      expect(page.resources).toEqual(walked.slice(START - 1, START - 1 + COUNT));
      expect(page.resources.some((user) => (user.emails as unknown[] | undefined)?.length === 2)).toBe(true);
    },
  );

  it('a filter over a child table (EXISTS) pages the same way: emails[type eq "home"], startIndex 501', async () => {
    const query = {
      filter: parseFilter(`userName sw "${prefix}" and emails[type eq "home"]`),
      sort: { path: { attribute: 'userName' }, order: 'descending' as const },
    };
    const walked = await cursorWalk(query);
    // Users with two e-mails: every third.
    expect(walked).toHaveLength(Math.floor(USERS / 3));
    const page = await store.search('User', { ...query, startIndex: 501, count: COUNT });
    expect(page.totalResults).toBe(walked.length);
    expect(page.resources).toEqual(walked.slice(500, 500 + COUNT));
  });

  it('the last, partial page and a page past the end', async () => {
    const walked = await cursorWalk({ filter: mine() });
    const last = await store.search('User', { filter: mine(), startIndex: USERS - 9, count: COUNT });
    expect(last.resources).toEqual(walked.slice(USERS - 10));
    const past = await store.search('User', { filter: mine(), startIndex: USERS + 1, count: COUNT });
    expect(past.resources).toEqual([]);
    expect(past.totalResults).toBe(USERS);
  });

  const planned: readonly [string, () => SearchQuery][] = [
    [
      'userName sw, sortBy=userName',
      () => ({
        filter: mine(),
        startIndex: START,
        count: COUNT,
        sort: { path: { attribute: 'userName' }, order: 'ascending' },
      }),
    ],
    ['no filter, by id', () => ({ startIndex: START, count: COUNT })],
  ];

  it.each(planned)(
    'the deep page is one statement whose plan runs the child sub-selects for the page rows only: %s',
    async (_title, makeQuery) => {
      const query = makeQuery();
      const explained = store.explain('User', query);
      const page = /-- page\n([^\n]+)\n-- bindings: ([^\n]+)/.exec(explained);
      expect(page).not.toBeNull();
      const sql = String(page?.[1]);
      const bindings = JSON.parse(String(page?.[2])) as unknown[];
      await backend.checkPlan(store.db, sql, bindings);
      // The store sends that statement (and the COUNT a deep page needs), nothing else.
      const sent: string[] = [];
      const onQuery = (sending: { sql: string }) => sent.push(sending.sql);
      store.db.on('query', onQuery);
      try {
        await store.search('User', query);
      } finally {
        store.db.off('query', onQuery);
      }
      expect(sent).toHaveLength(2);
      expect(sent).toContain(sql);
    },
  );
});
