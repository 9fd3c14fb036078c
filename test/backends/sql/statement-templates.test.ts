import knex, { type Knex } from 'knex';
import { afterAll, describe, expect, it } from 'vitest';
import type { SqlFragment } from '../../../src/backends/sql/sql-fragment.js';
import { StatementTemplates, templatePart } from '../../../src/backends/sql/statement-templates.js';

/** Query builders only: toSQL() needs no connection. */
const dialects: Record<string, Knex> = {
  pg: knex({ client: 'pg' }),
  mysql2: knex({ client: 'mysql2' }),
  'better-sqlite3': knex({ client: 'better-sqlite3', useNullAsDefault: true }),
  mssql: knex({ client: 'mssql' }),
};

afterAll(async () => {
  await Promise.all(Object.values(dialects).map((db) => db.destroy()));
});

const byName: SqlFragment = { sql: 'lower(??) = lower(?)', bindings: ['users.user_name', 'Ada'] };
const byDisplayName: SqlFragment = { sql: 'lower(??) = lower(?)', bindings: ['users.display_name', 'Ada'] };

describe('templatePart', () => {
  it('keeps identifiers (??) in the key and hands out the values (?)', () => {
    const part = templatePart(byName);
    expect(part.values).toEqual(['Ada']);
    expect(part.key).toContain('users.user_name');
    expect(part.bind(['Bob'])).toEqual(['users.user_name', 'Bob']);
  });

  it('gives fragments that differ only in a column different keys', () => {
    expect(templatePart(byName).key).not.toBe(templatePart(byDisplayName).key);
  });

  it('skips escaped question marks', () => {
    const part = templatePart({ sql: "?? = '\\?' and ?? like ?", bindings: ['a', 'b', 'x%'] });
    expect(part.values).toEqual(['x%']);
    expect(part.bind(['y%'])).toEqual(['a', 'b', 'y%']);
  });

  it('has nothing for an absent fragment', () => {
    const part = templatePart(undefined);
    expect(part.values).toEqual([]);
    expect(part.bind([])).toEqual([]);
  });
});

describe('StatementTemplates', () => {
  // A search page's shape: fixed constants, a filter, an ORDER BY and a LIMIT.
  const page = (db: Knex, fragment: SqlFragment, values: readonly unknown[]) => {
    const part = templatePart(fragment);
    return db('users')
      .select('users.id', 'users.user_name')
      .where('users.tenant', 'acme')
      .whereRaw(fragment.sql, part.bind(values) as Knex.RawBinding[])
      .orderBy('users.id')
      .limit(100);
  };

  for (const [name, db] of Object.entries(dialects)) {
    it(`${name}: fills a template into the statement the builder compiles, request after request`, () => {
      const templates = new StatementTemplates();
      const owner = {};
      const part = templatePart(byName);
      for (const value of ['Ada', 'Bob', "O'Brien", 42, true, null]) {
        const compiled = templates.compiled(owner, part.key, [value], (slots) => page(db, byName, slots));
        const built = page(db, byName, [value]).toSQL();
        expect(compiled).toEqual({ sql: built.sql, bindings: built.bindings });
      }
    });
  }

  it('compiles each shape once', () => {
    const templates = new StatementTemplates();
    const owner = {};
    let builds = 0;
    const build = (slots: readonly unknown[]) => {
      builds += 1;
      return page(dialects.pg as Knex, byName, slots);
    };
    for (const value of ['a', 'b', 'c']) templates.compiled(owner, 'by name', [value], build);
    expect(builds).toBe(1);
    templates.compiled({}, 'by name', ['d'], build);
    expect(builds).toBe(2);
  });

  it('declines values that would not compile to one placeholder', () => {
    const templates = new StatementTemplates();
    const build = (slots: readonly unknown[]) => page(dialects.pg as Knex, byName, slots);
    expect(templates.compiled({}, 'k', [['a', 'b']], build)).toBeUndefined();
    expect(templates.compiled({}, 'k', [{ toSQL: () => 'x' }], build)).toBeUndefined();
  });

  it('declines a statement that does not carry every slot exactly once', () => {
    const templates = new StatementTemplates();
    const db = dialects.pg as Knex;
    const dropsSlot = () => db('users').select('id');
    const usesTwice = ([slot]: readonly unknown[]) =>
      db('users')
        .where('a', slot as Knex.Value)
        .orWhere('b', slot as Knex.Value);
    expect(templates.compiled({}, 'drop', ['x'], dropsSlot)).toBeUndefined();
    expect(templates.compiled({}, 'twice', ['x'], usesTwice)).toBeUndefined();
  });

  it('keeps at most 128 shapes per owner, the oldest going first', () => {
    const templates = new StatementTemplates();
    const owner = {};
    const built = new Map<string, number>();
    const compile = (key: string) =>
      templates.compiled(owner, key, ['v'], (slots) => {
        built.set(key, (built.get(key) ?? 0) + 1);
        return page(dialects.pg as Knex, byName, slots);
      });
    for (let i = 0; i <= 128; i += 1) compile(`shape ${i}`);
    compile('shape 128');
    expect(built.get('shape 128')).toBe(1);
    compile('shape 0');
    expect(built.get('shape 0')).toBe(2);
  });
});
