import { cp, mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayProcess, startGatewayProcess } from '../support/gateway-process.js';

const DEMO = fileURLToPath(new URL('../../mappings/demo-sqlite.yaml', import.meta.url));
const TOKEN = 'shutdown-test-token';

/** Everything a socket receives until the server closes it. */
function readAll(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    socket.on('data', (chunk) => {
      data += chunk.toString();
    });
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
  });
}

describe('graceful shutdown on SIGTERM (a real gateway process)', () => {
  let dir: string;
  let gateway: GatewayProcess;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crosswalk-shutdown-'));
    await cp(DEMO, join(dir, 'mapping.yaml'));
    await cp(join(DEMO, '..', 'demo-sqlite'), join(dir, 'demo-sqlite'), { recursive: true });
    gateway = await startGatewayProcess(['--mapping', join(dir, 'mapping.yaml')], {
      CROSSWALK_TOKEN: TOKEN,
      CROSSWALK_SQLITE_FILE: join(dir, 'demo.sqlite'),
    });
  }, 40_000);
  afterAll(async () => {
    await gateway?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('stops accepting, finishes the request in flight, closes the pool, exits 0', async () => {
    const { port } = new URL(gateway.origin);
    const body = JSON.stringify({ userName: 'in.flight@example.com', displayName: 'In Flight' });
    const half = Math.floor(body.length / 2);

    // A client in the middle of its request: headers and half the body sent.
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const answer = readAll(socket);
    socket.write(
      [
        'POST /scim/v2/Users HTTP/1.1',
        `Host: 127.0.0.1:${port}`,
        `Authorization: Bearer ${TOKEN}`,
        'Content-Type: application/scim+json',
        `Content-Length: ${Buffer.byteLength(body)}`,
        'X-Request-Id: in-flight-1',
        '',
        body.slice(0, half),
      ].join('\r\n'),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));

    gateway.child.kill('SIGTERM');
    await gateway.waitForLog((line) => line.msg === 'shutting down: finishing requests in flight');

    // New connections are refused once the listener is closed (a moment after the signal).
    const probe = (): Promise<string> =>
      new Promise<string>((resolve) => {
        const socket = connect(Number(port), '127.0.0.1');
        socket.once('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      });
    // A probe that lands while the listener closes is accepted and then reset (ECONNRESET): try again.
    let refused = await probe();
    for (let attempt = 0; attempt < 30 && refused !== 'ECONNREFUSED'; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      refused = await probe();
    }
    expect(refused).toBe('ECONNREFUSED');
    expect(gateway.child.exitCode).toBeNull();

    // The request in flight completes and is answered.
    socket.write(body.slice(half));
    const response = await answer;
    expect(response).toMatch(/^HTTP\/1\.1 201 /);
    expect(response).toContain('in.flight@example.com');

    expect(await gateway.exited).toBe(0);
    const requestLine = gateway.logs.find(
      (line) => line.requestId === 'in-flight-1' && line.msg === 'request',
    );
    expect(requestLine).toMatchObject({ status: 201 });
    const messages = gateway.logs.map((line) => line.msg);
    expect(messages.indexOf('shutdown complete')).toBeGreaterThan(
      messages.indexOf('shutting down: finishing requests in flight'),
    );
  }, 40_000);
});
