import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import mssql, { type ConnectionPool } from 'mssql';
import type { CompiledMapping } from '../../src/mapping/compiled-mapping.js';
import { loadMappingFile } from '../../src/mapping/load-mapping.js';

export const MSSQL_LEGACY_MAPPING = fileURLToPath(
  new URL('../../mappings/mssql-legacy.yaml', import.meta.url),
);
const FIXTURES = fileURLToPath(new URL('../fixtures/mssql-legacy/', import.meta.url));
export const MSSQL_IMAGE = 'mcr.microsoft.com/mssql/server:2022-latest';

/** Splits a T-SQL script at lines holding only GO. */
export function tsqlBatches(script: string): string[] {
  return script
    .split(/^\s*GO\s*$/im)
    .map((batch) => batch.trim())
    .filter((batch) => batch.replace(/--.*$/gm, '').trim() !== '');
}

export interface MssqlServer {
  readonly host: string;
  readonly port: number;
  readonly adminUser: string;
  readonly adminPassword: string;
}

export interface MssqlLegacyDatabase {
  readonly name: string;
  /** An administrator pool on the database, for checking what the procedures wrote. */
  readonly admin: ConnectionPool;
  loadMapping(): Promise<CompiledMapping>;
  drop(): Promise<void>;
}

async function pool(server: MssqlServer, database: string): Promise<ConnectionPool> {
  return new mssql.ConnectionPool({
    server: server.host,
    port: server.port,
    user: server.adminUser,
    password: server.adminPassword,
    database,
    options: { encrypt: false, trustServerCertificate: true },
  }).connect();
}

/**
 * A uniquely named database with the legacy schema and procedures
 * (test/fixtures/mssql-legacy) and a login that may only SELECT and EXECUTE.
 */
export async function createMssqlLegacyDatabase(server: MssqlServer): Promise<MssqlLegacyDatabase> {
  const suffix = randomUUID().replaceAll('-', '').slice(0, 12);
  const name = `crosswalk_${suffix}`;
  const login = `crosswalk_app_${suffix}`;
  const password = `Cw1!${randomBytes(12).toString('hex')}`;
  const master = await pool(server, 'master');
  await master.request().query(`CREATE DATABASE [${name}]`); // generated name, not client input
  await master.close();
  const admin = await pool(server, name);
  for (const batch of tsqlBatches(await readFile(`${FIXTURES}schema.sql`, 'utf8'))) {
    await admin.request().batch(batch);
  }
  const grants = (await readFile(`${FIXTURES}grants.sql`, 'utf8'))
    .replaceAll('{login}', login)
    .replaceAll('{password}', password);
  for (const batch of tsqlBatches(grants)) await admin.request().batch(batch);
  return {
    name,
    admin,
    loadMapping: () =>
      loadMappingFile(MSSQL_LEGACY_MAPPING, {
        MSSQL_HOST: server.host,
        MSSQL_PORT: String(server.port),
        MSSQL_USER: login,
        MSSQL_PASSWORD: password,
        MSSQL_DATABASE: name,
        MSSQL_ENCRYPT: 'false',
        MSSQL_TRUST_CERT: 'true',
      }),
    drop: async () => {
      await admin.close();
      const again = await pool(server, 'master');
      try {
        await again.request().query(`ALTER DATABASE [${name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE`);
        await again.request().query(`DROP DATABASE [${name}]`);
        await again.request().query(`DROP LOGIN [${login}]`);
      } finally {
        await again.close();
      }
    },
  };
}
