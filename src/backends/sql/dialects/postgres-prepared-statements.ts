import { createHash } from 'node:crypto';

/**
 * Server-side prepared statements for PostgreSQL, bounded per connection.
 *
 * Every parameterised statement the store sends is given a name derived from
 * its text, so PostgreSQL parses it once per connection and, once its plan
 * cache judges a generic plan good enough, stops planning it per execution.
 * On the hot reads (get by id, `userName eq`) parsing and planning are most
 * of the server's work: the same statement costs the server a third as much.
 *
 * The names a connection holds are bounded (`capacity`): the least recently
 * used one is released (DEALLOCATE) before a new one is prepared, but only on
 * an idle connection — outside a transaction and with nothing queued — where
 * the release cannot fail or overtake a queued use of the same name. Inside a
 * transaction a statement that would need a new slot is sent unnamed. So no
 * client can make a connection hold more than `capacity` statements, however
 * many filter shapes it sends.
 *
 * A plan that no longer fits the table (a column type changed under it,
 * SQLSTATE 0A000) fails once; the connection then uses fresh names, the
 * request is answered 503 with Retry-After, and the retry is prepared anew.
 * The stale statements (at most `capacity` per schema change) are released
 * with the connection.
 */

/** The parts of a pg `Client` this relies on (pg 8). */
export interface PgClient {
  query(config: unknown, ...rest: unknown[]): unknown;
  readyForQuery: boolean;
  getTransactionStatus(): string | null;
  connection: { parsedStatements: Record<string, string> };
}

interface QueryConfig {
  text: string;
  values: unknown[];
  name?: string;
}

function isParameterised(config: unknown): config is QueryConfig {
  if (typeof config !== 'object' || config === null) return false;
  const candidate = config as Partial<QueryConfig>;
  return (
    // pg's submittables (cursors, streams) carry text and values too, but are sent as they are.
    typeof (config as { submit?: unknown }).submit !== 'function' &&
    typeof candidate.text === 'string' &&
    candidate.name === undefined &&
    Array.isArray(candidate.values) &&
    candidate.values.length > 0
  );
}

/**
 * "cached plan must not change result type" (SQLSTATE 0A000, raised where the
 * server revalidates a cached plan): the table changed under a prepared plan.
 */
export function isStalePlanError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, routine } = err as { code?: unknown; routine?: unknown };
  return code === '0A000' && routine === 'RevalidateCachedQuery';
}

export class PreparedStatements {
  /** Statement text → the name this connection holds it under, least recently used first. */
  private readonly held = new Map<string, string>();
  /** Part of every name; changes when the server reports stale plans, so old names are never reused. */
  private generation = 0;

  constructor(
    private readonly client: PgClient,
    private readonly capacity: number,
  ) {}

  /** Replaces the client's `query` with one that names parameterised statements. */
  static install(client: PgClient, capacity: number): PreparedStatements {
    const statements = new PreparedStatements(client, capacity);
    const send = client.query.bind(client);
    client.query = (config: unknown, ...rest: unknown[]) => {
      if (!isParameterised(config)) return send(config, ...rest);
      const name = statements.nameFor(config.text, send);
      if (name === undefined) return send(config, ...rest);
      const noteStalePlan = (err: unknown) => {
        if (isStalePlanError(err)) statements.forgetAll();
      };
      const callback = rest[0];
      if (typeof callback === 'function') {
        return send({ ...config, name }, (err: unknown, result: unknown) => {
          noteStalePlan(err);
          (callback as (err: unknown, result: unknown) => void)(err, result);
        });
      }
      // Promise style (knex passes a callback; other callers may not): the caller still gets the rejection.
      const sent = send({ ...config, name }, ...rest);
      if (sent instanceof Promise) sent.catch(noteStalePlan);
      return sent;
    };
    return statements;
  }

  /** The name to send `text` under, or undefined to send it unnamed (no slot free in a transaction). */
  private nameFor(text: string, send: (config: unknown, ...rest: unknown[]) => unknown): string | undefined {
    const known = this.held.get(text);
    if (known !== undefined) {
      this.held.delete(text);
      this.held.set(text, known);
      return known;
    }
    if (this.held.size >= this.capacity) {
      if (!this.idle()) return undefined;
      const [oldest, oldestName] = this.held.entries().next().value ?? [];
      if (oldest !== undefined && oldestName !== undefined) {
        this.held.delete(oldest);
        this.release(oldestName, send);
      }
    }
    const name = `cw${this.generation}_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
    this.held.set(text, name);
    return name;
  }

  /**
   * Outside a transaction with nothing running — and so nothing queued: pg
   * starts a queued query as soon as the connection is ready. A DEALLOCATE
   * sent now runs before anything else.
   */
  private idle(): boolean {
    return this.client.readyForQuery && this.client.getTransactionStatus() === 'I';
  }

  private release(name: string, send: (config: unknown, ...rest: unknown[]) => unknown): void {
    // pg re-parses a name it no longer lists; the DEALLOCATE is queued ahead of any such use.
    delete this.client.connection.parsedStatements[name];
    // On an idle connection DEALLOCATE fails only when the connection is gone, and the pool drops it then.
    send(`DEALLOCATE "${name}"`, () => {});
  }

  /** After a stale-plan error: new names from now on; the old statements go with the connection. */
  private forgetAll(): void {
    this.generation += 1;
    this.held.clear();
  }
}
