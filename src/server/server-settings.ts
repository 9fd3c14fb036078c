import type { TlsSettings } from './tls/tls-settings.js';

/** Transport-level settings: TLS and the limits Node enforces before a route runs. */
export interface ServerSettings {
  readonly tls?: TlsSettings;
  /** Largest request head (request line and headers) in bytes; bigger answers 431. Default 16 KiB. */
  readonly maxHeaderSize?: number;
  /** Whole request (headers and body) must arrive within this (ms); default 120 s. */
  readonly requestTimeoutMs?: number;
  /** Request headers must arrive within this (ms); default 30 s (slow-loris). */
  readonly headersTimeoutMs?: number;
  /** An idle socket is closed after this (ms); default 0 (Node's keep-alive timeout still applies). */
  readonly connectionTimeoutMs?: number;
  /** Idle keep-alive connections are closed after this (ms); default 72 s. */
  readonly keepAliveTimeoutMs?: number;
}

export const DEFAULT_SERVER_SETTINGS = {
  maxHeaderSize: 16 * 1024,
  requestTimeoutMs: 120_000,
  headersTimeoutMs: 30_000,
  connectionTimeoutMs: 0,
  keepAliveTimeoutMs: 72_000,
} as const;
