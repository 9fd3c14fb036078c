import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../../src/backends/create-store.js';
import type { ResourceStore } from '../../../src/backends/resource-store.js';
import { loadMappingFile } from '../../../src/mapping/load-mapping.js';
import { buildApp } from '../../../src/server/app.js';
import { storeWithDeadline } from '../../../src/server/deadline-store.js';
import { type AuthDemo, startAuthDemo } from '../auth/auth-demo.js';
import { expectScimError } from '../auth/scim-response.js';
import { DEMO_MAPPING } from '../support/demo-app.js';

const TOKEN = 'limits-token-0123456789abcdef';
const AUTH = { authorization: `Bearer ${TOKEN}` };

/** Sends raw bytes and collects the whole answer until the server closes (or `waitMs` passes). */
function rawExchange(port: number, text: string, waitMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let answer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(answer);
    }, waitMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      answer += chunk;
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(answer);
    });
    socket.on('error', reject);
    socket.write(text);
  });
}

function scimBodyOf(answer: string): unknown {
  return JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
}

describe('header size and request time limits', () => {
  let demo: AuthDemo;
  let port: number;

  beforeAll(async () => {
    demo = await startAuthDemo({
      auth: { bearerTokens: [{ name: 'test', token: TOKEN }] },
      server: { maxHeaderSize: 4096, headersTimeoutMs: 500, requestTimeoutMs: 1000 },
    });
    await demo.app.listen({ host: '127.0.0.1', port: 0 });
    port = (demo.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await demo.close();
  });

  it('headers larger than maxHeaderSize → 431 as a SCIM error', async () => {
    const answer = await rawExchange(
      port,
      `GET /scim/v2/Users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nX-Padding: ${'a'.repeat(8000)}\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(answer).toMatch(/content-type: application\/scim\+json/i);
    expect(scimBodyOf(answer)).toMatchObject({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '431',
    });
  });

  it('headers within the limit are served', async () => {
    const answer = await rawExchange(
      port,
      `GET /scim/v2/Users?count=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nConnection: close\r\nX-Padding: ${'a'.repeat(1000)}\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('a client that never finishes its headers gets 408 and is disconnected', async () => {
    const started = Date.now();
    const answer = await rawExchange(port, 'GET /scim/v2/Users HTTP/1.1\r\nHost: x\r\n', 8000);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(scimBodyOf(answer)).toMatchObject({ status: '408' });
    expect(Date.now() - started).toBeLessThan(7000);
  });

  it('a body larger than bodyLimit → 413 (before it is parsed)', async () => {
    const small = await startAuthDemo({
      auth: { bearerTokens: [{ name: 'test', token: TOKEN }] },
      bodyLimit: 2048,
    });
    try {
      const response = await small.app.inject({
        method: 'POST',
        url: '/scim/v2/Users',
        headers: { ...AUTH, 'content-type': 'application/scim+json' },
        payload: JSON.stringify({ userName: 'big@example.com', displayName: 'x'.repeat(4000) }),
      });
      expectScimError(response, 413);
    } finally {
      await small.close();
    }
  });
});

describe('backend operation deadline', () => {
  let dir: string;
  let store: ResourceStore;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crosswalk-deadline-'));
    const mapping = await loadMappingFile(DEMO_MAPPING, {
      ...process.env,
      CROSSWALK_SQLITE_FILE: join(dir, 'demo.sqlite'),
    });
    store = await createStore(mapping);
  });
  afterAll(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** The real store, with searches that stall like a backend that stopped answering. */
  function stalling(delayMs: number): ResourceStore {
    return new Proxy(store, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (property === 'search')
          return async (...args: Parameters<ResourceStore['search']>) => {
            await new Promise((resolve) => setTimeout(resolve, delayMs));
            return target.search(...args);
          };
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  it('a backend call past the deadline answers 503 with Retry-After; calls within it are served', async () => {
    const mapping = await loadMappingFile(DEMO_MAPPING, {
      ...process.env,
      CROSSWALK_SQLITE_FILE: join(dir, 'demo.sqlite'),
    });
    const app = await buildApp({
      mapping,
      store: stalling(1500),
      auth: { bearerTokens: [{ name: 'test', token: TOKEN }] },
      backendTimeoutMs: 200,
    });
    try {
      const started = Date.now();
      const slow = await app.inject({ url: '/scim/v2/Users', headers: AUTH });
      expectScimError(slow, 503);
      expect(slow.headers['retry-after']).toBe('5');
      expect(slow.json().detail).toMatch(/did not answer search within 200 ms/);
      expect(Date.now() - started).toBeLessThan(1400);
      // get is not stalled: within the deadline.
      const one = await app.inject({
        url: '/scim/v2/Users/6f1c7a52-4a4e-4c1e-9a57-3d2c1b8e0a01',
        headers: AUTH,
      });
      expect(one.statusCode, one.body).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('passes everything else through untouched', async () => {
    const timed = storeWithDeadline(store, 1000);
    expect(timed.resourceTypes).toEqual(store.resourceTypes);
    expect(timed.supportsCursor('User')).toBe(store.supportsCursor('User'));
    expect(timed.explain('User', { startIndex: 1, count: 1 })).toBe(
      store.explain('User', { startIndex: 1, count: 1 }),
    );
    await expect(timed.get('User', 'no-such-id')).rejects.toMatchObject({ status: 404 });
  });
});
