import { Client } from 'ldapts';

/**
 * The baselines' connection pool: `size` connections bound once, each lent
 * to one operation at a time (as the gateway's pool does), waiters queued.
 */
export class BoundPool {
  private readonly idle: Client[] = [];
  private readonly waiting: ((client: Client) => void)[] = [];

  private constructor(private readonly all: Client[]) {
    this.idle.push(...all);
  }

  static async open(url: string, dn: string, password: string, size: number): Promise<BoundPool> {
    const clients = await Promise.all(
      Array.from({ length: size }, async () => {
        const client = new Client({ url, timeout: 30_000 });
        await client.bind(dn, password);
        return client;
      }),
    );
    return new BoundPool(clients);
  }

  async use<T>(work: (client: Client) => Promise<T>): Promise<T> {
    const client = this.idle.pop() ?? (await new Promise<Client>((resolve) => this.waiting.push(resolve)));
    try {
      return await work(client);
    } finally {
      const next = this.waiting.shift();
      if (next === undefined) this.idle.push(client);
      else next(client);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((client) => client.unbind().catch(() => undefined)));
  }
}
