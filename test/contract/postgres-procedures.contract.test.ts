import { createSqlStore } from '../../src/backends/sql/sql-store.js';
import { createPostgresProcedureDatabase } from '../support/postgres-procedures.js';
import { describeStoreContract } from './store-contract.js';

// Nothing is skipped. The gateway's role cannot INSERT, DELETE or UPDATE (bar
// the version columns it locks) any table: every write of this run goes
// through the scim.* functions and procedures.
describeStoreContract(
  'PostgreSQL, writes through functions and procedures (role without INSERT)',
  async () => {
    const database = await createPostgresProcedureDatabase();
    const mapping = await database.loadMapping();
    const store = await createSqlStore(mapping);
    return {
      store,
      mapping,
      cleanup: async () => {
        await store.close();
        await database.drop();
      },
    };
  },
);
