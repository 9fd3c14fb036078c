import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import knex, { type Knex } from 'knex';
import type { CompiledMapping } from '../../src/mapping/compiled-mapping.js';
import { loadMappingFile } from '../../src/mapping/load-mapping.js';
import { staleDatabases } from './stale-databases.js';

/** The CI machine's MariaDB (root, empty password); override with MYSQL_HOST / MYSQL_PORT / MYSQL_USER / MYSQL_PASSWORD. */
export const MARIADB_SERVER = {
  host: process.env.MYSQL_HOST ?? '127.0.0.1',
  port: Number(process.env.MYSQL_PORT ?? 3306),
  user: process.env.MYSQL_USER ?? 'root',
  password: process.env.MYSQL_PASSWORD ?? '',
} as const;

export const MYSQL_HELPDESK_MAPPING = fileURLToPath(
  new URL('../../mappings/mysql-helpdesk.yaml', import.meta.url),
);
const FIXTURES = fileURLToPath(new URL('../fixtures/mysql-helpdesk/', import.meta.url));

/** A database of its own for one test run, dropped by `drop()`. */
export interface MariaDbDatabase {
  readonly name: string;
  /** A knex connection to it, for set-up and for checking what the gateway wrote. */
  readonly db: Knex;
  /** The environment mappings/mysql-helpdesk.yaml reads, pointing at this database. */
  readonly env: Readonly<Record<string, string>>;
  drop(): Promise<void>;
}

function connect(database?: string): Knex {
  return knex({
    client: 'mysql2',
    // Scripts run whole (trigger bodies contain `;`), hence multipleStatements.
    connection: {
      ...MARIADB_SERVER,
      ...(database === undefined ? {} : { database }),
      multipleStatements: true,
    },
    pool: { min: 0, max: 2 },
  });
}

/** Creates a uniquely named database and loads the help-desk schema and seed (test/fixtures/mysql-helpdesk). */
export async function createMariaDbHelpdeskDatabase(): Promise<MariaDbDatabase> {
  // The creation time in the name lets a later run drop what a crashed run left behind.
  const name = `crosswalk_test_${Math.floor(Date.now() / 1000)}_${randomUUID().replaceAll('-', '').slice(0, 8)}`;
  const admin = connect();
  try {
    const [rows] = (await admin.raw("SHOW DATABASES LIKE 'crosswalk\\_test\\_%'")) as [
      Record<string, string>[],
    ];
    for (const stale of staleDatabases(rows.flatMap((row) => Object.values(row)))) {
      await admin.raw('DROP DATABASE IF EXISTS ??', [stale]);
    }
    await admin.raw('CREATE DATABASE ?? CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', [name]);
  } finally {
    await admin.destroy();
  }
  const db = connect(name);
  try {
    for (const file of ['schema.sql', 'seed.sql']) await db.raw(await readFile(`${FIXTURES}${file}`, 'utf8'));
  } catch (err) {
    await db.destroy();
    await dropMariaDbDatabase(name);
    throw err;
  }
  return {
    name,
    db,
    env: {
      HELPDESK_DB_HOST: MARIADB_SERVER.host,
      HELPDESK_DB_PORT: String(MARIADB_SERVER.port),
      HELPDESK_DB_USER: MARIADB_SERVER.user,
      HELPDESK_DB_PASSWORD: MARIADB_SERVER.password,
      HELPDESK_DB_DATABASE: name,
    },
    drop: async () => {
      await db.destroy();
      await dropMariaDbDatabase(name);
    },
  };
}

async function dropMariaDbDatabase(name: string): Promise<void> {
  const admin = connect();
  try {
    await admin.raw('DROP DATABASE IF EXISTS ??', [name]);
  } finally {
    await admin.destroy();
  }
}

/** mappings/mysql-helpdesk.yaml loaded exactly as `crosswalk serve` loads it, against `database`. */
export function loadMysqlHelpdeskMapping(
  database: MariaDbDatabase,
  extraEnv: Readonly<Record<string, string>> = {},
): Promise<CompiledMapping> {
  return loadMappingFile(MYSQL_HELPDESK_MAPPING, { ...process.env, ...database.env, ...extraEnv });
}
