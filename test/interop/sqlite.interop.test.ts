import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore } from '../../src/backends/create-store.js';
import { loadDemoSqliteMapping } from '../support/demo-sqlite-mapping.js';
import { interopContextFor } from './interop-context.js';
import { describeInteropSuite } from './interop-suite.js';

describeInteropSuite('SQLite (demo mapping, temp file)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'crosswalk-interop-'));
  const mapping = await loadDemoSqliteMapping(join(dir, 'interop.sqlite'));
  const store = await createStore(mapping);
  return interopContextFor(mapping, store, async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
});
