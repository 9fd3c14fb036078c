export interface FailedAuthPolicy {
  /** Failures from one client address allowed within the window; the next attempt answers 429. */
  readonly maxFailures: number;
  readonly windowSeconds: number;
}

export const DEFAULT_FAILED_AUTH_POLICY: FailedAuthPolicy = { maxFailures: 20, windowSeconds: 60 };

interface Window {
  failures: number;
  startedAt: number;
}

/** Addresses tracked at once; when full, the oldest windows are dropped first. */
const MAX_CLIENTS = 10_000;

/**
 * Counts failed authentications per client address in a fixed window that
 * starts with the first failure. Once a client reaches the limit, every
 * request from it — even with a valid credential, so guessing gains nothing —
 * answers 429 until the window ends. Kept in memory: each replica counts on
 * its own, which still bounds guessing to replicas × maxFailures per window.
 */
export class FailedAuthLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly policy: FailedAuthPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until `client` may try again, or undefined when it is not blocked. */
  retryAfter(client: string): number | undefined {
    const window = this.current(client);
    if (window === undefined || window.failures < this.policy.maxFailures) return undefined;
    const endsAt = window.startedAt + this.policy.windowSeconds * 1000;
    return Math.max(1, Math.ceil((endsAt - this.now()) / 1000));
  }

  recordFailure(client: string): void {
    const window = this.current(client);
    if (window !== undefined) {
      window.failures++;
      return;
    }
    if (this.windows.size >= MAX_CLIENTS) this.evict();
    this.windows.set(client, { failures: 1, startedAt: this.now() });
  }

  private current(client: string): Window | undefined {
    const window = this.windows.get(client);
    if (window === undefined) return undefined;
    if (this.now() - window.startedAt >= this.policy.windowSeconds * 1000) {
      this.windows.delete(client);
      return undefined;
    }
    return window;
  }

  /** Drops expired windows, then (a flood of addresses) the oldest tenth. */
  private evict(): void {
    const limit = this.now() - this.policy.windowSeconds * 1000;
    for (const [client, window] of this.windows) if (window.startedAt <= limit) this.windows.delete(client);
    if (this.windows.size < MAX_CLIENTS) return;
    let drop = Math.ceil(MAX_CLIENTS / 10);
    for (const client of this.windows.keys()) {
      if (drop-- <= 0) break;
      this.windows.delete(client);
    }
  }
}
