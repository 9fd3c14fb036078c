import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import knex, { type Knex } from 'knex';
import type { CompiledMapping } from '../../src/mapping/compiled-mapping.js';
import { loadMappingFile } from '../../src/mapping/load-mapping.js';
import { POSTGRES_SERVER } from './postgres.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/postgres-procedures/', import.meta.url));

/** A throw-away database whose tables only its routines may write, and the role the gateway connects as. */
export interface PostgresProcedureDatabase {
  readonly name: string;
  /** The gateway's login role: SELECT on the tables, UPDATE on version columns only, EXECUTE on the routines. */
  readonly appRole: string;
  /** An administrator connection, for checking what the routines wrote. */
  readonly admin: Knex;
  /** A connection as the gateway's role, to show what it may not do directly. */
  readonly app: Knex;
  loadMapping(): Promise<CompiledMapping>;
  drop(): Promise<void>;
}

function connect(database: string, user: string = POSTGRES_SERVER.user): Knex {
  return knex({
    client: 'pg',
    connection: { ...POSTGRES_SERVER, user, database },
    pool: { min: 0, max: 2 },
  });
}

async function dropAll(name: string, role: string): Promise<void> {
  const server = connect('postgres');
  try {
    await server.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
    await server.raw('DROP ROLE IF EXISTS ??', [role]);
  } finally {
    await server.destroy();
  }
}

/** Creates the database, the schema and routines of test/fixtures/postgres-procedures, and the app role. */
export async function createPostgresProcedureDatabase(): Promise<PostgresProcedureDatabase> {
  const suffix = randomUUID().replaceAll('-', '').slice(0, 12);
  const name = `crosswalk_proc_${suffix}`;
  const appRole = `crosswalk_app_${suffix}`;
  const server = connect('postgres');
  try {
    await server.raw('CREATE DATABASE ??', [name]);
    // Trust authentication: the role needs no password on this server.
    await server.raw('CREATE ROLE ?? LOGIN', [appRole]);
  } finally {
    await server.destroy();
  }
  const admin = connect(name);
  try {
    await admin.raw(await readFile(`${FIXTURES}schema.sql`, 'utf8'));
    await admin.raw('REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC');
    await admin.raw('GRANT USAGE ON SCHEMA scim TO ??', [appRole]);
    await admin.raw('GRANT SELECT ON ALL TABLES IN SCHEMA public TO ??', [appRole]);
    await admin.raw('GRANT UPDATE (row_version) ON app_users, app_groups TO ??', [appRole]);
    await admin.raw('GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA scim TO ??', [appRole]);
    await admin.raw('GRANT EXECUTE ON ALL PROCEDURES IN SCHEMA scim TO ??', [appRole]);
  } catch (err) {
    await admin.destroy();
    await dropAll(name, appRole);
    throw err;
  }
  const app = connect(name, appRole);
  return {
    name,
    appRole,
    admin,
    app,
    loadMapping: () =>
      loadMappingFile(`${FIXTURES}mapping.yaml`, {
        PROC_PG_HOST: POSTGRES_SERVER.host,
        PROC_PG_PORT: String(POSTGRES_SERVER.port),
        PROC_PG_USER: appRole,
        PROC_PG_PASSWORD: '',
        PROC_PG_DATABASE: name,
      }),
    drop: async () => {
      await app.destroy();
      await admin.destroy();
      await dropAll(name, appRole);
    },
  };
}
