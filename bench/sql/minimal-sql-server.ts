import Fastify from 'fastify';
import { connect, PG_SERVER } from './pg-database.js';
import { userById, userByName, userWithChildren } from './user-queries.js';

/**
 * The floor any HTTP gateway pays: Fastify, one pooled knex query, the raw
 * row as JSON. No SCIM, no auth. Same pool size as the benchmark mapping.
 * Prints `LISTENING <port>`.
 */
const database = process.env.BENCH_PG_DATABASE;
if (database === undefined) throw new Error('BENCH_PG_DATABASE is required');
const db = connect(PG_SERVER, database, 10);
const app = Fastify({ logger: false });

app.get('/users', async (request, reply) => {
  const { userName } = request.query as { userName?: string };
  return reply.send(await userByName(db, userName ?? ''));
});

app.get('/users/:id', async (request, reply) => {
  const { id } = request.params as { id: string };
  const rows = await userById(db, id);
  if (rows.length === 0) return reply.code(404).send({ error: 'not found' });
  return reply.send(rows[0]);
});

// The same statements as the gateway (main row + both child tables): the floor with equal database work.
app.get('/users-with-children', async (request, reply) => {
  const { userName } = request.query as { userName?: string };
  return reply.send((await userWithChildren(db, userByName(db, userName ?? ''))) ?? null);
});

app.get('/users-with-children/:id', async (request, reply) => {
  const { id } = request.params as { id: string };
  const found = await userWithChildren(db, userById(db, id));
  if (found === undefined) return reply.code(404).send({ error: 'not found' });
  return reply.send(found);
});

await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
process.stdout.write(`LISTENING ${typeof address === 'object' && address !== null ? address.port : 0}\n`);

process.once('SIGTERM', () => {
  void (async () => {
    await app.close();
    await db.destroy();
    process.exit(0);
  })();
});
