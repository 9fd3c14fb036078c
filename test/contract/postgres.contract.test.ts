import { createSqlStore } from '../../src/backends/sql/sql-store.js';
import { createPostgresHrDatabase, loadPostgresHrMapping } from '../support/postgres.js';
import { describeStoreContract } from './store-contract.js';

// Nothing is skipped: the HR schema stores every attribute the contract uses.
describeStoreContract('PostgreSQL (shipped postgres-hr mapping, throw-away database)', async () => {
  const database = await createPostgresHrDatabase();
  const mapping = await loadPostgresHrMapping(database);
  const store = await createSqlStore(mapping);
  return {
    store,
    mapping,
    cleanup: async () => {
      try {
        await store.close();
      } finally {
        await database.drop();
      }
    },
  };
});
