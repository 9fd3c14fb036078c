import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqlStore } from '../../src/backends/sql/sql-store.js';
import { loadDemoSqliteMapping } from '../support/demo-sqlite-mapping.js';
import { describeStoreContract } from './store-contract.js';

describeStoreContract('SQLite (demo mapping, temp file)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'crosswalk-sqlite-'));
  // A folder that does not exist yet: the store must create it.
  const mapping = await loadDemoSqliteMapping(join(dir, 'nested', 'demo.sqlite'));
  const store = await createSqlStore(mapping);
  return {
    store,
    mapping,
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
