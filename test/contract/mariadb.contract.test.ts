import { createSqlStore } from '../../src/backends/sql/sql-store.js';
import { createMariaDbHelpdeskDatabase, loadMysqlHelpdeskMapping } from '../support/mariadb.js';
import { describeStoreContract } from './store-contract.js';

// Nothing is skipped: the help-desk schema stores every attribute the contract uses.
describeStoreContract('MariaDB (shipped mysql-helpdesk mapping, throw-away database)', async () => {
  const database = await createMariaDbHelpdeskDatabase();
  const mapping = await loadMysqlHelpdeskMapping(database);
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
