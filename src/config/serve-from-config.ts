import { startGatewayRuntime } from '../runtime/gateway-runtime.js';
import { observabilityFromEnv } from '../server/observability/observability-from-env.js';
import { buildGatewayApp } from './build-gateway-app.js';
import { loadGatewayConfigFile } from './load-gateway-config.js';

export interface ServeFromConfigOptions {
  /** Command line --host / --port, which win over the file. */
  readonly host?: string;
  readonly port?: number;
  readonly print: (line: string) => void;
}

/**
 * `crosswalk serve --config FILE`: every tenant of the file with its own
 * credentials, TLS and limits, hot reload of the mappings (and of the
 * certificate on SIGHUP), graceful shutdown. Throws ConfigError /
 * MappingError (with positioned issues) when a file is wrong.
 */
export async function serveFromConfig(configFile: string, options: ServeFromConfigOptions): Promise<void> {
  const config = await loadGatewayConfigFile(configFile);
  const gateway = await buildGatewayApp(config, {
    logger: { level: process.env.LOG_LEVEL ?? 'info' },
    observability: observabilityFromEnv(),
  });
  const { app } = gateway;
  await startGatewayRuntime(app, {
    mappingFiles: gateway.mappingFiles,
    watch: process.env.CROSSWALK_WATCH_MAPPINGS !== 'false',
    cleanup: () => gateway.closeStores(),
  });

  const host = options.host ?? config.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? config.port ?? 8080 });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const shownHost =
    host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const scheme = config.server.tls === undefined ? 'http' : 'https';
  options.print(`Crosswalk serving ${config.source}`);
  for (const tenant of config.tenants) {
    const names = tenant.credentials.map((c) => `${c.name} (${c.kind}${c.readOnly ? ', read-only' : ''})`);
    options.print(
      `SCIM base URL: ${scheme}://${shownHost}:${port}${tenant.basePath} (tenant ${tenant.name}; credentials: ${names.join(', ')})`,
    );
  }
}
