import { execFileSync } from 'node:child_process';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type PeerCertificate } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthDemo, startAuthDemo } from '../auth/auth-demo.js';

/** A throw-away self-signed certificate for 127.0.0.1, by openssl. */
function selfSigned(dir: string, name: string, commonName: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      `/CN=${commonName}`,
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { cert, key };
}

/** The certificate a fresh TLS connection is served, and the protocol agreed. */
function handshake(
  port: number,
  options: { minVersion?: 'TLSv1.1' | 'TLSv1.2'; maxVersion?: 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3' } = {},
): Promise<{ certificate: PeerCertificate; protocol: string | null }> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: '127.0.0.1',
      port,
      rejectUnauthorized: false,
      // Let this client offer old protocols, so a refusal is the server's.
      ciphers: 'DEFAULT@SECLEVEL=0',
      ...options,
    });
    socket.once('secureConnect', () => {
      const result = { certificate: socket.getPeerCertificate(), protocol: socket.getProtocol() };
      socket.end();
      resolve(result);
    });
    socket.once('error', reject);
  });
}

function httpsGet(port: number, path: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, ca, method: 'GET' }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    req.once('error', reject);
    req.end();
  });
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

describe('HTTPS', () => {
  let dir: string;
  let files: { cert: string; key: string };
  let demo: AuthDemo;
  let port: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crosswalk-tls-'));
    const first = selfSigned(dir, 'first', 'crosswalk-first');
    files = { cert: join(dir, 'tls.crt'), key: join(dir, 'tls.key') };
    await rename(first.cert, files.cert);
    await rename(first.key, files.key);
    demo = await startAuthDemo({
      auth: { bearerTokens: [{ name: 'test', token: 'tls-token-0123456789abcdef' }] },
      server: { tls: { cert: { file: files.cert }, key: { file: files.key }, watchIntervalMs: 100 } },
    });
    await demo.app.listen({ host: '127.0.0.1', port: 0 });
    port = (demo.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await demo.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves SCIM over TLS 1.2 and 1.3 with the configured certificate', async () => {
    const { readFile } = await import('node:fs/promises');
    const ca = await readFile(files.cert, 'utf8');
    const health = await httpsGet(port, '/healthz', ca);
    expect(health.status).toBe(200);
    const unauthenticated = await httpsGet(port, '/scim/v2/Users', ca);
    expect(unauthenticated.status).toBe(401);
    expect((await handshake(port, { maxVersion: 'TLSv1.2' })).protocol).toBe('TLSv1.2');
    const modern = await handshake(port);
    expect(modern.protocol).toBe('TLSv1.3');
    expect(modern.certificate.subject.CN).toBe('crosswalk-first');
  });

  it('refuses TLS 1.1', async () => {
    await expect(handshake(port, { minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1' })).rejects.toThrow(
      /alert protocol version/,
    );
  });

  it('serves a replaced certificate to new connections without a restart', async () => {
    const before = (await handshake(port)).certificate.fingerprint256;
    const next = selfSigned(dir, 'second', 'crosswalk-second');
    // Key first, then certificate, each an atomic rename (as Kubernetes and cert-manager do).
    await rename(next.key, files.key);
    await rename(next.cert, files.cert);
    const swapped = await until(
      async () => (await handshake(port)).certificate.subject.CN === 'crosswalk-second',
      5000,
    );
    expect(swapped).toBe(true);
    expect((await handshake(port)).certificate.fingerprint256).not.toBe(before);
  });

  it('keeps serving the current certificate when the new pair does not load; SIGHUP-style reload reports it', async () => {
    const current = (await handshake(port)).certificate.fingerprint256;
    await writeFile(join(dir, 'broken.crt'), 'not a certificate');
    await rename(join(dir, 'broken.crt'), files.cert);
    expect(demo.app.reloadCertificate()).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await handshake(port)).certificate.fingerprint256).toBe(current);

    const fixed = selfSigned(dir, 'third', 'crosswalk-third');
    await rename(fixed.key, files.key);
    await rename(fixed.cert, files.cert);
    expect(demo.app.reloadCertificate()).toBe(true);
    expect((await handshake(port)).certificate.subject.CN).toBe('crosswalk-third');
  });
});
