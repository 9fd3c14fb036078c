import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createStore } from '../../src/backends/create-store.js';
import { loadMappingFile } from '../../src/mapping/load-mapping.js';
import { parseFilter } from '../../src/scim/filter/parser.js';
import { AUTH, DEMO_MAPPING, type DemoApp, startDemoApp, TOKEN } from '../server/support/demo-app.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** The demo mapping on a SQLite file of its own. */
async function demoMappingAt(dir: string, name: string) {
  return loadMappingFile(DEMO_MAPPING, {
    ...process.env,
    CROSSWALK_SQLITE_FILE: join(dir, `${name}.sqlite`),
  });
}

describe('a mapping swap while a request is in flight (real HTTP server)', () => {
  let demo: DemoApp;
  afterAll(async () => demo?.close());

  it('the request finishes on the mapping and store it started with; the old store closes after it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'crosswalk-inflight-'));
    dirs.push(dir);
    demo = await startDemoApp();
    await demo.app.listen({ host: '127.0.0.1', port: 0 });
    const address = demo.app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;

    // Half a POST: the request has started (and leased the current mapping) but cannot finish yet.
    const body = JSON.stringify({ userName: 'started.before.swap@example.com' });
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    let answer = '';
    const answered = new Promise<void>((resolve) => {
      socket.on('data', (chunk) => {
        answer += chunk.toString();
        if (answer.includes('\r\n\r\n') && answer.includes('}')) resolve();
      });
    });
    socket.write(
      [
        'POST /scim/v2/Users HTTP/1.1',
        `Host: 127.0.0.1:${port}`,
        `Authorization: Bearer ${TOKEN}`,
        'Content-Type: application/scim+json',
        `Content-Length: ${Buffer.byteLength(body)}`,
        '',
        body.slice(0, 10),
      ].join('\r\n'),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));

    // Swap to a store over a different database file.
    const holder = demo.app.tenantHolders.get('default');
    if (holder === undefined) throw new Error('no default tenant');
    const nextMapping = await demoMappingAt(dir, 'next');
    const nextStore = await createStore(nextMapping);
    let drained = false;
    const swapped = holder.swap({ mapping: nextMapping, store: nextStore }).then(() => {
      drained = true;
    });

    // New requests already use the new store: a user created there is not in the old database.
    const created = await demo.app.inject({
      method: 'POST',
      url: '/scim/v2/Users',
      headers: { ...AUTH, 'content-type': 'application/scim+json' },
      payload: { userName: 'after.swap@example.com' },
    });
    expect(created.statusCode).toBe(201);
    expect(drained).toBe(false);

    // The old request completes, against the old store, which is still open.
    socket.write(body.slice(10));
    await answered;
    socket.destroy();
    expect(answer).toMatch(/^HTTP\/1\.1 201 /);
    const id = /"id":"([^"]+)"/.exec(answer)?.[1] as string;
    await swapped;
    expect(drained).toBe(true);

    // Where each user landed: the in-flight one in the old database, the later one in the new.
    expect((await demo.app.inject({ url: `/scim/v2/Users/${id}`, headers: AUTH })).statusCode).toBe(404);
    const oldStore = await createStore(demo.mapping);
    try {
      const found = await oldStore.get('User', id);
      expect(found.userName).toBe('started.before.swap@example.com');
      const later = await oldStore.search('User', {
        filter: parseFilter('userName eq "after.swap@example.com"'),
        startIndex: 1,
        count: 10,
      });
      expect(later.totalResults).toBe(0);
    } finally {
      await oldStore.close();
    }
  }, 30_000);
});
