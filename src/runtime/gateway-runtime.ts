import type { FastifyInstance } from 'fastify';
import { installGracefulShutdown } from './graceful-shutdown.js';
import { MappingReloader } from './mapping-reloader.js';

export interface GatewayRuntimeOptions {
  /** The mapping file of each tenant, by the tenant names buildApp mounted (`default` for the base path). */
  readonly mappingFiles: readonly { readonly tenant: string; readonly file: string }[];
  /** Watch the files (in addition to SIGHUP). Default true. */
  readonly watch?: boolean;
  /** After the server closed: close what the caller opened (the first stores). */
  readonly cleanup?: () => Promise<void>;
  readonly shutdownTimeoutMs?: number;
}

/**
 * What a serving process does besides answering requests: reload mappings on
 * SIGHUP and on file change, and shut down gracefully on SIGTERM / SIGINT.
 * SIGHUP also reloads the TLS certificate when one is served.
 */
export async function startGatewayRuntime(
  app: FastifyInstance,
  options: GatewayRuntimeOptions,
): Promise<MappingReloader> {
  const targets = options.mappingFiles.map(({ tenant, file }) => {
    const holder = app.tenantHolders.get(tenant);
    if (holder === undefined) throw new Error(`No tenant '${tenant}' is mounted`);
    return { tenant, file, holder };
  });
  const reloader = new MappingReloader(targets, {
    log: app.log,
    onOutcome: (outcome) =>
      app.gatewayMetrics.reloads.inc({ tenant: outcome.tenant, result: outcome.result }),
  });
  await reloader.primeFromDisk();
  if (options.watch !== false) reloader.watch();

  process.on('SIGHUP', () => {
    app.log.info('SIGHUP: reloading mapping files');
    void reloader.reloadAll();
    if (typeof app.reloadCertificate === 'function') app.reloadCertificate();
  });

  installGracefulShutdown(app, {
    ...(options.shutdownTimeoutMs === undefined ? {} : { timeoutMs: options.shutdownTimeoutMs }),
    cleanup: async () => {
      await reloader.close();
      await options.cleanup?.();
    },
  });
  return reloader;
}
