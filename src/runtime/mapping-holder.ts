import type { ResourceStore } from '../backends/resource-store.js';
import type { CompiledMapping } from '../mapping/compiled-mapping.js';

/** One loaded mapping and the store built from it. */
export interface ServedMapping {
  readonly mapping: CompiledMapping;
  readonly store: ResourceStore;
}

/** A request's hold on the mapping that was current when it arrived; release exactly once when it ends. */
export interface MappingLease {
  readonly served: ServedMapping;
  release(): void;
}

/** A served mapping plus the requests still using it. */
class Generation {
  inFlight = 0;
  private retired = false;
  private onDrained: (() => void) | undefined;

  constructor(readonly served: ServedMapping) {}

  /** Resolves once no request holds this generation any more; no new lease is handed out after retire(). */
  retire(): Promise<void> {
    this.retired = true;
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.onDrained = resolve;
    });
  }

  leave(): void {
    this.inFlight -= 1;
    if (this.retired && this.inFlight === 0) this.onDrained?.();
  }
}

/**
 * The mapping and store one tenant serves, swappable at run time (hot
 * reload). Each request leases the generation current when it arrives and
 * uses it to the end, so a swap never changes the mapping under a running
 * request; the old store is closed once its last request has finished.
 */
export class MappingHolder {
  private generation: Generation;
  private readonly decorate: (store: ResourceStore) => ResourceStore;
  /** Stores this holder created by swapping: it closes them. The first store belongs to whoever passed it in. */
  private readonly owned = new WeakSet<ResourceStore>();
  /** Previous generations still draining. */
  private readonly retiring = new Set<Promise<void>>();

  constructor(
    readonly tenant: string,
    initial: ServedMapping,
    /** Applied to every store entering the holder (metrics, deadlines). */
    decorate: (store: ResourceStore) => ResourceStore = (store) => store,
  ) {
    this.decorate = decorate;
    this.generation = new Generation({ mapping: initial.mapping, store: decorate(initial.store) });
  }

  get current(): ServedMapping {
    return this.generation.served;
  }

  /** Requests using any generation right now (the current and the draining ones). */
  lease(): MappingLease {
    const generation = this.generation;
    generation.inFlight += 1;
    let released = false;
    return {
      served: generation.served,
      release: () => {
        if (released) return;
        released = true;
        generation.leave();
      },
    };
  }

  /**
   * Makes `next` current at once (synchronously: the next lease gets it);
   * the returned promise settles when the requests that still hold the
   * previous generation have finished and its store is closed.
   */
  swap(next: ServedMapping): Promise<void> {
    const previous = this.generation;
    const store = this.decorate(next.store);
    this.owned.add(store);
    this.generation = new Generation({ mapping: next.mapping, store });
    const retired = previous.retire().then(() => previous.served.store.close());
    this.retiring.add(retired);
    const forget = (): void => {
      this.retiring.delete(retired);
    };
    retired.then(forget, forget);
    return retired;
  }

  /** On shutdown: waits for draining generations, then closes the current store if a swap created it. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.retiring]);
    const { store } = this.generation.served;
    if (this.owned.has(store)) {
      await this.generation.retire();
      await store.close();
    }
  }
}
