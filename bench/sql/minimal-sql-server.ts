import Fastify from 'fastify';
import { serveUntilTerminated } from '../support/serve-until-terminated.js';
import { connect, PG_SERVER } from './pg-database.js';
import { userById, userByName, userWithChildrenById, userWithChildrenByName } from './user-queries.js';

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

// The gateway's own statement (main row + both child tables as JSON sub-selects): the floor with equal database work.
app.get('/users-with-children', async (request, reply) => {
  const { userName } = request.query as { userName?: string };
  return reply.send(await userWithChildrenByName(db, userName ?? ''));
});

app.get('/users-with-children/:id', async (request, reply) => {
  const { id } = request.params as { id: string };
  const rows = await userWithChildrenById(db, id);
  if (rows.length === 0) return reply.code(404).send({ error: 'not found' });
  return reply.send(rows[0]);
});

// The same, sent as named (prepared) statements like the gateway's: the like-for-like floor.
app.get('/users-with-children-prepared', async (request, reply) => {
  const { userName } = request.query as { userName?: string };
  return reply.send(await userWithChildrenByName(db, userName ?? '', true));
});

app.get('/users-with-children-prepared/:id', async (request, reply) => {
  const { id } = request.params as { id: string };
  const rows = await userWithChildrenById(db, id, true);
  if (rows.length === 0) return reply.code(404).send({ error: 'not found' });
  return reply.send(rows[0]);
});

await serveUntilTerminated(app, () => db.destroy());
