import { unwatchFile, watchFile } from 'node:fs';
import type { Server as TlsServer } from 'node:tls';
import { createSecureContext } from 'node:tls';
import type { FastifyBaseLogger } from 'fastify';
import { secureContextOptions, type TlsSettings } from './tls-settings.js';

export interface CertificateReloader {
  /** Reads certificate and key again and serves them to new connections; false (and logged) when they do not load. */
  reload(): boolean;
  close(): void;
}

export const DEFAULT_WATCH_INTERVAL_MS = 5000;

/**
 * Swaps the served certificate without a restart (`server.setSecureContext`).
 * Files are polled with fs.watchFile, which follows symlinks, so a Kubernetes
 * Secret update (an atomic `..data` symlink swap) or cert-manager renewal is
 * seen too. A pair that does not load — the certificate written before its
 * key — is refused and the old one keeps serving until the next change.
 */
export function watchCertificate(
  server: TlsServer,
  settings: TlsSettings,
  log: FastifyBaseLogger,
): CertificateReloader {
  const reload = (): boolean => {
    try {
      const options = secureContextOptions(settings);
      // Built once here first, so a bad pair throws before the live context is touched.
      createSecureContext(options);
      server.setSecureContext(options);
      log.info('TLS certificate reloaded');
      return true;
    } catch (error) {
      log.warn(
        { reason: error instanceof Error ? error.message : String(error) },
        'TLS certificate not reloaded; the previous one keeps serving',
      );
      return false;
    }
  };

  const files = [settings.cert, settings.key].flatMap((source) => ('file' in source ? [source.file] : []));
  const interval = settings.watchIntervalMs ?? DEFAULT_WATCH_INTERVAL_MS;
  const onChange = (): void => {
    reload();
  };
  if (interval > 0) for (const file of files) watchFile(file, { interval, persistent: false }, onChange);

  return {
    reload,
    close: () => {
      for (const file of files) unwatchFile(file, onChange);
    },
  };
}
