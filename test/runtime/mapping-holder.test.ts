import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createStore } from '../../src/backends/create-store.js';
import type { ResourceStore } from '../../src/backends/resource-store.js';
import { loadMappingFile } from '../../src/mapping/load-mapping.js';
import { MappingHolder } from '../../src/runtime/mapping-holder.js';
import { DEMO_MAPPING } from '../server/support/demo-app.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** The demo mapping on its own SQLite file, with a store that records whether it was closed. */
async function demoStore(): Promise<{
  mapping: Awaited<ReturnType<typeof loadMappingFile>>;
  store: ResourceStore;
  closed: () => boolean;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'crosswalk-holder-'));
  dirs.push(dir);
  const mapping = await loadMappingFile(DEMO_MAPPING, {
    ...process.env,
    CROSSWALK_SQLITE_FILE: join(dir, 'demo.sqlite'),
  });
  const store = await createStore(mapping);
  let closed = false;
  const close = store.close.bind(store);
  store.close = async () => {
    closed = true;
    await close();
  };
  return { mapping, store, closed: () => closed };
}

const count = async (store: ResourceStore): Promise<number> =>
  (await store.search('User', { startIndex: 1, count: 0 })).totalResults;

describe('MappingHolder: atomic swap, requests in flight finish on the old store', () => {
  it('keeps the old store open for leases taken before the swap, then closes it', async () => {
    const first = await demoStore();
    const second = await demoStore();
    await second.store.create('User', { schemas: [], userName: 'only.in.second@example.com' });
    const holder = new MappingHolder('default', first);

    const inFlight = holder.lease();
    let swapped = false;
    const swap = holder.swap(second).then(() => {
      swapped = true;
    });

    // New requests see the new store at once …
    const later = holder.lease();
    expect(await count(later.served.store)).toBe(4);
    later.release();
    // … while the one in flight still works on the old one, which stays open.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(swapped).toBe(false);
    expect(first.closed()).toBe(false);
    expect(await count(inFlight.served.store)).toBe(3);

    inFlight.release();
    inFlight.release(); // idempotent: a request ends once
    await swap;
    expect(first.closed()).toBe(true);
    expect(second.closed()).toBe(false);

    // The holder created nothing it does not own: closing it closes the store the swap brought in.
    await holder.close();
    expect(second.closed()).toBe(true);
  });

  it('leaves the first store to its owner when nothing was swapped', async () => {
    const only = await demoStore();
    const holder = new MappingHolder('default', only);
    await holder.close();
    expect(only.closed()).toBe(false);
    await only.store.close();
  });
});
