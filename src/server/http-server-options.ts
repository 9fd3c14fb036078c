import type { ServerOptions as HttpServerOptions } from 'node:http';
import type { ServerOptions as HttpsServerOptions } from 'node:https';
import { scimClientErrorHandler } from './client-error-handler.js';
import { DEFAULT_SERVER_SETTINGS, type ServerSettings } from './server-settings.js';
import { secureContextOptions } from './tls/tls-settings.js';

/** The part of Fastify's options that shapes the Node server: TLS, header size and timeouts. */
export interface FastifyServerSettings {
  readonly https?: HttpsServerOptions;
  readonly http?: HttpServerOptions;
  readonly requestTimeout: number;
  readonly connectionTimeout: number;
  readonly keepAliveTimeout: number;
  readonly clientErrorHandler: typeof scimClientErrorHandler;
}

export function fastifyServerSettings(settings: ServerSettings = {}): FastifyServerSettings {
  const nodeOptions: HttpServerOptions = {
    maxHeaderSize: settings.maxHeaderSize ?? DEFAULT_SERVER_SETTINGS.maxHeaderSize,
    headersTimeout: settings.headersTimeoutMs ?? DEFAULT_SERVER_SETTINGS.headersTimeoutMs,
    // Node checks request and header timeouts on this tick (default 30 s, too coarse for short limits).
    connectionsCheckingInterval: 1000,
  };
  return {
    ...(settings.tls === undefined
      ? { http: nodeOptions }
      : { https: { ...nodeOptions, ...secureContextOptions(settings.tls) } }),
    requestTimeout: settings.requestTimeoutMs ?? DEFAULT_SERVER_SETTINGS.requestTimeoutMs,
    connectionTimeout: settings.connectionTimeoutMs ?? DEFAULT_SERVER_SETTINGS.connectionTimeoutMs,
    keepAliveTimeout: settings.keepAliveTimeoutMs ?? DEFAULT_SERVER_SETTINGS.keepAliveTimeoutMs,
    clientErrorHandler: scimClientErrorHandler,
  };
}
