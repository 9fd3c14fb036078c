import { createHash } from 'node:crypto';
import { type FSWatcher, watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { createStore } from '../backends/create-store.js';
import type { ResourceStore } from '../backends/resource-store.js';
import type { CompiledMapping } from '../mapping/compiled-mapping.js';
import { loadMappingText } from '../mapping/load-mapping.js';
import { MappingError } from '../mapping/mapping-error.js';
import type { MappingHolder } from './mapping-holder.js';

/** One tenant whose mapping comes from a file. */
export interface ReloadTarget {
  readonly tenant: string;
  readonly file: string;
  readonly holder: MappingHolder;
}

export type ReloadOutcome =
  | { readonly tenant: string; readonly result: 'applied' }
  | { readonly tenant: string; readonly result: 'unchanged' }
  | { readonly tenant: string; readonly result: 'rejected'; readonly problems: readonly string[] };

export interface MappingReloaderOptions {
  readonly log: FastifyBaseLogger;
  /** Called with every outcome that is not `unchanged` (metrics). */
  readonly onOutcome?: (outcome: ReloadOutcome) => void;
  /** Quiet time after the last file event before reloading; editors write in bursts. Default 300 ms. */
  readonly debounceMs?: number;
  /** Environment for `${env:…}` references; default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Builds the store for a new mapping; default createStore. */
  readonly createStore?: (mapping: CompiledMapping) => Promise<ResourceStore>;
}

const digest = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The served endpoints, which the routes were registered for at start. */
function endpointsOf(mapping: CompiledMapping): string {
  return mapping.resourceTypes
    .map((type) => `${type.name}=${type.schema.resourceType.endpoint.toLowerCase()}`)
    .sort()
    .join(', ');
}

/**
 * Hot reload of mapping files. A new mapping is read, validated, compiled,
 * its store created and pinged FIRST; only then does it replace the old one
 * (atomically, through the tenant's MappingHolder: requests in flight finish
 * on the old store, which is closed afterwards). Anything wrong — a YAML or
 * schema error, a backend that does not answer, a changed set of resource
 * types (their routes are fixed at start) — is logged with its messages and
 * the previous mapping keeps serving.
 *
 * Triggers: `reloadAll()` (SIGHUP) reloads unconditionally; `watch()` reacts
 * to changes of the files' directories (in-place writes, editors' renames,
 * Kubernetes ConfigMap symlink swaps) and reloads a file whose content
 * differs from the last one seen.
 */
export class MappingReloader {
  private readonly seen = new Map<string, string>();
  private readonly queue = new Map<string, Promise<ReloadOutcome>>();
  private readonly watchers: FSWatcher[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly log: FastifyBaseLogger;

  constructor(
    private readonly targets: readonly ReloadTarget[],
    private readonly options: MappingReloaderOptions,
  ) {
    this.log = options.log.child({ component: 'mapping-reload' });
  }

  /** Remembers what the files hold now, so the watcher does not reload the mapping that was just started. */
  async primeFromDisk(): Promise<void> {
    for (const target of this.targets) {
      try {
        this.seen.set(target.tenant, digest(await readFile(target.file, 'utf8')));
      } catch {
        // Unreadable now: the first readable version counts as a change.
      }
    }
  }

  /** Reloads every tenant (SIGHUP). */
  reloadAll(): Promise<ReloadOutcome[]> {
    return Promise.all(this.targets.map((target) => this.reload(target.tenant, { force: true })));
  }

  /** Reloads one tenant; without `force`, only when its file's content changed. Serialised per tenant. */
  reload(tenant: string, options: { force?: boolean } = {}): Promise<ReloadOutcome> {
    const target = this.targets.find((candidate) => candidate.tenant === tenant);
    if (target === undefined) throw new Error(`No reloadable tenant '${tenant}'`);
    const previous = this.queue.get(tenant) ?? Promise.resolve(undefined);
    const next = previous.then(
      () => this.reloadNow(target, options.force === true),
      () => this.reloadNow(target, options.force === true),
    );
    this.queue.set(tenant, next);
    return next;
  }

  private async reloadNow(target: ReloadTarget, force: boolean): Promise<ReloadOutcome> {
    const { tenant, file, holder } = target;
    const reject = (problems: readonly string[]): ReloadOutcome => {
      const outcome: ReloadOutcome = { tenant, result: 'rejected', problems };
      this.log.error(
        { tenant, file, problems },
        'mapping reload rejected; the previous mapping keeps serving',
      );
      this.options.onOutcome?.(outcome);
      return outcome;
    };

    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      return reject([`${file}: cannot read the mapping file (${(error as NodeJS.ErrnoException).code})`]);
    }
    const hash = digest(text);
    if (!force && this.seen.get(tenant) === hash) return { tenant, result: 'unchanged' };
    this.seen.set(tenant, hash);

    let mapping: CompiledMapping;
    try {
      mapping = loadMappingText(text, file, this.options.env ?? process.env);
    } catch (error) {
      if (error instanceof MappingError)
        return reject(
          error.issues.map((issue) => `${issue.file}:${issue.line}:${issue.column}: ${issue.message}`),
        );
      return reject([error instanceof Error ? error.message : String(error)]);
    }
    const before = endpointsOf(holder.current.mapping);
    const after = endpointsOf(mapping);
    if (before !== after) {
      return reject([
        `${file}: the served resource types changed (${before} → ${after}); that needs a restart`,
      ]);
    }

    let store: ResourceStore;
    try {
      store = await (this.options.createStore ?? createStore)(mapping);
    } catch (error) {
      return reject([`${file}: the backend store could not be created: ${messageOf(error)}`]);
    }
    try {
      await store.ping();
    } catch (error) {
      await store.close().catch(() => undefined);
      return reject([`${file}: the backend does not answer: ${messageOf(error)}`]);
    }

    // Swap now; the old store closes in the background once its last request is done.
    const retired = holder.swap({ mapping, store });
    retired.catch((error: unknown) =>
      this.log.warn({ tenant, reason: messageOf(error) }, 'closing the previous store failed'),
    );
    this.log.info({ tenant, file }, 'mapping reloaded');
    const outcome: ReloadOutcome = { tenant, result: 'applied' };
    this.options.onOutcome?.(outcome);
    return outcome;
  }

  /** Watches each mapping file's directory; a burst of events becomes one reload after the debounce. */
  watch(): void {
    const debounceMs = this.options.debounceMs ?? 300;
    const byDirectory = new Map<string, ReloadTarget[]>();
    for (const target of this.targets) {
      const directory = dirname(target.file);
      byDirectory.set(directory, [...(byDirectory.get(directory) ?? []), target]);
    }
    for (const [directory, targets] of byDirectory) {
      let watcher: FSWatcher;
      try {
        watcher = watch(directory, { persistent: false });
      } catch (error) {
        this.log.warn(
          { directory, reason: messageOf(error) },
          'cannot watch mapping files; SIGHUP still reloads',
        );
        continue;
      }
      watcher.on('error', (error) =>
        this.log.warn(
          { directory, reason: messageOf(error) },
          'watching mapping files stopped; SIGHUP still reloads',
        ),
      );
      watcher.on('change', (_event, name) => {
        // ConfigMap volumes swap a `..data` symlink, so any entry of the directory may mean "the file changed".
        const names = new Set(targets.map((target) => basename(target.file)));
        const relevant = typeof name !== 'string' || names.has(name) || name.startsWith('..');
        const affected = relevant ? targets : [];
        for (const target of affected) this.schedule(target.tenant, debounceMs);
      });
      this.watchers.push(watcher);
    }
  }

  private schedule(tenant: string, debounceMs: number): void {
    clearTimeout(this.timers.get(tenant));
    const timer = setTimeout(() => {
      this.timers.delete(tenant);
      void this.reload(tenant);
    }, debounceMs);
    timer.unref();
    this.timers.set(tenant, timer);
  }

  /** Stops watching; waits for running reloads. */
  async close(): Promise<void> {
    for (const watcher of this.watchers.splice(0)) watcher.close();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.queue.values()]);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
