import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import knex, { type Knex } from 'knex';
import type { CompiledMapping } from '../../src/mapping/compiled-mapping.js';
import { loadMappingFile } from '../../src/mapping/load-mapping.js';
import { MARIADB_SERVER } from './mariadb.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/mariadb-procedures/', import.meta.url));

/** A throw-away database whose tables only its procedures may write, and the account the gateway uses. */
export interface MariaDbProcedureDatabase {
  readonly name: string;
  /** The gateway's account: SELECT on the tables, UPDATE on version columns only, EXECUTE on the procedures. */
  readonly appUser: string;
  /** An administrator connection, for checking what the procedures wrote. */
  readonly admin: Knex;
  /** A connection as the gateway's account, to show what it may not do directly. */
  readonly app: Knex;
  loadMapping(): Promise<CompiledMapping>;
  drop(): Promise<void>;
}

function connect(database?: string, user: string = MARIADB_SERVER.user): Knex {
  return knex({
    client: 'mysql2',
    // The schema script runs whole: procedure bodies contain `;`.
    connection: {
      ...MARIADB_SERVER,
      user,
      ...(database === undefined ? {} : { database }),
      multipleStatements: true,
    },
    pool: { min: 0, max: 2 },
  });
}

async function dropAll(name: string, user: string): Promise<void> {
  const server = connect();
  try {
    await server.raw('DROP DATABASE IF EXISTS ??', [name]);
    await server.raw("DROP USER IF EXISTS ?@'%'", [user]);
  } finally {
    await server.destroy();
  }
}

/** Creates the database, the schema and procedures of test/fixtures/mariadb-procedures, and the app account. */
export async function createMariaDbProcedureDatabase(): Promise<MariaDbProcedureDatabase> {
  const suffix = randomUUID().replaceAll('-', '').slice(0, 12);
  const name = `crosswalk_proc_${suffix}`;
  const appUser = `cw_app_${suffix}`;
  const server = connect();
  try {
    await server.raw('CREATE DATABASE ?? CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', [name]);
    await server.raw("CREATE USER ?@'%'", [appUser]);
  } finally {
    await server.destroy();
  }
  const admin = connect(name);
  try {
    await admin.raw(await readFile(`${FIXTURES}schema.sql`, 'utf8'));
    await admin.raw("GRANT SELECT, EXECUTE ON ??.* TO ?@'%'", [name, appUser]);
    for (const table of ['agents', 'teams']) {
      await admin.raw("GRANT UPDATE (row_version) ON ??.?? TO ?@'%'", [name, table, appUser]);
    }
  } catch (err) {
    await admin.destroy();
    await dropAll(name, appUser);
    throw err;
  }
  const app = connect(name, appUser);
  return {
    name,
    appUser,
    admin,
    app,
    loadMapping: () =>
      loadMappingFile(`${FIXTURES}mapping.yaml`, {
        PROC_MY_HOST: MARIADB_SERVER.host,
        PROC_MY_PORT: String(MARIADB_SERVER.port),
        PROC_MY_USER: appUser,
        PROC_MY_PASSWORD: '',
        PROC_MY_DATABASE: name,
      }),
    drop: async () => {
      await app.destroy();
      await admin.destroy();
      await dropAll(name, appUser);
    },
  };
}
