import { describe, it } from 'vitest';
import { createSqlStore } from '../../src/backends/sql/sql-store.js';
import { containerRuntime } from '../support/container-runtime.js';
import { createMssqlLegacyDatabase, MSSQL_IMAGE } from '../support/mssql-legacy.js';
import { describeStoreContract } from './store-contract.js';

/**
 * The contract suite against SQL Server (mcr.microsoft.com/mssql/server via
 * testcontainers), with the shipped mappings/mssql-legacy.yaml: reads from
 * the tables, every write through dbo.usp_* procedures as a login that may
 * only SELECT and EXECUTE. Needs a Docker engine; without one the suite is
 * skipped and says why (the CI machine has none).
 */
const runtime = await containerRuntime();
const TITLE = 'SQL Server (shipped mssql-legacy mapping, procedures only, testcontainers)';

if (!runtime.available) {
  const reason = `SQL Server contract skipped: ${runtime.reason}`;
  console.warn(reason);
  describe(`ResourceStore contract: ${TITLE}`, () => {
    it.skip(`(skipped: ${runtime.reason})`, () => {});
  });
} else {
  describeStoreContract(TITLE, async () => {
    const { MSSQLServerContainer } = await import('@testcontainers/mssqlserver');
    const container = await new MSSQLServerContainer(MSSQL_IMAGE).acceptLicense().start();
    const database = await createMssqlLegacyDatabase({
      host: container.getHost(),
      port: container.getPort(),
      adminUser: container.getUsername(),
      adminPassword: container.getPassword(),
    });
    const mapping = await database.loadMapping();
    const store = await createSqlStore(mapping);
    return {
      store,
      mapping,
      cleanup: async () => {
        await store.close();
        await database.drop();
        await container.stop();
      },
    };
  });
}
