import { createSqlStore } from '../../src/backends/sql/sql-store.js';
import { createMariaDbProcedureDatabase } from '../support/mariadb-procedures.js';
import { describeStoreContract } from './store-contract.js';

// Nothing is skipped. The gateway's account may only SELECT (and UPDATE the
// version columns it locks): every write of this run is a CALL.
describeStoreContract('MariaDB, writes through stored procedures (account without INSERT)', async () => {
  const database = await createMariaDbProcedureDatabase();
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
});
