import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import knex, { type Knex } from 'knex';
import type { CompiledMapping } from '../../src/mapping/compiled-mapping.js';
import { loadMappingFile } from '../../src/mapping/load-mapping.js';
import { staleDatabases } from './stale-databases.js';

/** The CI machine's PostgreSQL (trust authentication); override with PGHOST / PGPORT / PGUSER / PGPASSWORD. */
export const POSTGRES_SERVER = {
  host: process.env.PGHOST ?? '127.0.0.1',
  port: Number(process.env.PGPORT ?? 5432),
  user: process.env.PGUSER ?? 'postgres',
  password: process.env.PGPASSWORD ?? '',
} as const;

export const POSTGRES_HR_MAPPING = fileURLToPath(new URL('../../mappings/postgres-hr.yaml', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../fixtures/postgres-hr/', import.meta.url));

/** A database of its own for one test run, dropped by `drop()`. */
export interface PostgresDatabase {
  readonly name: string;
  /** A knex connection to it, for set-up and for checking what the gateway wrote. */
  readonly db: Knex;
  /** The environment mappings/postgres-hr.yaml reads, pointing at this database. */
  readonly env: Readonly<Record<string, string>>;
  drop(): Promise<void>;
}

function adminConnection(database: string): Knex {
  return knex({
    client: 'pg',
    connection: { ...POSTGRES_SERVER, database },
    pool: { min: 0, max: 2 },
  });
}

/**
 * Creates a uniquely named database and loads the legacy HR schema and seed
 * (test/fixtures/postgres-hr) into it. Scripts run as one simple-protocol
 * query each, so functions with `$$` bodies need no statement splitting.
 */
export async function createPostgresHrDatabase(): Promise<PostgresDatabase> {
  // The creation time in the name lets a later run drop what a crashed run left behind.
  const name = `crosswalk_test_${Math.floor(Date.now() / 1000)}_${randomUUID().replaceAll('-', '').slice(0, 8)}`;
  const admin = adminConnection('postgres');
  try {
    const rows = (await admin.raw(
      "SELECT datname FROM pg_database WHERE datname LIKE 'crosswalk\\_test\\_%'",
    )) as {
      rows: { datname: string }[];
    };
    for (const stale of staleDatabases(rows.rows.map((row) => row.datname))) {
      await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [stale]);
    }
    await admin.raw('CREATE DATABASE ??', [name]);
  } finally {
    await admin.destroy();
  }
  const db = adminConnection(name);
  try {
    for (const file of ['schema.sql', 'seed.sql']) await db.raw(await readFile(`${FIXTURES}${file}`, 'utf8'));
  } catch (err) {
    await db.destroy();
    await dropPostgresDatabase(name);
    throw err;
  }
  return {
    name,
    db,
    env: {
      HR_PG_HOST: POSTGRES_SERVER.host,
      HR_PG_PORT: String(POSTGRES_SERVER.port),
      HR_PG_USER: POSTGRES_SERVER.user,
      HR_PG_PASSWORD: POSTGRES_SERVER.password,
      HR_PG_DATABASE: name,
    },
    drop: async () => {
      await db.destroy();
      await dropPostgresDatabase(name);
    },
  };
}

async function dropPostgresDatabase(name: string): Promise<void> {
  const admin = adminConnection('postgres');
  try {
    // WITH (FORCE): a gateway pool a failed test left open must not keep the database alive.
    await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
  } finally {
    await admin.destroy();
  }
}

/** mappings/postgres-hr.yaml loaded exactly as `crosswalk serve` loads it, against `database`. */
export function loadPostgresHrMapping(
  database: PostgresDatabase,
  extraEnv: Readonly<Record<string, string>> = {},
): Promise<CompiledMapping> {
  return loadMappingFile(POSTGRES_HR_MAPPING, { ...process.env, ...database.env, ...extraEnv });
}
