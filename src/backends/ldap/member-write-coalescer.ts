import type { Change } from 'ldapts';

/** Sends value-level changes to one entry over the caller's own bound connection. */
export type SendChanges = (changes: Change[]) => Promise<void>;

interface Waiting {
  readonly changes: Change[];
  readonly send: SendChanges;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Member changes to one group, arriving while an earlier modify of that group
 * is still with the directory, go out together as one modify once it
 * returns. A directory that stores an entry as one record (OpenLDAP's
 * back-mdb) decodes and rewrites the whole member list on every modify, so
 * sixteen concurrent "add one member" PATCHes of a 50,000-member group cost
 * sixteen rewrites one after the other; merged, they cost two.
 *
 * Nothing waits that would not have waited anyway: the first change goes out
 * at once, and only changes that arrive while it is in flight are merged.
 * The merged changes keep their arrival order in one modify (LDAP applies a
 * modify's changes in order, atomically). If the merged modify fails, each
 * request's changes are sent again on their own, so every request gets its
 * own result and none is applied twice. Only unconditional changes come here
 * (a write with If-Match carries its own assertion). Nothing outlives the
 * requests: replicas stay stateless.
 */
export class MemberWriteCoalescer {
  /** Per entry (normalised DN) being modified: the changes waiting for the modify in flight. */
  private readonly waiting = new Map<string, Waiting[]>();

  apply(entryKey: string, changes: Change[], send: SendChanges): Promise<void> {
    const queue = this.waiting.get(entryKey);
    if (queue !== undefined) {
      return new Promise<void>((resolve, reject) => queue.push({ changes, send, resolve, reject }));
    }
    this.waiting.set(entryKey, []);
    return send(changes).finally(() => this.sendWaiting(entryKey));
  }

  /** Sends what queued up behind the modify that just returned, over the first waiting request's connection. */
  private sendWaiting(entryKey: string): void {
    const batch = this.waiting.get(entryKey) ?? [];
    const first = batch[0];
    if (first === undefined) {
      this.waiting.delete(entryKey);
      return;
    }
    this.waiting.set(entryKey, []);
    const merged =
      batch.length === 1 ? first.send(first.changes) : first.send(batch.flatMap((item) => item.changes));
    merged
      .then(
        () => {
          for (const item of batch) item.resolve();
        },
        async (error: unknown) => {
          if (batch.length === 1) {
            first.reject(error);
            return;
          }
          // Nothing of the merged modify was applied: each request's changes alone, for its own answer.
          for (const item of batch) {
            await item.send(item.changes).then(item.resolve, item.reject);
          }
        },
      )
      .finally(() => this.sendWaiting(entryKey));
  }
}
