import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { Client } from 'ldapts';
import type { LdapBackendConfig } from '../../mapping/compiled-mapping.js';
import type { PoolStats } from '../resource-store.js';
import { isConnectionError, mapLdapError } from './error-mapping.js';

/**
 * A fixed-size pool of connections bound as the service account. Callers
 * borrow a bound client for one unit of work; no request pays for a connect
 * and bind. A connection that died (server restart, idle timeout, network)
 * is dropped and replaced on next use, so the pool heals by itself.
 */
export class LdapPool {
  private readonly idle: Client[] = [];
  private readonly waiting: ((client: Client | undefined) => void)[] = [];
  private open = 0;
  private closed = false;

  constructor(private readonly config: LdapBackendConfig) {}

  private tlsOptions(): ConnectionOptions {
    const { ca, rejectUnauthorized } = this.config.tls;
    return { ...(ca === undefined || ca === '' ? {} : { ca }), rejectUnauthorized };
  }

  /**
   * Whom the certificate must name after StartTLS: the socket is already
   * open, so Node would otherwise check it against "localhost". SNI only for
   * host names (not IP addresses).
   */
  private peerName(): ConnectionOptions {
    const host = new URL(this.config.url).hostname.replace(/^\[|\]$/g, '');
    return isIP(host) === 0 ? { host, servername: host } : { host };
  }

  private async connect(): Promise<Client> {
    const { url, timeouts, startTls, bind } = this.config;
    const client = new Client({
      url,
      timeout: timeouts.operationMs,
      connectTimeout: timeouts.connectMs,
      // ldapts goes TLS whenever tlsOptions are given: only for ldaps://.
      ...(url.toLowerCase().startsWith('ldaps:') ? { tlsOptions: this.tlsOptions() } : {}),
      strictDN: false,
    });
    try {
      if (startTls) await client.startTLS({ ...this.tlsOptions(), ...this.peerName() });
      await client.bind(bind.dn, bind.password);
      return client;
    } catch (err) {
      await client.unbind().catch(() => undefined);
      throw err;
    }
  }

  /** Whether the connection in use is encrypted (ldaps:// or StartTLS): AD passwords need it. */
  get encrypted(): boolean {
    return this.config.startTls || this.config.url.toLowerCase().startsWith('ldaps:');
  }

  private async acquire(): Promise<Client> {
    if (this.closed) throw new Error('LDAP pool closed');
    for (;;) {
      const client = this.idle.pop();
      if (client === undefined) break;
      if (client.isBound) return client;
      this.discard(client);
    }
    if (this.open < this.config.pool.size) {
      this.open += 1;
      try {
        return await this.connect();
      } catch (err) {
        this.open -= 1;
        this.wakeOne();
        throw err;
      }
    }
    const next = await new Promise<Client | undefined>((resolve) => this.waiting.push(resolve));
    if (next === undefined) return this.acquire();
    return next;
  }

  /** A slot freed without a client: let a waiter open its own. */
  private wakeOne(): void {
    this.waiting.shift()?.(undefined);
  }

  private release(client: Client): void {
    if (this.closed) {
      this.discard(client);
      return;
    }
    const waiter = this.waiting.shift();
    if (waiter === undefined) this.idle.push(client);
    else waiter(client);
  }

  private discard(client: Client): void {
    this.open -= 1;
    client.unbind().catch(() => undefined);
    this.wakeOne();
  }

  /**
   * Runs `work` with a bound client. A connection failure drops the client;
   * `retry` work (reads, and writes that are safe to repeat) then runs once
   * more on a fresh connection — the typical case is a restarted server.
   * `discardAfter` closes the connection afterwards (it holds server state).
   */
  async use<T>(
    work: (client: Client) => Promise<T>,
    options: { retry?: boolean; discardAfter?: boolean } = {},
  ): Promise<T> {
    const attempts = options.retry === false ? 1 : 2;
    let lastError: unknown;
    for (let attempt = 0; attempt < attempts; attempt += 1) {
      let client: Client;
      try {
        client = await this.acquire();
      } catch (err) {
        lastError = err;
        if (!isConnectionError(err)) break;
        continue;
      }
      try {
        const result = await work(client);
        if (options.discardAfter === true) this.discard(client);
        else this.release(client);
        return result;
      } catch (err) {
        if (isConnectionError(err) || !client.isConnected) {
          this.discard(client);
          lastError = err;
          continue;
        }
        if (options.discardAfter === true) this.discard(client);
        else this.release(client);
        throw err;
      }
    }
    throw mapLdapError(lastError);
  }

  /** Connections right now, for metrics: busy ones are open but not idle. */
  stats(): PoolStats {
    const free = this.idle.length;
    return { used: this.open - free, free, pending: this.waiting.length, max: this.config.pool.size };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) waiter(undefined);
    await Promise.all(this.idle.splice(0).map((client) => client.unbind().catch(() => undefined)));
    this.open = 0;
  }
}
