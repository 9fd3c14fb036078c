import type { FastifyInstance } from 'fastify';

/**
 * Every bench server's ending: listen on a free local port, print
 * `LISTENING <port>` for server-process.ts, and on SIGTERM close the app,
 * then whatever else it holds (`release`: a pool, a store), and exit.
 */
export async function serveUntilTerminated(
  app: FastifyInstance,
  release: () => Promise<unknown> = async () => {},
): Promise<void> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  process.stdout.write(`LISTENING ${typeof address === 'object' && address !== null ? address.port : 0}\n`);
  process.once('SIGTERM', () => {
    void (async () => {
      await app.close();
      await release();
      process.exit(0);
    })();
  });
}
