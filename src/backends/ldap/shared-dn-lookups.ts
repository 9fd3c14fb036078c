import { normalizeDn } from './dn-text.js';
import type { DnIndex } from './entry-codec.js';
import { mapLdapError } from './error-mapping.js';

/** DNs to look up: normalised DN → the DN as the directory wrote it. */
export type WantedDns = ReadonlyMap<string, string>;

/** Looks up one batch of DNs (over the caller's own connection); a DN not found is absent from the result. */
export type LookupDns = (wanted: WantedDns) => Promise<DnIndex>;

const NOTHING: DnIndex = new Map();

interface InFlight {
  /** performance.now() just before the lookup was sent (its searches go out at or after this). */
  readonly sentAt: number;
  /** The result as joiners see it: an LDAP failure already mapped to its ScimError. */
  readonly shared: Promise<DnIndex>;
}

/**
 * Concurrent reads share DN → SCIM id lookups that are in flight. Reading a
 * user resolves its `memberOf` DNs; when many users of one large group are
 * read at once, each read would otherwise search for the same group entry,
 * and OpenLDAP reads and decodes the whole multi-megabyte entry every time.
 *
 * A read joins a lookup only if that lookup was sent at or after the read
 * began. Its answer then reflects the directory at a moment inside the read's
 * own lifetime, as its own lookup would — just as one read's several searches
 * already see the directory at several such moments. A lookup sent before the
 * read began may predate a change the client made and saw answered before
 * sending this read, so it is never joined.
 *
 * Entries leave the map as soon as their lookup settles: nothing outlives the
 * requests, so this is no cache and replicas stay stateless. A failed lookup
 * fails every read that joined it with the same ScimError; nothing is retried
 * for them. A lookup never waits for another one, so nothing can deadlock.
 */
export class SharedDnLookups {
  /** Normalised DN → the newest in-flight lookup that includes it. */
  private readonly inFlight = new Map<string, InFlight>();

  /**
   * The targets of `dns` for a read that began at `readStartedAt`
   * (performance.now()): joined where a lookup sent since then is in flight,
   * the rest sent as one new batch with `lookup`. Keys are normalised DNs.
   */
  async resolve(dns: readonly string[], readStartedAt: number, lookup: LookupDns): Promise<DnIndex> {
    const joined = new Map<string, Promise<DnIndex>>();
    const missing = new Map<string, string>();
    for (const dn of dns) {
      const key = normalizeDn(dn);
      if (joined.has(key) || missing.has(key)) continue;
      const running = this.inFlight.get(key);
      if (running !== undefined && running.sentAt >= readStartedAt) joined.set(key, running.shared);
      else missing.set(key, dn);
    }
    const own = missing.size === 0 ? undefined : this.send(missing, lookup);
    if (joined.size === 0) return own ?? NOTHING;
    const others = [...new Set(joined.values())];
    // Settled, not raced: our own lookup runs on the read's connection, which must not go back to the
    // pool while one of its searches is outstanding. Our own error first (the pool may retry on it).
    const outcomes = await Promise.allSettled([own ?? NOTHING, ...others]);
    const [mine, ...theirs] = outcomes.map((outcome) => {
      if (outcome.status === 'rejected') throw outcome.reason;
      return outcome.value;
    });
    const found = new Map(mine);
    for (const [key, shared] of joined) {
      const target = theirs[others.indexOf(shared)]?.get(key);
      if (target !== undefined) found.set(key, target);
    }
    return found;
  }

  /** Sends `missing` and lets later reads join it until it settles. The caller gets the raw result. */
  private send(missing: WantedDns, lookup: LookupDns): Promise<DnIndex> {
    const sentAt = performance.now();
    const result = lookup(missing);
    const entry: InFlight = {
      sentAt,
      // Mapped here, once: a raw connection error would make a joiner drop its own healthy connection.
      shared: result.catch((error: unknown) => {
        throw mapLdapError(error);
      }),
    };
    const forget = () => {
      for (const key of missing.keys()) if (this.inFlight.get(key) === entry) this.inFlight.delete(key);
    };
    result.then(forget, forget);
    // Handled even when nobody joins; joiners still see the rejection through their own await.
    entry.shared.catch(() => undefined);
    for (const key of missing.keys()) this.inFlight.set(key, entry);
    return result;
  }
}
