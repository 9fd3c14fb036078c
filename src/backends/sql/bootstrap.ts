import { readFile } from 'node:fs/promises';
import type { Knex } from 'knex';
import type { SqlBackendConfig } from '../../mapping/compiled-mapping.js';
import type { SqlDialect } from './dialects/sql-dialect.js';

type Bootstrap = NonNullable<SqlBackendConfig['bootstrap']>;

/**
 * Creates the schema (and seed data) of an embedded database on first start:
 * only when `whenTableMissing` does not exist, all in one transaction. A
 * replica that loses the race finds the table there and carries on.
 */
export async function runBootstrap(db: Knex, dialect: SqlDialect, bootstrap: Bootstrap): Promise<boolean> {
  if (await db.schema.hasTable(bootstrap.whenTableMissing)) return false;
  const scripts = [await readFile(bootstrap.schemaFile, 'utf8')];
  if (bootstrap.seedFile !== undefined) scripts.push(await readFile(bootstrap.seedFile, 'utf8'));
  try {
    await db.transaction(async (trx) => {
      for (const script of scripts) {
        for (const statement of dialect.splitScript(script)) await trx.raw(statement);
      }
    });
  } catch (err) {
    if (await db.schema.hasTable(bootstrap.whenTableMissing)) return false;
    throw err;
  }
  return true;
}
