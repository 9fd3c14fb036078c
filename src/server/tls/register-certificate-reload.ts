import type { Server as TlsServer } from 'node:tls';
import type { FastifyInstance } from 'fastify';
import { watchCertificate } from './certificate-reloader.js';
import type { TlsSettings } from './tls-settings.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Reloads the TLS certificate and key (SIGHUP); false when not serving TLS or the new pair does not load. */
    reloadCertificate(): boolean;
  }
}

/** Watches the certificate files until the app closes, and offers `app.reloadCertificate()` for SIGHUP. */
export function registerCertificateReload(app: FastifyInstance, tls: TlsSettings | undefined): void {
  // With https options Fastify built an https.Server, which is a tls.Server.
  const reloader =
    tls === undefined ? undefined : watchCertificate(app.server as unknown as TlsServer, tls, app.log);
  app.decorate('reloadCertificate', () => reloader?.reload() ?? false);
  app.addHook('onClose', async () => {
    reloader?.close();
  });
}
